/**
 * The page side of the scene benchmarks (scene-frames, scene-switch): the app in headless
 * Chromium with its output pinned at a fixed size on top of the control view, its WebGL context
 * kept, and a per-frame cost loop. A frame's cost is the time from the frame's start to the end
 * of its GPU work: a 1-pixel readPixels after the scene's render forces that work to finish.
 */
import type { Browser, Page } from 'playwright-core';

export { launch, startServer } from '../e2e/harness.ts';
import { pinOutputAtLoad } from '../e2e/harness.ts';

export interface ScenePageOptions {
  /** The app's query string, without the `?`. */
  query: string;
  /** Size of the pinned output, CSS pixels. */
  width: number;
  height: number;
  /** Browser viewport; 960×540 grown to hold the output when not given. */
  viewport?: { width: number; height: number };
  /** What must have drawn more than 3 frames before the page counts as ready: the fixture replay or the live render loop. */
  ready: 'fixture' | 'live';
  /** Parameter writes (path → value) once the page is ready. */
  set?: Record<string, number>;
}

/** How long a ready page runs (after `set`) before it is measured. */
const SETTLE_MS = 1500;

const READY = {
  fixture: 'globalThis.glassforest?.fixture?.rendered > 3 && globalThis.__benchGl',
  live: 'globalThis.glassforest?.frames > 3 && globalThis.__benchGl',
} as const;

/**
 * Page-side `__benchFrames(onFrame)`: from the next frame on, passes each frame's cost (ms) to
 * `onFrame` and resolves with the first thing it returns other than undefined. A string, so the
 * bundler's helper names never reach the page.
 */
const FRAME_LOOP = `globalThis.__benchFrames = (onFrame) => new Promise((resolve) => {
  const gl = globalThis.__benchGl;
  const px = new Uint8Array(4);
  // Registered after the renderer's loop, so it runs after the scene's render each frame.
  const step = (frameStart) => {
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const result = onFrame(performance.now() - frameStart);
    if (result === undefined) requestAnimationFrame(step);
    else resolve(result);
  };
  requestAnimationFrame(step);
});`;

/**
 * Open the app in a fresh context of `browser`, wait until it is ready and settled, run `use`
 * on the page and close the context.
 */
export async function withScenePage<T>(browser: Browser, url: string, o: ScenePageOptions, use: (page: Page) => Promise<T>): Promise<T> {
  const viewport = o.viewport ?? { width: Math.max(960, o.width), height: Math.max(540, o.height) };
  const context = await browser.newContext({ viewport });
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
    // The output at exactly width×height, on top of the control view (set at every load, reloads included).
    await pinOutputAtLoad(page, o.width, o.height);
    await page.addInitScript(FRAME_LOOP);
    await page.goto(`${url}?${o.query}`);
    await page.waitForFunction(READY[o.ready], null, { timeout: 120_000 });
    if (o.set) await page.evaluate((set) => { for (const [p, x] of Object.entries(set)) (globalThis as any).glassforest.bank.setByPath(p, x); }, o.set);
    await page.waitForTimeout(SETTLE_MS);
    return await use(page);
  } finally {
    await context.close();
  }
}

/**
 * Measure frame by frame in the page: `init` (page-side statements) runs first, then `onFrame`
 * (page-side source of `(cost) => result | undefined`, which sees `init`'s variables) runs at
 * every frame until it returns a result, which this resolves with.
 */
export async function frameCosts<T>(page: Page, init: string, onFrame: string): Promise<T> {
  return (await page.evaluate(`(() => {\n${init}\nreturn globalThis.__benchFrames(${onFrame});\n})()`)) as T;
}

/** Run `attempt` up to three times (a dev-server reload can cut a run short), reporting each failure on stderr under `label`. */
export async function withRetries<T>(label: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      process.stderr.write(`  ${label}: attempt ${n} failed: ${String(err).split('\n')[0]}\n`);
      if (n >= 3) throw err;
    }
  }
}
