/**
 * The memory haze and the crowd render in software WebGL with no audio, without shader errors,
 * as a structured picture; what a loud input does through their default routes changes it; and the
 * memory haze's onset → leak route brightens the frames on the dance fixture's onsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { FIXTURE_PAGE_LIB, openFixturePage } from './fixture-kit.ts';
import { launch, messages, meanAbsDiff, OUTPUT_PAGE_LIB, openApp, pinSmallOutput, startServer } from './harness.ts';

let server: ViteDevServer;
let url: string;
let browser: Browser;

/** Run `body` (in-page code using frames/grab/set) in one evaluate; a dev-server reload retries. */
async function inPage<T>(page: Page, body: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
      await pinSmallOutput(page);
      return (await page.evaluate(`(async () => { ${OUTPUT_PAGE_LIB} ${body} })()`)) as T;
    } catch (err) {
      if (attempt >= 3 || !/context was destroyed|navigation|reading '/.test(String(err))) throw err;
    }
  }
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: number[]) => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));

interface Case {
  id: string;
  /** Parameter writes that hold the scene's own motion still, so only the input under test moves the picture. */
  still: string;
  /** What a loud input adds through the default routes (see the scene's info.ts), written as parameter values. */
  loud: string;
}

const CASES: Case[] = [
  {
    id: 'memory-haze',
    still: `set('/scene/memory-haze/drift', 0); set('/scene/memory-haze/grain', 0); set('/scene/memory-haze/shimmer', 0);`,
    // Loud lows breathe the exposure (0.7), an onset blooms a leak (0.55 + 0.15 on a kick).
    loud: `set('/scene/memory-haze/breath', 0.7); set('/scene/memory-haze/leak', 0.7);`,
  },
  {
    id: 'crowd',
    still: `set('/scene/crowd/cameraDrift', 0); set('/scene/crowd/pace', 0); set('/scene/crowd/sway', 0);`,
    // Loudness lights the lamps (+0.35 of the 0..2 range).
    loud: `set('/scene/crowd/lights', 1.15);`,
  },
];

beforeAll(async () => {
  ({ server, url } = await startServer());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('scenes: memory haze and crowd', () => {
  for (const c of CASES) {
    it(`${c.id} renders a structured picture with no audio, and a loud input changes it`, async () => {
      const { page, context, errors } = await openApp(browser, url, `?source=none&dpr=1&scene=${c.id}`);
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /shader|WebGLProgram|GL_INVALID/i.test(m.text())) consoleErrors.push(m.text());
      });
      const { quiet, again, loud } = await inPage<Record<string, number[]>>(
        page,
        `
        ${c.still}
        await frames(6);
        const quiet = grab();
        await frames(2);
        const again = grab();
        ${c.loud}
        await frames(4);
        const loud = grab();
        return { quiet, again, loud };`,
      );
      const scene = await page.evaluate(() => document.querySelector<HTMLSelectElement>('select[aria-label="Scene"]')?.value);
      expect(scene).toBe(c.id);
      expect(mean(quiet), 'not black').toBeGreaterThan(8);
      expect(std(quiet), 'not a flat fill').toBeGreaterThan(4);
      const still = meanAbsDiff(quiet, again);
      expect(mean(loud) - mean(quiet), `loud ${mean(loud).toFixed(1)} vs quiet ${mean(quiet).toFixed(1)} (frame to frame ${still.toFixed(2)})`).toBeGreaterThan(Math.max(4, still * 3));
      expect((await messages(page)).filter((m) => /shader|error|failed/i.test(m))).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the memory haze blooms a light leak on an onset of the sound (its default onset → leak route)', async () => {
    // Replayed from the recorded dance fixture on the fixed frame clock: frame k's picture and
    // envelope depend only on k, so a loaded machine cannot shift which frame shows the onset.
    const { page, context, errors } = await openFixturePage(browser, url, { scene: 'memory-haze', fixture: 'dance', t: 0, width: 320, height: 180 });
    await page.evaluate(() => {
      const bank = (globalThis as any).glassforest.bank;
      for (const p of ['drift', 'grain', 'shimmer']) bank.setByPath(`/scene/memory-haze/${p}`, 0);
    });
    const start = (await page.evaluate(() => (globalThis as any).glassforest.fixture.rendered as number)) + 2;
    const frames = (await page.evaluate(
      `(async () => { ${FIXTURE_PAGE_LIB}
        const out = [];
        for (let k = ${start}; k < ${start} + 360; k++) {
          const r = await afterFrame(k, () => { const g = lumaGrid(); return { onset: globalThis.glassforest.uniforms.onset, luma: g.reduce((s, v) => s + v, 0) / g.length }; });
          if (r.rendered === k) out.push(r.value);
        }
        return out; })()`,
    )) as { onset: number; luma: number }[];
    const onsetFrames = frames.filter((f) => f.onset > 0.8);
    const between = frames.filter((f) => f.onset < 0.05);
    expect(onsetFrames.length, `onset frames among ${frames.length}`).toBeGreaterThan(3);
    expect(between.length).toBeGreaterThan(3);
    const m = (a: { luma: number }[]) => mean(a.map((f) => f.luma));
    expect(m(onsetFrames) - m(between), `onset ${m(onsetFrames).toFixed(1)} vs between ${m(between).toFixed(1)}`).toBeGreaterThan(8); // the low-band breath alone adds ~2
    expect(errors).toEqual([]);
    await context.close();
  });
});
