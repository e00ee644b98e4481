/**
 * The panic controls and the shortcut overlay. Blackout and freeze act on the output's pixels
 * (read back from the real WebGL canvas) and hold while the scene keeps moving underneath; the
 * overlay lists the registry's shortcuts, and every shortcut it lists is pressed here and its
 * effect checked, so a listed key that does nothing (or a new key without a check) fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIXTURE_PAGE_LIB, openFixturePage } from './fixture-kit.ts';
import { meanAbsDiff, mean, openApp, selectedScene, startAppSession, type AppSession } from './harness.ts';

let app: AppSession;

beforeAll(async () => {
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
});

/** The output's 64×36 luminance right after a fixture frame at least `ahead` frames from now. */
async function lumaAhead(page: Page, ahead: number): Promise<number[]> {
  return (await page.evaluate(`(() => { ${FIXTURE_PAGE_LIB}
    const k = globalThis.glassforest.fixture.rendered + ${ahead};
    return afterFrame(k, lumaGrid).then((r) => r.value); })()`)) as number[];
}

const holdState = (page: Page) => page.getAttribute('[data-testid="hold"]', 'data-state');

describe('blackout and freeze', () => {
  it('blackout shows black and freeze holds the picture while the scene moves on; both come back exactly', async () => {
    // Fixture time runs (no freeze=1): every frame of the spectral veil differs from the last.
    const { page, context, errors } = await openFixturePage(app.browser, app.url, { scene: 'spectral-veil', fixture: 'dance', t: 4, width: 320, height: 180 });
    try {
      const live1 = await lumaAhead(page, 3);
      const live2 = await lumaAhead(page, 8);
      expect(mean(live1)).toBeGreaterThan(8);
      const liveChange = meanAbsDiff(live1, live2);
      expect(liveChange).toBeGreaterThan(0.5); // the picture moves on its own

      await page.keyboard.press('k');
      const black = await lumaAhead(page, 2);
      expect(Math.max(...black)).toBe(0);
      expect(await holdState(page)).toBe('blackout');
      expect(await page.evaluate(() => (globalThis as any).glassforest.bank.getByPath('/engine/blackout'))).toBe(true);
      await page.keyboard.press('k');
      const back = await lumaAhead(page, 2);
      expect(mean(back)).toBeGreaterThan(8);
      expect(await holdState(page)).toBe('live');

      // Freeze: the held frame stays put for many frames while the fixture plays on underneath.
      await page.keyboard.press('f');
      const held1 = await lumaAhead(page, 2);
      const renderedAtHold = await page.evaluate(() => (globalThis as any).glassforest.fixture.rendered as number);
      const held2 = await lumaAhead(page, 10);
      expect(await page.evaluate(() => (globalThis as any).glassforest.fixture.rendered as number)).toBeGreaterThanOrEqual(renderedAtHold + 10);
      expect(meanAbsDiff(held1, held2)).toBe(0);
      expect(await holdState(page)).toBe('frozen');

      // Blackout over a freeze, released: the held frame, not the live one.
      await page.keyboard.press('k');
      expect(Math.max(...(await lumaAhead(page, 2)))).toBe(0);
      await page.keyboard.press('k');
      expect(meanAbsDiff(await lumaAhead(page, 2), held1)).toBe(0);

      // Released: live again, and moving.
      await page.keyboard.press('f');
      const after1 = await lumaAhead(page, 2);
      const after2 = await lumaAhead(page, 8);
      expect(meanAbsDiff(after1, held1)).toBeGreaterThan(0.5);
      expect(meanAbsDiff(after1, after2)).toBeGreaterThan(0.5);

      // Parameters like any other: OSC and MIDI mappings reach them by path.
      await page.evaluate(() => (globalThis as any).glassforest.bank.setByPath('/engine/blackout', 1));
      expect(Math.max(...(await lumaAhead(page, 2)))).toBe(0);
      // The header button releases it.
      await page.click('.hold-buttons button.panic');
      expect(mean(await lumaAhead(page, 2))).toBeGreaterThan(8);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});

type Check = (page: Page, key: string) => Promise<void>;

const clock = (page: Page) =>
  page.evaluate(() => {
    const c = (globalThis as any).glassforest.tick.clock;
    return { bpm: c.bpm as number, barPhase: c.barPhase as number, position: c.position as number, time: c.time as number, free: c.freeRunning as boolean };
  });

async function press(page: Page, key: string): Promise<void> {
  // Keys as the overlay lists them ("shift+k" style tokens, or a character).
  if (key.startsWith('Shift+')) await page.keyboard.press(`Shift+${key.slice(6).length === 1 ? key.slice(6).toUpperCase() : key.slice(6)}`);
  else await page.keyboard.press(key === 'Space' ? ' ' : key);
}

/**
 * Tap about 85 BPM (700 ms apart; the clock starts free at 120), so a clock that follows the
 * taps is told apart from one that ignores them. Playwright's key presses on a loaded machine
 * are only roughly paced, hence the broad band.
 */
async function tapSlow(page: Page, key = 't'): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await press(page, key);
    await page.waitForTimeout(700);
  }
  await expect.poll(async () => (await clock(page)).bpm, { timeout: 5000 }).toBeLessThan(105);
}

/** A tempo to work on: tapped once, kept by the later checks on the same page. */
async function ensureTempo(page: Page): Promise<void> {
  if ((await clock(page)).free) await ensureTempo(page);
}

/** Beat position relative to a steady clock at the current tempo (changes only by phase moves). */
async function beatOffset(page: Page): Promise<number> {
  const c = await clock(page);
  return c.position - (c.time * c.bpm) / 60;
}

/** At least `n` presets in the bank on stage, each switching at once (no quantise). */
async function ensurePresets(page: Page, n: number): Promise<void> {
  await page.evaluate((count) => {
    const p = (globalThis as any).glassforest.presets;
    while ((p.bank?.entries.length ?? 0) < count) p.saveCurrent(`Look ${(p.bank?.entries.length ?? 0) + 1}`, 'none', '', 'none');
  }, n);
}

/** Slot and source of the newest preset switch, and a counter that moves with every switch. */
const lastSwitch = (page: Page) =>
  page.evaluate(() => {
    const p = (globalThis as any).glassforest.presets;
    return p.last ? { slot: p.last.slot as number, source: p.last.source as string, n: p.last.appliedAt as number } : null;
  });

async function fireSlot(page: Page, slot: number): Promise<void> {
  await page.evaluate((s) => (globalThis as any).glassforest.presets.trigger(s, 'api'), slot);
  await expect.poll(async () => (await lastSwitch(page))?.slot, { timeout: 5000 }).toBe(slot);
}

/** Pressing `key` moves the scene picker `step` places along the menu (wrapping). */
async function stepsScene(page: Page, key: string, step: number): Promise<void> {
  const before = await selectedScene(page);
  await press(page, key);
  await expect.poll(() => selectedScene(page), { timeout: 5000 }).not.toBe(before);
  const ids = await page.$$eval('select[aria-label="Scene"] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(await selectedScene(page)).toBe(ids[(ids.indexOf(before!) + step + ids.length) % ids.length]);
}

/** Every shortcut the overlay may list, with a check of what pressing it does. */
const CHECKS: Record<string, Check> = {
  'tap tempo': async (page, key) => {
    await tapSlow(page, key);
    const c = await clock(page);
    expect(c.free).toBe(false);
    expect(c.bpm).toBeGreaterThan(60);
    expect(c.bpm).toBeLessThan(105);
  },
  'beat 1 now (phase reset)': async (page, key) => {
    await ensureTempo(page);
    // Wait for the middle of a bar, then ask for beat one: the bar restarts.
    await page.waitForFunction(() => {
      const p = (globalThis as any).glassforest.tick.clock.barPhase;
      return p > 0.45 && p < 0.6;
    }, null, { timeout: 10_000, polling: 'raf' });
    await press(page, key);
    await page.waitForTimeout(150);
    expect((await clock(page)).barPhase).toBeLessThan(0.3);
  },
  'nudge a 1/16 beat earlier': async (page, key) => {
    await ensureTempo(page);
    const before = await beatOffset(page);
    await press(page, key);
    await page.waitForTimeout(1500); // the nudge is slewed over about a beat
    expect((await beatOffset(page)) - before).toBeCloseTo(-1 / 16, 1);
  },
  'nudge a 1/16 beat later': async (page, key) => {
    await ensureTempo(page);
    const before = await beatOffset(page);
    await press(page, key);
    await page.waitForTimeout(1500);
    expect((await beatOffset(page)) - before).toBeCloseTo(1 / 16, 1);
  },
  'half tempo': async (page, key) => {
    await ensureTempo(page);
    const before = (await clock(page)).bpm;
    await press(page, key);
    await expect.poll(async () => (await clock(page)).bpm / before, { timeout: 3000 }).toBeCloseTo(0.5, 1);
    await press(page, '='); // back
  },
  'double tempo': async (page, key) => {
    await ensureTempo(page);
    const before = (await clock(page)).bpm;
    await press(page, key);
    await expect.poll(async () => (await clock(page)).bpm / before, { timeout: 3000 }).toBeCloseTo(2, 1);
    await press(page, '-');
  },
  'blackout on / off': async (page, key) => {
    await press(page, key);
    await expect.poll(() => holdState(page), { timeout: 5000 }).toBe('blackout');
    await press(page, key);
    await expect.poll(() => holdState(page), { timeout: 5000 }).toBe('live');
  },
  'freeze the picture on / off': async (page, key) => {
    await press(page, key);
    await expect.poll(() => holdState(page), { timeout: 5000 }).toBe('frozen');
    await press(page, key);
    await expect.poll(() => holdState(page), { timeout: 5000 }).toBe('live');
  },
  'next scene (with the transition)': (page, key) => stepsScene(page, key, 1),
  'previous scene (with the transition)': (page, key) => stepsScene(page, key, -1),
  'fire preset slot 1–9 of the bank': async (page, key) => {
    await ensurePresets(page, 9);
    const before = (await lastSwitch(page))?.n ?? -1;
    await press(page, key);
    await expect.poll(async () => (await lastSwitch(page))?.n, { timeout: 5000 }).not.toBe(before);
    expect(await lastSwitch(page)).toMatchObject({ slot: Number(key) - 1, source: 'key' });
  },
  'previous preset in the set list': async (page, key) => {
    await ensurePresets(page, 9);
    await fireSlot(page, 5);
    await press(page, key);
    await expect.poll(async () => (await lastSwitch(page))?.slot, { timeout: 5000 }).toBe(4);
    expect((await lastSwitch(page))?.source).toBe('key');
  },
  'next preset in the set list': async (page, key) => {
    await ensurePresets(page, 9);
    await fireSlot(page, 5);
    await press(page, key);
    await expect.poll(async () => (await lastSwitch(page))?.slot, { timeout: 5000 }).toBe(6);
    expect((await lastSwitch(page))?.source).toBe('key');
  },
  'open a new output window': async (page, key) => {
    const count = () => page.evaluate(() => (globalThis as any).glassforestOutputs.list().length as number);
    const n = await count();
    const [popup] = await Promise.all([page.context().waitForEvent('page', { timeout: 10_000 }), press(page, key)]);
    expect(await count()).toBe(n + 1);
    expect(popup.url()).toMatch(/[?&]output=/);
    await popup.close();
  },
  'show / hide this list of shortcuts': async (page, key) => {
    await press(page, key);
    await page.waitForSelector('[data-testid="shortcuts"]', { timeout: 5000 });
    await press(page, key);
    await page.waitForSelector('[data-testid="shortcuts"]', { state: 'detached', timeout: 5000 });
  },
  'close this list': async (page, key) => {
    await press(page, '?');
    await page.waitForSelector('[data-testid="shortcuts"]', { timeout: 5000 });
    await press(page, key);
    await page.waitForSelector('[data-testid="shortcuts"]', { state: 'detached', timeout: 5000 });
  },
};

describe('the shortcut overlay', () => {
  it('lists only shortcuts that work: each listed key is pressed and does what the list says', async () => {
    const { page, context, errors } = await openApp(app.browser, app.url, '?source=none&fresh&dpr=0.25&scene=spectral-veil'); // no pixels read here: a small canvas keeps frames short
    try {
      await page.waitForFunction(() => (globalThis as any).glassforest?.frames > 3, null, { timeout: 60_000 });
      await page.keyboard.press('?');
      await page.waitForSelector('[data-testid="shortcuts"]', { timeout: 10_000 });
      const listed = await page.$$eval('[data-testid="shortcuts"] .shortcut', (els) =>
        els.map((e) => ({ label: (e as HTMLElement).dataset.label ?? '', keys: ((e as HTMLElement).dataset.keys ?? '').split(' ') })),
      );
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="shortcuts"]', { state: 'detached', timeout: 5000 });
      expect(listed.length).toBeGreaterThanOrEqual(8);
      const unchecked = listed.filter((s) => !(s.label in CHECKS)).map((s) => s.label);
      expect(unchecked, 'listed shortcuts without a check here').toEqual([]);
      for (const s of listed) {
        for (const key of s.keys) {
          try {
            await CHECKS[s.label](page, key);
          } catch (err) {
            throw new Error(`shortcut ${key} (${s.label}): ${String(err)}`);
          }
        }
      }
      // Typing in a field does not trigger shortcuts.
      await page.evaluate(() => {
        const i = document.createElement('input');
        i.id = 'typing';
        document.body.append(i);
      });
      await page.focus('#typing');
      await page.keyboard.press('k');
      await page.waitForTimeout(200);
      expect(await holdState(page)).toBe('live');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
