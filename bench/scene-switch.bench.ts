/**
 * The worst frame during a scene switch, relative to the median frame before it, with the
 * incoming scene precompiled (compiled one object per frame and rendered once off-screen before
 * its blend) and without (the peer: it compiles on its first visible frame), measured in one run.
 * Headless Chromium, software WebGL (SwiftShader), output pinned to 320×180 at pixel ratio 1, no
 * audio. Each round launches a fresh browser so no shader cache carries over; the variants
 * alternate. Frame cost as in scene-frames: from the frame's start to the end of its GPU work.
 *
 *   npx tsx bench/scene-switch.bench.ts     # env: ROUNDS=6, FROM=spectral-veil, TO=glass-forest, SIZE=320x180, TRACE=1 (per-frame cost and phase)
 */
import { frameCosts, launch, startServer, withRetries, withScenePage } from './scene-page.ts';
import { formatTable, summarize } from './stats.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const FROM = process.env.FROM ?? 'spectral-veil';
const TO = process.env.TO ?? 'glass-forest';
const [W, H] = (process.env.SIZE ?? '320x180').split('x').map(Number);
const TRACE = process.env.TRACE === '1';

interface Run {
  baseline: number[];
  during: number[];
  /** Transition phase at each frame of `during` (0 idle, 1xx preparing at stage xx of the scene stack, 2 waiting, 3 blending). */
  phases: number[];
  framesToReady: number;
}

async function measure(url: string, precompile: boolean): Promise<Run> {
  const browser = await launch();
  try {
    const opts = { query: `source=none&dpr=1&scene=${FROM}`, width: W, height: H, viewport: { width: 960, height: 540 }, ready: 'live' } as const;
    return await withScenePage(browser, url, opts, (page) =>
      frameCosts<Run>(
        page,
        `const host = globalThis.glassforest;
        const m = host.switcher.machine;
        host.switcher.precompile = ${precompile};
        const baseline = [];
        const during = [];
        const phases = [];
        let switchAt = -1;
        let requested = false;
        let framesToReady = -1;
        let after = 0;
        const startAt = performance.now() + 2000;`,
        `(cost) => {
          if (!requested) {
            baseline.push(cost);
            if (performance.now() > startAt) {
              requested = true;
              host.switchScene('${TO}', { transition: 'crossfade', durationSeconds: 1 });
              switchAt = 0;
            }
          } else {
            during.push(cost);
            phases.push(m.phase === 1 ? 100 + host.switcher.preparing : m.phase);
            switchAt++;
            if (framesToReady < 0 && m.phase === 3) framesToReady = switchAt;
            if (m.phase === 0 && m.from === '${TO}') after++;
          }
          // The frames after the blend count too: the outgoing scene unmounts then.
          return after > 20 || during.length > 2000 ? { baseline, during, phases, framesToReady } : undefined;
        }`,
      ),
    );
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { server, url } = await startServer();
  try {
    console.log(`scene switch ${FROM} -> ${TO} (crossfade 1 s), SwiftShader, ${W}x${H}, pixel ratio 1, ${ROUNDS} rounds per variant, fresh browser per round`);
    const variants = [
      { name: 'precompile on', precompile: true },
      { name: 'precompile off (peer)', precompile: false },
    ];
    const rows = new Map<string, { ratios: number[]; worst: number[]; medians: number[]; ready: number[]; overBlend: number[] }>(
      variants.map((v) => [v.name, { ratios: [], worst: [], medians: [], ready: [], overBlend: [] }]),
    );
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        await withRetries(`round ${r + 1} ${v.name}`, async () => {
          const run = await measure(url, v.precompile);
          const base = summarize(Float64Array.from(run.baseline)).median;
          const worst = summarize(Float64Array.from(run.during)).max;
          const row = rows.get(v.name)!;
          row.ratios.push(worst / base);
          row.worst.push(worst);
          row.medians.push(base);
          row.ready.push(run.framesToReady);
          // A blend frame draws both scenes, so it costs about their sum whatever is prepared: the
          // worst frame against the blend's own median says what the switch adds beyond that.
          const blend = run.during.filter((_c, i) => run.phases[i] === 3);
          const blendMedian = blend.length > 0 ? summarize(Float64Array.from(blend)).median : NaN;
          row.overBlend.push(worst / blendMedian);
          if (TRACE) process.stderr.write(`  ${v.name} frames (ms:phase): ${run.during.map((c, i) => `${c.toFixed(0)}:${run.phases[i]}`).join(' ')}\n`);
          process.stderr.write(`  round ${r + 1} ${v.name}: median ${base.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (x${(worst / base).toFixed(1)}; x${(worst / blendMedian).toFixed(1)} the median blend frame ${blendMedian.toFixed(1)} ms), blend visible after ${run.framesToReady} frames\n`);
        });
      }
    }
    const table = variants.map((v) => {
      const row = rows.get(v.name)!;
      const ratio = summarize(Float64Array.from(row.ratios));
      return [
        v.name,
        String(row.ratios.length),
        summarize(Float64Array.from(row.medians)).median.toFixed(1),
        summarize(Float64Array.from(row.worst)).median.toFixed(1),
        ratio.median.toFixed(1),
        ratio.max.toFixed(1),
        summarize(Float64Array.from(row.overBlend)).median.toFixed(1),
        summarize(Float64Array.from(row.ready)).median.toFixed(0),
      ];
    });
    console.log(formatTable(['variant', 'runs', 'median frame ms', 'worst frame ms (median of runs)', 'worst/median (median)', 'worst/median (max)', 'worst/median blend frame', 'frames to blend'], table));
    const on = summarize(Float64Array.from(rows.get(variants[0].name)!.ratios)).median;
    const off = summarize(Float64Array.from(rows.get(variants[1].name)!.ratios)).median;
    console.log(`\nworst-frame ratio, precompile on vs off: ${(on / off).toFixed(2)}`);
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
