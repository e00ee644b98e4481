/**
 * Texture keyframes, in one run:
 * 1. Blend cost per frame (Node): the deck's blend (pad, crossfader, sequencer, sound-follow at
 *    a 50% mix) plus its top-4 pick, for sets of 8 and 64 keyframes, against a naive blend doing
 *    the same arithmetic with arrays and objects made every frame (the peer).
 * 2. Loading a set while the glass forest plays (headless Chromium, software WebGL, output
 *    320×180): GPU memory of the set, time from the request to the swap, and the worst frame
 *    while loading relative to the median frame before it, uploading one layer per frame (ours)
 *    against the whole set in one frame once every image is decoded (the peer). Fresh browser per round.
 *
 *   npx tsx bench/keyframes.bench.ts      # env: ROUNDS=3, FRAMES=20000, SET=archive-haze, TRACE=1 (per-frame cost while loading)
 * Prints figures only; never passes or fails on time.
 */
import { BeatClock } from '../engine/clock/index.ts';
import { FEATURE_COUNT } from '../engine/features/layout.ts';
import { KeyframeDeck } from '../engine/keyframes/deck.ts';
import { formatBytes } from '../engine/keyframes/manifest.ts';
import { ParamBank } from '../engine/params/index.ts';
import { StandardUniforms } from '../engine/uniforms.ts';
import { frameCosts, launch, startServer, withRetries, withScenePage } from './scene-page.ts';
import { formatTable, summarize, timeEach } from './stats.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const FRAMES = Number(process.env.FRAMES ?? 20_000);
const SET = process.env.SET ?? 'archive-haze';
const TRACE = process.env.TRACE === '1';

// ---------------------------------------------------------------- blend cost

