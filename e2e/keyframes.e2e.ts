/**
 * Texture keyframes in the browser: a shipped set loads (decoded in a worker, uploaded into a
 * texture array) and the glass forest refracts the blend; moving the blend pad changes the
 * picture; with sound-follow on, quiet pad music and loud drums played through the real audio
 * path (file source, AudioWorklet, essentia.js worker) pick different keyframes; loading another
 * set mid-play keeps frames coming and changes the picture once it is in; a missing image is
 * reported and the rest of the set still plays.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type AppSession, meanAbsDiff, messages, openApp, OUTPUT_PAGE_LIB, pinSmallOutput, startAppSession, tempDir, waitForPhase } from './harness.ts';

let app: AppSession;
/** One page on the glass forest shared by the tests that only need a set on screen (each page load costs seconds of software GL). */
let shared: Awaited<ReturnType<typeof openApp>> | null = null;

beforeAll(async () => {
  app = await startAppSession();
});

afterAll(async () => {
  await shared?.context.close();
  await app?.close();
});

/** The shared page with `set` on screen and the blend controls at their defaults. */
async function sharedPage(set = 'glass-dusk'): Promise<{ page: Page; errors: string[] }> {
  shared ??= await openApp(app.browser, app.url, '?source=none&dpr=1&scene=glass-forest&keyframes=glass-dusk');
  const { page, errors } = shared;
  await page.evaluate(async (name) => {
    const g = (globalThis as any).glassforest;
    g.bank.setByPath('/keyframes/amount', 1);
    g.bank.setByPath('/keyframes/mode', 'pad');
    g.bank.setByPath('/keyframes/sound', 0);
    const k = g.keyframes;
    if (k.setName !== name && k.status().phase !== 'loading') await k.load(name);
  }, set);
  await waitKeyframes(page, set);
  await pinSmallOutput(page);
  return { page, errors };
}

async function waitKeyframes(page: Page, set: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const k = (globalThis as any).glassforest?.keyframes;
      return k && k.setName === name && k.status().phase === 'ready';
    },
    set,
    { timeout, polling: 100 },
  );
}

/** Pad position and title of each keyframe of the set on screen. */
async function layout(page: Page): Promise<{ title: string; pad: [number, number]; layer: number; loudness: number }[]> {
  return page.evaluate(() => {
    const k = (globalThis as any).glassforest.keyframes;
    const set = k.gpu.current;
    const pads: Float32Array = k.deck.blend.padLayout;
    return Array.from(set.layerOf as Int32Array).map((layer, i) => {
      const kf = set.manifest.keyframes[layer];
      return { title: kf.title, pad: [pads[2 * i], pads[2 * i + 1]] as [number, number], layer, loudness: kf.signature?.loudness ?? Number.NaN };
    });
  });
}

