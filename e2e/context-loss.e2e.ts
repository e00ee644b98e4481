/**
 * A lost WebGL context (GPU reset, driver crash, too many contexts) is reported, and when the
 * browser gives the context back the show carries on as it was: the same scene with its own
 * off-screen targets, post-processing with its targets, the same parameter values, and scene
 * switches still work. The loss is real: WEBGL_lose_context on the output's own context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, mean, messages, OUTPUT_PAGE_LIB, openScene, pinSmallOutput, startAppSession, std } from './harness.ts';

let app: AppSession;

beforeAll(async () => {
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
});

/** In-page: OUTPUT_PAGE_LIB's frames(n) and grab(), plus the output's WEBGL_lose_context. */
const LIB = `${OUTPUT_PAGE_LIB}
  const canvas = () => document.querySelector('[data-testid="output"] canvas');
  const loser = () => globalThis.glassforest.__loseContextExt ??= canvas().getContext('webgl2').getExtension('WEBGL_lose_context');
`;

describe('lost graphics context', () => {
  it('is reported, and once restored the scene, its post-processing and switching all work again', async () => {
    const s = await openScene(app.browser, app.url, 'glass-forest');
    const { page } = s;
    try {
      await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 5, null, { timeout: 60_000 });
      await pinSmallOutput(page);
      // Post-processing on, so its own targets (bloom at quarter size, the grade pass) must come back too.
      const before = (await page.evaluate(`(async () => { ${LIB}
        const bank = globalThis.glassforest.bank;
        for (const [p, v] of [['/post/bloom', 1.2], ['/post/bloom-threshold', 0.2], ['/post/vignette', 0.5], ['/scene/glass-forest/cameraDrift', 0]]) {
          if (bank.has(p)) { const r = bank.setByPath(p, v); if (!r.ok) throw new Error(r.message); }
        }
        await frames(20);
        return { luma: grab(), frames: globalThis.glassforest.frames, bloom: bank.get(bank.idOf('/post/bloom')) };
      })()`)) as { luma: number[]; frames: number; bloom: number };
      expect(mean(before.luma), 'a lit picture before the loss').toBeGreaterThan(8);

      const lost = (await page.evaluate(`(async () => { ${LIB}
        const ext = loser();
        if (!ext) throw new Error('WEBGL_lose_context is not available');
        const f0 = globalThis.glassforest.frames;
        ext.loseContext();
        await frames(15);
        return { isLost: canvas().getContext('webgl2').isContextLost(), framesWhileLost: globalThis.glassforest.frames - f0 };
      })()`)) as { isLost: boolean; framesWhileLost: number };
      expect(lost.isLost).toBe(true);
      // The frame loop (tick, modulation, analysis reading) keeps running while there is nothing to draw on.
      expect(lost.framesWhileLost).toBeGreaterThan(5);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="messages"] li')].some((li) => /graphics context was lost/i.test(li.textContent ?? '')), null, { timeout: 10_000 });

      await page.evaluate(`(() => { ${LIB} loser().restoreContext(); })()`);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="messages"] li')].some((li) => /graphics context restored/i.test(li.textContent ?? '')), null, { timeout: 20_000 });
      const after = (await page.evaluate(`(async () => { ${LIB}
        await frames(30);
        const bank = globalThis.glassforest.bank;
        return { luma: grab(), bloom: bank.get(bank.idOf('/post/bloom')), lost: canvas().getContext('webgl2').isContextLost() };
      })()`)) as { luma: number[]; bloom: number; lost: boolean };
      expect(after.lost).toBe(false);
      expect(after.bloom, 'parameter values survive').toBe(before.bloom);
      const m0 = mean(before.luma);
      const m1 = mean(after.luma);
      console.log(`context loss: luma before ${m0.toFixed(1)} (std ${std(before.luma).toFixed(1)}), after restore ${m1.toFixed(1)} (std ${std(after.luma).toFixed(1)}); ${lost.framesWhileLost} frames ticked while lost`);
      // The same scene, with bloom, draws again: as bright and as structured as before (the trees drift, so not pixel-equal).
      expect(m1, 'picture after restore').toBeGreaterThan(m0 * 0.6);
      expect(m1).toBeLessThan(m0 * 1.6 + 5);
      expect(std(after.luma), 'a structured picture, not a flat fill').toBeGreaterThan(std(before.luma) * 0.5);

      // A switch after the restore compiles the new scene on the new context and completes.
      await page.evaluate(() => (globalThis as any).glassforest.switchScene('spectral-veil', { transition: 'crossfade', durationSeconds: 0.3 }));
      await page.waitForFunction(() => {
        const m = (globalThis as any).glassforest.switcher.machine;
        return m.from === 'spectral-veil' && m.to === '';
      }, null, { timeout: 60_000 });
      const veil = (await page.evaluate(`(async () => { ${LIB} await frames(10); return grab(); })()`)) as number[];
      expect(std(veil), 'the new scene draws').toBeGreaterThan(2);

      const problems = (await s.problems()).filter((p) => !/graphics context/i.test(p));
      expect(problems).toEqual([]);
      expect((await messages(page)).filter((m) => /compositor|scene update|could not start/i.test(m))).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
