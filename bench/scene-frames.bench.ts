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
import { launch, startServer } from '../e2e/harness.ts';
import { openFixturePage, registeredSceneIds } from '../e2e/fixture-kit.ts';
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

async function measure(browser: Browser, url: string, v: Variant, w: number, h: number): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: Math.max(960, w), height: Math.max(540, h) } });
  try {
    const page = await context.newPage();
    // Keep the page's WebGL context so a frame's GPU work can be waited for.
    await page.addInitScript(() => {
      const orig = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
        const ctx = (orig as (...a: unknown[]) => unknown).call(this, type, ...rest);
        if (type === 'webgl2' && ctx) (globalThis as any).__benchGl ??= ctx;
        return ctx;
      } as typeof orig;
    });
    // The output at exactly w×h, on top of the control view (set at every load, reloads included).
    const css = `.output{position:fixed!important;left:0;top:0;width:${w}px!important;height:${h}px!important;flex:none!important;z-index:1000} .start-overlay{display:none}`;
    await page.addInitScript((text) => {
      document.addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = text;
        document.head.append(style);
      });
    }, css);
    await page.goto(`${url}?source=none&dpr=1&scene=${v.scene}&fixture=${FIXTURE}&t=2`);
    await page.waitForFunction(() => (globalThis as any).glassforest?.fixture?.rendered > 3 && (globalThis as any).__benchGl, null, { timeout: 120_000 });
    if (v.set) await page.evaluate((set) => { for (const [p, x] of Object.entries(set)) (globalThis as any).glassforest.bank.setByPath(p, x); }, v.set);
    await page.waitForTimeout(1500);
    // A string, so the bundler's helper names never reach the page.
    return (await page.evaluate(`new Promise((resolve) => {
      const gl = globalThis.__benchGl;
      const px = new Uint8Array(4);
      const out = [];
      const end = performance.now() + ${MEASURE_MS};
      // Registered after the renderer's loop, so it runs after the scene's render each frame.
      const step = (frameStart) => {
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        out.push(performance.now() - frameStart);
        if (performance.now() < end) requestAnimationFrame(step);
        else resolve(out);
      };
      requestAnimationFrame(step);
    })`)) as number[];
  } finally {
    await context.close();
  }
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
          for (let attempt = 1; ; attempt++) {
            const t0 = Date.now();
            try {
              const got = await measure(browser, url, v, w, h);
              samples.get(v.name)!.push(...got);
              process.stderr.write(`  ${w}x${h} ${v.name}: ${got.length} frames (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
              break;
            } catch (err) {
              process.stderr.write(`  ${w}x${h} ${v.name}: attempt ${attempt} failed: ${String(err).split('\n')[0]}\n`);
              if (attempt >= 3) throw err;
            }
          }
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
