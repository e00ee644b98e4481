/**
 * Frame cost of the engine with 0, 1 and 2 projector output windows open, in headless Chromium's
 * software WebGL (SwiftShader). The control view runs the spectral veil on the dance fixture (from
 * 2 s in) with the engine at the outputs' resolution (the output pinned to it when none is open),
 * and each output draws the engine's frame through an identity mapping. A frame's cost is the time
 * from its start to the end of the engine's GPU work (a 1-pixel readPixels after the render, as in
 * scene-frames.bench.ts); the output draws happen inside that frame (the last after-effect), so
 * their upload of the engine canvas is included. The interval between frames is printed too.
 *
 *   npx tsx bench/outputs.bench.ts        # env: MEASURE_MS=6000, ROUNDS=2, SIZE=320x180, SCENE=spectral-veil
 */
import type { Browser, Page } from 'playwright-core';
import { frameCosts, launch, startServer, withRetries, withScenePage } from './scene-page.ts';
import { formatTable, summarize } from './stats.ts';

const MEASURE_MS = Number(process.env.MEASURE_MS ?? 6000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const [W, H] = (process.env.SIZE ?? '320x180').split('x').map(Number);
const SCENE = process.env.SCENE ?? 'spectral-veil';
const COUNTS = [0, 1, 2] as const;

async function openOutputs(page: Page, n: number): Promise<void> {
  for (let k = 0; k < n; k++) {
    const id = await page.evaluate(
      ([w, h]) => {
        const m = (globalThis as any).glassforestOutputs;
        const id = m.add();
        m.update(id, (s: any) => void (s.output = { width: w, height: h }));
        return id as string;
      },
      [W, H],
    );
    // The pinned output covers the panel: focus its Open button and press Enter (a real gesture, so no popup blocker).
    await page.focus(`[data-testid="output-${id}"] button:has-text("Open")`);
    await Promise.all([page.context().waitForEvent('page', { timeout: 60_000 }), page.keyboard.press('Enter')]);
    await page.waitForFunction((i) => (globalThis as any).glassforestOutputs.frames(i) > 10, id, { timeout: 120_000 });
  }
  await page.waitForTimeout(1000);
}

async function measure(browser: Browser, url: string, n: number): Promise<{ cost: number[]; interval: number[] }> {
  const query = `source=none&dpr=1&scene=${SCENE}&fixture=dance&t=2&keyframes=none&fresh`;
  return withScenePage(browser, url, { query, width: W, height: H, viewport: { width: W + 420, height: Math.max(H, 720) }, ready: 'fixture' }, async (page) => {
    await openOutputs(page, n);
    return frameCosts<{ cost: number[]; interval: number[] }>(
      page,
      `const cost = [];
      const interval = [];
      let last = 0;
      const end = performance.now() + ${MEASURE_MS};`,
      `(c) => {
        const now = performance.now();
        cost.push(c);
        if (last > 0) interval.push(now - last);
        last = now;
        return now < end ? undefined : { cost, interval };
      }`,
    );
  });
}

async function main(): Promise<void> {
  const { server, url } = await startServer();
  const browser = await launch();
  try {
    console.log(`engine frame cost with projector outputs, SwiftShader, scene ${SCENE}, engine and outputs at ${W}x${H}, ${ROUNDS} rounds of ${MEASURE_MS} ms`);
    const cost = new Map<number, number[]>(COUNTS.map((n) => [n, []]));
    const interval = new Map<number, number[]>(COUNTS.map((n) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? COUNTS : [...COUNTS].reverse();
      for (const n of order) {
        await withRetries(`${n} outputs`, async () => {
          const got = await measure(browser, url, n);
          cost.get(n)!.push(...got.cost);
          interval.get(n)!.push(...got.interval);
          process.stderr.write(`  ${n} outputs: ${got.cost.length} frames\n`);
        });
      }
    }
    const base = summarize(Float64Array.from(cost.get(0)!)).median;
    const rows = COUNTS.map((n) => {
      const s = summarize(Float64Array.from(cost.get(n)!));
      const i = summarize(Float64Array.from(interval.get(n)!));
      return [String(n), String(s.n), s.median.toFixed(2), s.p99.toFixed(2), (s.median / base).toFixed(2), i.median.toFixed(2), i.p99.toFixed(2)];
    });
    console.log(formatTable(['outputs', 'frames', 'median ms', 'p99 ms', 'x 0 outputs', 'interval median', 'interval p99'], rows));
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
