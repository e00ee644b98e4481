/**
 * The night road and breath render in software WebGL with no audio, without shader errors, as a
 * structured picture; and a louder input changes them the way their default routes promise:
 * the car drives off (lights up, the road moves), the glass fogs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { writeWavFile } from '../scripts/wav.ts';
import { inOutputPage, mean, meanAbsDiff, openScene, selectedScene, startAppSession, std, tempDir, waitForPhase, type AppSession } from './harness.ts';

let app: AppSession;
let tmp: ReturnType<typeof tempDir>;
let whisperPath: string;
const SR = 48000;

/**
 * Extra in-page helpers: holdLfos() drops the scene's free-running LFO routes so only the input
 * under test moves the picture; seconds(s) waits until the engine's own clock has advanced by s
 * (however slow the frames are).
 */
const LIB = `const seconds = async (s) => { const t0 = globalThis.glassforest.uniforms.time; while (globalThis.glassforest.uniforms.time - t0 < s) await frames(1); }; const holdLfos = () => { const m = globalThis.glassforest.tick.modulation; m.setRoutes(m.specs().filter((r) => !r.source.startsWith('lfo:'))); };`;

/** Run `body` (in-page code using frames/grab/set/seconds/holdLfos) in one evaluate; a dev-server reload retries. */
const inPage = <T>(page: Page, body: string): Promise<T> => inOutputPage<T>(page, body, LIB);

/** Pixels (of 64×36) that changed clearly: a local mark shows here when the mean barely moves. */
const changed = (a: number[], b: number[]) => a.filter((v, i) => Math.abs(v - b[i]) > 6).length;

beforeAll(async () => {
  tmp = tempDir();
  // A whisper: pink-ish noise breaths at about -45 dBFS, 1.2 s on, 1.8 s off.
  whisperPath = join(tmp.dir, 'whisper.wav');
  const n = SR * 12;
  const x = new Float32Array(n);
  let seed = 12345;
  let lp = 0;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    lp = 0.9 * lp + 0.1 * ((seed >>> 0) / 4294967296 - 0.5);
    const t = (i / SR) % 3;
    const env = t < 1.2 ? Math.sin((Math.PI * t) / 1.2) : 0;
    x[i] = lp * env * 0.05;
  }
  await writeWavFile(whisperPath, [x], SR);
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
  tmp?.cleanup();
});

