/** Without cross-origin isolation there is no shared memory: the page must say so plainly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frames, launch, openApp, startServer, type TestServer } from './harness.ts';

let server: TestServer;
let url: string;

beforeAll(async () => {
  ({ server, url } = await startServer({ isolated: false }));
});

afterAll(async () => {
  await server?.close();
});

describe('a page served without COOP/COEP headers', () => {
  it('explains that analysis cannot run and how to fix it, and still renders', async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openApp(browser, url, '?source=demo');
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
      const banner = page.locator('[role="alert"]');
      await banner.waitFor({ timeout: 30_000 });
      const text = await banner.textContent();
      expect(text).toMatch(/not cross-origin isolated/i);
      expect(text).toMatch(/Cross-Origin-Opener-Policy: same-origin/);
      expect(text).toMatch(/Cross-Origin-Embedder-Policy: require-corp/);
      await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().phase === 'error', null, { timeout: 30_000 });
      const a = await frames(page);
      await page.waitForTimeout(1000);
      expect(await frames(page)).toBeGreaterThan(a);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