/** The peer: the same blend written the easy way, allocating its arrays and objects every frame. */
function naiveBlend(pads: [number, number][], sigs: number[][], x: number, y: number, live: number[], mix: number, temperature: number): { index: number; weight: number }[] {
  const pad = pads.map(([px, py]) => 1 / Math.max(1e-9, (px - x) ** 2 + (py - y) ** 2));
  const padSum = pad.reduce((a, b) => a + b, 0);
  const sim = sigs.map((s) => Math.exp(-s.reduce((a, v, f) => a + (v - live[f]) ** 2, 0) / s.length / temperature));
  const simSum = sim.reduce((a, b) => a + b, 0);
  const w = pad.map((p, i) => (1 - mix) * (p / padSum) + mix * (sim[i] / simSum));
  return w
    .map((weight, index) => ({ index, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 4);
}

function blendFigures(): string[][] {
  const rows: string[][] = [];
  for (const n of [8, 64]) {
    const pads = Array.from({ length: n }, (_, i): [number, number] => [0.5 + 0.4 * Math.cos((i * 2 * Math.PI) / n), 0.5 + 0.4 * Math.sin((i * 2 * Math.PI) / n)]);
    const sigs = Array.from({ length: n }, (_, i) => [0, 1, 2, 3, 4].map((f) => ((i * 7 + f * 3) % 11) / 10));
    const bank = new ParamBank();
    const deck = new KeyframeDeck(bank);
    deck.setKeyframes(
      pads.map((pad, i) => ({ pad, signature: { loudness: sigs[i][0], centroid: sigs[i][1], onsetRate: sigs[i][2], low: sigs[i][3], pitchConfidence: sigs[i][4] } })),
      Int32Array.from({ length: n }, (_, i) => i),
      1,
    );
    const b = deck.blend;
    const liveIn = new Float32Array(5);
    const topIdx = new Int32Array(4);
    const topW = new Float32Array(4);
    const live = [0, 0, 0, 0, 0];
    for (const mode of ['pad', 'sequencer'] as const) {
      b.mode = mode;
      b.soundMix = 0.5;
      b.temperature = 0.02;
      // The same work as the peer: cursor and live features move, weights and the top 4 come out.
      const run = (i: number) => {
        b.padX = 0.5 + 0.45 * Math.sin(i * 0.02);
        liveIn[0] = 0.5 + 0.4 * Math.sin(i * 0.01);
        liveIn[1] = 0.5 + 0.4 * Math.cos(i * 0.013);
        b.frameDt = 1 / 60;
        b.frameBeat = i / 30;
        b.advance(true, liveIn);
        b.topK(4, topIdx, topW);
      };
      timeEach(5000, run);
      const ours = summarize(timeEach(FRAMES, run));
      const peerRun = (i: number) => {
        live[0] = 0.5 + 0.4 * Math.sin(i * 0.01);
        live[1] = 0.5 + 0.4 * Math.cos(i * 0.013);
        naiveBlend(pads, sigs, 0.5 + 0.45 * Math.sin(i * 0.02), 0.5, live, 0.5, 0.02);
      };
      timeEach(5000, peerRun);
      const peer = summarize(timeEach(FRAMES, peerRun));
      rows.push([`${n} keyframes, ${mode} + sound 50%`, (ours.median * 1000).toFixed(2), (ours.p99 * 1000).toFixed(2), (peer.median * 1000).toFixed(2), (peer.p99 * 1000).toFixed(2), (peer.median / ours.median).toFixed(1)]);
    }
    // The whole per-frame deck step (parameters read from the bank, live signature, blend, uniforms).
    const u = new StandardUniforms();
    const clock = new BeatClock();
    clock.setTempo(124, 0);
    clock.update(1);
    const smoothed = new Float32Array(FEATURE_COUNT);
    const frame = (i: number) => deck.frame(1 / 60, u, clock, i >> 3, smoothed);
    timeEach(5000, frame);
    const whole = summarize(timeEach(FRAMES, frame));
    rows.push([`${n} keyframes, whole deck frame`, (whole.median * 1000).toFixed(2), (whole.p99 * 1000).toFixed(2), '–', '–', '–']);
  }
  return rows;
}

// ---------------------------------------------------------------- set loading

interface LoadRun {
  baseline: number[];
  during: number[];
  /** Layers on the GPU after each frame of `during`. */
  stages: number[];
  loadMs: number;
  bytes: number;
  size: string;
  layers: number;
}

async function loadRun(url: string, layersPerPump: number): Promise<LoadRun> {
  const browser = await launch();
  try {
    const opts = { query: 'source=none&dpr=1&scene=glass-forest&keyframes=glass-dusk', width: 320, height: 180, viewport: { width: 960, height: 540 }, ready: 'live' } as const;
    return await withScenePage(browser, url, opts, async (page) => {
      await page.waitForFunction(() => (globalThis as any).glassforest.keyframes.status().phase === 'ready', null, { timeout: 60_000 });
      return frameCosts<LoadRun>(
        page,
        `const k = globalThis.glassforest.keyframes;
        k.gpu.layersPerPump = ${layersPerPump};
        const baseline = [];
        const during = [];
        const stages = [];
        let state = 0;
        let done = null;
        const startAt = performance.now() + 2000;`,
        `(cost) => {
          if (state === 0) {
            baseline.push(cost);
            if (performance.now() > startAt) {
              state = 1;
              k.load('${SET}').then((ok) => { done = ok; });
            }
          } else if (state === 1) {
            during.push(cost);
            stages.push(k.gpu.status().loaded);
            if (done !== null) state = 2;
          } else {
            const cur = k.gpu.current;
            return { baseline, during, stages, loadMs: cur.loadMs, bytes: cur.bytes, size: cur.width + 'x' + cur.height, layers: cur.slots.length };
          }
          return during.length > 3000 ? { baseline, during, stages, loadMs: NaN, bytes: 0, size: '', layers: 0 } : undefined;
        }`,
      );
    });
  } finally {
    await browser.close();
  }
}

async function loadFigures(): Promise<{ table: string; memory: string; ratio: number }> {
  const { server, url } = await startServer();
  try {
    const variants = [
      { name: 'one layer per frame', perPump: 1 },
      { name: 'whole set in one frame (peer)', perPump: 0 },
    ];
    const rows = new Map(variants.map((v) => [v.name, { ratios: [] as number[], worst: [] as number[], medians: [] as number[], loads: [] as number[], spread: [] as number[] }]));
    let memory = '';
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        await withRetries(`round ${r + 1} ${v.name}`, async () => {
          const run = await loadRun(url, v.perPump);
          const base = summarize(Float64Array.from(run.baseline)).median;
          const worst = summarize(Float64Array.from(run.during)).max;
          // The same number of frames just before the load: how slow a frame gets with no load at all.
          const quiet = summarize(Float64Array.from(run.baseline.slice(-Math.max(1, run.during.length)))).max;
          const row = rows.get(v.name)!;
          row.ratios.push(worst / base);
          row.spread.push(worst / quiet);
          row.worst.push(worst);
          row.medians.push(base);
          row.loads.push(run.loadMs);
          if (TRACE) process.stderr.write(`  ${v.name} baseline tail ${run.baseline.slice(-8).map((c) => c.toFixed(0)).join(' ')}; frames while loading (ms:layers up): ${run.during.map((c, i) => `${c.toFixed(0)}:${run.stages[i]}`).join(' ')}\n`);
          memory = `${run.layers} keyframes at ${run.size}: ${formatBytes(run.bytes)} of GPU memory (RGBA8 texture array, no mipmaps)`;
          process.stderr.write(`  round ${r + 1} ${v.name}: median ${base.toFixed(1)} ms, worst while loading ${worst.toFixed(1)} ms (x${(worst / base).toFixed(2)}; x${(worst / quiet).toFixed(2)} the worst of as many frames before it), load ${run.loadMs.toFixed(0)} ms over ${run.during.length} frames\n`);
        });
      }
    }
    const table = formatTable(
      ['variant', 'runs', 'median frame ms', 'worst frame while loading ms', 'worst/median (median)', 'worst/median (max)', 'worst/worst of as many frames before (median)', 'load ms (median)'],
      variants.map((v) => {
        const row = rows.get(v.name)!;
        const ratio = summarize(Float64Array.from(row.ratios));
        return [v.name, String(row.ratios.length), summarize(Float64Array.from(row.medians)).median.toFixed(1), summarize(Float64Array.from(row.worst)).median.toFixed(1), ratio.median.toFixed(2), ratio.max.toFixed(2), summarize(Float64Array.from(row.spread)).median.toFixed(2), summarize(Float64Array.from(row.loads)).median.toFixed(0)];
      }),
    );
    const ours = summarize(Float64Array.from(rows.get(variants[0].name)!.ratios)).median;
    const peer = summarize(Float64Array.from(rows.get(variants[1].name)!.ratios)).median;
    return { table, memory, ratio: ours / peer };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(`keyframe blend per frame (Node ${process.version}), ${FRAMES} frames each, µs`);
  console.log(formatTable(['blend', 'ours median', 'ours p99', 'naive median', 'naive p99', 'naive/ours'], blendFigures()));
  console.log(`\nloading set "${SET}" while the glass forest plays (set glass-dusk on screen), SwiftShader, 320x180, ${ROUNDS} rounds per variant`);
  const l = await loadFigures();
  console.log(l.table);
  console.log(`\nGPU memory: ${l.memory}`);
  console.log(`worst-frame ratio while loading, one layer per frame vs whole set at once: ${l.ratio.toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
