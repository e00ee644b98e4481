/**
 * The keyframe panel in the real page: the pad shows the set's thumbnails at their positions,
 * dragging its cursor with the mouse moves `/keyframes/pad-x`/`pad-y` and the weights follow,
 * the crossfader hands the weight from A to B, and the set picker loads another set while the
 * show plays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { messages, openApp, startAppSession, type AppSession } from './harness.ts';

let session: AppSession;

beforeAll(async () => {
  session = await startAppSession();
});

afterAll(async () => {
  await session?.close();
});

const PAD = '[data-testid="keyframe-pad"]';
const THUMBS = `${PAD} [data-testid="keyframe-thumb"]`;
const ROWS = '[data-testid="keyframe-weight"]';

async function waitForSet(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const k = (globalThis as any).glassforest?.keyframes;
      return k?.status().phase === 'ready' && k.setName === n;
    },
    name,
    { timeout: 60_000, polling: 100 },
  );
}

async function param(page: Page, path: string): Promise<number> {
  return page.evaluate((p) => (globalThis as any).glassforest.bank.getByPath(p) as number, path);
}

/** The weight rows as title → weight (the numbers the panel shows, refreshed ~10 times a second). */
async function rowWeights(page: Page): Promise<Record<string, number>> {
  return page.$$eval(ROWS, (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-title') ?? '', Number(e.getAttribute('data-weight') ?? 'NaN')])));
}

/** Title of the heaviest weight row. */
async function heaviest(page: Page): Promise<string> {
  const w = await rowWeights(page);
  return Object.entries(w).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('the keyframe panel', () => {
  it('drags the pad onto a keyframe, crossfades A to B and loads another set', async () => {
    const { page, context, errors } = await openApp(session.browser, session.url, '?source=none&keyframes=glass-dusk&dpr=0.25&scene=spectral-veil');
    await waitForSet(page, 'glass-dusk');
    await expect.poll(() => page.locator('[data-testid="keyframe-status"]').getAttribute('data-phase'), { timeout: 10_000 }).toBe('ready');
    await expect(page.locator('[data-testid="keyframe-status"]').textContent()).resolves.toContain('Glass dusk');

    // One thumbnail per keyframe, each at its manifest pad position, and one weight row each.
    const manifest = await page.evaluate(() =>
      (globalThis as any).glassforest.keyframes.currentEntry().manifest.keyframes.map((k: any) => ({ title: k.title, pad: k.pad })),
    ) as { title: string; pad: [number, number] }[];
    expect(manifest.length).toBe(7);
    await expect.poll(() => page.locator(THUMBS).count(), { timeout: 10_000 }).toBe(7);
    expect(await page.locator(ROWS).count()).toBe(7);
    const dusk = await page.locator(`${THUMBS} img`).evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
    expect(new Set(dusk).size).toBe(7);
    // The thumbnails really load (the bundle serves them).
    await page.waitForFunction((sel) => [...document.querySelectorAll<HTMLImageElement>(sel)].every((i) => i.complete && i.naturalWidth > 0), `${THUMBS} img`, { timeout: 20_000 });
    // The prompt and generator are in the tooltip, honestly procedural.
    expect(await page.locator(ROWS).first().getAttribute('title')).toMatch(/Prompt: .+\n.*procedural.*not an image model/s);

    // Drag the cursor with the mouse onto "Night road" (pad 0.85, 0.85: right and up).
    const target = manifest.find((k) => k.title.startsWith('Night road'));
    expect(target).toBeTruthy();
    await page.locator(PAD).scrollIntoViewIfNeeded();
    const from = await center(page, '[data-testid="keyframe-cursor"]');
    const to = await center(page, `${THUMBS}[data-title="${target!.title}"]`);
    const padBox = (await page.locator(PAD).boundingBox())!;
    // The thumbnail sits where its pad position says (y up).
    expect((to.x - padBox.x) / padBox.width).toBeCloseTo(target!.pad[0], 1);
    expect(1 - (to.y - padBox.y) / padBox.height).toBeCloseTo(target!.pad[1], 1);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
    // Mid-drag the parameters already follow the pointer.
    await expect.poll(() => param(page, '/keyframes/pad-x'), { timeout: 5_000 }).toBeGreaterThan(0.55);
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    expect(await param(page, '/keyframes/pad-x')).toBeCloseTo(target!.pad[0], 1);
    expect(await param(page, '/keyframes/pad-y')).toBeCloseTo(target!.pad[1], 1);
    await expect.poll(() => heaviest(page), { timeout: 10_000 }).toBe(target!.title);
    // The numbers refresh ~10 times a second: wait past any from mid-drag.
    await expect.poll(async () => (await rowWeights(page))[target!.title], { timeout: 5_000 }).toBeGreaterThan(0.8);
    // The pad's own thumbnail shows it too.
    expect(await page.locator(`${THUMBS}.lead`).getAttribute('data-title')).toBe(target!.title);

    // Keyboard: arrows move the focused cursor (the drag focused it).
    const xBefore = await param(page, '/keyframes/pad-x');
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await param(page, '/keyframes/pad-x')).toBeCloseTo(xBefore - 0.1, 3);

    // Crossfader mode: A = keyframe 1, B = keyframe 3; the fader hands the weight from A to B.
    await page.getByRole('group', { name: 'Blend mode' }).getByRole('button', { name: 'Crossfader' }).click();
    expect(await page.evaluate(() => (globalThis as any).glassforest.bank.getByPath('/keyframes/mode'))).toBe('crossfader');
    await page.selectOption('select[aria-label="Crossfader A"]', '1');
    await page.selectOption('select[aria-label="Crossfader B"]', '3');
    expect(await param(page, '/keyframes/a')).toBe(1);
    expect(await param(page, '/keyframes/b')).toBe(3);
    const fader = page.locator('input[aria-label="Fader A ↔ B"]');
    await fader.focus();
    await page.keyboard.press('Home');
    expect(await param(page, '/keyframes/fader')).toBe(0);
    const [titleA, titleB] = [manifest[0].title, manifest[2].title];
    await expect.poll(() => heaviest(page), { timeout: 10_000 }).toBe(titleA);
    await expect.poll(async () => (await rowWeights(page))[titleA], { timeout: 5_000 }).toBeGreaterThan(0.99);
    // Drag the fader most of the way to B with the mouse.
    const fb = (await fader.boundingBox())!;
    await page.mouse.click(fb.x + fb.width * 0.8, fb.y + fb.height / 2);
    const mid = await param(page, '/keyframes/fader');
    expect(mid).toBeGreaterThan(0.6);
    expect(mid).toBeLessThan(0.95);
    await expect.poll(() => heaviest(page), { timeout: 10_000 }).toBe(titleB);
    const w = await rowWeights(page);
    expect(w[titleA]).toBeGreaterThan(0.02);
    expect(w[titleB]).toBeGreaterThan(w[titleA]);
    expect(w[titleA] + w[titleB]).toBeGreaterThan(0.99);
    await page.keyboard.press('End');
    expect(await param(page, '/keyframes/fader')).toBe(1);
    await expect.poll(async () => (await rowWeights(page))[titleB], { timeout: 10_000 }).toBeGreaterThan(0.99);

    // The set picker loads another set while the show plays.
    await page.selectOption('select[aria-label="Keyframe set"]', 'archive-haze');
    await waitForSet(page, 'archive-haze');
    await expect.poll(() => page.locator('[data-testid="keyframe-status"]').getAttribute('data-set'), { timeout: 10_000 }).toBe('archive-haze');
    await expect.poll(() => page.locator(PAD).getAttribute('data-set'), { timeout: 10_000 }).toBe('archive-haze');
    expect(await page.locator('[data-testid="keyframe-status"]').getAttribute('data-phase')).toBe('ready');
    expect(await page.locator('select[aria-label="Keyframe set"]').inputValue()).toBe('archive-haze');
    expect(await page.locator(THUMBS).count()).toBe(7);
    const haze = await page.locator(`${THUMBS} img`).evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
    expect(haze.filter((s) => dusk.includes(s))).toEqual([]);
    const hazeTitles = await page.locator(ROWS).evaluateAll((els) => els.map((e) => e.getAttribute('data-title')));
    expect(hazeTitles).toContain('A sea no one remembers');
    // The crossfader keeps its settings on the new set: all on B (keyframe 3).
    await expect.poll(() => heaviest(page), { timeout: 10_000 }).toBe(hazeTitles[2]);

    expect((await messages(page)).filter((m) => /error|failed/i.test(m))).toEqual([]);

    // A set none of whose images load is refused: the panel says so and the set on screen stays.
    await page.evaluate(() => {
      const k = (globalThis as any).glassforest.keyframes;
      const m = k.currentEntry().manifest;
      void k.gpu.load({ ...m, name: 'broken-set', title: 'Broken set', keyframes: m.keyframes.map((f: any) => ({ ...f, file: 'missing.webp' })) }, (f: string) => `/no-such-folder/${f}`);
    });
    await expect.poll(() => page.locator('[data-testid="keyframe-status"]').getAttribute('data-phase'), { timeout: 20_000 }).toBe('error');
    expect(await page.locator('[data-testid="keyframe-status"]').textContent()).toContain('not loaded');
    expect(await page.locator(PAD).getAttribute('data-set')).toBe('archive-haze');
    expect(await page.locator('select[aria-label="Keyframe set"]').inputValue()).toBe('archive-haze');
    expect(await page.locator(THUMBS).count()).toBe(7);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('starts with no set, keeps its controls working, and loads one from the picker', async () => {
    const { page, context, errors } = await openApp(session.browser, session.url, '?source=none&keyframes=none&dpr=0.25&scene=spectral-veil');
    await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 2, null, { timeout: 60_000 });
    const status = page.locator('[data-testid="keyframe-status"]');
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 10_000 }).toBe('idle');
    expect(await page.locator(THUMBS).count()).toBe(0);
    expect(await page.locator(ROWS).count()).toBe(0);

    // The pad still drives its parameters (MIDI and OSC may set them before a set is loaded).
    await page.locator(PAD).scrollIntoViewIfNeeded();
    const box = (await page.locator(PAD).boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.25);
    expect(await param(page, '/keyframes/pad-x')).toBeCloseTo(0.25, 1);
    expect(await param(page, '/keyframes/pad-y')).toBeCloseTo(0.75, 1);

    await page.selectOption('select[aria-label="Keyframe set"]', 'glass-dusk');
    await waitForSet(page, 'glass-dusk');
    await expect.poll(() => page.locator(THUMBS).count(), { timeout: 10_000 }).toBe(7);
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 10_000 }).toBe('ready');
    // The cursor near "Faceless figures on a platform" (0.2, 0.8) gives it the most weight.
    await expect.poll(() => heaviest(page), { timeout: 10_000 }).toBe('Faceless figures on a platform');
    expect(errors).toEqual([]);
    await context.close();
  });
});
