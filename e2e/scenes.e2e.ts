/**
 * Every registered scene, replayed from recorded feature fixtures on the fixed frame clock
 * (frame N is time N/60 s, `?fixture=&t=&freeze=1`), at 320×180 in headless Chromium:
 *  - the same fixture frame gives the same picture on two fresh page loads,
 *  - the dance fixture and the beatless ambient one (swapped in on the same page) give clearly
 *    different pictures,
 *  - a modulation route change shows in the picture (while the frozen picture otherwise holds),
 *  - no shader or page error is reported.
 * Self-consistent: pictures are compared with each other, not with stored reference PNGs
 * (scenes are still changing; docs/screenshots holds the 1280×720 pictures for readers).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, meanAbsDiff, startServer } from './harness.ts';
import { lumaAfterFrame, openFixturePage, registeredSceneIds, routeEveryParamToFarEnd, type FixturePageOptions } from './fixture-kit.ts';

/** Fixture time shown: well into the dance excerpt, after the beat clock locked. */
const AT_SECONDS = 3;
/** Drawn frames before the first read: shaders compiled, the first targets filled. */
const SETTLE = 6;
/** Luminance difference (0..255, 64×36 grid) two loads of the same frame may show at most. */
const SAME = 0.5;
/** Difference a change of input must at least make. */
const CHANGED = 1.5;

const { server, url } = await startServer();
const browser: Browser = await launch();
afterAll(async () => {
  await browser.close();
  await server.close();
});

const SCENE_IDS = await (async () => {
  const { page, context } = await openFixturePage(browser, url, { scene: '', fixture: 'dance', width: 320, height: 180 });
  try {
    return await registeredSceneIds(page);
  } finally {
    await context.close();
  }
})();

const opts = (scene: string, fixture: string): FixturePageOptions => ({ scene, fixture, t: AT_SECONDS, freeze: true, width: 320, height: 180 });

describe('scenes replayed from feature fixtures', () => {
  it('the page lists the registered scenes', () => {
    expect(SCENE_IDS.length).toBeGreaterThanOrEqual(4);
    expect(SCENE_IDS).toContain('glass-forest');
  });

  for (const id of SCENE_IDS) {
    it(`${id}: deterministic, follows features and routes, no shader errors`, async () => {
      const a = await openFixturePage(browser, url, opts(id, 'dance'));
      let first: number[], held: number[], routed: number[];
      let soundRoutes = 0;
      let routes = 0;
      try {
        const f1 = await lumaAfterFrame(a.page, SETTLE);
        expect(f1.rendered).toBe(SETTLE);
        first = f1.luma;
        held = (await lumaAfterFrame(a.page, SETTLE + 3)).luma;
        soundRoutes = await a.page.evaluate((sid) => (globalThis as any).glassforest.tick.modulation.specs().filter((r: { target: string }) => r.target.startsWith(`/scene/${sid}/`)).length, id);
        routes = await routeEveryParamToFarEnd(a.page, id);
        routed = (await lumaAfterFrame(a.page, SETTLE + 6)).luma;
        expect(a.errors).toEqual([]);
      } finally {
        await a.context.close();
      }

      const b = await openFixturePage(browser, url, opts(id, 'dance'));
      let again: number[], quiet: number[];
      try {
        const f = await lumaAfterFrame(b.page, SETTLE);
        expect(f.rendered).toBe(SETTLE);
        again = f.luma;
        // Same page, other input: the beatless ambient excerpt at the same fixture time.
        expect(await b.page.evaluate((t) => (globalThis as any).glassforest.loadFixture('ambient', t, true), AT_SECONDS)).toBe(true);
        quiet = (await lumaAfterFrame(b.page, 3)).luma;
        expect(b.errors).toEqual([]);
      } finally {
        await b.context.close();
      }

      const mean = first.reduce((s, v) => s + v, 0) / first.length;
      const d = { reload: meanAbsDiff(first, again), held: meanAbsDiff(first, held), features: meanAbsDiff(first, quiet), route: meanAbsDiff(held, routed) };
      console.log(`${id}: ${soundRoutes} sound routes, mean luma ${mean.toFixed(1)}, reload ${d.reload.toFixed(3)}, held ${d.held.toFixed(3)}, dance vs ambient ${d.features.toFixed(2)}, route ${d.route.toFixed(2)}`);
      // Not a blank picture: something is drawn.
      expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(8);
      expect(d.reload).toBeLessThanOrEqual(SAME);
      // Engine scenes and scenes with sound routes must follow the features; an ISF file without
      // routes hears sound only if its code reads audio, else only through routes the performer adds.
      if (soundRoutes > 0 || !id.startsWith('isf-')) expect(d.features).toBeGreaterThan(CHANGED);
      // A scene without parameters of its own (the loaded-ISF slot) has nothing to route to.
      if (routes > 0) expect(d.route).toBeGreaterThan(Math.max(CHANGED, 4 * d.held));
    });
  }
});
