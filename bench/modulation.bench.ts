/**
 * Frame tick cost with the modulation matrix: 256 routes of every source kind and curve onto
 * 64 parameters, against the same tick with no routes (the rest of the tick) and a naive
 * object-per-route evaluator (string switches, closures, a Map per frame) doing the same
 * arithmetic, all in one run. Run: npx tsx bench/modulation.bench.ts [--frames N]
 * Prints figures only; never passes or fails on time. Target: 256 routes ≤ 50 µs per tick.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { FeatureBusReader, FeatureBusWriter, createFeatureBusBuffer } from '../engine/features/bus.ts';
import { F, FEATURE_COLUMNS, FEATURE_COUNT, MEL_BANDS } from '../engine/features/layout.ts';
import { ParamBank, defineParams, fromNormalized, toNormalized, type ParamDecl } from '../engine/params/index.ts';
import { EngineTick } from '../engine/tick.ts';
import type { ModulationInputs, RouteSpec } from '../engine/modulation/index.ts';
import { formatTable, summarize, timeEach, type Summary } from './stats.ts';

const argFrames = process.argv.indexOf('--frames');
const FRAMES = argFrames > 0 ? Number(process.argv[argFrames + 1]) : 20_000;
const WARMUP = 5_000;
const ROUTES = 256;
const PARAMS = 64;

const SOURCES = ['centroid', 'bands3.0', 'bands8.5', 'mel.3:raw', 'onset:all', 'onset:low:0.4', 'clock:beat', 'clock:bar-phase', 'lfo:sine:1/4', 'lfo:triangle:2bars', 'lfo:sample-hold:1/8', 'lfo:square:0.5hz', 'const:0.2', 'ext:midi/cc/1', 'chroma', 'onset.high', 'beatPhase'];
const CURVES = ['linear', 'exp', 'log', 's-curve', 'steps'] as const;

function routes(): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (let i = 0; i < ROUTES; i++) {
    out.push({ source: SOURCES[i % SOURCES.length], target: `/scene/bench/p${i % PARAMS}`, amount: 0.05 + (i % 7) * 0.01, curve: CURVES[i % CURVES.length], steps: 5, attack: (i % 3) * 0.03, release: 0.15, invert: i % 11 === 0 });
  }
  return out;
}

function decls(): Record<string, ParamDecl> {
  const d: Record<string, ParamDecl> = {};
  for (let i = 0; i < PARAMS; i++) d[`p${i}`] = { type: 'number', min: i % 4 === 1 ? 20 : 0, max: i % 4 === 1 ? 20000 : 1, default: i % 4 === 1 ? 440 : 0.5, curve: i % 4 === 1 ? 'exp' : 'linear' };
  return d;
}

/** A tick rig fed with a musical frame every other call, as the analysis worker would. */
function tickRig(withRoutes: boolean) {
  const sab = createFeatureBusBuffer();
  const writer = new FeatureBusWriter(sab, 48000, 512, 2048);
  const bank = new ParamBank();
  bank.register(defineParams('/scene/bench', decls()));
  const tick = new EngineTick(new FeatureBusReader(sab), bank);
  if (withRoutes) {
    const res = tick.modulation!.setRoutes(routes());
    const bad = res.filter((r) => !r.ok);
    if (bad.length > 0) throw new Error(`bench routes refused: ${JSON.stringify(bad[0].problems)}`);
  }
  const f = new Float32Array(FEATURE_COUNT);
  for (let i = 0; i < FEATURE_COUNT; i++) f[i] = 0.2 + 0.3 * Math.abs(Math.sin(i));
  f[F.loudness] = -12;
  f[F.tempo] = 124;
  f[F.tempoConfidence] = 0.8;
  for (let i = 0; i < MEL_BANDS; i++) f[F.mel + i] = 0.01 * (i + 1);
  const clock = new Float64Array(1);
  return (i: number) => {
    const t = (clock[0] += 1 / 60);
    if ((i & 1) === 0) {
      f[F.beatPhase] = (t * 124 / 60) % 1;
      f[F.bands3] = 0.3 + 0.2 * Math.sin(t * 7);
      writer.publish(f, t, (i & 31) === 0, t, 0.2, 0, 0);
    }
    tick.tick(t, t, 1280, 720);
  };
}

