/**
 * Bench worker: times our Analyzer, Meyda and naive essentia.js per hop inside a Chromium
 * module worker (the thread the live analysis runs on), on the frames the Node bench uses.
 */
import { loadEssentiaWeb } from '../../workers/analysis/load-essentia-web.ts';
import { BENCH_DEFAULTS, benchSignal } from '../bench-frames.ts';
import { summarize, timeEach } from '../stats.ts';
import { VARIANT_NAMES, meydaRunner, naiveEssentiaRunner, oursRunner, signalChecksum, type BenchInput, type HopRunner } from '../variants.ts';
import type { BrowserBenchReply, BrowserBenchRequest, BrowserBenchRow } from './protocol.ts';

function timerStep(): number {
  let best = Infinity;
  for (let k = 0; k < 50; k++) {
    const t0 = performance.now();
    let t1 = t0;
    while (t1 === t0) t1 = performance.now();
    if (t1 - t0 < best) best = t1 - t0;
  }
  return best;
}

const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

async function run(req: BrowserBenchRequest): Promise<BrowserBenchReply> {
  const { sampleRate, frameSize, hopSize } = BENCH_DEFAULTS;
  const t0 = performance.now();
  const essentia = await loadEssentiaWeb();
  const essentiaLoadMs = performance.now() - t0;
  const input: BenchInput = { signal: benchSignal({ hops: req.hops + req.warmup }), sampleRate, frameSize, hopSize };
  const runners: HopRunner[] = [oursRunner(VARIANT_NAMES.ours, essentia, input), meydaRunner(input), naiveEssentiaRunner(essentia.raw, input)];
  const rows: BrowserBenchRow[] = [];
  let sink = 0;
  for (const r of runners) {
    for (let i = 0; i < req.warmup; i++) r.step(i);
    await pause(20);
    const times = timeEach(req.hops, (i) => r.step(req.warmup + i));
    await pause(20);
    sink += r.sink;
    rows.push({ name: r.name, summary: summarize(times) });
  }
  return {
    ok: true,
    result: {
      userAgent: navigator.userAgent,
      crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
      timerStepMs: timerStep(),
      essentiaLoadMs,
      signalChecksum: signalChecksum(input.signal),
      sink,
      rows,
    },
  };
}

self.onmessage = (ev: MessageEvent<BrowserBenchRequest>) => {
  run(ev.data).then(
    (reply) => self.postMessage(reply),
    (err: unknown) => self.postMessage({ ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) } satisfies BrowserBenchReply),
  );
};
