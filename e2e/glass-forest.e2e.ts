/**
 * The glass forest renders a structured, non-black picture at a small size in software WebGL,
 * and its parameters and the sound both change what is seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeWavFile } from '../scripts/wav.ts';
import { chord, clickTrain, mix } from '../workers/analysis/signals.ts';
import { inOutputPage, mean, meanAbsDiff, openApp, openScene, startAppSession, std, tempDir, waitForPhase, type AppSession } from './harness.ts';

const SR = 48000;
const P = '/scene/glass-forest/';

let app: AppSession;
let tmp: ReturnType<typeof tempDir>;
let musicPath: string;

/** Mean absolute difference between horizontal neighbours: edges, i.e. drawn structure. */
const edges = (a: number[]) => {
  let s = 0;
  for (let y = 0; y < 36; y++) for (let x = 1; x < 64; x++) s += Math.abs(a[y * 64 + x] - a[y * 64 + x - 1]);
  return s / (36 * 63);
};

beforeAll(async () => {
  tmp = tempDir();
  musicPath = join(tmp.dir, 'music.wav');
  const bed = chord([57, 60, 64, 69], 0.15, 12, SR);
  const clicks = clickTrain([1, 3, 5, 7, 9, 11], 12, SR, 0.95);
  await writeWavFile(musicPath, [mix(bed, clicks)], SR);
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
  tmp?.cleanup();
});

describe('the glass forest', () => {
  it('is the scene the app opens with', async () => {
    const { page, context } = await openApp(app.browser, app.url, '?source=none&dpr=1');
    const selected = await inOutputPage<string>(page, `return document.querySelector('select[aria-label="Scene"]').value;`);
    expect(selected).toBe('glass-forest');
    await context.close();
  });

  it('renders a structured picture that its parameters change', async () => {
    const { page, context, errors } = await openScene(app.browser, app.url, 'glass-forest');
    // Camera, drift and sway held still so only the parameter under test moves the picture.
    const { a, b, dense, bare, flashed, bright } = await inOutputPage<Record<string, number[]>>(
      page,
      `
      set('${P}cameraDrift', 0); set('${P}drift', 0); set('${P}sway', 0);
      await frames(6);
      const a = grab();
      await frames(2);
      const b = grab();
      set('${P}trees', 300);
      await frames(4);
      const dense = grab();
      set('${P}trees', 0);
      await frames(4);
      const bare = grab();
      set('${P}trees', 48);
      set('${P}flash', 0.8); // what a full onset adds through the default route
      await frames(4);
      const flashed = grab();
      set('${P}flash', 0); set('${P}exposure', 2);
      await frames(4);
      const bright = grab();
      return { a, b, dense, bare, flashed, bright };`,
    );
    const still = meanAbsDiff(a, b);
    expect(mean(a), 'not black').toBeGreaterThan(8);
    expect(std(a), 'not a flat fill').toBeGreaterThan(5);
    expect(edges(a), 'has drawn edges (trees against the sky)').toBeGreaterThan(1.5);

    expect(meanAbsDiff(dense, bare), `300 trees vs none, against frame-to-frame ${still.toFixed(2)}`).toBeGreaterThan(Math.max(2, still * 3));
    expect(edges(bare), 'the trees make the structure').toBeLessThan(edges(a));
    expect(edges(a)).toBeLessThan(edges(dense));

    expect(mean(flashed) - mean(a), 'an onset-sized flash lights the picture').toBeGreaterThan(4);
    expect(mean(bright) - mean(a), 'exposure +2 EV brightens').toBeGreaterThan(8);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('flashes its glass on an onset of the sound (the default onset → flash route)', async () => {
    const { page, context, errors } = await openScene(app.browser, app.url, 'glass-forest');
    await waitForPhase(page, 'analysing');
    await inOutputPage(page, `set('${P}cameraDrift', 0); set('${P}drift', 0);`);
    await page.setInputFiles('[data-testid="file-input"]', musicPath);
    await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 30_000 });
    // Between clicks (onset envelope low), then right on a click: the same page load throughout.
    const { between, onset, flash } = await inOutputPage<{ between: number[]; onset: number[]; flash: number }>(
      page,
      `
      const until = async (ok) => { for (let i = 0; i < 2000 && !ok(); i++) await frames(1); if (!ok()) throw new Error('condition not reached'); };
      await until(() => globalThis.glassforest.uniforms.onset < 0.05 && globalThis.glassforest.snapshot.hops > 0);
      const between = grab();
      await until(() => globalThis.glassforest.uniforms.onset > 0.8);
      await frames(1);
      return { between, onset: grab(), flash: globalThis.glassforest.uniforms.onset };`,
    );
    expect(flash).toBeGreaterThan(0.3);
    expect(mean(onset) - mean(between), `onset ${mean(onset).toFixed(1)} vs between ${mean(between).toFixed(1)}`).toBeGreaterThan(3);
    expect(errors).toEqual([]);
    await context.close();
  });
});
