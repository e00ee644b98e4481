/**
 * `npm run eval [-- --only a,b] [--out <dir>] [--json <file>]`: renders the rhythm evaluation set
 * (scripts/eval/set.ts) with exact ground truth, runs the live analyser over every clip hop by
 * hop (the `analyze` CLI's own code, so beats are what the live engine would have shown), and
 * prints beat F-measure, onset F-measure, tempo accuracy, lock time and beats in silence per
 * clip and for the set, against the project's targets. Exit code 1 when a target is missed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as runAnalyze } from './analyze.ts';
import { decodeWav } from './wav.ts';
import { offlineBeats } from './eval/peer.ts';
import { EVAL_SAMPLE_RATE, findRenderer, renderClip } from './eval/render.ts';
import { compose, EVAL_SET, type ClipDef, type Truth } from './eval/set.ts';
import { missedTargets, scoreClip, summarize, TARGETS, type ClipScore, type Estimates, type SetSummary } from './eval/score.ts';

export const EVAL_USAGE = `usage: npm run eval [-- --only <name,name...>] [--out <dir>] [--json <file>]

Renders the evaluation set (needs Debian's fluidsynth and fluid-soundfont-gm), analyses each
clip with the live analyser and scores beats, onsets, tempo, lock time and silence.
  --only <names>  comma-separated clip names (default: all ${EVAL_SET.length})
  --out <dir>     where audio, truth and analysis go (default .cache/eval)
  --json <file>   also write per-clip scores and the summary as JSON
  --no-peer       skip the offline peer (essentia BeatTrackerDegara on whole clips)
  --list          list the clips and exit`;

interface EvalOptions {
  peer: boolean;
  only: string[] | null;
  outDir: string;
  json: string | null;
  list: boolean;
}

export function parseEvalArgs(argv: readonly string[]): EvalOptions | 'help' | { error: string } {
  const o: EvalOptions = { peer: true, only: null, outDir: '.cache/eval', json: null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--list') o.list = true;
    else if (a === '--no-peer') o.peer = false;
    else if (a === '--only' || a === '--out' || a === '--json') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return { error: `${a} needs a value` };
      if (a === '--only') o.only = v.split(',').map((s) => s.trim()).filter(Boolean);
      else if (a === '--out') o.outDir = v;
      else o.json = v;
    } else if (a === '--') continue;
    else return { error: `unknown argument ${a}` };
  }
  if (o.only) {
    const unknown = o.only.filter((n) => !EVAL_SET.some((d) => d.name === n));
    if (unknown.length) return { error: `unknown clip ${unknown.join(', ')} (see --list)` };
  }
  return o;
}

/** Render unless the same composition is already on disk. */
function ensureRendered(defs: readonly ClipDef[], audioDir: string): Truth[] | { missing: string } {
  const truths: Truth[] = [];
  let renderer: ReturnType<typeof findRenderer> | null = null;
  for (const d of defs) {
    const truthFile = join(audioDir, `${d.name}.truth.json`);
    const want = JSON.stringify({ clip: d, ...compose(d).truth }, null, 1) + '\n';
    if (existsSync(truthFile) && existsSync(join(audioDir, `${d.name}.wav`)) && readFileSync(truthFile, 'utf8') === want) {
      truths.push(compose(d).truth);
      continue;
    }
    renderer ??= findRenderer();
    if ('missing' in renderer) return renderer;
    truths.push(renderClip(renderer, d, audioDir));
  }
  return truths;
}

function readTimes(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

function readBpm(file: string): [number, number][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').map(Number) as [number, number]);
}

const pct = (x: number | null): string => (x === null ? '   –' : `${(x * 100).toFixed(0).padStart(3)}%`);
const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '   – ' : x.toFixed(3));
const secs = (xs: readonly number[]): string => (xs.length ? xs.map((x) => (Number.isFinite(x) ? x.toFixed(1) : 'never')).join('/') : '–');

function table(defs: readonly ClipDef[], scores: readonly ClipScore[], peer: readonly (ClipScore | null)[]): string {
  const rows = ['clip                      beatF  onsetF  tempo(±½×2) strict  lock s    silent-beats  peer beatF'];
  for (let i = 0; i < defs.length; i++) {
    const s = scores[i];
    const silent = s.falseBeatsInSilence + s.beatsOnBeatless;
    rows.push(
      `${defs[i].name.padEnd(25)} ${f3(s.beats?.f)}  ${f3(s.onsets?.f)}   ${pct(s.tempoOctave)}       ${pct(s.tempoStrict)}   ${secs(s.lockTimes).padEnd(9)} ${String(silent).padEnd(13)} ${f3(peer[i]?.beats?.f)}`,
    );
  }
  return rows.join('\n');
}