describe('texture keyframes', () => {
  it('a set loads, the glass forest refracts it, and moving the blend pad changes the picture', async () => {
    const { page, errors } = await sharedPage();
    try {
      await waitKeyframes(page, 'glass-dusk');
      const status = await page.evaluate(() => (globalThis as any).glassforest.keyframes.status());
      expect(status).toMatchObject({ phase: 'ready', loaded: 7, total: 7 });
      await pinSmallOutput(page);
      const kf = await layout(page);
      expect(kf).toHaveLength(7);
      // two keyframes far apart on the pad, and far apart in brightness: the misty field and the night road
      const mist = kf.find((k) => /mist/i.test(k.title))!;
      const road = kf.find((k) => /road/i.test(k.title))!;
      const r = (await page.evaluate(`(async () => { ${OUTPUT_PAGE_LIB}
        const u = globalThis.glassforest.uniforms;
        const at = async (p) => { set('/keyframes/pad-x', p[0]); set('/keyframes/pad-y', p[1]); await frames(6); return { luma: grab(), layer: u.keyLayer[0], weight: u.keyWeight[0] }; };
        set('/scene/glass-forest/cameraDrift', 0);
        const a1 = await at(${JSON.stringify(mist.pad)});
        const a2 = await at(${JSON.stringify(mist.pad)});
        const b = await at(${JSON.stringify(road.pad)});
        set('/keyframes/amount', 0);
        await frames(6);
        const off = grab();
        return { a1, a2, b, off };
      })()`)) as { a1: { luma: number[]; layer: number; weight: number }; a2: { luma: number[] }; b: { luma: number[]; layer: number; weight: number }; off: number[] };
      // the cursor on a keyframe gives it the whole weight
      expect(r.a1.layer).toBe(mist.layer);
      expect(r.a1.weight).toBeCloseTo(1, 3);
      expect(r.b.layer).toBe(road.layer);
      expect(r.b.weight).toBeCloseTo(1, 3);
      const drift = meanAbsDiff(r.a1.luma, r.a2.luma);
      const change = meanAbsDiff(r.a2.luma, r.b.luma);
      const keyframesShown = meanAbsDiff(r.b.luma, r.off);
      console.log(`pad move: picture change ${change.toFixed(2)} (drift ${drift.toFixed(2)}); keyframes on/off ${keyframesShown.toFixed(2)}`);
      expect(change, `change ${change.toFixed(2)}, drift ${drift.toFixed(2)}`).toBeGreaterThan(Math.max(4, 3 * drift));
      expect(keyframesShown).toBeGreaterThan(Math.max(2, 3 * drift));
      expect(errors).toEqual([]);
    } finally {
      // the page stays open for the next test
    }
  });

  it('sound-follow: quiet pad music and loud drums through the live audio path choose different keyframes', async () => {
    const { writeWavFile } = await import('../scripts/wav.ts');
    const { chord, concat, mix, whiteNoise, seededRandom } = await import('../workers/analysis/signals.ts');
    const sr = 48000;
    const section = 7;
    // quiet, slow, tonal: an A minor pad near -40 dBFS
    const pad = chord({ notes: [57, 60, 64, 69], amplitude: 0.012, duration: section, sampleRate: sr });
    // loud drums at 128 BPM: kick on every beat, snare on 2 and 4, hats on eighths, peaks near 0 dBFS
    const drums = new Float32Array(section * sr);
    const rnd = seededRandom(7);
    const beat = 60 / 128;
    for (let t = 0.05, k = 0; t < section - 0.3; t += beat / 2, k++) {
      const at = Math.round(t * sr);
      if (k % 2 === 0) for (let i = 0; i < 0.18 * sr && at + i < drums.length; i++) {
        const x = i / sr;
        drums[at + i] += 0.85 * Math.sin(2 * Math.PI * (45 * x + (90 / 18) * (1 - Math.exp(-18 * x)))) * Math.exp(-x * 14);
      }
      if (k % 4 === 2) for (let i = 0; i < 0.12 * sr && at + i < drums.length; i++) drums[at + i] += 0.5 * (rnd() * 2 - 1) * Math.exp((-i / sr) * 28);
      for (let i = 0; i < 0.03 * sr && at + i < drums.length; i++) drums[at + i] += 0.18 * (rnd() * 2 - 1) * Math.exp((-i / sr) * 160);
    }
    const hiss = whiteNoise({ rms: 0.0005, duration: section, sampleRate: sr, seed: 3 });
    // a bright wash under the hits (open hats, cymbals), so the drum section stays loud and bright between them
    const wash = whiteNoise({ rms: 0.06, duration: section, sampleRate: sr, seed: 5 });
    const signal = concat([mix(pad, hiss), mix(drums, wash)]);
    const tmp = tempDir();
    const path = join(tmp.dir, 'pad-then-drums.wav');
    await writeWavFile(path, [signal], sr);
    const { page, context, errors } = await openApp(app.browser, app.url, '?source=none&dpr=1&scene=glass-forest&keyframes=glass-dusk');
    try {
      await waitKeyframes(page, 'glass-dusk');
      await waitForPhase(page, 'analysing');
      await page.evaluate(() => {
        const g = (globalThis as any).glassforest;
        g.audio.setLoop(false);
        // the sound alone chooses, sharply, with a short hold so each section settles within it
        for (const [p, v] of [['/keyframes/sound', 1], ['/keyframes/hold', 0.8], ['/keyframes/temperature', 0.01]] as const) g.bank.setByPath(p, v);
      });
      await page.setInputFiles('[data-testid="file-input"]', path);
      await page.waitForFunction(() => (globalThis as any).glassforest.audio.getStatus().source === 'file', null, { timeout: 30_000 });
      const start = await page.evaluate(() => (globalThis as any).glassforest.audio.sourceStartTime() as number);
      const leaderAt = async (t: number) => {
        await page.waitForFunction((end) => (globalThis as any).glassforest.audio.audioNow() > end, start + t, { timeout: 60_000, polling: 100 });
        return page.evaluate(() => {
          const g = (globalThis as any).glassforest;
          const k = g.keyframes;
          const slot = k.deck.blend.soundLeader as number;
          const layer = slot >= 0 ? k.gpu.current.layerOf[slot] : -1;
          return { layer, title: layer >= 0 ? k.gpu.current.manifest.keyframes[layer].title : '', live: Array.from(k.deck.live as Float32Array).map((x) => Number(x.toFixed(2))), top: g.uniforms.keyLayer[0] as number };
        });
      };
      const quiet = await leaderAt(section - 1.5);
      const loud = await leaderAt(section + 5);
      const kf = await layout(page);
      const sig = (layer: number) => kf.find((k) => k.layer === layer)?.loudness ?? Number.NaN;
      console.log(`sound-follow: pad -> "${quiet.title}" (live ${quiet.live.join(' ')}), drums -> "${loud.title}" (live ${loud.live.join(' ')})`);
      expect(quiet.layer).toBeGreaterThanOrEqual(0);
      expect(loud.layer).toBeGreaterThanOrEqual(0);
      expect(loud.layer).not.toBe(quiet.layer);
      // the keyframe chosen by the drums is one made for loud music, the pad's one for quiet
      expect(sig(loud.layer)).toBeGreaterThan(sig(quiet.layer));
      // the leader is what the scenes show (the sound alone decides)
      expect(loud.top).toBe(loud.layer);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      tmp.cleanup();
    }
  });

  it('loading another set mid-play keeps frames coming, then the picture shows the new set', async () => {
    const { page, errors } = await sharedPage();
    try {
      await waitKeyframes(page, 'glass-dusk');
      await pinSmallOutput(page);
      const r = (await page.evaluate(`(async () => { ${OUTPUT_PAGE_LIB}
        const g = globalThis.glassforest;
        set('/scene/glass-forest/cameraDrift', 0);
        await frames(6);
        const before = grab();
        const f0 = g.frames;
        const stamps = [];
        let loading = true;
        const tick = (t) => { stamps.push(t); if (loading) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        const ok = await g.keyframes.load('archive-haze');
        loading = false;
        const during = g.frames - f0;
        await frames(6);
        const after = grab();
        await frames(6);
        const after2 = grab();
        const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
        return { ok, during, before, after, after2, gaps, status: g.keyframes.status(), set: g.keyframes.setName };
      })()`)) as { ok: boolean; during: number; before: number[]; after: number[]; after2: number[]; gaps: number[]; status: { loaded: number; total: number; message: string }; set: string };
      expect(r.ok).toBe(true);
      expect(r.set).toBe('archive-haze');
      expect(r.status).toMatchObject({ loaded: 7, total: 7 });
      // one layer goes up per frame: the show kept drawing all through the load
      expect(r.during).toBeGreaterThanOrEqual(7);
      const sorted = [...r.gaps].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      console.log(`set load: ${r.status.message}; ${r.during} frames during the load, frame gap median ${median.toFixed(1)} ms, worst ${sorted.at(-1)!.toFixed(1)} ms`);
      const change = meanAbsDiff(r.before, r.after);
      const drift = meanAbsDiff(r.after, r.after2);
      expect(change, `change ${change.toFixed(2)}, drift ${drift.toFixed(2)}`).toBeGreaterThan(Math.max(2, 3 * drift));
      expect(errors).toEqual([]);
    } finally {
      // the page stays open for the next test
    }
  });

  it('a set with a missing image plays the rest and says which one is missing; an unknown set keeps the current one', async () => {
    const { page, errors } = await sharedPage();
    try {
      await waitKeyframes(page, 'glass-dusk');
      const r = await page.evaluate(async () => {
        const k = (globalThis as any).glassforest.keyframes;
        const entry = k.sets.find((s: { name: string }) => s.name === 'archive-haze');
        // the same set with one image path pointing nowhere, as after a file was deleted
        const broken = { ...entry.manifest, keyframes: entry.manifest.keyframes.map((kf: { file: string }, i: number) => (i === 2 ? { ...kf, file: 'gone.webp' } : kf)) };
        const set = await k.gpu.load(broken, (f: string) => (f === 'gone.webp' ? '/no/such/image.webp' : entry.urlOf(f)));
        const unknown = await k.load('no-such-set');
        return { loaded: set ? set.slots.length : -1, failed: set ? set.failed.map((f: { title: string; message: string }) => `${f.title}: ${f.message}`) : [], unknown, blendCount: k.deck.count };
      });
      expect(r.loaded).toBe(6);
      expect(r.blendCount).toBe(6);
      expect(r.failed).toHaveLength(1);
      expect(r.unknown).toBe(false);
      const shown = (await messages(page)).join('\n');
      expect(shown).toMatch(/left out/);
      expect(shown).toMatch(/No keyframe set "no-such-set"/);
      // frames still flow
      const f0 = await page.evaluate(() => (globalThis as any).glassforest.frames as number);
      await page.waitForFunction((f) => (globalThis as any).glassforest.frames > f + 3, f0, { timeout: 20_000 });
      expect(errors).toEqual([]);
    } finally {
      // the page stays open for the next test
    }
  });
});

