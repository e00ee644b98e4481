/**
 * The picture answers the sound: silence and sound render differently, and an onset flashes.
 * Pixels are read back from the real WebGL canvas (SwiftShader) at a small size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeWavFile } from '../scripts/wav.ts';
import { chord, clickTrain, mix } from '../workers/analysis/signals.ts';
import { grabOutput, launch, meanAbsDiff, openApp, startServer, tempDir, waitForPhase, type TestServer } from './harness.ts';

const SR = 48000;

let server: TestServer;
let url: string;
let tmp: ReturnType<typeof tempDir>;
let browser: Browser;
let musicPath: string;

/** Mean luminance and a downsampled grey image of the output canvas. */
async function grab(page: Page): Promise<{ mean: number; pixels: number[] }> {
  const pixels = await grabOutput(page);
  let sum = 0;
  for (const y of pixels) sum += y;
  return { mean: sum / pixels.length, pixels };
}

beforeAll(async () => {
  tmp = tempDir();
  musicPath = join(tmp.dir, 'music.wav');
  // A chord bed with sparse loud clicks: level, chroma and onsets all move.
  const bed = chord([57, 60, 64, 69], 0.15, 12, SR);
  const clicks = clickTrain([1, 3, 5, 7, 9, 11], 12, SR, 0.95);
  await writeWavFile(musicPath, [mix(bed, clicks)], SR);
  ({ server, url } = await startServer());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('the output picture', () => {
  it('differs between silence and sound, and flashes on an onset', async () => {
    const { page, errors } = await openApp(browser, url, '?source=none&scene=spectral-veil&dpr=1'); // no camera drift, no adaptive resolution: the silence baseline holds still
    await page.setViewportSize({ width: 760, height: 400 });
    await waitForPhase(page, 'analysing');
    await page.waitForTimeout(1500);
    const silentA = await grab(page);
    await page.waitForTimeout(500);
    const silentB = await grab(page);
    const drift = meanAbsDiff(silentA.pixels, silentB.pixels);

    await page.setInputFiles('[data-testid="file-input"]', musicPath);
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 30_000 });
    await page.waitForTimeout(2500);
    // A frame between clicks (onset envelope low) with sound.
    await page.waitForFunction(() => (globalThis as any).glassforest.uniforms.onset < 0.05, null, { timeout: 10_000, polling: 'raf' });
    const sound = await grab(page);
    const soundVsSilence = meanAbsDiff(sound.pixels, silentB.pixels);
    // A frame right on an onset.
    await page.waitForFunction(() => (globalThis as any).glassforest.uniforms.onset > 0.8, null, { timeout: 10_000, polling: 'raf' });
    const onset = await grab(page);

    expect(soundVsSilence, `sound vs silence ${soundVsSilence.toFixed(2)}, silence drift ${drift.toFixed(2)}`).toBeGreaterThan(Math.max(4, drift * 3));
    expect(onset.mean - sound.mean, `onset ${onset.mean.toFixed(1)} vs between onsets ${sound.mean.toFixed(1)}`).toBeGreaterThan(4);
    expect(errors).toEqual([]);
  });
});
