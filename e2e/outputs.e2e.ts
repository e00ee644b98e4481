/**
 * Projector output windows (app/output/): real popups of the built app in headless Chromium, each
 * drawing through its own WebGL2 context. Pixels are read from the output canvases right after the
 * control view drew them (the manager's capture hook: a readPixels in the same frame), and from
 * the engine's canvas in the same frame.
 *
 * The control view runs in fixture mode with frozen time, a light scene and 320×180 outputs, so
 * every picture is deterministic and cheap on software GL.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHomography, defaultMappingSettings, fitTransform, maskCoverage, maskPolygon, polygonEdgeDistance, softEdgeValue, squareToQuadHomography, testPatternColour } from '../engine/mapping/index.ts';
import { openFixturePage } from './fixture-kit.ts';
import { messages, startAppSession, type AppSession } from './harness.ts';

const W = 320;
const H = 180;

let app: AppSession;
let page: Page;
let context: BrowserContext;
let errors: string[];
const popups = new Map<string, Page>();

beforeAll(async () => {
  app = await startAppSession();
  ({ page, context, errors } = await openFixturePage(app.browser, app.url, { scene: 'spectral-veil', fixture: 'dance', t: 4, freeze: true, width: W, height: H }));
  await page.waitForFunction(() => (globalThis as any).glassforest.fixture.rendered > 3 && (globalThis as any).glassforestOutputs, null, { timeout: 90_000 });
});

afterAll(async () => {
  await context?.close();
  await app?.close();
});

/** Adds an output configured at W×H (through the manager), then opens it by clicking its row's Open button. */
async function addAndOpen(): Promise<string> {
  const id = await page.evaluate(
    ([w, h]) => {
      const m = (globalThis as any).glassforestOutputs;
      const id = m.add();
      m.update(id, (s: any) => void (s.output = { width: w, height: h }));
      return id as string;
    },
    [W, H],
  );
  await openById(id);
  return id;
}

async function openById(id: string): Promise<Page> {
  const [popup] = await Promise.all([context.waitForEvent('page', { timeout: 60_000 }), page.click(`[data-testid="output-${id}"] button:has-text("Open")`)]);
  popup.on('pageerror', (e) => errors.push(`output ${id}: ${e.message}`));
  popups.set(id, popup);
  await waitFrames(id, 3);
  return popup;
}

async function framesOf(id: string): Promise<number> {
  return page.evaluate((i) => (globalThis as any).glassforestOutputs.frames(i) as number, id);
}

/** Waits until output `id` has drawn `n` more frames than now. */
async function waitFrames(id: string, n: number): Promise<void> {
  const start = Math.max(0, await framesOf(id));
  await page.waitForFunction(([i, s, k]) => (globalThis as any).glassforestOutputs.frames(i) >= (s as number) + (k as number), [id, start, n] as const, { timeout: 90_000, polling: 50 });
}

interface Picture {
  width: number;
  height: number;
  /** RGBA, rows from the bottom. */
  px: Buffer;
}

/** The named outputs' next frame and the engine canvas's same frame. */
async function capture(ids: string[]): Promise<{ outputs: Picture[]; engine: Picture }> {
  const r = await page.evaluate(async (list) => {
    const m = (globalThis as any).glassforestOutputs;
    const outs = await Promise.all(list.map((id: string) => m.capture(id)));
    // Still the same task as the draw (microtasks after the after-effect): the engine canvas holds that frame.
    const src = document.querySelector('[data-testid="output"] canvas') as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    // Bottom-up rows, like readPixels.
    const flipped = new Uint8Array(d.length);
    const row = c.width * 4;
    for (let y = 0; y < c.height; y++) flipped.set(d.subarray((c.height - 1 - y) * row, (c.height - y) * row), y * row);
    let s = '';
    for (let i = 0; i < flipped.length; i += 0x8000) s += String.fromCharCode.apply(null, flipped.subarray(i, i + 0x8000) as unknown as number[]);
    return { outs, engine: { width: c.width, height: c.height, rgba: btoa(s) } };
  }, ids);
  const dec = (p: { width: number; height: number; rgba: string }): Picture => ({ width: p.width, height: p.height, px: Buffer.from(p.rgba, 'base64') });
  return { outputs: r.outs.map(dec), engine: dec(r.engine) };
}

