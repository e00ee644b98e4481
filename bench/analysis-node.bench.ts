/**
 * Per-hop analysis cost in Node: our Analyzer against Meyda (comparable features) and a
 * naive essentia.js pipeline (one wrapper call per algorithm, arrayToVector/vectorToArray),
 * all on the same frames. Run: npx tsx bench/analysis-node.bench.ts [--hops N]
 * Prints figures only; never passes or fails on time.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { RawEssentia } from '../workers/analysis/essentia-facade.ts';
import { loadEssentiaNode, loadEssentiaPackageNode } from '../workers/analysis/load-essentia-node.ts';
import { BENCH_DEFAULTS, benchSignal } from './bench-frames.ts';
import { formatTable, summarize, timeEach, type Summary } from './stats.ts';
import { VARIANT_NAMES, meydaRunner, naiveEssentiaRunner, oursRunner, type BenchInput, type HopRunner } from './variants.ts';

const argHops = process.argv.indexOf('--hops');
const HOPS = argHops > 0 ? Number(process.argv[argHops + 1]) : BENCH_DEFAULTS.hops;
const WARMUP = 200;
const { sampleRate: SR, frameSize: N, hopSize: H } = BENCH_DEFAULTS;

const input: BenchInput = { signal: benchSignal({ hops: HOPS + WARMUP }), sampleRate: SR, frameSize: N, hopSize: H };

let gcCount = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ['gc'] });

async function measure(r: HopRunner): Promise<{ s: Summary; gcPer1k: number }> {
  for (let i = 0; i < WARMUP; i++) r.step(i);
  await new Promise((res) => setTimeout(res, 20));
  const gc0 = gcCount;
  const times = timeEach(HOPS, (i) => r.step(WARMUP + i));
  await new Promise((res) => setTimeout(res, 20));
  return { s: summarize(times), gcPer1k: ((gcCount - gc0) * 1000) / HOPS };
}

async function main(): Promise<void> {
  const { Essentia, EssentiaWASM } = loadEssentiaPackageNode();
  const runners: HopRunner[] = [
    oursRunner(VARIANT_NAMES.ours, loadEssentiaNode(), input),
    oursRunner('  same, chroma+pitch every 2nd hop', loadEssentiaNode(), input, { chromaEvery: 2, pitchEvery: 2 }),
    oursRunner('  same, no chroma/pitch (light hop)', loadEssentiaNode(), input, { chromaEvery: 1e9, pitchEvery: 1e9 }),
    meydaRunner(input),
    naiveEssentiaRunner(new Essentia(EssentiaWASM) as RawEssentia, input),
  ];
  const results: { name: string; s: Summary; gcPer1k: number }[] = [];
  for (const r of runners) results.push({ name: r.name, ...(await measure(r)) });
  gcObserver.disconnect();
  const base = results[0].s.median;
  const ms = (v: number) => v.toFixed(3);
  console.log(`analysis per hop: ${SR} Hz, frame ${N}, hop ${H} (${((H / SR) * 1000).toFixed(1)} ms), ${HOPS} hops of chord + clicks + noise, node ${process.version}`);
  console.log(
    formatTable(
      ['name', 'median ms', 'p99 ms', 'mean ms', 'ratio', 'gc/1k hops'],
      results.map((r) => [r.name, ms(r.s.median), ms(r.s.p99), ms(r.s.mean), (r.s.median / base).toFixed(2), r.gcPer1k.toFixed(1)]),
    ),
  );
  console.log('ratio = median / median of the first row. Meyda has no pitch or onset function; its chroma is a filterbank, not HPCP.');
}

await main();
