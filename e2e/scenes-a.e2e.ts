/**
 * The memory haze and the crowd render in software WebGL with no audio, without shader errors,
 * as a structured picture; what a loud input does through their default routes changes it; the
 * memory haze's onset → leak route brightens the frames on the dance fixture's onsets; and the
 * crowd's absolute-loudness → density route empties the concourse on the near-silence fixture
 * while the dance fixture fills it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PAGE_LIB, openFixturePage, readoutAfterFrame } from './fixture-kit.ts';
import { inOutputPage, mean, meanAbsDiff, openScene, selectedScene, startAppSession, std, type AppSession } from './harness.ts';

let app: AppSession;

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
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
});

describe('scenes: memory haze and crowd', () => {
  for (const c of CASES) {
    it(`${c.id} renders a structured picture with no audio, and a loud input changes it`, async () => {
      const { page, problems, close } = await openScene(app.browser, app.url, c.id);
      const { quiet, again, loud } = await inOutputPage<Record<string, number[]>>(
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
      expect(await selectedScene(page)).toBe(c.id);
      expect(mean(quiet), 'not black').toBeGreaterThan(8);
      expect(std(quiet), 'not a flat fill').toBeGreaterThan(4);
      const still = meanAbsDiff(quiet, again);
      expect(mean(loud) - mean(quiet), `loud ${mean(loud).toFixed(1)} vs quiet ${mean(quiet).toFixed(1)} (frame to frame ${still.toFixed(2)})`).toBeGreaterThan(Math.max(4, still * 3));
      expect(await problems()).toEqual([]);
      await close();
    });
  }

  it('the memory haze blooms a light leak on an onset of the sound (its default onset → leak route)', async () => {
    // Two pages replay the recorded dance fixture on the fixed frame clock, one with the scene's
    // default routes and one without its routes onto the leak: frame k is the same moment of the
    // same sound in both, so their difference on onset frames is what the onset → leak route adds.
    const run = async (withLeak: boolean) => {
      const { page, context, errors } = await openFixturePage(app.browser, app.url, { scene: 'memory-haze', fixture: 'dance', t: 0, width: 320, height: 180 });
      try {
        // The scene's default routes arrive once it has mounted.
        await page.waitForFunction(() => (globalThis as any).glassforest.tick.modulation.status().some((r: any) => r.route.target === '/scene/memory-haze/leak'), null, { timeout: 60_000 });
        await page.evaluate((keep) => {
          const host = (globalThis as any).glassforest;
          for (const p of ['drift', 'grain', 'shimmer']) host.bank.setByPath(`/scene/memory-haze/${p}`, 0);
          if (!keep) for (const r of host.tick.modulation.status()) if (r.route.target === '/scene/memory-haze/leak') host.tick.modulation.remove(r.key);
        }, withLeak);
        // Each read takes the envelope and the picture in the same callback, right after a drawn frame.
        const frames = (await page.evaluate(
          `(async () => { ${FIXTURE_PAGE_LIB}
            const out = {};
            const start = Math.max(globalThis.glassforest.fixture.rendered + 2, 90);
            for (let k = start; k < 165; k++) {
              const r = await afterFrame(k, () => { const g = lumaGrid(); return { onset: globalThis.glassforest.uniforms.onset, luma: g.reduce((s, v) => s + v, 0) / g.length }; });
              out[r.rendered] ??= r.value;
            }
            return out; })()`,
        )) as Record<string, { onset: number; luma: number }>;
        expect(errors).toEqual([]);
        return frames;
      } finally {
        await context.close();
      }
    };
    const withLeak = await run(true);
    const without = await run(false);
    const both = Object.keys(withLeak).filter((k) => k in without);
    expect(both.length, 'frames read in both pages').toBeGreaterThan(45);
    for (const k of both) expect(without[k].onset, `frame ${k}: the same sound in both pages`).toBeCloseTo(withLeak[k].onset, 5);
    const onsetFrames = both.filter((k) => withLeak[k].onset > 0.8);
    expect(onsetFrames.length, `onset frames among ${both.length}`).toBeGreaterThan(3);
    const gain = mean(onsetFrames.map((k) => withLeak[k].luma - without[k].luma));
    const text = `onset frames ${mean(onsetFrames.map((k) => withLeak[k].luma)).toFixed(1)} with the leak routes vs ${mean(onsetFrames.map((k) => without[k].luma)).toFixed(1)} without (${onsetFrames.length} frames)`;
    console.log(`memory haze light leak: ${text}`);
    expect(gain, text).toBeGreaterThan(8);
  });

  it('the crowd empties on the near-silence fixture and fills on the dance one (absolute loudness → density)', async () => {
    // Replayed on the fixed frame clock from 12 s in (the density routes have settled by then).
    // Walkers move only on drawn frames and software GL draws few a second, so both pages walk
    // at the top pace and draw a small output; the density routes run as the scene ships them.
    const FRAMES = 150;
    const crowd = async (fixture: string) => {
      const { page, context, errors } = await openFixturePage(app.browser, app.url, { scene: 'crowd', fixture, t: 12, width: 160, height: 90 });
      try {
        await page.evaluate(() => {
          const r = (globalThis as any).glassforest.bank.setByPath('/scene/crowd/pace', 2);
          if (!r.ok) throw new Error(r.message);
        });
        const first = await readoutAfterFrame(page, 1, 'crowd.walkers');
        const last = await readoutAfterFrame(page, first.rendered + FRAMES, 'crowd.walkers');
        const density = await page.evaluate(() => {
          const bank = (globalThis as any).glassforest.bank;
          return bank.getOutput(bank.idOf('/scene/crowd/density')) as number;
        });
        expect(errors).toEqual([]);
        return { first: first.value, last: last.value, frames: last.rendered - first.rendered, density };
      } finally {
        await context.close();
      }
    };
    const quiet = await crowd('near-silence');
    const dance = await crowd('dance');
    const text = (c: typeof quiet) => `${c.first} → ${c.last} walkers in ${c.frames} frames (density ${c.density.toFixed(2)})`;
    console.log(`crowd: near-silence ${text(quiet)}; dance ${text(dance)}`);
    expect(quiet.first, 'the scene publishes its walkers').toBeGreaterThan(0);
    // A near-silent room thins the opening crowd; music fills the concourse.
    expect(quiet.last, `near-silence ${text(quiet)}`).toBeLessThan(quiet.first);
    expect(dance.last, `dance ${text(dance)}`).toBeGreaterThan(dance.first);
    expect(quiet.last, `near-silence ${text(quiet)} vs dance ${text(dance)}`).toBeLessThan(0.45 * dance.last);
  });
});
