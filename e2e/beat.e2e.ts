/** Tap tempo from the keyboard drives the beat clock, the uniforms and the beat panel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViteDevServer } from 'vite';
import { launch, openApp, startServer, waitForPhase } from './harness.ts';

let server: ViteDevServer;
let url: string;

beforeAll(async () => {
  ({ server, url } = await startServer());
});

afterAll(async () => {
  await server?.close();
});

describe('tap tempo', () => {
  it('eight taps of T at 120 BPM set the tempo, make the tap source lead and move the beat', async () => {
    const browser = await launch();
    try {
      const { page, errors } = await openApp(browser, url, '?source=none');
      await waitForPhase(page, 'analysing');
      expect(await page.evaluate(() => (globalThis as any).glassforest.uniforms.bpm)).toBe(0);
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      // Every tap's event time, as the page stamps it (a loaded machine fires timers late).
      await page.evaluate(() => {
        const g = globalThis as any;
        g.__taps = [];
        window.addEventListener('keydown', (e) => { if (e.key === 't') g.__taps.push(e.timeStamp); }, { capture: true });
      });
      // The first tap from the real keyboard, then seven paced by the page's own timer, each aimed at
      // an absolute time from the first so timer lateness does not accumulate.
      await page.keyboard.press('t');
      await page.evaluate(async () => {
        const taps = (globalThis as any).__taps as number[];
        const t0 = taps[0];
        for (let i = 1; i < 8; i++) {
          await new Promise((r) => setTimeout(r, Math.max(0, t0 + i * 500 - performance.now())));
          window.dispatchEvent(new KeyboardEvent('keydown', { key: 't' }));
        }
      });
      const taps = (await page.evaluate(() => (globalThis as any).__taps)) as number[];
      expect(taps).toHaveLength(8);
      // The tempo the taps as stamped really have: a least-squares line through tap time against tap number.
      const n = taps.length;
      const mx = (n - 1) / 2;
      const my = taps.reduce((a, b) => a + b, 0) / n;
      const slope = taps.reduce((a, y, i) => a + (i - mx) * (y - my), 0) / taps.reduce((a, _y, i) => a + (i - mx) ** 2, 0);
      const tapped = 60_000 / slope;
      // The clock slews to a new tempo over a few frames: poll until it has it (within 2%).
      await expect
        .poll(() => page.evaluate(() => (globalThis as any).glassforest.tick.clock.bpm as number), { timeout: 5000, interval: 100 })
        .toBeGreaterThan(tapped * 0.98);
      const s = await page.evaluate(() => {
        const g = (globalThis as any).glassforest;
        return { bpm: g.tick.clock.bpm, leader: g.tick.clock.leader, uBpm: g.uniforms.bpm, free: g.tick.clock.freeRunning, time: g.tick.clock.time, now: g.audio.audioNow(), taps: g.tick.clock.tapTempo.count };
      });
      console.log(`tap tempo: taps as stamped ${tapped.toFixed(2)} BPM, clock ${s.bpm.toFixed(2)} BPM`);
      // The clock takes the tempo of the taps (within 3%: its fit drops outlying taps, a least-squares line does not), aimed at 120 BPM.
      expect(Math.abs(s.bpm / tapped - 1), `clock ${s.bpm}, taps ${tapped}`).toBeLessThan(0.03);
      expect(s.bpm).toBeGreaterThan(120 * 0.92);
      expect(s.bpm).toBeLessThan(120 * 1.08);
      expect(s.uBpm, JSON.stringify(s)).toBeGreaterThan(0);
      await expect.poll(() => page.textContent('[data-testid="bpm"]'), { timeout: 5000 }).toMatch(/1[12]\d\.\d BPM/);
      expect(await page.textContent('.panel.beat')).toMatch(/tap/i);
      // The beat counter advances at the tapped tempo: about 2 beats a second.
      const c0 = await page.evaluate(() => (globalThis as any).glassforest.uniforms.beatCount as number);
      await page.waitForTimeout(2000);
      const c1 = await page.evaluate(() => (globalThis as any).glassforest.uniforms.beatCount as number);
      expect(c1 - c0).toBeGreaterThanOrEqual(3);
      expect(c1 - c0).toBeLessThanOrEqual(5);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('beats from the audio', () => {
  it('a click track at 120 BPM: the page’s beats land on the clicks (median offset within 20 ms after lock)', async () => {
    const { writeWavFile } = await import('../scripts/wav.ts');
    const { clickTrain, pulseTimes } = await import('../workers/analysis/signals.ts');
    const { tempDir } = await import('./harness.ts');
    const { join } = await import('node:path');
    const tmp = tempDir();
    const clicks = pulseTimes(120, 28, 0.5);
    const path = join(tmp.dir, 'clicks120.wav');
    await writeWavFile(path, [clickTrain(clicks, 15, 48000)], 48000);
    const browser = await launch();
    try {
      const { page } = await openApp(browser, url, '?source=none');
      await waitForPhase(page, 'analysing');
      await page.evaluate(() => (globalThis as any).glassforest.audio.setLoop(false));
      await page.setInputFiles('[data-testid="file-input"]', path);
      await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 30_000 });
      const start = await page.evaluate(() => (globalThis as any).glassforest.audio.sourceStartTime() as number);
      await page.waitForFunction((end) => (globalThis as any).glassforest.audio.audioNow() > end, start + 14.5, { timeout: 40_000, polling: 200 });
      const s = await page.evaluate(() => {
        const g = (globalThis as any).glassforest;
        return { beats: g.beats() as number[], bpm: g.tick.clock.bpm as number };
      });
      const truth = clicks.map((c) => start + c);
      // After lock: beats from 5 s into the track until the clicks stop.
      const late = s.beats.filter((b) => b > start + 5 && b < start + clicks[clicks.length - 1] + 0.1);
      const offsets = late.map((b) => truth.reduce((best, c) => (Math.abs(b - c) < Math.abs(best) ? b - c : best), Infinity));
      const sorted = offsets.map(Math.abs).sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      console.log(`beat offsets after lock: median |offset| ${(median * 1000).toFixed(1)} ms over ${late.length} beats, bpm ${s.bpm.toFixed(2)}`);
      expect(s.bpm).toBeGreaterThan(120 * 0.96);
      expect(s.bpm).toBeLessThan(120 * 1.04);
      expect(late.length, `beats after lock: ${late.length}`).toBeGreaterThanOrEqual(14);
      expect(median, `offsets ms: ${offsets.map((o) => (o * 1000).toFixed(0)).join(' ')}`).toBeLessThan(0.02);
    } finally {
      await browser.close();
      tmp.cleanup();
    }
  });
});
