/**
 * Worker thread of the `analyze` CLI: decodes one file per job, runs the live Analyzer over it
 * and writes `<name>.onsets.txt` and `<name>.features.csv`. essentia.js lives only in this
 * thread (its loader also removes the process-wide handlers the UMD build installs), so a
 * crash in the WASM side fails one file, never the CLI.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import decode from 'audio-decode';
import { Analyzer, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../workers/analysis/analyzer.ts';
import type { EssentiaFacade } from '../workers/analysis/essentia-facade.ts';
import { loadEssentiaNode } from '../workers/analysis/load-essentia-node.ts';
import { CSV_HEADER, HopFeeder, bpmText, csvRow, downmixToMono, onsetsText, partFile, sizeProblem } from './analyze-core.ts';

export interface AnalyzeJob {
  readonly type: 'job';
  readonly id: number;
  readonly path: string;
  /** Output path prefix: `<outDir>/<name>`. */
  readonly outBase: string;
  readonly frameSize: number;
  readonly hopSize: number;
}

export interface AnalyzeSummary {
  readonly duration: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly hops: number;
  readonly onsets: number;
  readonly decodeSeconds: number;
  readonly analysisSeconds: number;
  readonly totalSeconds: number;
  readonly onsetsFile: string;
  readonly featuresFile: string;
}

export type AnalyzeReply =
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly id: number; readonly ok: true; readonly summary: AnalyzeSummary }
  | { readonly type: 'done'; readonly id: number; readonly ok: false; readonly message: string };

/** A failure the user can act on; its message is shown as is. */
class InputError extends Error {}

let essentia: EssentiaFacade | null = null;

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function readInput(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError('is a directory, not an audio file');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = errCode(e);
    if (code === 'ENOENT') throw new InputError('file not found');
    if (code === 'EACCES') throw new InputError('permission denied');
    throw new InputError(`cannot read file (${code ?? String(e)})`);
  }
  if (size === 0) throw new InputError('empty file (0 bytes), nothing to analyse');
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read file (${errCode(e) ?? String(e)})`);
  }
}

async function decodeInput(bytes: Uint8Array): Promise<{ channelData: Float32Array[]; sampleRate: number }> {
  let data: { channelData: Float32Array[]; sampleRate: number };
  try {
    data = await decode(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/unknown audio format/i.test(msg)) throw new InputError('not a recognised audio file (expected WAV, FLAC, MP3 or OGG)');
    const m = /no decoder for (\S+)/i.exec(msg);
    if (m) throw new InputError(`unsupported audio format '${m[1]}' (no decoder installed)`);
    throw new InputError(`cannot decode audio: ${msg}`);
  }
  const frames = data.channelData.length > 0 ? data.channelData[0].length : 0;
  if (frames === 0) throw new InputError('decoded to no audio samples (empty or truncated file)');
  if (!(data.sampleRate >= MIN_SAMPLE_RATE && data.sampleRate <= MAX_SAMPLE_RATE)) {
    throw new InputError(`unsupported sample rate ${data.sampleRate} Hz (need ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz)`);
  }
  return data;
}

const ROWS_PER_WRITE = 256;

const port = parentPort;

async function analyze(job: AnalyzeJob): Promise<AnalyzeSummary> {
  const t0 = performance.now();
  const problem = sizeProblem(job.frameSize, job.hopSize);
  if (problem) throw new InputError(problem);
  const bytes = readInput(job.path);
  const audio = await decodeInput(bytes);
  const mono = downmixToMono(audio.channelData);
  const decodeSeconds = (performance.now() - t0) / 1000;
  port?.postMessage({ type: 'progress', id: job.id, done: 0, total: Math.ceil(mono.length / job.hopSize) } satisfies AnalyzeReply);

  essentia ??= loadEssentiaNode();
  const facade = essentia;
  const analyzer = new Analyzer(facade, { sampleRate: audio.sampleRate, frameSize: job.frameSize, hopSize: job.hopSize });
  const featuresFile = job.outBase + '.features.csv';
  const onsetsFile = job.outBase + '.onsets.txt';
  // Write beside the target and rename at the end so a failed run leaves no half file.
  const tmpCsv = partFile(featuresFile);
  const fd = openSync(tmpCsv, 'w');
  let feeder: HopFeeder;
  try {
    writeSync(fd, CSV_HEADER + '\n');
    feeder = new HopFeeder(analyzer, mono);
    let chunk = '';
    const onRow = (endTime: number, features: Float32Array): void => {
      chunk += csvRow(endTime, features) + '\n';
    };
    while (feeder.done < feeder.totalHops) {
      feeder.run(ROWS_PER_WRITE, onRow);
      writeSync(fd, chunk);
      chunk = '';
      port?.postMessage({ type: 'progress', id: job.id, done: feeder.done, total: feeder.totalHops } satisfies AnalyzeReply);
    }
  } catch (e) {
    closeSync(fd);
    rmSync(tmpCsv, { force: true });
    throw e;
  } finally {
    analyzer.dispose();
  }
  closeSync(fd);
  renameSync(tmpCsv, featuresFile);
  writeFileSync(onsetsFile, onsetsText(feeder.onsetTimes));
  writeFileSync(job.outBase + '.beats.txt', onsetsText(feeder.beatTimes));
  writeFileSync(job.outBase + '.downbeats.txt', onsetsText(feeder.downbeatTimes));
  writeFileSync(job.outBase + '.bpm.txt', bpmText(feeder.bpmLines));
  return {
    duration: mono.length / audio.sampleRate,
    sampleRate: audio.sampleRate,
    channels: audio.channelData.length,
    hops: feeder.totalHops,
    onsets: feeder.onsetTimes.length,
    decodeSeconds,
    analysisSeconds: feeder.analysisSeconds,
    totalSeconds: (performance.now() - t0) / 1000,
    onsetsFile,
    featuresFile,
  };
}

function describe(e: unknown): string {
  if (e instanceof InputError) return e.message;
  if (typeof e === 'number') return `analysis failed (essentia error code ${e})`;
  if (e instanceof Error) return `analysis failed: ${e.message}`;
  return `analysis failed: ${String(e)}`;
}

if (port) {
  port.on('message', (job: AnalyzeJob) => {
    analyze(job).then(
      (summary) => port.postMessage({ type: 'done', id: job.id, ok: true, summary } satisfies AnalyzeReply),
      (e: unknown) => port.postMessage({ type: 'done', id: job.id, ok: false, message: describe(e) } satisfies AnalyzeReply),
    );
  });
}
