/**
 * Scene transitions and post-processing in the real output: during a switch every frame shows a
 * picture (never black or flat), mid-blend the picture is neither scene alone, each transition
 * kind completes; post parameters change the picture; a scene whose shader fails to compile is
 * refused with a message while the running scene keeps playing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, meanAbsDiff, messages, openApp, OUTPUT_PAGE_LIB, pinSmallOutput, startServer, withKeyframes, type TestServer } from './harness.ts';

let server: TestServer;
let url: string;
let browser: Browser;

interface Sample {
  mix: number;
  phase: number;
  from: string;
  mean: number;
  spread: number;
  pixels: number[];
}

const PAGE_LIB = `${OUTPUT_PAGE_LIB}
  const host = globalThis.glassforest;
  const stats = (px) => {
    let s = 0; for (const v of px) s += v;
    const mean = s / px.length;
    let d = 0; for (const v of px) d += (v - mean) * (v - mean);
    return { mean, spread: Math.sqrt(d / px.length) };
  };
  // Switch and sample the output every animation frame until the switch is over (or 30 s pass).
  const sampleSwitch = (id, options) => new Promise((done) => {
    const m = host.switcher.machine;
    const out = [];
    if (!host.switchScene(id, options)) throw new Error('switch refused');
    const end = performance.now() + 30000;
    const step = () => {
      const pixels = grab();
      out.push({ mix: m.mix, phase: m.phase, from: m.from, ...stats(pixels), pixels });
      if ((m.phase === 0 && m.from === id) || performance.now() > end) done(out);
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
`;

async function inPage<T>(page: Page, body: string): Promise<T> {
  return (await page.evaluate(`(async () => { ${PAGE_LIB} ${body} })()`)) as T;
}

beforeAll(async () => {
  ({ server, url } = await startServer());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('scene transitions', () => {
  it('never show a black or flat frame, blend both scenes mid-way, and finish on the new scene', async () => {
    const { page, context, errors } = await openApp(browser, url, '?source=none&dpr=1&scene=glass-forest');
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
    await pinSmallOutput(page);

    // The outgoing scene's own change over a few frames: the yardstick for "differs".
    const before = await inPage<{ a: number[]; b: number[] }>(page, `await frames(6); const a = grab(); await frames(6); return { a, b: grab() };`);
    const drift = meanAbsDiff(before.a, before.b);

    const samples = await inPage<Sample[]>(page, `return await sampleSwitch('spectral-veil', { transition: 'crossfade', durationSeconds: 2.5, easing: 'linear' });`);
    const after = await inPage<number[]>(page, `await frames(3); return grab();`);

    expect(samples.at(-1)!.from, 'the switch completed').toBe('spectral-veil');
    const blending = samples.filter((s) => s.phase === 3);
    expect(blending.length, 'frames sampled during the blend').toBeGreaterThan(4);
    for (const [i, s] of samples.entries()) {
      expect(s.mean, `frame ${i} (mix ${s.mix.toFixed(2)}) is not black`).toBeGreaterThan(4);
      expect(s.spread, `frame ${i} (mix ${s.mix.toFixed(2)}) is not a flat colour`).toBeGreaterThan(1.5);
    }
    const mid = blending.reduce((best, s) => (Math.abs(s.mix - 0.5) < Math.abs(best.mix - 0.5) ? s : best));
    expect(mid.mix).toBeGreaterThan(0.25);
    expect(mid.mix).toBeLessThan(0.75);
    const vsOld = meanAbsDiff(mid.pixels, before.b);
    const vsNew = meanAbsDiff(mid.pixels, after);
    const floor = Math.max(3, drift * 2);
    expect(vsOld, `mid-blend vs the outgoing scene (own drift ${drift.toFixed(2)})`).toBeGreaterThan(floor);
    expect(vsNew, 'mid-blend vs the incoming scene').toBeGreaterThan(floor);
    expect(await page.$eval('select[aria-label="Scene"]', (e) => (e as HTMLSelectElement).value)).toBe('spectral-veil');
    expect(await page.evaluate(() => (globalThis as any).glassforest.sceneId)).toBe('spectral-veil');

    // The shader transitions: luma dissolve and refraction wipe, both ways, never a black frame.
    for (const [id, kind] of [
      ['glass-forest', 'luma'],
      ['spectral-veil', 'refract'],
    ] as const) {
      const run = await inPage<Sample[]>(page, `return await sampleSwitch('${id}', { transition: '${kind}', durationSeconds: 1.5 });`);
      expect(run.at(-1)!.from, `${kind} completed`).toBe(id);
      expect(run.filter((s) => s.phase === 3).length, `${kind} blended over several frames`).toBeGreaterThan(2);
      for (const s of run) {
        expect(s.mean, `${kind} at mix ${s.mix.toFixed(2)} is not black`).toBeGreaterThan(4);
        expect(s.spread, `${kind} at mix ${s.mix.toFixed(2)} is not flat`).toBeGreaterThan(1.5);
      }
    }

    // Beats: a 2-beat switch quantised to the next bar waits for a bar start, then blends.
    const bar = await inPage<{ waited: boolean; from: string }>(
      page,
      `const m = host.switcher.machine;
      host.switchScene('glass-forest', { transition: 'crossfade', durationBeats: 2, quantize: 'bar' });
      let waited = false;
      const end = performance.now() + 20000;
      while (!(m.phase === 0 && m.from === 'glass-forest') && performance.now() < end) {
        if (m.phase === 2) waited = true;
        await frames(1);
      }
      return { waited, from: m.from };`,
    );
    expect(bar.from).toBe('glass-forest');
    expect(bar.waited, 'the switch waited for the bar').toBe(true);

    expect((await messages(page)).filter((m) => /shader failed|could not start|compositor/.test(m))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('post-processing parameters change the picture, and neutral values give the same picture back', async () => {
    const { page, context, errors } = await openApp(browser, url, '?source=none&dpr=1&scene=spectral-veil');
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
    await pinSmallOutput(page);
    const r = await inPage<Record<string, number[]>>(
      page,
      `set('/scene/spectral-veil/drift', 0);
      await frames(6);
      const a = grab();
      await frames(4);
      const b = grab();
      set('/post/bloom', 1.5); set('/post/bloom-threshold', 0);
      await frames(4);
      const bloom = grab();
      set('/post/bloom', 0);
      set('/post/saturation', 0); set('/post/exposure', 1.5); set('/post/vignette', 1);
      await frames(4);
      const grade = grab();
      set('/post/saturation', 1); set('/post/exposure', 0); set('/post/vignette', 0);
      set('/post/trails', 0.95);
      await frames(4);
      const trails = grab();
      set('/post/trails', 0);
      await frames(4);
      return { a, b, bloom, grade, trails, off: grab() };`,
    );
    const drift = meanAbsDiff(r.a, r.b);
    const floor = Math.max(3, drift * 3);
    const mean = (p: number[]) => p.reduce((s, v) => s + v, 0) / p.length;
    expect(meanAbsDiff(r.bloom, r.b), `bloom changes the picture (drift ${drift.toFixed(2)})`).toBeGreaterThan(floor);
    expect(mean(r.bloom), 'bloom brightens').toBeGreaterThan(mean(r.b));
    expect(meanAbsDiff(r.grade, r.b), 'the grade changes the picture').toBeGreaterThan(floor);
    expect(mean(r.trails), 'trails keep light').toBeGreaterThanOrEqual(mean(r.b) - drift);
    expect(meanAbsDiff(r.off, r.b), 'back to neutral, the picture is as before').toBeLessThan(floor);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a scene that fails to compile is refused with a message; the running scene stays on screen', async () => {
    const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The spectral veil's fragment shader, as served (in the built bundle or as a dev-server
    // module), with an undeclared name in place of one of its constants.
    const TOKEN = 'const float HISTORY = 0.75;';
    let broken = 0;
    await page.route(/\.(js|frag)(\?.*)?$/, async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (!body.includes(TOKEN)) return route.fulfill({ response });
      broken++;
      return route.fulfill({ response, body: body.replace(TOKEN, 'const float HISTORY = notDeclared;') });
    });
    await page.goto(`${url}${withKeyframes('?source=none&dpr=1&scene=glass-forest')}`);
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
    await pinSmallOutput(page);
    const r = await inPage<{ from: string; selected: string; frames: { mean: number; spread: number }[]; a: number[]; b: number[] }>(
      page,
      `await frames(4); // the pinned canvas has been redrawn at its new size
      host.switchScene('spectral-veil', { transition: 'crossfade', durationSeconds: 1 });
      const out = [];
      const end = performance.now() + 20000;
      const m = host.switcher.machine;
      while (m.to !== '' && performance.now() < end) { out.push(stats(grab())); await frames(1); }
      await frames(3);
      const a = grab();
      await frames(8);
      return { from: m.from, selected: document.querySelector('select[aria-label="Scene"]').value, frames: out, a, b: grab() };`,
    );
    expect(broken, 'the spectral veil shader was served broken').toBeGreaterThan(0);
    expect(r.from).toBe('glass-forest');
    expect(r.selected, 'the picker shows the scene still playing').toBe('glass-forest');
    for (const f of r.frames) expect(f.mean, 'no black frame while the broken scene was tried').toBeGreaterThan(4);
    const mean = r.a.reduce((s, v) => s + v, 0) / r.a.length;
    expect(mean, 'the running scene still renders').toBeGreaterThan(4);
    expect(meanAbsDiff(r.a, r.b), 'and still moves').toBeGreaterThan(0.2);
    const shown = await messages(page);
    expect(shown.some((m) => /Spectral veil.*could not start.*keeps playing/i.test(m)), shown.join(' | ')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
