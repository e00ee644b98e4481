/**
 * The analysis spine end to end: a WAV as the microphone and as a played file, through the
 * capture worklet, the ring buffer, essentia.js in the worker and the feature bus, to the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { writeWavFile } from '../scripts/wav.ts';
import { clickTrain, sine } from '../workers/analysis/signals.ts';
import { launch, openApp, startServer, tempDir, waitForHops, waitForPhase, type TestServer } from './harness.ts';

const SR = 48000;
const CLICKS = [0.5, 0.9, 1.55, 2.0, 2.3, 3.1, 3.45, 4.2];

let server: TestServer;
let url: string;
let tmp: ReturnType<typeof tempDir>;
let sinePath: string;
let clicksPath: string;

beforeAll(async () => {
  tmp = tempDir();
  sinePath = join(tmp.dir, 'sine440.wav');
  clicksPath = join(tmp.dir, 'clicks.wav');
  await writeWavFile(sinePath, [sine(440, 0.5, 12, SR)], SR);
  await writeWavFile(clicksPath, [clickTrain(CLICKS, 5, SR)], SR);
  ({ server, url } = await startServer());
});

afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

describe('microphone input (fake capture device playing a WAV)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch({ fakeMic: sinePath });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reaches the analysing state without any click and measures the file’s pitch and RMS', async () => {
    const { page, errors } = await openApp(browser, url, '?source=mic&dpr=0.25&scene=spectral-veil');
    await waitForPhase(page, 'analysing');
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'mic', null, { timeout: 30_000 });
    await waitForHops(page, 200);
    // Median over a second of hops, read in the page.
    const m = await page.evaluate(async () => {
      const g = (globalThis as any).glassforest;
      const pitch: number[] = [];
      const rms: number[] = [];
      const conf: number[] = [];
      let seq = -1;
      // A private snapshot read straight from the feature bus, independent of the frame rate.
      const s = new g.snapshot.constructor();
      const t0 = performance.now();
      // Enough distinct hops for a median; a busy page (software GL) may poll slowly.
      while (pitch.length < 40 && performance.now() - t0 < 15000) {
        await new Promise((r) => setTimeout(r, 5));
        if (!g.reader.read(s)) continue;
        if (s.seq === seq) continue;
        seq = s.seq;
        const f = s.features;
        const { F } = g.layout;
        pitch.push(f[F.pitch]);
        rms.push(f[F.rms]);
        conf.push(f[F.pitchConfidence]);
      }
      const med = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
      return { pitch: med(pitch), rms: med(rms), conf: med(conf), n: pitch.length };
    });
    expect(m.n).toBeGreaterThanOrEqual(40);
    expect(m.pitch).toBeGreaterThan(440 * 0.99);
    expect(m.pitch).toBeLessThan(440 * 1.01);
    expect(m.rms).toBeGreaterThan(0.3536 * 0.97);
    expect(m.rms).toBeLessThan(0.3536 * 1.03);
    expect(m.conf).toBeGreaterThan(0.8);
    expect(errors).toEqual([]);
  });
});

describe('file input', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('stamps onsets with the audio time of the clicks (within 30 ms)', async () => {
    const { page } = await openApp(browser, url, '?source=none&dpr=0.25&scene=spectral-veil');
    await waitForPhase(page, 'analysing');
    await page.evaluate(() => (globalThis as any).glassforest.audio.setLoop(false));
    await page.setInputFiles('[data-testid="file-input"]', clicksPath);
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 30_000 });
    const start = await page.evaluate(() => (globalThis as any).glassforest.audio.sourceStartTime() as number);
    // Wait for the whole file to play.
    await page.waitForFunction(
      (end) => (globalThis as any).glassforest.audio.audioNow() > end,
      start + 5.3,
      { timeout: 30_000, polling: 100 },
    );
    const onsets = (await page.evaluate(() => (globalThis as any).glassforest.onsets() as number[])).filter((t) => t >= start - 0.1);
    const rel = onsets.map((t) => t - start);
    for (const c of CLICKS) {
      const nearest = rel.reduce((best, t) => (Math.abs(t - c) < Math.abs(best - c) ? t : best), Infinity);
      expect(Math.abs(nearest - c), `click at ${c}s, onsets ${rel.map((t) => t.toFixed(3)).join(', ')}`).toBeLessThan(0.03);
    }
    expect(rel.length).toBeLessThanOrEqual(CLICKS.length + 1);
  });
});