describe('scenes: night road and breath', () => {
  it('night road: stands still in the dark with no sound; full throttle drives off, lights up and moves the road', async () => {
    const { page, close, problems } = await openScene(app.browser, app.url, 'night-road');
    const P = '/scene/night-road/';
    const { parked, parkedAgain, driving, drivingLater } = await inPage<Record<string, number[]>>(
      page,
      `
      set('${P}flicker', 0); set('${P}hum', 0); set('${P}distant', 0);
      await frames(6);
      const parked = grab();
      await seconds(0.5);
      const parkedAgain = grab();
      set('${P}throttle', 1); // what a loud input gives through the loudness → throttle route
      await seconds(2);
      const driving = grab();
      await seconds(0.2);
      const drivingLater = grab();
      return { parked, parkedAgain, driving, drivingLater };`,
    );
    expect(await selectedScene(page)).toBe('night-road');
    expect(mean(parked), 'not black').toBeGreaterThan(6);
    expect(std(parked), 'road, signs and sky: not a flat fill').toBeGreaterThan(6);
    const still = meanAbsDiff(parked, parkedAgain);
    const moving = meanAbsDiff(driving, drivingLater);
    console.log(`night road: parked mean ${mean(parked).toFixed(1)} std ${std(parked).toFixed(1)} still ${still.toFixed(2)}; driving mean ${mean(driving).toFixed(1)} moving ${moving.toFixed(2)}`);
    expect(mean(driving) - mean(parked), `driving ${mean(driving).toFixed(1)} vs parked ${mean(parked).toFixed(1)}`).toBeGreaterThan(2);
    expect(moving, `road moving ${moving.toFixed(2)} vs parked ${still.toFixed(2)}`).toBeGreaterThan(Math.max(0.5, still * 2));
    expect(await problems()).toEqual([]);
    await close();
  });

  it('breath: clear glass with no sound; a breath-sized input fogs it, a trace wipes a line through the fog', async () => {
    const { page, close, problems } = await openScene(app.browser, app.url, 'breath');
    const P = '/scene/breath/';
    const { clear, clearAgain, fogged, foggedAgain, traced } = await inPage<Record<string, number[]>>(
      page,
      `
      holdLfos(); set('${P}drops', 0); set('${P}pulse', 0);
      await frames(6);
      const clear = grab();
      await seconds(0.3);
      const clearAgain = grab();
      set('${P}breath', 0.1); // a faint sound: the scene's log response makes it bloom
      await seconds(1.5);
      const fogged = grab();
      await frames(3);
      const foggedAgain = grab();
      set('${P}trace', 1);
      await frames(3);
      const traced = grab();
      return { clear, clearAgain, fogged, foggedAgain, traced };`,
    );
    expect(mean(clear), 'not black').toBeGreaterThan(8);
    expect(std(clear), 'a figure against the light: not a flat fill').toBeGreaterThan(4);
    const still = meanAbsDiff(clear, clearAgain);
    const fog = meanAbsDiff(clear, fogged);
    console.log(`breath: clear mean ${mean(clear).toFixed(1)} std ${std(clear).toFixed(1)} still ${still.toFixed(2)}; fogged diff ${fog.toFixed(2)}; trace changed ${changed(foggedAgain, traced)} px vs ${changed(fogged, foggedAgain)}`);
    expect(fog, `fogged vs clear ${fog.toFixed(2)}, frame to frame ${still.toFixed(2)}`).toBeGreaterThan(Math.max(3, still * 4));
    const fogStill = changed(fogged, foggedAgain);
    const wiped = changed(foggedAgain, traced);
    expect(wiped, `pixels the trace changed: ${wiped}, fog frame to frame ${fogStill}`).toBeGreaterThan(Math.max(8, fogStill * 3));
    expect(await problems()).toEqual([]);
    await close();
  });

  it('breath: a whisper through the real audio path (loudness → breath route) fogs the glass', async () => {
    const { page, close, problems } = await openScene(app.browser, app.url, 'breath');
    await waitForPhase(page, 'analysing');
    const clear = await inPage<number[]>(page, `
      // Only the loudness → breath route runs, so the picture moves by the fog alone.
      const m = globalThis.glassforest.tick.modulation;
      m.setRoutes(m.specs().filter((r) => r.target === '/scene/breath/breath'));
      if (m.specs().length !== 1) throw new Error('the default loudness → breath route is missing');
      await frames(4);
      return grab();`);
    await page.setInputFiles('[data-testid="file-input"]', whisperPath);
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 30_000 });
    // The most fog seen over a breath or two, read in the scene's own parameter and on screen.
    const { breathMax, fogged } = await inPage<{ breathMax: number; fogged: number[] }>(
      page,
      `
      const id = globalThis.glassforest.bank.idOf('/scene/breath/breath');
      let breathMax = 0; let best = -1; let fogged = grab();
      const t0 = globalThis.glassforest.uniforms.time;
      while (globalThis.glassforest.uniforms.time - t0 < 4) {
        await frames(2);
        const b = globalThis.glassforest.bank.getOutput(id);
        breathMax = Math.max(breathMax, b);
        if (b > best) { best = b; fogged = grab(); }
      }
      return { breathMax, fogged };`,
    );
    console.log(`breath whisper: breath param max ${breathMax.toFixed(2)}, picture diff ${meanAbsDiff(clear, fogged).toFixed(2)}`);
    expect(breathMax, 'the loudness route reaches the scene').toBeGreaterThan(0.1);
    expect(meanAbsDiff(clear, fogged), 'a whisper visibly fogs the glass').toBeGreaterThan(2);
    expect(await problems()).toEqual([]);
    await close();
  });
});
