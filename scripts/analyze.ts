/**
 * `npm run analyze -- <audio files...> --out <dir> [--hop 512] [--frame 2048]`
 *
 * Runs the live Analyzer offline over audio files (WAV, FLAC, MP3, OGG) and writes, per file,
 * `<name>.onsets.txt` and `<name>.features.csv`. The analysis runs in a worker thread; a file
 * that fails gets a one-line message and the others still run; the exit code is 1 if any failed.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_ANALYZER_CONFIG } from '../workers/analysis/contract.ts';
import { partFile, sizeProblem } from './analyze-core.ts';
import type { AnalyzeJob, AnalyzeReply, AnalyzeSummary } from './analyze.worker.ts';

export const USAGE = `usage: npm run analyze -- <audio files...> --out <dir> [--hop 512] [--frame 2048]
  Analyses each file (WAV, FLAC, MP3, OGG; any channel count; 8-192 kHz) with the live
  analyser, hop by hop, and writes into <dir>:
    <name>.onsets.txt     onset times in seconds, one per line
    <name>.beats.txt      beat times in seconds as the live engine emits them
    <name>.downbeats.txt  downbeat (bar start) times
    <name>.bpm.txt        "time bpm" lines as the tempo estimate evolves (0: no tempo locked)
    <name>.features.csv   time + every feature column, one row per hop
  --out <dir>    output folder (created if missing; default out/analysis)
  --hop <n>      samples per hop (default ${DEFAULT_ANALYZER_CONFIG.hopSize})
  --frame <n>    analysis window in samples (default ${DEFAULT_ANALYZER_CONFIG.frameSize})
  -h, --help     show this help
Exit code: 0 when every file was analysed, 1 when any failed, 2 on bad arguments.`;

export interface CliOptions {
  readonly files: string[];
  readonly outDir: string;
  readonly hopSize: number;
  readonly frameSize: number;
}

/** Parse argv (after the script name). Returns options, 'help', or an error message. */
export function parseArgs(argv: readonly string[]): CliOptions | 'help' | { error: string } {
  const files: string[] = [];
  let outDir = 'out/analysis';
  let hopSize: number = DEFAULT_ANALYZER_CONFIG.hopSize;
  let frameSize: number = DEFAULT_ANALYZER_CONFIG.frameSize;
  const intArg = (name: string, v: string | undefined): number | { error: string } => {
    if (v === undefined || !/^\d+$/.test(v)) return { error: `${name} needs a whole number, got '${v ?? ''}'` };
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--out') {
      const v = argv[++i];
      if (!v) return { error: '--out needs a folder' };
      outDir = v;
    } else if (a === '--hop' || a === '--frame') {
      const n = intArg(a, argv[++i]);
      if (typeof n !== 'number') return n;
      if (a === '--hop') hopSize = n;
      else frameSize = n;
    } else if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a.length > 1) {
      return { error: `unknown option '${a}'` };
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) return { error: 'no input files' };
  const problem = sizeProblem(frameSize, hopSize);
  if (problem) return { error: problem };
  return { files, outDir, hopSize, frameSize };
}

/** Output names: the file name without its extension, or with it when two inputs would clash. */
export function outputNames(files: readonly string[]): string[] {
  const stem = (f: string): string => basename(f, extname(f)) || basename(f);
  const counts = new Map<string, number>();
  for (const f of files) counts.set(stem(f), (counts.get(stem(f)) ?? 0) + 1);
  const used = new Set<string>();
  return files.map((f) => {
    let name = (counts.get(stem(f)) ?? 0) > 1 ? basename(f) : stem(f);
    const base = name;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    used.add(name);
    return name;
  });
}

type DoneReply = Extract<AnalyzeReply, { type: 'done' }>;

/** Seconds without progress from the analysis thread before a file is given up. */
const STALL_SECONDS = 120;

/** A module worker that registers tsx in its own thread first: Node 20 workers do not inherit loader hooks. */
function startWorker(): Worker {
  const entry = new URL('./analyze.worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(boot)));
}

function summaryLine(file: string, s: AnalyzeSummary): string {
  const rtf = s.analysisSeconds > 0 ? s.duration / s.analysisSeconds : Infinity;
  return (
    `${file}: ${s.duration.toFixed(2)} s, ${s.sampleRate} Hz, ${s.channels} ch → ${s.hops} hops, ${s.onsets} onsets; ` +
    `analysis ${s.analysisSeconds.toFixed(2)} s (${rtf.toFixed(1)}x realtime), total ${s.totalSeconds.toFixed(2)} s`
  );
}

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts === 'help') {
    console.log(USAGE);
    return 0;
  }
  if ('error' in opts) {
    console.error(`analyze: ${opts.error}\n${USAGE}`);
    return 2;
  }
  const outDir = resolve(opts.outDir);
  try {
    mkdirSync(outDir, { recursive: true });
    if (!statSync(outDir).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    console.error(`analyze: cannot use output folder ${opts.outDir}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const names = outputNames(opts.files);
  let failed = 0;
  let worker: Worker | null = null;
  // One job at a time; a worker that dies fails only the file it was on and is replaced.
  for (let i = 0; i < opts.files.length; i++) {
    const file = opts.files[i];
    worker ??= startWorker();
    const w: Worker = worker;
    const job: AnalyzeJob = { type: 'job', id: i, path: resolve(file), outBase: join(outDir, names[i]), frameSize: opts.frameSize, hopSize: opts.hopSize };
    const reply = await new Promise<DoneReply | { crashed: string }>((done) => {
      // Progress arrives every few hundred hops; silence this long means the thread is stuck.
      let watchdog = setTimeout(() => finish({ crashed: `analysis stalled (no progress for ${STALL_SECONDS} s)` }), STALL_SECONDS * 1000);
      const onMessage = (m: AnalyzeReply): void => {
        if (m.id !== job.id) return;
        if (m.type === 'progress') {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => finish({ crashed: `analysis stalled (no progress for ${STALL_SECONDS} s)` }), STALL_SECONDS * 1000);
        } else finish(m);
      };
      const onError = (e: Error): void => finish({ crashed: `analysis thread crashed: ${e.message}` });
      const onExit = (code: number): void => finish({ crashed: `analysis thread exited (code ${code})` });
      const finish = (r: DoneReply | { crashed: string }): void => {
        clearTimeout(watchdog);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        done(r);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(job);
    });
    if ('crashed' in reply) {
      failed++;
      console.error(`${file}: FAILED: ${reply.crashed}`);
      void w.terminate();
      worker = null;
      rmSync(partFile(job.outBase + '.features.csv'), { force: true });
    } else if (reply.ok) {
      console.log(summaryLine(file, reply.summary));
    } else {
      failed++;
      console.error(`${file}: FAILED: ${reply.message}`);
    }
  }
  if (worker) await worker.terminate();
  const ok = opts.files.length - failed;
  if (opts.files.length > 1) console.log(`analyze: ${ok} of ${opts.files.length} files analysed, output in ${outDir}`);
  else if (ok === 1) console.log(`analyze: output in ${outDir}`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`analyze: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
