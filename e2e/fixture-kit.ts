/**
 * Pages in fixture mode (`?fixture=`): the output pinned to an exact size from the first frame,
 * features replayed from a recorded fixture on the fixed frame clock, and in-page helpers that
 * read the picture right after a chosen fixture frame was drawn. Shared by the scene tests, the
 * screenshot script and the frame-cost benchmark.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pinOutputAtLoad } from './harness.ts';

export interface FixturePageOptions {
  scene: string;
  fixture: string;
  /** Fixture time of the first drawn frame (seconds). */
  t?: number;
  freeze?: boolean;
  width: number;
  height: number;
}

export function fixtureQuery(o: FixturePageOptions): string {
  const q = new URLSearchParams({ source: 'none', dpr: '1', scene: o.scene, fixture: o.fixture, t: String(o.t ?? 0) });
  if (o.freeze) q.set('freeze', '1');
  return `?${q}`;
}

export interface FixturePage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and the engine's error messages (shader compile failures among them). */
  errors: string[];
}

/** Open the app in fixture mode with the output at exactly width×height CSS pixels (pixel ratio 1). */
export async function openFixturePage(browser: Browser, baseUrl: string, o: FixturePageOptions): Promise<FixturePage> {
  const context = await browser.newContext({ viewport: { width: Math.max(960, o.width), height: Math.max(540, o.height) } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('[glassforest]')) errors.push(m.text());
  });
  // Pinned before the first frame, so every fixture frame is drawn at the same size.
  await pinOutputAtLoad(page, o.width, o.height);
  await page.goto(baseUrl + fixtureQuery(o));
  await page.waitForFunction(() => (globalThis as any).glassforest?.fixture, null, { timeout: 60_000 });
  return { page, context, errors };
}

/**
 * In-page helpers (a string, so no bundler helper names reach the page). `afterFrame(k, read)`
 * runs `read()` in the animation frame right after fixture frame k was drawn (a callback queued
 * from an animation frame runs after the renderer's own), returning `{ rendered, value }`.
 */
export const FIXTURE_PAGE_LIB = `
  const afterFrame = (k, read) => new Promise((resolve, reject) => {
    const host = globalThis.glassforest;
    const deadline = performance.now() + 90000;
    const step = () => {
      const rendered = host.fixture ? host.fixture.rendered : -1;
      if (rendered >= k) resolve({ rendered, value: read() });
      else if (performance.now() > deadline) reject(new Error('fixture frame ' + k + ' not reached (at ' + rendered + ')'));
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const canvas = () => document.querySelector('[data-testid="output"] canvas');
  const lumaGrid = () => {
    const c = document.createElement('canvas');
    c.width = 64; c.height = 36;
    const g = c.getContext('2d');
    g.drawImage(canvas(), 0, 0, 64, 36);
    const d = g.getImageData(0, 0, 64, 36).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push(0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]);
    return out;
  };
  const png = () => canvas().toDataURL('image/png');
`;

/** A 64×36 luminance grid (0..255) of the output right after fixture frame `k` was drawn. */
export async function lumaAfterFrame(page: Page, k: number): Promise<{ rendered: number; luma: number[] }> {
  const r = (await page.evaluate(`(() => { ${FIXTURE_PAGE_LIB} return afterFrame(${k}, lumaGrid); })()`)) as { rendered: number; value: number[] };
  return { rendered: r.rendered, luma: r.value };
}

/** The output as PNG bytes right after fixture frame `k` was drawn. */
export async function pngAfterFrame(page: Page, k: number): Promise<{ rendered: number; png: Buffer }> {
  const r = (await page.evaluate(`(() => { ${FIXTURE_PAGE_LIB} return afterFrame(${k}, png); })()`)) as { rendered: number; value: string };
  return { rendered: r.rendered, png: Buffer.from(r.value.replace(/^data:image\/png;base64,/, ''), 'base64') };
}

/**
 * A number the scene publishes about itself (`host.readout.get(name)[0]`, e.g. the crowd's
 * `crowd.walkers`) right after fixture frame `k` was drawn; NaN when it publishes none.
 */
export async function readoutAfterFrame(page: Page, k: number, name: string): Promise<{ rendered: number; value: number }> {
  const read = `() => { const v = globalThis.glassforest.readout.get(${JSON.stringify(name)}); return v ? v[0] : null; }`;
  const r = (await page.evaluate(`(() => { ${FIXTURE_PAGE_LIB} return afterFrame(${k}, ${read}); })()`)) as { rendered: number; value: number | null };
  return { rendered: r.rendered, value: r.value ?? Number.NaN };
}

/** Ids of every registered scene, as the page's scene picker lists them. */
export async function registeredSceneIds(page: Page): Promise<string[]> {
  await page.waitForSelector('select[aria-label="Scene"] option', { state: 'attached', timeout: 60_000 });
  return page.$$eval('select[aria-label="Scene"] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
}

/**
 * Routes from a constant onto every number parameter of the scene, each pushing it to the far
 * end of its range: a route change the picture must show. Returns how many routes were added.
 */
export async function routeEveryParamToFarEnd(page: Page, sceneId: string): Promise<number> {
  return page.evaluate((id) => {
    const host = (globalThis as any).glassforest;
    let added = 0;
    for (const p of host.bank.describe()) {
      if (p.type !== 'number' || !p.path.startsWith(`/scene/${id}/`)) continue;
      const now = host.bank.getNormalized(p.id);
      const r = host.tick.modulation.add({ source: 'const:1', target: p.path, amount: now < 0.5 ? 1 : -1 });
      if (!r.ok) throw new Error(`route onto ${p.path} refused: ${JSON.stringify(r)}`);
      added++;
    }
    return added;
  }, sceneId);
}
