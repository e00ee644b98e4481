// `npm run bench`: runs every benchmark in order and prints each one's figures. A failing
// benchmark prints its error and the rest still run; the exit code is non-zero if any failed.
// Benchmarks print figures only; none passes or fails on time. The environment is passed
// through (SOAK_MINUTES, SOAK_REPORT_MINUTES, RUNS, MEASURE_MS, CHROME_PATH...).
// `npm run bench -- soak live` runs only the sections whose name or file contains a word given.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, checkNode } from './env-check.mjs';

checkNode();

const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
if (!existsSync(tsx)) {
  console.error('✖ node_modules/.bin/tsx is missing: run "npm ci" first.');
  process.exit(1);
}

const SECTIONS = [
  { name: 'analysis, node', file: 'bench/analysis-node.bench.ts' },
  { name: 'modulation', file: 'bench/modulation.bench.ts' },
  { name: 'midi input', file: 'bench/midi.bench.ts' },
  { name: 'analysis, chromium worker vs node', file: 'bench/analysis-browser.bench.ts' },
  // The live app plays the generated demo track: make (or keep) it first.
  { name: 'live app', file: 'bench/live.bench.ts', before: 'scripts/make-demo.ts' },
  { name: 'scene frame cost', file: 'bench/scene-frames.bench.ts' },
  { name: 'scene switch hitch', file: 'bench/scene-switch.bench.ts' },
  { name: 'keyframes', file: 'bench/keyframes.bench.ts' },
  { name: 'preset switch and autosave', file: 'bench/preset-switch.bench.ts' },
  { name: 'projector outputs', file: 'bench/outputs.bench.ts' },
  { name: 'osc latency', file: 'bench/osc-latency.bench.ts' },
  { name: 'memory soak', file: 'bench/memory-soak.bench.ts' },
];

const words = process.argv.slice(2).map((w) => w.toLowerCase());
const chosen = words.length === 0 ? SECTIONS : SECTIONS.filter((s) => words.some((w) => s.name.includes(w) || s.file.includes(w)));
if (chosen.length === 0) {
  console.error(`✖ no benchmark matches ${words.join(', ')}; sections: ${SECTIONS.map((s) => s.file).join(', ')}`);
  process.exit(1);
}

function run(file) {
  const r = spawnSync(tsx, [file], { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (r.error) return `could not start: ${r.error.message}`;
  if (r.signal) return `killed by ${r.signal}`;
  return r.status === 0 ? null : `exit code ${r.status}`;
}

const results = [];
for (const s of chosen) {
  console.log(`\n== ${s.name} (${s.file})`);
  const t0 = performance.now();
  let error = s.before ? run(s.before) : null;
  if (error) error = `${s.before}: ${error}`;
  else error = run(s.file);
  const seconds = (performance.now() - t0) / 1000;
  if (error) console.error(`✖ ${s.name} failed (${error}) after ${seconds.toFixed(0)} s`);
  else console.log(`✓ ${s.name} (${seconds.toFixed(0)} s)`);
  results.push({ ...s, error, seconds });
}

const failed = results.filter((r) => r.error);
console.log(`\n${results.length} benchmarks ran: ${results.length - failed.length} completed, ${failed.length} failed${failed.length ? ' (' + failed.map((r) => r.name).join(', ') + ')' : ''}`);
process.exit(failed.length > 0 ? 1 : 0);
