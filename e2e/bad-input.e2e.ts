/**
 * Bad input never stops the show: each case gives a plain message and the frame loop keeps
 * running on the last good state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeWavFile } from '../scripts/wav.ts';
import { sine } from '../workers/analysis/signals.ts';
import { frames, launch, messages, openApp, startServer, tempDir, waitForPhase, type TestServer } from './harness.ts';

let server: TestServer;
let url: string;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir();
  writeFileSync(join(tmp.dir, 'notes.wav'), 'these are my set notes, not audio\n'.repeat(50));
  writeFileSync(join(tmp.dir, 'empty.wav'), '');
  await writeWavFile(join(tmp.dir, 'good.wav'), [sine(330, 0.4, 30, 48000)], 48000);
  const eight: Float32Array[] = [];
  for (let c = 0; c < 8; c++) eight.push(sine(220 * (1 + c / 8), 0.3, 4, 96000));
  await writeWavFile(join(tmp.dir, 'eight.wav'), eight, 96000);
  await writeWavFile(join(tmp.dir, 'low-rate.wav'), [sine(440, 0.5, 4, 8000)], 8000);
  await writeWavFile(join(tmp.dir, 'high-rate.wav'), [sine(440, 0.5, 4, 192000), sine(440, 0.5, 4, 192000)], 192000, 'float32');
  ({ server, url } = await startServer());
});

afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

async function loopStillRuns(page: Page): Promise<void> {
  const a = await frames(page);
  await page.waitForTimeout(1000);
  const b = await frames(page);
  expect(b - a, 'frames drawn in 1 s').toBeGreaterThan(1);
}

async function pitchAndRms(page: Page): Promise<{ pitch: number; rms: number }> {
  return page.evaluate(() => {
    const g = (globalThis as any).glassforest;
    return { pitch: g.snapshot.features[g.layout.F.pitch], rms: g.snapshot.features[g.layout.F.rms] };
  });
}

async function playFile(page: Page, name: string): Promise<void> {
  await page.setInputFiles('[data-testid="file-input"]', join(tmp.dir, name));
}

async function waitMessage(page: Page, re: RegExp): Promise<string> {
  const h = await page.waitForFunction(
    (src) => {
      const r = new RegExp(src, 'i');
      return [...document.querySelectorAll('[data-testid="messages"] li')].map((e) => e.textContent ?? '').find((t) => r.test(t)) ?? null;
    },
    re.source,
    { timeout: 20_000 },
  );
  return (await h.jsonValue()) as string;
}

describe('bad audio files', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launch();
    ({ page } = await openApp(browser, url, '?source=none&dpr=0.25&scene=spectral-veil'));
    await waitForPhase(page, 'analysing');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a file that is not audio is refused with a clear message while the current source keeps playing', async () => {
    await playFile(page, 'good.wav');
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 20_000 });
    await page.waitForTimeout(1000);
    await playFile(page, 'notes.wav');
    const msg = await waitMessage(page, /notes\.wav.*could not be decoded/);
    expect(msg).toMatch(/current source keeps running/i);
    await loopStillRuns(page);
    expect(await page.evaluate(() => (globalThis as any).glassforest.audio.getStatus().sourceLabel)).toBe('good.wav');
    const f = await pitchAndRms(page);
    expect(f.pitch).toBeGreaterThan(320);
    expect(f.pitch).toBeLessThan(340);
  });

  it('an empty file is refused with a clear message', async () => {
    await playFile(page, 'empty.wav');
    await waitMessage(page, /empty\.wav.*empty/);
    await loopStillRuns(page);
  });

  it('an 8-channel 96 kHz file plays and is analysed', async () => {
    await playFile(page, 'eight.wav');
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().sourceLabel === 'eight.wav', null, { timeout: 20_000 });
    await page.waitForTimeout(800);
    // Eight unrelated sines averaged to mono: well above silence, below any one channel.
    expect((await pitchAndRms(page)).rms).toBeGreaterThan(0.02);
    await loopStillRuns(page);
  });

  it('8 kHz and 192 kHz files play at the right pitch', async () => {
    for (const name of ['low-rate.wav', 'high-rate.wav']) {
      await playFile(page, name);
      await page.waitForFunction((n) => (globalThis as any).glassforest.audio.getStatus().sourceLabel === n, name, { timeout: 20_000 });
      await page.waitForTimeout(800);
      const f = await pitchAndRms(page);
      expect(f.pitch, name).toBeGreaterThan(440 * 0.98);
      expect(f.pitch, name).toBeLessThan(440 * 1.02);
    }
    await loopStillRuns(page);
  });
});

describe('audio input failures', () => {
  it('a denied microphone gives a clear message and the engine keeps running', async () => {
    const browser = await launch({ denyMic: true });
    try {
      const { page } = await openApp(browser, url, '?source=mic&dpr=0.25&scene=spectral-veil');
      await waitForPhase(page, 'analysing');
      await waitMessage(page, /permission to use the microphone was denied/);
      await loopStillRuns(page);
    } finally {
      await browser.close();
    }
  });

  it('an input unplugged mid-run is reported and the visuals continue on silence', async () => {
    const browser = await launch({ fakeMic: join(tmp.dir, 'good.wav') });
    try {
      const { page } = await openApp(browser, url, '?source=mic&dpr=0.25&scene=spectral-veil');
      await waitForPhase(page, 'analysing');
      await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'mic', null, { timeout: 20_000 });
      await page.waitForFunction(() => (globalThis as any).glassforest.snapshot.hops > 50, null, { timeout: 20_000 });
      // What the browser does when a device disappears: the track ends.
      await page.evaluate(() => {
        const stream = (globalThis as any).glassforest.audio.micStream as MediaStream;
        const track = stream.getAudioTracks()[0];
        track.stop();
        track.dispatchEvent(new Event('ended'));
      });
      await waitMessage(page, /was disconnected/);
      expect(await page.evaluate(() => (globalThis as any).glassforest.audio.getStatus().source)).toBe('none');
      await loopStillRuns(page);
      const msgs = await messages(page);
      expect(msgs.some((m) => /choose another input/i.test(m))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});

describe('a crashed analysis worker', () => {
  it('is replaced, reported, and analysis resumes while the frames keep coming', async () => {
    const browser = await launch();
    try {
      const { page } = await openApp(browser, url, '?source=none&dpr=0.25&scene=spectral-veil');
      await waitForPhase(page, 'analysing');
      await playFile(page, 'good.wav');
      await page.waitForFunction(() => (globalThis as any).glassforest.snapshot.hops > 50, null, { timeout: 20_000 });
      // What the page sees when the worker dies of an uncaught error.
      await page.evaluate(() => {
        const audio = (globalThis as any).glassforest.audio;
        audio.worker.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash', cancelable: true }));
      });
      await waitMessage(page, /analysis worker stopped \(simulated crash\)/);
      expect(await page.evaluate(() => (globalThis as any).glassforest.audio.getStatus().workerRestarts)).toBe(1);
      const before = await page.evaluate(() => (globalThis as any).glassforest.snapshot.hops as number);
      await page.waitForFunction((h) => (globalThis as any).glassforest.snapshot.hops > h + 50, before, { timeout: 30_000 });
      const f = await pitchAndRms(page);
      expect(f.pitch).toBeGreaterThan(320);
      expect(f.pitch).toBeLessThan(340);
      await loopStillRuns(page);
    } finally {
      await browser.close();
    }
  });
});