/** Largest and mean absolute difference over the RGB channels. */
function diff(a: Picture, b: Picture): { max: number; mean: number } {
  expect(a.width).toBe(b.width);
  expect(a.height).toBe(b.height);
  let max = 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.px.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.px[i + c] - b.px[i + c]);
      if (d > max) max = d;
      sum += d;
      n++;
    }
  }
  return { max, mean: sum / n };
}

function lumaStd(p: Picture): number {
  const v: number[] = [];
  for (let i = 0; i < p.px.length; i += 4) v.push(0.2126 * p.px[i] + 0.7152 * p.px[i + 1] + 0.0722 * p.px[i + 2]);
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
}

/** Bilinear sample of channel c at texture coordinate (s, t) (texel centres at (i + 0.5) / size, edges clamped), as the GPU filters. */
function sample(p: Picture, s: number, t: number, c: number): number {
  const x = s * p.width - 0.5;
  const y = t * p.height - 0.5;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (i: number, j: number): number => p.px[4 * (Math.min(p.height - 1, Math.max(0, j)) * p.width + Math.min(p.width - 1, Math.max(0, i))) + c];
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/**
 * Compares an output with the engine's picture as seen through the fit transform k: the largest
 * and mean difference where the transform lands inside the picture, and the largest value where
 * it lands outside (contain's bars).
 */
function compareFit(out: Picture, engine: Picture, k: ArrayLike<number>): { max: number; mean: number; inside: number; outsideMax: number } {
  let max = 0;
  let sum = 0;
  let inside = 0;
  let outsideMax = 0;
  for (let j = 0; j < out.height; j++) {
    for (let i = 0; i < out.width; i++) {
      const s = ((i + 0.5) / out.width) * k[0] + k[2];
      const t = ((j + 0.5) / out.height) * k[1] + k[3];
      const o = 4 * (j * out.width + i);
      if (s < 0 || s > 1 || t < 0 || t > 1) {
        outsideMax = Math.max(outsideMax, out.px[o], out.px[o + 1], out.px[o + 2]);
        continue;
      }
      inside++;
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(out.px[o + c] - sample(engine, s, t, c));
        max = Math.max(max, d);
        sum += d;
      }
    }
  }
  return { max, mean: sum / (3 * Math.max(1, inside)), inside, outsideMax };
}

let first = '';
let second = '';