function summaryText(s: SetSummary): string {
  return [
    `beat F-measure (±70 ms, mean over ${s.tempoClips} clips): ${s.beatF.toFixed(3)}  (target ≥ ${TARGETS.beatF})`,
    `onset F-measure (±50 ms): ${s.onsetF.toFixed(3)}  (target ≥ ${TARGETS.onsetF})`,
    `tempo within 4% allowing double/half: ${s.tempoClipsOk}/${s.tempoClips} clips (strict: ${s.tempoClipsOkStrict})  (target ≥ ${TARGETS.tempoClipShare * 100}%)`,
    `lock after music starts: median ${s.lockMedian.toFixed(2)} s, slowest ${Number.isFinite(s.lockMax) ? s.lockMax.toFixed(2) + ' s' : 'never'}  (target ≤ ${TARGETS.lockMax} s)`,
    `beats more than 1 s into silence: ${s.falseBeatsInSilence}  (target 0); beats on beatless input: ${s.beatsOnBeatless}`,
  ].join('\n');
}

export async function runEval(argv: readonly string[]): Promise<number> {
  const o = parseEvalArgs(argv);
  if (o === 'help') {
    console.log(EVAL_USAGE);
    return 0;
  }
  if ('error' in o) {
    console.error(`eval: ${o.error}\n${EVAL_USAGE}`);
    return 2;
  }
  if (o.list) {
    for (const d of EVAL_SET) console.log(`${d.name.padEnd(25)} ${d.note}`);
    return 0;
  }
  const defs = o.only ? EVAL_SET.filter((d) => o.only!.includes(d.name)) : EVAL_SET;
  const outDir = resolve(o.outDir);
  const audioDir = join(outDir, 'audio');
  const anaDir = join(outDir, 'analysis');
  mkdirSync(anaDir, { recursive: true });
  const t0 = performance.now();
  const truths = ensureRendered(defs, audioDir);
  if ('missing' in truths) {
    console.error(`eval: ${truths.missing}`);
    return 2;
  }
  const t1 = performance.now();
  // Two analysis threads: one per core on the machines this runs on.
  const files = defs.map((d) => join(audioDir, `${d.name}.wav`));
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)].filter((h) => h.length > 0);
  const log = console.log;
  console.log = () => {};
  let codes: number[];
  try {
    codes = await Promise.all(halves.map((h) => runAnalyze([...h, '--out', anaDir])));
  } finally {
    console.log = log;
  }
  if (codes.some((c) => c !== 0)) {
    console.error('eval: analysis failed (see messages above)');
    return 1;
  }
  const t2 = performance.now();
  const scores = defs.map((d, i) => {
    const base = join(anaDir, d.name);
    const est: Estimates = { beats: readTimes(base + '.beats.txt'), onsets: readTimes(base + '.onsets.txt'), bpm: readBpm(base + '.bpm.txt') };
    return scoreClip(truths[i], est);
  });
  const summary = summarize(scores);
  const t3 = performance.now();
  const peer = defs.map((d, i) => {
    if (!o.peer || truths[i].beatless) return null;
    const { channels, header } = decodeWav(readFileSync(join(audioDir, `${d.name}.wav`)));
    if (header.sampleRate !== EVAL_SAMPLE_RATE) return null;
    return scoreClip(truths[i], { beats: offlineBeats(channels[0]), onsets: [], bpm: [] });
  });
  const peerScores = peer.filter((p): p is ClipScore => p !== null && p.beats !== null);
  const peerF = peerScores.length ? peerScores.reduce((a, p) => a + p.beats!.f, 0) / peerScores.length : NaN;
  console.log(table(defs, scores, peer));
  console.log('');
  console.log(summaryText(summary));
  if (peerScores.length) {
    console.log(`peer, essentia BeatTrackerDegara offline on whole clips: beat F-measure ${peerF.toFixed(3)}; ours (causal) / peer = ${(summary.beatF / peerF).toFixed(2)} (peer ${((performance.now() - t3) / 1000).toFixed(1)} s)`);
  }
  console.log(`(render ${((t1 - t0) / 1000).toFixed(1)} s, analysis ${((t2 - t1) / 1000).toFixed(1)} s; audio and results in ${outDir})`);
  if (o.json) writeFileSync(o.json, JSON.stringify({ clips: defs.map((d, i) => ({ name: d.name, ...scores[i], peerBeatF: peer[i]?.beats?.f ?? null })), summary, peerBeatF: peerF }, (_k, v) => (v === Infinity ? 'never' : v), 1) + '\n');
  const miss = missedTargets(summary);
  if (miss.length) {
    console.log(`targets missed: ${miss.join('; ')}`);
    return 1;
  }
  console.log('all targets met');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runEval(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`eval: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