describe('texture keyframes and a lost graphics context', () => {
  it('after the context comes back, the loaded set is on the GPU again and the pad still moves the picture', async () => {
    const { page, errors } = await sharedPage();
    try {
      await waitKeyframes(page, 'glass-dusk');
      await pinSmallOutput(page);
      const kf = await layout(page);
      const mist = kf.find((k) => /mist/i.test(k.title))!;
      const road = kf.find((k) => /road/i.test(k.title))!;
      const LIB = `${OUTPUT_PAGE_LIB}
        const canvas = () => document.querySelector('[data-testid="output"] canvas');
        const loser = () => globalThis.glassforest.__loseContextExt ??= canvas().getContext('webgl2').getExtension('WEBGL_lose_context');
        const at = async (p) => { set('/keyframes/pad-x', p[0]); set('/keyframes/pad-y', p[1]); await frames(6); return grab(); };`;
      const pair = async () =>
        (await page.evaluate(`(async () => { ${LIB}
          set('/scene/glass-forest/cameraDrift', 0);
          return { a: await at(${JSON.stringify(mist.pad)}), a2: await at(${JSON.stringify(mist.pad)}), b: await at(${JSON.stringify(road.pad)}) };
        })()`)) as { a: number[]; a2: number[]; b: number[] };
      const before = await pair();
      await page.evaluate(`(async () => { ${LIB} loser().loseContext(); await frames(10); loser().restoreContext(); })()`);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="messages"] li')].some((li) => /graphics context restored/i.test(li.textContent ?? '')), null, { timeout: 20_000 });
      await page.evaluate(`(async () => { ${LIB} await frames(10); })()`);
      const after = await pair();
      const changeBefore = meanAbsDiff(before.a2, before.b);
      const changeAfter = meanAbsDiff(after.a2, after.b);
      const drift = meanAbsDiff(after.a, after.a2);
      console.log(`context loss with keyframes: pad change before ${changeBefore.toFixed(1)}, after ${changeAfter.toFixed(1)} (drift ${drift.toFixed(2)}); same keyframe before/after ${meanAbsDiff(before.a2, after.a2).toFixed(2)}`);
      // the keyframes came back, not the placeholder: the pad moves the picture as much as before
      expect(changeAfter).toBeGreaterThan(Math.max(4, 3 * drift, 0.5 * changeBefore));
      expect(meanAbsDiff(before.a2, after.a2)).toBeLessThan(0.5 * changeBefore);
      expect(errors).toEqual([]);
    } finally {
      // the page stays open for the next test
    }
  });
});