/** The naive peer: one object per route, a closure per source, string switches, a Map per frame. */
function naiveRig() {
  const bank = new ParamBank();
  bank.register(defineParams('/scene/bench', decls()));
  const smoothed = new Float32Array(FEATURE_COUNT);
  for (let i = 0; i < FEATURE_COUNT; i++) smoothed[i] = 0.2 + 0.3 * Math.abs(Math.sin(i));
  const inp: ModulationInputs & { beatPhase: number; beatCount: number } = { onset: 0.3, bandOnsets: new Float32Array([0.5, 0.2, 0.1]), beat: 0.5, beatPhase: 0, barPhase: 0, beatCount: 0, beatsPerBar: 4 };
  const sourceFn = (id: string): (() => number) => {
    const [head, a, b] = id.split(':');
    if (head === 'const') return () => Number(a);
    if (head === 'ext') return () => 0.5;
    if (head === 'onset') return () => (a === 'all' ? inp.onset : inp.bandOnsets[['low', 'mid', 'high'].indexOf(a)]);
    if (head === 'clock') return () => (a === 'beat' ? inp.beat : inp.barPhase);
    if (head === 'lfo') return () => {
      const p = (inp.beatCount + inp.beatPhase) % 1;
      return a === 'sine' ? 0.5 - 0.5 * Math.cos(2 * Math.PI * p) : a === 'square' ? (p < 0.5 ? 1 : 0) : p;
    };
    const col = FEATURE_COLUMNS.indexOf(head);
    return () => smoothed[col] + (b === 'raw' ? 0 : 0);
  };
  const list = routes().map((r) => ({ ...r, fn: sourceFn(r.source), state: 0 }));
  const descs = new Map(bank.describe().map((d) => [d.path, d]));
  const output = new Map<string, number>();
  const clock = new Float64Array(1);
  return (_i: number) => {
    const t = (clock[0] += 1 / 60);
    inp.beatPhase = (t * 2) % 1;
    inp.beatCount = Math.floor(t * 2);
    const sums = new Map<string, number>();
    for (const r of list) {
      let x = Math.min(1, Math.max(0, r.fn()));
      if (r.invert) x = 1 - x;
      switch (r.curve) {
        case 'exp': x = Math.expm1(4 * x) / Math.expm1(4); break;
        case 'log': x = 1 - Math.expm1(4 * (1 - x)) / Math.expm1(4); break;
        case 's-curve': x = x * x * (3 - 2 * x); break;
        case 'steps': x = Math.min(r.steps! - 1, Math.floor(x * r.steps!)) / (r.steps! - 1); break;
      }
      const tau = x > r.state ? r.attack! : r.release!;
      r.state = tau > 0 ? r.state + (x - r.state) * (1 - Math.exp(-(1 / 60) / tau)) : x;
      sums.set(r.target, (sums.get(r.target) ?? 0) + (r.offset ?? 0) + r.amount * r.state);
    }
    for (const [path, sum] of sums) {
      const d = descs.get(path)!;
      const base = toNormalized(d.curve, d.min, d.max, bank.getByPath(path) as number);
      output.set(path, fromNormalized(d.curve, d.min, d.max, Math.min(1, Math.max(0, base + sum))));
    }
  };
}

let gcCount = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ['gc'] });

async function measure(step: (i: number) => void): Promise<{ s: Summary; gcPer1k: number }> {
  for (let i = 0; i < WARMUP; i++) step(i);
  await new Promise((res) => setTimeout(res, 20));
  const gc0 = gcCount;
  const times = timeEach(FRAMES, (i) => step(WARMUP + i));
  await new Promise((res) => setTimeout(res, 20));
  for (let i = 0; i < times.length; i++) times[i] *= 1000; // ms -> µs
  return { s: summarize(times), gcPer1k: ((gcCount - gc0) * 1000) / FRAMES };
}

async function main(): Promise<void> {
  const rows: { name: string; s: Summary; gcPer1k: number }[] = [];
  rows.push({ name: `tick + ${ROUTES} routes`, ...(await measure(tickRig(true))) });
  rows.push({ name: 'tick, no routes (rest of the tick)', ...(await measure(tickRig(false))) });
  rows.push({ name: `naive object-per-route, ${ROUTES} routes (no tick)`, ...(await measure(naiveRig())) });
  gcObserver.disconnect();
  const modulation = rows[0].s.median - rows[1].s.median;
  const base = rows[0].s.median;
  const us = (v: number) => v.toFixed(2);
  console.log(`modulation: ${ROUTES} routes (${SOURCES.length} sources, ${CURVES.length} curves) onto ${PARAMS} parameters, ${FRAMES} frames, node ${process.version}`);
  console.log(
    formatTable(
      ['name', 'median µs', 'p99 µs', 'mean µs', 'ratio', 'gc/1k frames'],
      rows.map((r) => [r.name, us(r.s.median), us(r.s.p99), us(r.s.mean), (r.s.median / base).toFixed(2), r.gcPer1k.toFixed(1)]),
    ),
  );
  console.log(`modulation share of the tick (median difference): ${us(modulation)} µs; target: tick + ${ROUTES} routes ≤ 50 µs.`);
  console.log('ratio = median / median of the first row.');
}

await main();
