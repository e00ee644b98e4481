/**
 * `npm run fixtures`: record the feature fixtures the scene tests, screenshots and frame-cost
 * benchmark replay (e2e/fixtures/<name>.fixture.json). It renders the demo track and a pink
 * noise excerpt (sox), runs the live analyser over them offline (`npm run analyze`) and keeps a
 * few seconds of each: a dance section, the ambient section, the near-silent ending, noise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_COLUMNS, FEATURE_COUNT } from '../engine/features/layout.ts';
import { encodeFixture } from '../engine/fixtures/fixture.ts';
import { DEFAULT_ANALYZER_CONFIG } from '../workers/analysis/contract.ts';
import { DEMO_SAMPLE_RATE } from './make-demo.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE_DIR = join(ROOT, 'e2e', 'fixtures');

interface Excerpt {
  name: string;
  file: 'demo' | 'noise';
  from: number;
  to: number;
  source: string;
}

/** Seconds on the demo track (116 BPM; sections from its ground truth). */
const EXCERPTS: readonly Excerpt[] = [
  { name: 'dance', file: 'demo', from: 44, to: 50, source: 'demo track, groove-b (kick, clap, hats, bass, arp at 116 BPM), 44-50 s' },
  { name: 'ambient', file: 'demo', from: 27, to: 33, source: 'demo track, beatless ambient section (pad, breath, lead, hiss), 27-33 s' },
  { name: 'near-silence', file: 'demo', from: 58, to: 60.9, source: 'demo track, near-silent ending (faint hiss and tails), 58-60.9 s' },
  { name: 'noise', file: 'noise', from: 2, to: 6, source: 'pink noise from sox at -10 dBFS, 2-6 s' },
];

function parseCsv(text: string): { times: Float64Array; rows: Float32Array } {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  const index = FEATURE_COLUMNS.map((c) => header.indexOf(c));
  const missing = FEATURE_COLUMNS.filter((_, k) => index[k] < 0);
  if (missing.length) throw new Error(`features.csv lacks columns ${missing.join(', ')}`);
  const n = lines.length - 1;
  const times = new Float64Array(n);
  const rows = new Float32Array(n * FEATURE_COUNT);
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(',');
    times[r] = Number(cells[0]);
    for (let k = 0; k < FEATURE_COUNT; k++) rows[r * FEATURE_COUNT + k] = Number(cells[index[k]] ?? 0);
  }
  return { times, rows };
}

function main(): void {
  if (spawnSync('sox', ['--version']).status !== 0) throw new Error('sox is needed for the noise fixture: install the Debian package "sox"');
  const work = mkdtempSync(join(tmpdir(), 'glassforest-fixtures-'));
  try {
    return build(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function build(work: string): void {
  const demoDir = join(work, 'demo');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'make-demo.ts'), '--out', demoDir], { stdio: 'inherit' });
  const noise = join(work, 'noise.wav');
  execFileSync('sox', ['-n', '-r', String(DEMO_SAMPLE_RATE), '-c', '1', '-b', '16', noise, 'synth', '8', 'pinknoise', 'vol', '0.3']);
  const out = join(work, 'analysis');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'analyze.ts'), join(demoDir, 'demo.wav'), noise, '--out', out], { stdio: 'inherit' });
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const hop = DEFAULT_ANALYZER_CONFIG.hopSize;
  const frame = DEFAULT_ANALYZER_CONFIG.frameSize;
  const hopSeconds = hop / DEMO_SAMPLE_RATE;
  for (const file of ['demo', 'noise'] as const) {
    const { times, rows } = parseCsv(readFileSync(join(out, `${file}.features.csv`), 'utf8'));
    const onsetTimes = readFileSync(join(out, `${file}.onsets.txt`), 'utf8').split('\n').filter(Boolean).map(Number);
    // The onset flag marks the hop that reported each onset, in the same order as onsets.txt.
    const onsetRows: number[] = [];
    for (let r = 0; r < times.length; r++) if (rows[r * FEATURE_COUNT + FEATURE_COLUMNS.indexOf('onset')] > 0) onsetRows.push(r);
    if (onsetRows.length !== onsetTimes.length) throw new Error(`${file}: ${onsetRows.length} onset hops but ${onsetTimes.length} onset times`);
    for (const ex of EXCERPTS.filter((e) => e.file === file)) {
      const first = Math.round(ex.from / hopSeconds);
      const last = Math.min(times.length, Math.round(ex.to / hopSeconds));
      const start = first * hopSeconds; // excerpt time 0 on the source's clock
      const onsets: [number, number][] = [];
      onsetRows.forEach((r, i) => {
        if (r >= first && r < last) onsets.push([r - first, onsetTimes[i] - start]);
      });
      const fx = encodeFixture({
        name: ex.name,
        source: ex.source,
        sampleRate: DEMO_SAMPLE_RATE,
        hopSize: hop,
        frameSize: frame,
        features: rows.slice(first * FEATURE_COUNT, last * FEATURE_COUNT),
        onsets,
      });
      const path = join(FIXTURE_DIR, `${ex.name}.fixture.json`);
      const text = JSON.stringify(fx) + '\n';
      writeFileSync(path, text);
      console.log(`fixtures: ${ex.name}: ${fx.rows} hops (${(fx.rows * hopSeconds).toFixed(2)} s), ${onsets.length} onsets, ${(text.length / 1024).toFixed(0)} KiB`);
    }
  }
}

try {
  main();
} catch (err) {
  console.error(`fixtures: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