describe('projector output windows', () => {
  it('(a) a second output shows the same picture as the first and as the engine canvas', async () => {
    first = await addAndOpen();
    second = await addAndOpen();
    // Both open: the engine renders at the outputs' resolution.
    expect(await page.evaluate(() => { const c = document.querySelector('[data-testid="output"] canvas') as HTMLCanvasElement; return [c.width, c.height]; })).toEqual([W, H]);
    await waitFrames(second, 5);
    const { outputs, engine } = await capture([first, second]);
    expect(outputs[0].width).toBe(W);
    expect(outputs[0].height).toBe(H);
    // The picture is a real scene, not an empty frame (an all-black output would match trivially).
    expect(lumaStd(engine)).toBeGreaterThan(3);
    // Same frame, same size, identity mapping: each output pixel samples its engine texel at the
    // texel's centre, so the only possible difference is the filter's rounding back to 8 bits
    // (at most 1 step); 2 leaves room for a rounding on upload, nothing for a shifted or scaled picture.
    const oneTwo = diff(outputs[0], outputs[1]);
    expect(oneTwo.max).toBeLessThanOrEqual(2);
    const toEngine = diff(outputs[0], engine);
    expect(toEngine.max).toBeLessThanOrEqual(2);
    expect(toEngine.mean).toBeLessThan(0.5);

    // The comparison can fail: a one-pixel corner-pin shift on the second output is seen.
    await page.evaluate((id) => {
      (globalThis as any).glassforestOutputs.update(id, (s: any) => {
        for (const c of s.cornerPin.corners) c.x += 3 / 320;
      });
    }, second);
    await waitFrames(second, 2);
    const shifted = await capture([first, second]);
    expect(diff(shifted.outputs[0], shifted.outputs[1]).mean).toBeGreaterThan(1);
    await page.evaluate((id) => (globalThis as any).glassforestOutputs.update(id, (s: any) => {
      s.cornerPin.corners = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }];
    }), second);
  });

  it('(b) a corner pin moves the grid pattern\'s centre crossing where the homography says', async () => {
    const corners = [
      { x: 0.05, y: 0.05 },
      { x: 0.6, y: 0.1 },
      { x: 0.7, y: 0.95 },
      { x: 0.1, y: 0.7 },
    ];
    await page.evaluate(
      ([id, c]) =>
        (globalThis as any).glassforestOutputs.update(id, (s: any) => {
          s.cornerPin = { enabled: true, corners: c };
          s.testPattern = { enabled: true, pattern: 'grid' };
        }),
      [first, corners] as const,
    );
    await waitFrames(first, 2);
    const pic = (await capture([first])).outputs[0];
    const isRed = (x: number, y: number): boolean => {
      const i = 4 * (y * pic.width + x);
      return pic.px[i] > 200 && pic.px[i + 1] < 60 && pic.px[i + 2] < 60;
    };
    // The centre lines are red (engine/mapping/test-pattern.ts). Short red runs along rows belong to
    // the (near-)vertical line, short runs along columns to the (near-)horizontal one; fit each.
    const vert: [number, number][] = [];
    const horiz: [number, number][] = [];
    for (let y = 0; y < pic.height; y++) {
      for (let x = 0; x < pic.width; ) {
        if (!isRed(x, y)) { x++; continue; }
        let e = x;
        while (e + 1 < pic.width && isRed(e + 1, y)) e++;
        if (e - x + 1 <= 6) vert.push([y + 0.5, (x + e) / 2 + 0.5]);
        x = e + 1;
      }
    }
    for (let x = 0; x < pic.width; x++) {
      for (let y = 0; y < pic.height; ) {
        if (!isRed(x, y)) { y++; continue; }
        let e = y;
        while (e + 1 < pic.height && isRed(x, e + 1)) e++;
        if (e - y + 1 <= 6) horiz.push([x + 0.5, (y + e) / 2 + 0.5]);
        y = e + 1;
      }
    }
    expect(vert.length).toBeGreaterThan(40);
    expect(horiz.length).toBeGreaterThan(40);
    const fit = (pts: [number, number][]): [number, number] => {
      const n = pts.length;
      const mx = pts.reduce((s, p) => s + p[0], 0) / n;
      const my = pts.reduce((s, p) => s + p[1], 0) / n;
      const sxy = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
      const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
      const a = sxy / sxx;
      return [a, my - a * mx];
    };
    const [a, b] = fit(vert); // x = a·y + b
    const [c, d] = fit(horiz); // y = c·x + d
    const x = (a * d + b) / (1 - a * c);
    const y = c * x + d;
    const h = squareToQuadHomography(corners.flatMap((p) => [p.x, p.y]));
    const want = [0, 0];
    applyHomography(h, 0.5, 0.5, want);
    const px = want[0] * W;
    const py = want[1] * H;
    // Far from where an unmapped picture has it, so a pin that is not applied cannot pass.
    expect(Math.hypot(px - W / 2, py - H / 2)).toBeGreaterThan(20);
    expect(Math.abs(x - px)).toBeLessThan(1.5);
    expect(Math.abs(y - py)).toBeLessThan(1.5);
    // A corner too: the pattern's white border ends at the pinned bottom-right corner's pixel.
    const br = { x: Math.floor(corners[1].x * W - 1.5), y: Math.floor(corners[1].y * H + 1.5) };
    const i = 4 * (br.y * W + br.x);
    expect(pic.px[i]).toBeGreaterThan(128);
    // Outside the pinned quad the output is black.
    const o = 4 * (Math.floor(0.9 * H) * W + Math.floor(0.9 * W));
    expect(pic.px[o] + pic.px[o + 1] + pic.px[o + 2]).toBe(0);
  });

  it('(c) opening, closing and reloading an output does not interrupt the others or the engine', async () => {
    const engineCanvasTag = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="output"] canvas') as any;
      c.__outputsTestTag = 'same-canvas';
      c.__lost = 0;
      c.addEventListener('webglcontextlost', () => c.__lost++);
      return c.__outputsTestTag;
    });
    const engineFrames = () => page.evaluate(() => (globalThis as any).glassforest.frames as number);
    // Closed from the OS (the window goes away without the control view asking).
    const e0 = await engineFrames();
    const s0 = await framesOf(second);
    await popups.get(first)!.close();
    await page.waitForFunction((id) => (globalThis as any).glassforestOutputs.list().find((o: any) => o.id === id)?.state === 'closed', first, { timeout: 30_000 });
    await waitFrames(second, 5);
    expect(await framesOf(second)).toBeGreaterThan(s0 + 4);
    expect(await engineFrames()).toBeGreaterThan(e0 + 4);
    expect((await messages(page)).some((m) => /was closed/.test(m))).toBe(true);
    // Closing is not a graphics failure (a closing window loses its context on the way out).
    expect((await messages(page)).some((m) => /graphics context was lost/.test(m))).toBe(false);
    // Opened again while the second keeps drawing.
    const s1 = await framesOf(second);
    await openById(first);
    await waitFrames(first, 5);
    expect(await framesOf(second)).toBeGreaterThan(s1 + 4);
    // Reloaded: it re-attaches by itself.
    await popups.get(first)!.reload();
    await page.waitForFunction((id) => (globalThis as any).glassforestOutputs.frames(id) > 5, first, { timeout: 60_000 });
    // Closed from the panel.
    const s2 = await framesOf(second);
    await page.click(`[data-testid="output-${first}"] button:has-text("Close")`);
    await page.waitForFunction((id) => (globalThis as any).glassforestOutputs.frames(id) === -1, first, { timeout: 30_000 });
    await waitFrames(second, 5);
    expect(await framesOf(second)).toBeGreaterThan(s2 + 4);
    // The engine's canvas is the same element (no remount) and never lost its context.
    expect(await page.evaluate(() => { const c = document.querySelector('[data-testid="output"] canvas') as any; return [c.__outputsTestTag, c.__lost]; })).toEqual([engineCanvasTag, 0]);
  });

  it('(e) a lost WebGL context in one output is reported and nothing else stops', async () => {
    const popup = popups.get(second)!;
    await popup.evaluate(() => {
      const c = document.querySelector('[data-testid="output-window-canvas"]') as HTMLCanvasElement;
      (globalThis as any).__lose = c.getContext('webgl2')!.getExtension('WEBGL_lose_context');
      (globalThis as any).__lose.loseContext();
    });
    await page.waitForFunction((id) => (globalThis as any).glassforestOutputs.list().find((o: any) => o.id === id)?.state === 'lost', second, { timeout: 30_000 });
    expect((await messages(page)).some((m) => /graphics context was lost/.test(m))).toBe(true);
    const e0 = await page.evaluate(() => (globalThis as any).glassforest.frames as number);
    await page.waitForFunction((k) => (globalThis as any).glassforest.frames > k + 5, e0, { timeout: 30_000 });
    await popup.evaluate(() => (globalThis as any).__lose.restoreContext());
    await page.waitForFunction((id) => (globalThis as any).glassforestOutputs.list().find((o: any) => o.id === id)?.state === 'open', second, { timeout: 30_000 });
    await waitFrames(second, 3);
  });

  it('(f) the mapping is edited on the output with keyboard and mouse; the overlay shows only while editing', async () => {
    const popup = popups.get(second)!;
    const overlayHidden = () => popup.evaluate(() => (document.querySelector('[data-testid="output-edit-overlay"]') as HTMLElement).hidden);
    const corners = () => page.evaluate((id) => (globalThis as any).glassforestOutputs.settingsOf(id).cornerPin.corners as { x: number; y: number }[], second);
    await page.evaluate((id) => (globalThis as any).glassforestOutputs.update(id, (s: any) => {
      s.cornerPin.corners = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }];
      s.testPattern.enabled = false;
    }), second);
    expect(await overlayHidden()).toBe(true);
    await popup.bringToFront();
    await popup.keyboard.press('e');
    expect(await overlayHidden()).toBe(false);
    // Tab selects the next corner (bottom-right), arrows nudge it 1 px, Shift+arrows 10 px.
    await popup.keyboard.press('Tab');
    await popup.keyboard.press('ArrowLeft');
    await popup.keyboard.press('Shift+ArrowUp');
    let c = await corners();
    expect(c[1].x).toBeCloseTo(1 - 1 / W, 9);
    expect(c[1].y).toBeCloseTo(10 / H, 9);
    expect(c[0]).toEqual({ x: 0, y: 0 });
    // Drag the top-right corner handle inwards by a quarter of the picture.
    const box = await popup.evaluate(([w, h]) => {
      const s = Math.min(innerWidth / w, innerHeight / h);
      return { left: (innerWidth - w * s) / 2, top: (innerHeight - h * s) / 2, width: w * s, height: h * s };
    }, [W, H]);
    await popup.mouse.move(box.left + box.width - 2, box.top + 2);
    await popup.mouse.down();
    await popup.mouse.move(box.left + box.width * 0.875, box.top + box.height * 0.125, { steps: 4 });
    await popup.mouse.up();
    c = await corners();
    expect(c[2].x).toBeCloseTo(0.875, 2);
    expect(c[2].y).toBeCloseTo(0.875, 2);
    // The pinned picture follows on the output.
    await waitFrames(second, 2);
    const pic = (await capture([second])).outputs[0];
    const top = 4 * ((H - 2) * W + (W - 2));
    expect(pic.px[top] + pic.px[top + 1] + pic.px[top + 2]).toBe(0); // outside the pinned quad now
    // Blend edges: ] raises the selected side's curve exponent, shown in the readout; A steps the fit mode.
    const settings = () => page.evaluate((id) => (globalThis as any).glassforestOutputs.settingsOf(id), second);
    await popup.keyboard.press('b');
    await popup.keyboard.press('Tab'); // right
    await popup.keyboard.press(']');
    const se = (await settings()).softEdge;
    expect(se.right.curve).toBeCloseTo(2.1, 9);
    expect(se.left.curve).toBe(2);
    expect(await popup.evaluate(() => document.querySelector('.output-window-help')?.textContent)).toContain('right: width 0.000 curve 2.10 gamma 2.20');
    await popup.keyboard.press('a');
    expect((await settings()).fit).toBe('contain');
    await popup.keyboard.press('a');
    await popup.keyboard.press('a');
    expect((await settings()).fit).toBe('cover');
    await popup.keyboard.press('e');
    expect(await overlayHidden()).toBe(true);
  });

  it('(g) soft edges and a polygon mask shape the picture as engine/mapping computes it', async () => {
    const s = defaultMappingSettings();
    s.output = { width: W, height: H };
    s.testPattern = { enabled: true, pattern: 'bars' };
    s.softEdge.enabled = true;
    s.softEdge.right = { width: 0.25, curve: 2, gamma: 1 };
    s.softEdge.bottom = { width: 0.2, curve: 1, gamma: 1 };
    s.masks = [{ name: 'screen', enabled: true, inverted: false, feather: 0, points: [{ x: 0.05, y: 0.05 }, { x: 0.95, y: 0.1 }, { x: 0.6, y: 0.95 }, { x: 0.1, y: 0.8 }] }];
    expect(await page.evaluate(([id, v]) => (globalThis as any).glassforestOutputs.setSettings(id, v), [second, s] as const)).toEqual([]);
    await waitFrames(second, 2);
    const pic = (await capture([second])).outputs[0];
    const poly = maskPolygon(s.masks[0]);
    const mask = { points: poly, inverted: false, feather: 0 };
    const col = [0, 0, 0];
    let checked = 0;
    let worst = 0;
    let darkened = 0;
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < W; i++) {
        const x = (i + 0.5) / W;
        const y = (j + 0.5) / H;
        // Pixels whose centre is within half a pixel of the mask's outline may fall either way.
        if (polygonEdgeDistance(poly, x, y) < 0.75 / H) continue;
        testPatternColour(x, y, 'bars', W, H, col);
        const k = softEdgeValue(s.softEdge, x, y) * maskCoverage(mask, x, y);
        if (k > 0 && k < 1) darkened++;
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(pic.px[4 * (j * W + i) + c] - 255 * col[c] * k));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(W * H * 0.9);
    expect(darkened).toBeGreaterThan(1000); // the ramps are really in the picture
    // 8-bit output, the shader's 256-entry LUT with linear interpolation against the exact ramp: 3 steps.
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('(h) an output of another aspect ratio shows the picture cropped (cover), letterboxed (contain) or stretched, as fitTransform says', async () => {
    // A 16:9 output (160×90) next to a 4:3 one (120×90): the engine renders at the larger, 16:9.
    // Settings as a version 1 file wrote them (no fit): they read silently as cover.
    const problems = await page.evaluate(([wide, narrow]) => {
      const m = (globalThis as any).glassforestOutputs;
      return [...m.setSettings(wide, { version: 1, output: { width: 160, height: 90 } }), ...m.setSettings(narrow, { version: 1, output: { width: 120, height: 90 } })];
    }, [second, first] as const);
    expect(problems).toEqual([]);
    expect(await page.evaluate((id) => (globalThis as any).glassforestOutputs.settingsOf(id).fit, first)).toBe('cover');
    if ((await framesOf(first)) < 0) await openById(first);
    await waitFrames(second, 2);
    const look = async (fit: string): Promise<{ narrow: Picture; wide: Picture; engine: Picture }> => {
      await page.evaluate(([id, f]) => (globalThis as any).glassforestOutputs.update(id, (s: any) => void (s.fit = f)), [first, fit] as const);
      await waitFrames(first, 2);
      const { outputs, engine } = await capture([first, second]);
      return { narrow: outputs[0], wide: outputs[1], engine };
    };
    const cover = await look('cover');
    expect([cover.engine.width, cover.engine.height]).toEqual([160, 90]);
    expect([cover.narrow.width, cover.narrow.height]).toEqual([120, 90]);
    expect(lumaStd(cover.engine)).toBeGreaterThan(3);
    // Same aspect: the wide output is the picture itself (at this size the mesh's interpolated
    // coordinates land a hair off some texel centres: a few 8-bit steps on a detailed picture).
    const same = diff(cover.wide, cover.engine);
    expect(same.max).toBeLessThanOrEqual(4);
    expect(same.mean).toBeLessThan(0.5);
    // Cover keeps the height and crops 20 columns on each side: output column i is picture column i + 20.
    const kc = fitTransform('cover', 160, 90, 120, 90, [0, 0, 0, 0]);
    expect(kc).toEqual([0.75, 1, 0.125, 0]);
    const c = compareFit(cover.narrow, cover.engine, kc);
    expect(c.inside).toBe(120 * 90);
    expect(c.max).toBeLessThanOrEqual(4);
    expect(c.mean).toBeLessThan(0.5);
    // The picture really is cropped, not squeezed: the stretched prediction is far off.
    expect(compareFit(cover.narrow, cover.engine, [1, 1, 0, 0]).mean).toBeGreaterThan(4 * c.mean + 0.5);

    // Contain keeps the width: the picture is 67.5 rows tall, centred, black bars above and below.
    const contain = await look('contain');
    const kn = fitTransform('contain', 160, 90, 120, 90, [0, 0, 0, 0]);
    expect(kn[0]).toBe(1);
    expect(kn[1]).toBeCloseTo(4 / 3, 12);
    const n = compareFit(contain.narrow, contain.engine, kn);
    expect(n.inside).toBe(120 * 68); // rows 11..78
    expect(n.outsideMax).toBe(0);
    // Downscaled by 4/3 with the GPU's bilinear filter (8-bit weights) against the exact bilinear
    // sample: a few steps at most, under one on average.
    expect(n.max).toBeLessThanOrEqual(8);
    expect(n.mean).toBeLessThan(1);
    // Not what stretch would show (the whole picture squeezed, no bars).
    expect(compareFit(contain.narrow, contain.engine, [1, 1, 0, 0]).mean).toBeGreaterThan(4 * n.mean + 0.5);
    const rowLuma = (p: Picture, j: number): number => {
      let sum = 0;
      for (let i = 0; i < p.width; i++) sum += p.px[4 * (j * p.width + i)] + p.px[4 * (j * p.width + i) + 1] + p.px[4 * (j * p.width + i) + 2];
      return sum;
    };
    expect(rowLuma(contain.narrow, 10)).toBe(0);
    expect(rowLuma(contain.narrow, 79)).toBe(0);
    expect(rowLuma(contain.narrow, 45)).toBeGreaterThan(0);

    // Stretch: the whole picture squeezed into 4:3 (the behaviour before fit modes).
    const stretch = await look('stretch');
    const st = compareFit(stretch.narrow, stretch.engine, [1, 1, 0, 0]);
    expect(st.max).toBeLessThanOrEqual(8);
    expect(st.mean).toBeLessThan(1);
    await page.evaluate((id) => (globalThis as any).glassforestOutputs.update(id, (s: any) => void (s.fit = 'cover')), first);
  });

  it('(i) while the control view gets no animation frames (its window hidden), the outputs drive the engine; then it takes over again', async () => {
    const popup = popups.get(second)!;
    // A moving picture: the fixture plays on from here (fixture frame N is time N/60).
    await page.evaluate(() => (globalThis as any).glassforest.loadFixture('dance', 4, false));
    await waitFrames(second, 3);
    await popup.evaluate(() => {
      const g = globalThis as any;
      g.__vsyncs = 0;
      const f = (): void => {
        g.__vsyncs++;
        requestAnimationFrame(f);
      };
      requestAnimationFrame(f);
    });
    const counts = async (): Promise<{ engine: number; driven: number; vsyncs: number }> => {
      const [engine, driven] = await page.evaluate(() => {
        const g = globalThis as any;
        return [g.glassforest.frames as number, g.glassforestOutputs.handover.drivenFrames as number];
      });
      return { engine, driven, vsyncs: await popup.evaluate(() => (globalThis as any).__vsyncs as number) };
    };
    const handover = () => page.evaluate(() => (globalThis as any).glassforestOutputs.handoverLine() as string);
    /** Counts over the next `n` engine frames (a timeout when the engine stops), and whether the output's picture changed. */
    const measure = async (n: number) => {
      const a = await counts();
      // (A capture waits for the next drawn frame: first make sure frames come at all.)
      await page.waitForFunction((k) => (globalThis as any).glassforest.frames >= k, a.engine + 2, { timeout: 10_000, polling: 50 });
      const before = (await capture([second])).outputs[0];
      await page.waitForFunction((k) => (globalThis as any).glassforest.frames >= k, a.engine + n, { timeout: 20_000, polling: 50 });
      const b = await counts();
      const after = (await capture([second])).outputs[0];
      return { engine: b.engine - a.engine, driven: b.driven - a.driven, vsyncs: b.vsyncs - a.vsyncs, moved: diff(before, after).mean };
    };
    expect(await handover()).toBe('');

    // What the browser does to a hidden window: requestAnimationFrame callbacks are held, not run.
    // R3F asks for its next frame through the global each frame, so its loop stops here.
    await page.evaluate(() => {
      const g = globalThis as any;
      g.__realRaf = window.requestAnimationFrame;
      g.__heldFrames = [];
      window.requestAnimationFrame = (cb: FrameRequestCallback): number => g.__heldFrames.push(cb);
    });
    await page.waitForFunction(() => (globalThis as any).glassforestOutputs.handover.active, null, { timeout: 10_000, polling: 50 });
    expect(await handover()).toMatch(/^driven by Output \d+: control view not drawing$/);
    const hidden = await measure(15);
    // The engine keeps running, one frame per output vsync (two outputs open, one drives), and the
    // projectors' picture keeps changing.
    expect(hidden.driven).toBeGreaterThanOrEqual(hidden.engine - 2);
    expect(hidden.engine / hidden.vsyncs).toBeGreaterThan(0.7);
    expect(hidden.engine / hidden.vsyncs).toBeLessThan(1.3);
    expect(hidden.moved).toBeGreaterThan(0.5);
    // The Outputs panel says so (read directly: Playwright's own waits use animation frames).
    await page.waitForFunction(() => /driven by Output \d+: control view not drawing/.test(document.querySelector('[data-testid="output-handover"]')?.textContent ?? ''), null, { timeout: 5_000, polling: 50 });
    // The page says it is hidden: the reason follows.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(await handover()).toMatch(/^driven by Output \d+: control view hidden$/);

    // Shown again: the browser runs the held callbacks, and the control view drives by itself.
    await page.evaluate(() => {
      const g = globalThis as any;
      delete (document as any).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      window.requestAnimationFrame = g.__realRaf;
      for (const cb of g.__heldFrames.splice(0)) g.__realRaf.call(window, cb);
    });
    await page.waitForFunction(() => !(globalThis as any).glassforestOutputs.handover.active, null, { timeout: 10_000, polling: 50 });
    expect(await handover()).toBe('');
    const shown = await measure(15);
    expect(shown.driven).toBe(0);
    // No doubled frames: still about one engine frame per output vsync.
    expect(shown.engine / shown.vsyncs).toBeGreaterThan(0.7);
    expect(shown.engine / shown.vsyncs).toBeLessThan(1.3);
    expect(shown.moved).toBeGreaterThan(0.5);
  });

  it('(d) mapping settings survive a reload of the control view, and an open output re-attaches', async () => {
    const want = await page.evaluate((id) => {
      const m = (globalThis as any).glassforestOutputs;
      m.update(id, (s: any) => {
        s.cornerPin.corners[2] = { x: 0.93, y: 0.88 };
        s.softEdge.enabled = true;
        s.softEdge.right.width = 0.25;
        s.mesh.points[6] = { x: 0.3, y: 0.31 };
        s.masks = [{ name: 'pillar', enabled: true, inverted: true, feather: 0, points: [{ x: 0.4, y: 0 }, { x: 0.6, y: 0 }, { x: 0.5, y: 1 }] }];
      });
      m.saveNow();
      return m.settingsOf(id);
    }, second);
    await page.reload();
    await page.waitForFunction(() => (globalThis as any).glassforest?.fixture?.rendered > 3 && (globalThis as any).glassforestOutputs, null, { timeout: 90_000 });
    const got = await page.evaluate((id) => (globalThis as any).glassforestOutputs.settingsOf(id), second);
    expect(got).toEqual(want);
    expect(got.cornerPin.corners[2]).toEqual({ x: 0.93, y: 0.88 });
    // The output window stayed open through the reload and attaches to the new control view.
    await page.waitForFunction((id) => (globalThis as any).glassforestOutputs.frames(id) > 3, second, { timeout: 60_000 });
    expect(await page.locator(`[data-testid="output-${second}"]`).getAttribute('data-state')).toBe('open');
    // The only error reported is the context loss test (e) caused on purpose.
    expect(errors.filter((e) => !/graphics context was lost/.test(e))).toEqual([]);
  });
});
