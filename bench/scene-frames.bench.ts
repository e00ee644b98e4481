/**
 * Frame cost of every registered scene (as the page's scene picker lists them, plus the named
 * variants below) in headless Chromium's software WebGL (SwiftShader), at 320×180 and 1280×720,
 * as relative cost between scenes measured in one run. The app runs with a fixed pixel ratio,
 * no audio source, and replays the dance feature fixture on the fixed frame clock (from 2 s in),
 * so every scene gets the same realistic, repeatable sound load. Each frame's cost is the time
 * from the frame's start to the end of its GPU work (a 1-pixel readPixels after the scene's
 * render forces it). Prints median and p99 per scene and the ratio of medians to the spectral veil.
 *
 *   npx tsx bench/scene-frames.bench.ts        # env: MEASURE_MS=3000, ROUNDS=2, SIZES=320x180,1280x720, FIXTURE=dance, SCENES=id,id
 */
import type { Browser } from 'playwright-core';
import { openFixturePage, registeredSceneIds } from '../e2e/fixture-kit.ts';
import { frameCosts, launch, startServer, withRetries, withScenePage } from './scene-page.ts';
import { formatTable, summarize } from './stats.ts';

const MEASURE_MS = Number(process.env.MEASURE_MS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
/** SIZES=320x180,1280x720 (default both). */
const SIZES: readonly [number, number][] = (process.env.SIZES ?? '320x180,1280x720').split(',').map((s) => s.split('x').map(Number) as [number, number]);

interface Variant {
  name: string;
  scene: string;
  /** Parameter writes before measuring (path → value). */
  set?: Record<string, number>;
}

const FIXTURE = process.env.FIXTURE ?? 'dance';
/** Scenes not measured on their own: the loaded-ISF slot plays the first bundled file until one is loaded. */
const SKIP = new Set(['isf-file']);

/** Variants measured besides every registered scene (a plain scene line here is covered anyway). */
const VARIANTS: readonly Variant[] = [
  { name: 'spectral-veil', scene: 'spectral-veil' },
  { name: 'glass-forest', scene: 'glass-forest' },
  { name: 'glass-forest (no trees)', scene: 'glass-forest', set: { '/scene/glass-forest/trees': 0 } },
  { name: 'glass-forest (300 trees)', scene: 'glass-forest', set: { '/scene/glass-forest/trees': 300 } },
  { name: 'memory-haze (12 fragments)', scene: 'memory-haze', set: { '/scene/memory-haze/fragments': 12 } },
  { name: 'crowd (600 figures, all on the move)', scene: 'crowd', set: { '/scene/crowd/figures': 600, '/scene/crowd/density': 1 } },
  { name: 'night-road (driving, rain, 6 signs)', scene: 'night-road', set: { '/scene/night-road/throttle': 1, '/scene/night-road/rain': 1, '/scene/night-road/signs': 1 } },
  { name: 'breath (fogged, drops)', scene: 'breath', set: { '/scene/breath/breath': 0.5, '/scene/breath/drops': 1 } },
];

function measure(browser: Browser, url: string, v: Variant, w: number, h: number): Promise<number[]> {
  const query = `source=none&dpr=1&scene=${v.scene}&fixture=${FIXTURE}&t=2`;
  return withScenePage(browser, url, { query, width: w, height: h, ready: 'fixture', set: v.set }, (page) =>
    frameCosts<number[]>(
      page,
      `const out = [];
      const end = performance.now() + ${MEASURE_MS};`,
      `(cost) => {
        out.push(cost);
        return performance.now() < end ? undefined : out;
      }`,
    ),
  );
}

async function main(): Promise<void> {
  const { server, url } = await startServer();
  const browser = await launch();
  try {
    const probe = await openFixturePage(browser, url, { scene: '', fixture: FIXTURE, width: 320, height: 180 });
    const registered = await registeredSceneIds(probe.page);
    await probe.context.close();
    const only = process.env.SCENES ? new Set(process.env.SCENES.split(',')) : null;
    const scenes = registered.filter((id) => !SKIP.has(id) && (!only || only.has(id)));
    const all: Variant[] = scenes.map((id) => ({ name: id, scene: id }));
    for (const v of VARIANTS) if (!all.some((a) => a.name === v.name) && (!only || only.has(v.scene))) all.push(v);
    if (!all.some((v) => v.name === 'spectral-veil')) all.unshift({ name: 'spectral-veil', scene: 'spectral-veil' });
    console.log(`scene frame cost, SwiftShader, fixed pixel ratio 1, fixture "${FIXTURE}" from 2 s, ${ROUNDS} rounds of ${MEASURE_MS} ms per scene and size`);
    for (const [w, h] of SIZES) {
      const samples = new Map<string, number[]>(all.map((v) => [v.name, []]));
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate the order so a change in machine load hits every scene alike.
        const order = r % 2 === 0 ? all : [...all].reverse();
        for (const v of order) {
          // A dev-server reload (files changing) can cut a measurement short: try again.
          await withRetries(`${w}x${h} ${v.name}`, async () => {
            const t0 = Date.now();
            const got = await measure(browser, url, v, w, h);
            samples.get(v.name)!.push(...got);
            process.stderr.write(`  ${w}x${h} ${v.name}: ${got.length} frames (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
          });
        }
      }
      const peer = summarize(Float64Array.from(samples.get('spectral-veil')!)).median;
      const rows = all.map((v) => {
        const s = summarize(Float64Array.from(samples.get(v.name)!));
        return [v.name, String(s.n), s.median.toFixed(2), s.p99.toFixed(2), (s.median / peer).toFixed(2)];
      });
      console.log(`\n${w}x${h}`);
      console.log(formatTable(['scene', 'frames', 'median ms', 'p99 ms', 'x veil'], rows));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
