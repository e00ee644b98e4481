/**
 * The photosensitivity guard on the real output: a scene strobing black/white at the display
 * rate shows more than 3 flashes a second with the guard off, and at most 3 with it on (as
 * `?install` starts it), with the indicator lit. Luminance is read back from the canvas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, startServer, type TestServer } from './harness.ts';

const P = '/scene/isf-glass-ripple/';

let server: TestServer;
let url: string;
let browser: Browser;

/**
 * In the page: for `seconds`, flip the shader's invert input every frame and record the shown
 * picture's mean relative luminance (linear light) and time.
 */
const STROBE = (seconds: number) => `(async () => {
  const bank = globalThis.glassforest.bank;
  const id = bank.idOf('${P}invert');
  bank.set(bank.idOf('${P}speed'), 0);
  const src = document.querySelector('[data-testid="output"] canvas');
  const c = document.createElement('canvas');
  c.width = 32; c.height = 18;
  const g = c.getContext('2d', { willReadFrequently: true });
  const lin = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const out = { t: [], y: [], limiting: 0 };
  await new Promise((done) => {
    let start = -1, on = 0;
    const f = (ts) => {
      if (start < 0) start = ts;
      g.drawImage(src, 0, 0, 32, 18);
      const d = g.getImageData(0, 0, 32, 18).data;
      let s = 0;
      for (let i = 0; i < d.length; i += 4) s += 0.2126 * lin(d[i]) + 0.7152 * lin(d[i + 1]) + 0.0722 * lin(d[i + 2]);
      out.t.push((ts - start) / 1000);
      out.y.push(s / (d.length / 4));
      if (document.querySelector('[data-testid="flash-guard"]').dataset.state === 'limiting') out.limiting++;
      on = 1 - on;
      bank.set(id, on);
      if (ts - start < ${seconds * 1000}) requestAnimationFrame(f); else done();
    };
    requestAnimationFrame(f);
  });
  bank.set(id, 0);
  return out;
})()`;

/** Most flashes (pairs of opposing >= 0.1 swings, darker side < 0.8) in any one-second window. */
function maxFlashes(t: number[], y: number[]): number {
  let worst = 0;
  for (let s = 0; s < y.length; s++) {
    let n = 0;
    let lo = y[s];
    let hi = y[s];
    let dir = 0;
    for (let i = s + 1; i < y.length && t[i] - t[s] < 1; i++) {
      const v = y[i];
      if (dir >= 0 && hi - v >= 0.1 && v < 0.8) {
        n++;
        dir = -1;
        lo = hi = v;
      } else if (dir <= 0 && v - lo >= 0.1 && lo < 0.8) {
        n++;
        dir = 1;
        lo = hi = v;
      } else {
        hi = Math.max(hi, v);
        lo = Math.min(lo, v);
      }
    }
    worst = Math.max(worst, Math.floor(n / 2));
  }
  return worst;
}

async function open(query: string): Promise<{ page: Page; close: () => Promise<void>; errors: string[] }> {
  const { page, context, errors } = await openApp(browser, url, query);
  await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
  await page.addStyleTag({ content: '.output{position:fixed!important;left:0;top:0;width:320px!important;height:180px!important;flex:none!important;z-index:1000}' });
  return { page, errors, close: () => context.close() };
}

beforeAll(async () => {
  ({ server, url } = await startServer());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('photosensitivity guard', () => {
  it('holds a display-rate strobe to at most 3 flashes a second when on (?install), not when off', async () => {
    const { page, close, errors } = await open('?source=none&dpr=1&install&scene=isf-glass-ripple');
    expect(await page.evaluate(() => (globalThis as any).glassforest.bank.getByPath('/engine/flash-guard'))).toBe(true);
    const on = (await page.evaluate(STROBE(2.5))) as { t: number[]; y: number[]; limiting: number };
    const measureMs = Number(await page.$eval('[data-testid="frame-stats"]', (e) => (e as HTMLElement).dataset.guardMs));
    await page.evaluate(() => (globalThis as any).glassforest.bank.setByPath('/engine/flash-guard', false));
    const off = (await page.evaluate(STROBE(1.5))) as { t: number[]; y: number[]; limiting: number };
    const fps = (n: { t: number[] }) => (n.t.length / n.t[n.t.length - 1]).toFixed(1);
    console.log(`strobe: guard on ${maxFlashes(on.t, on.y)} flashes/s max at ${fps(on)} fps; off ${maxFlashes(off.t, off.y)} at ${fps(off)} fps; guard measure cost ${measureMs.toFixed(3)} ms/frame`);
    expect(maxFlashes(off.t, off.y), 'without the guard the strobe flashes').toBeGreaterThan(3);
    expect(maxFlashes(on.t, on.y)).toBeLessThanOrEqual(3);
    expect(on.limiting, 'the indicator shows the guard limiting').toBeGreaterThan(0);
    expect(Math.max(...on.y), 'the picture is still shown, not blacked out').toBeGreaterThan(0.05);
    // The control view's frame stats run beside it: fps and a frame-time graph.
    const statsFps = Number(await page.$eval('[data-testid="frame-stats"]', (e) => (e as HTMLElement).dataset.fps));
    expect(statsFps).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await close();
  });
});
