/**
 * Nothing is lost on a reload: the working state (scene, every parameter value, the keyframe
 * set) is saved to the browser's IndexedDB as it changes and restored when the page opens; a
 * corrupt or foreign record leaves the page on its defaults with a message. Real IndexedDB in
 * headless Chromium. The tests share one browser context (one database, starting empty) and
 * reload its page, so the second goes on from where the first left it (or opens its own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { messages, openApp, startAppSession, type AppSession } from './harness.ts';

let session: AppSession;
let shared: { page: Page; context: BrowserContext; errors: string[] } | undefined;

beforeAll(async () => {
  session = await startAppSession();
});

afterAll(async () => {
  await shared?.context.close();
  await session?.close();
});

/** Wait until the restore is done and the autosave watches for changes. */
async function running(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as any).glassforest?.autosave.phase === 'running' && (globalThis as any).glassforest.frames > 2, null, { timeout: 60_000, polling: 50 });
}

/** Wait until a check has run after now and everything it saw is written. */
async function saved(page: Page): Promise<void> {
  const checks = await page.evaluate(() => (globalThis as any).glassforest.autosave.checks as number);
  await page.waitForFunction(
    (c) => {
      const a = (globalThis as any).glassforest.autosave;
      return a.checks > c && !a.writing && a.savedVersion === a.version;
    },
    checks,
    { timeout: 10_000, polling: 50 },
  );
}

const VALUES: Record<string, number | string | boolean> = {
  '/scene/glass-forest/haze': 0.8,
  '/scene/spectral-veil/drift': 0.9,
  '/post/bloom': 0.6,
  '/engine/transition/type': 'luma',
  '/keyframes/fader': 0.3,
  '/engine/flash-guard': true, // registered when the output mounts: applied once it is
};

async function values(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate((paths) => Object.fromEntries(paths.map((p) => [p, (globalThis as any).glassforest.bank.getByPath(p)])), Object.keys(VALUES));
}

describe('the working state survives a reload', () => {
  it('restores every value, the scene and the keyframe set; ?fresh starts from defaults', async () => {
    shared = await openApp(session.browser, session.url, '?source=none');
    const { page, errors } = shared;
    await running(page);
    const defaults = await values(page);
    expect(await page.evaluate(() => (globalThis as any).glassforest.switcher.selected)).toBe('glass-forest');

    // The performer's edits: another keyframe set, values of two scenes, post, transition, crossfader, and a scene switch.
    expect(await page.evaluate(() => (globalThis as any).glassforest.keyframes.load('archive-haze'))).toBe(true);
    const set = await page.evaluate(
      (v) => {
        const host = (globalThis as any).glassforest;
        for (const [path, value] of Object.entries(v)) {
          const r = host.bank.setByPath(path, value);
          if (!r.ok) throw new Error(r.message);
        }
        host.switchScene('spectral-veil');
        return host.keyframes.setName as string;
      },
      VALUES,
    );
    expect(set).toBe('archive-haze');
    await saved(page);

    // A reload without the test harness's `keyframes=none`, so the saved set is the one to load.
    await page.goto(`${session.url}?source=none`);
    await running(page);
    const after = await page.evaluate(() => {
      const host = (globalThis as any).glassforest;
      return { restored: host.autosave.restored, from: host.switcher.machine.from, selected: host.switcher.selected };
    });
    expect(after.restored).toMatchObject({ scene: 'spectral-veil', set: 'archive-haze' });
    expect(after.restored.values).toBeGreaterThan(20);
    expect(after.from, 'the saved scene is the first shown, without a transition from the default').toBe('spectral-veil');
    expect(after.selected).toBe('spectral-veil');
    await expect.poll(() => values(page), { timeout: 5000 }).toEqual(VALUES);
    await page.waitForFunction(() => (globalThis as any).glassforest.keyframes.status().set === 'archive-haze', null, { timeout: 10_000 });
    expect((await messages(page)).filter((m) => /working state/i.test(m))).toEqual([]);

    // ?fresh: defaults, and the saved state is neither loaded nor overwritten.
    await page.goto(`${session.url}?source=none&keyframes=none&fresh`);
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 2, null, { timeout: 60_000 });
    expect(await page.evaluate(() => (globalThis as any).glassforest.autosave.phase)).toBe('off');
    expect(await values(page)).toEqual(defaults);
    expect(await page.evaluate(() => (globalThis as any).glassforest.switcher.selected)).toBe('glass-forest');
    expect(errors).toEqual([]);
  });

  it('a corrupt or foreign record: the page runs on its defaults and says why', async () => {
    shared ??= await openApp(session.browser, session.url, '?source=none&fresh');
    const { page, errors } = shared;
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 2, null, { timeout: 60_000 });
    const defaults = await values(page);
    expect(defaults['/post/bloom']).toBe(0);
    const records = ['{"format":"glassforest-working","version":1,"preset":{', { format: 'glassforest-working', version: 99, preset: {} }];
    for (const record of records) {
      await page.evaluate(async (r) => {
        const host = (globalThis as any).glassforest;
        host.autosave.stop(); // nothing of this page's may overwrite the record before the reload
        host.bank.setByPath('/post/bloom', 1.5);
        await new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('glassforest'); // the version the app left (the app upgrades it)
          open.onerror = () => reject(open.error);
          open.onupgradeneeded = () => open.result.createObjectStore('working'); // a page that never saved
          open.onsuccess = () => {
            const tx = open.result.transaction('working', 'readwrite');
            tx.objectStore('working').put(typeof r === 'string' ? r : JSON.stringify(r), 'current');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        });
      }, record);
      await page.goto(`${session.url}?source=none&keyframes=none`);
      await running(page);
      expect(await values(page)).toEqual(defaults);
      expect(await page.evaluate(() => (globalThis as any).glassforest.switcher.selected)).toBe('glass-forest');
      await expect.poll(async () => (await messages(page)).filter((m) => /saved working state could not be used/i.test(m)).length, { timeout: 5000 }).toBe(1);
    }
    expect(errors).toEqual([]);
  });
});
