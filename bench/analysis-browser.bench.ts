/**
 * Per-hop analysis cost in a Chromium module worker (where the live analysis runs) beside the
 * same variants in Node, measured in one run on the same frames: our Analyzer, Meyda and naive
 * essentia.js (bench/variants.ts). A Vite dev server with cross-origin isolation serves
 * bench/browser/; headless Chromium runs its worker. Run: npx tsx bench/analysis-browser.bench.ts [--hops N]
 * Prints figures only; never passes or fails on time.
 */
import { join } from 'node:path';
import { createServer } from 'vite';
import { ROOT, launch } from '../e2e/harness.ts';
import type { RawEssentia } from '../workers/analysis/essentia-facade.ts';
import { loadEssentiaNode, loadEssentiaPackageNode } from '../workers/analysis/load-essentia-node.ts';
import { BENCH_DEFAULTS, benchSignal } from './bench-frames.ts';
import type { BrowserBenchRequest, BrowserBenchResult } from './browser/protocol.ts';
import { formatTable, summarize, timeEach, type Summary } from './stats.ts';
import { VARIANT_NAMES, meydaRunner, naiveEssentiaRunner, oursRunner, signalChecksum, type BenchInput, type HopRunner } from './variants.ts';

const argHops = process.argv.indexOf('--hops');
const HOPS = argHops > 0 ? Number(process.argv[argHops + 1]) : BENCH_DEFAULTS.hops;
/** Hops run before timing, in both environments, so JS and WASM code is optimised. */
const WARMUP = 300;
const { sampleRate: SR, frameSize: N, hopSize: H } = BENCH_DEFAULTS;
/** Target for our Analyzer in the Chromium worker (median per hop). */
const TARGET_MEDIAN_MS = 0.4;
const BENCH_TIMEOUT_MS = 10 * 60_000;

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

interface Row {
  name: string;
  env: 'node' | 'chromium';
  s: Summary;
}

const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

async function measureNode(input: BenchInput): Promise<Row[]> {
  const { Essentia, EssentiaWASM } = loadEssentiaPackageNode();
  const runners: HopRunner[] = [
    oursRunner(VARIANT_NAMES.ours, loadEssentiaNode(), input),
    meydaRunner(input),
    naiveEssentiaRunner(new Essentia(EssentiaWASM) as RawEssentia, input),
  ];
  const rows: Row[] = [];
  let sink = 0;
  for (const r of runners) {
    for (let i = 0; i < WARMUP; i++) r.step(i);
    await pause(20);
    const times = timeEach(HOPS, (i) => r.step(WARMUP + i));
    await pause(20);
    sink += r.sink;
    rows.push({ name: r.name, env: 'node', s: summarize(times) });
  }
  if (!Number.isFinite(sink)) console.log('note: a Node variant produced non-finite output');
  return rows;
}

async function measureChromium(): Promise<{ result: BrowserBenchResult; version: string }> {
  const server = await createServer({
    configFile: false,
    root: join(ROOT, 'bench', 'browser'),
    // Its own dependency cache, so this bench never re-optimises the app's dev-server cache.
    cacheDir: join(ROOT, 'node_modules', '.vite-bench'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, headers: ISOLATION, fs: { allow: [ROOT] } },
    worker: { format: 'es' },
    // Pre-bundle the worker's dependencies up front: discovering them mid-run would reload the page.
    optimizeDeps: { entries: ['index.html', 'analysis-bench.worker.ts'] },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a local URL');
  const browser = await launch();
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof (globalThis as any).runAnalysisBench === 'function', null, { timeout: 60_000 });
    const request: BrowserBenchRequest = { hops: HOPS, warmup: WARMUP };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Chromium bench gave no result within ${BENCH_TIMEOUT_MS / 60_000} min`)), BENCH_TIMEOUT_MS);
    });
    try {
      const result = await Promise.race([page.evaluate((r) => (globalThis as any).runAnalysisBench(r) as Promise<BrowserBenchResult>, request), timeout]);
      return { result, version: browser.version() };
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    const detail = errors.length > 0 ? `\n${errors.join('\n')}` : '';
    throw new Error(`Chromium analysis bench failed: ${e instanceof Error ? e.message : String(e)}${detail}`, { cause: e });
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const input: BenchInput = { signal: benchSignal({ hops: HOPS + WARMUP }), sampleRate: SR, frameSize: N, hopSize: H };
  const nodeRows = await measureNode(input);
  const { result, version } = await measureChromium();
  const chromeRows: Row[] = result.rows.map((r) => ({ name: r.name, env: 'chromium', s: r.summary }));

  // Side by side: each variant's Node row, then its Chromium row; ratio is to ours in the same environment.
  const oursMedian = (rows: Row[]) => rows.find((r) => r.name === VARIANT_NAMES.ours)?.s.median ?? Number.NaN;
  const base = { node: oursMedian(nodeRows), chromium: oursMedian(chromeRows) };
  const table: Row[] = [];
  for (const n of nodeRows) {
    table.push(n);
    const c = chromeRows.find((r) => r.name === n.name);
    if (c) table.push(c);
  }
  const ms = (v: number) => v.toFixed(3);
  const nodeSum = signalChecksum(input.signal);
  console.log(`analysis per hop, node vs chromium worker: ${SR} Hz, frame ${N}, hop ${H} (${((H / SR) * 1000).toFixed(1)} ms), ${HOPS} hops (+${WARMUP} warm-up) of chord + clicks + noise`);
  console.log(`node ${process.version}; chromium ${version} (module worker, crossOriginIsolated ${result.crossOriginIsolated}, timer step ${(result.timerStepMs * 1000).toFixed(1)} µs, essentia.js load ${result.essentiaLoadMs.toFixed(0)} ms)`);
  console.log(`frames: node ${nodeSum}, chromium ${result.signalChecksum} (${nodeSum === result.signalChecksum ? 'identical' : 'DIFFERENT'})`);
  console.log(
    formatTable(
      ['name', 'env', 'median ms', 'p99 ms', 'mean ms', 'ratio'],
      table.map((r) => [r.name, r.env, ms(r.s.median), ms(r.s.p99), ms(r.s.mean), (r.s.median / base[r.env]).toFixed(2)]),
    ),
  );
  console.log('ratio = median / median of our Analyzer in the same environment.');
  const ours = chromeRows.find((r) => r.name === VARIANT_NAMES.ours);
  const meyda = chromeRows.find((r) => r.name === VARIANT_NAMES.meyda);
  if (ours) {
    console.log(`target: ours median <= ${TARGET_MEDIAN_MS.toFixed(3)} ms in the chromium worker: ${ms(ours.s.median)} ms (${ours.s.median <= TARGET_MEDIAN_MS ? 'met' : 'NOT met'})`);
  }
  if (ours && meyda) {
    console.log(`target: ours faster than Meyda in the chromium worker: ${ms(ours.s.median)} vs ${ms(meyda.s.median)} ms median (${ours.s.median < meyda.s.median ? 'met' : 'NOT met'}, Meyda/ours ${(meyda.s.median / ours.s.median).toFixed(2)}x)`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
