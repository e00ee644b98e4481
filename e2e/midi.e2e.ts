/**
 * MIDI in the real page with an injected Web MIDI implementation (headless Chromium has no MIDI
 * system): learn through the UI, mappings surviving a reload, and MIDI clock leading the beat clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, startServer, withKeyframes, type TestServer } from './harness.ts';

let server: TestServer;
let url: string;

beforeAll(async () => {
  ({ server, url } = await startServer());
});

afterAll(async () => {
  await server?.close();
});

const PORT_NAME = 'Test Controller';

/**
 * A Web MIDI stand-in with one input and one output. `__midiSend(bytes, timeStamp?)` delivers
 * bytes as the input's MIDIMessageEvent; bytes the page sends out are kept in `__midiOut`.
 */
function fakeWebMidi(portName: string): void {
  const sent: number[][] = [];
  const input = {
    id: 'fake-in-1',
    name: portName,
    manufacturer: 'test',
    type: 'input',
    state: 'connected',
    connection: 'open',
    onmidimessage: null as null | ((e: { data: Uint8Array; timeStamp: number }) => void),
    onstatechange: null,
  };
  const output = {
    id: 'fake-out-1',
    name: portName,
    manufacturer: 'test',
    type: 'output',
    state: 'connected',
    connection: 'open',
    send(data: ArrayLike<number>) {
      sent.push(Array.from(data));
    },
  };
  const access = {
    inputs: new Map([[input.id, input]]),
    outputs: new Map([[output.id, output]]),
    sysexEnabled: false,
    onstatechange: null,
  };
  Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
    configurable: true,
    value: () => Promise.resolve(access),
  });
  const g = globalThis as unknown as Record<string, unknown>;
  g.__midiOut = sent;
  g.__midiSend = (bytes: number[], timeStamp?: number) => {
    input.onmidimessage?.({ data: new Uint8Array(bytes), timeStamp: timeStamp ?? performance.now() });
  };
}

/** A page of the app (no audio source) whose Web MIDI is the fake controller; page errors collected. */
async function openMidiPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
  await context.addInitScript(fakeWebMidi, PORT_NAME);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url + withKeyframes('?source=none&dpr=0.25&scene=spectral-veil'));
  return { context, page, errors };
}

async function send(page: Page, bytes: number[]): Promise<void> {
  await page.evaluate((b) => (globalThis as any).__midiSend(b), bytes);
}

/** Normalised (0..1) value of a parameter, read from the page's bank. */
async function normalized(page: Page, path: string): Promise<number> {
  return page.evaluate((p) => {
    const b = (globalThis as any).glassforest.bank;
    return b.getNormalized(b.idOf(p)) as number;
  }, path);
}

async function waitFrames(page: Page, n: number): Promise<void> {
  const f0 = await page.evaluate(() => (globalThis as any).glassforest.frames as number);
  await page.waitForFunction((k) => ((globalThis as any).glassforest?.frames ?? 0) >= k, f0 + n, { timeout: 20_000, polling: 20 });
}

describe('MIDI in the page', () => {
  it('learn: arm a parameter in the panel, turn a knob, the parameter follows; the mapping survives a reload', async () => {
    const browser = await launch();
    try {
      const { context, page, errors } = await openMidiPage(browser);
      await expect.poll(() => page.getAttribute('[data-testid="midi-status"]', 'data-state'), { timeout: 60_000 }).toBe('ready');
      expect(await page.textContent('[data-testid="midi-inputs"]')).toContain(PORT_NAME);
      await page.evaluate(() => localStorage.removeItem('glassforest.midi.mappings'));
      const path = '/scene/spectral-veil/intensity';

      await page.click('[data-testid="midi-learn"]');
      await page.click(`[data-testid="midi-param"][data-path="${path}"]`);
      expect(await page.evaluate(() => (globalThis as any).glassforest.midi.getStatus().armed)).toBe(path);
      // Clock and a one-step flicker on another knob must not be learned.
      await send(page, [0xf8]);
      await send(page, [0xb0, 30, 64]);
      await send(page, [0xb0, 30, 63]);
      await waitFrames(page, 3);
      expect(await page.locator('[data-testid="midi-mapping"]').count()).toBe(0);
      // Knob 21 on channel 1 turned, as a controller sends it (running status).
      await send(page, [0xb0, 21, 20, 21, 24, 21, 30]);
      await expect.poll(() => page.locator('[data-testid="midi-mapping"]').count(), { timeout: 10_000 }).toBe(1);
      expect(await page.getAttribute('[data-testid="midi-mapping"]', 'data-param')).toBe(path);
      expect(await page.textContent('[data-testid="midi-mapping"]')).toContain('CC 21 ch 1');

      for (const v of [127, 0, 64]) {
        await send(page, [0xb0, 21, v]);
        await expect.poll(() => normalized(page, path), { timeout: 5000 }).toBeCloseTo(v / 127, 2);
      }
      // Feedback: the knob's own moves are not echoed; a change from elsewhere goes out to the controller.
      await waitFrames(page, 3);
      const echoed = await page.evaluate(() => ((globalThis as any).__midiOut as number[][]).filter((m) => m[0] === 0xb0 && m[1] === 21).length);
      await page.evaluate((p) => {
        const b = (globalThis as any).glassforest.bank;
        b.setNormalized(b.idOf(p), 0.25);
      }, path);
      await expect
        .poll(() => page.evaluate(() => ((globalThis as any).__midiOut as number[][]).filter((m) => m[0] === 0xb0 && m[1] === 21).map((m) => m[2])), { timeout: 5000 })
        .toContain(Math.round(0.25 * 127));
      expect(echoed).toBeLessThanOrEqual(1); // at most the state sent when the mapping was made
      const saved = await page.evaluate(() => localStorage.getItem('glassforest.midi.mappings'));
      expect(JSON.parse(saved ?? '{}').mappings).toEqual([{ control: { kind: 'cc', channel: 0, number: 21 }, param: path, port: PORT_NAME, mode: 'absolute' }]);

      await page.reload();
      await expect.poll(() => page.getAttribute('[data-testid="midi-status"]', 'data-state'), { timeout: 60_000 }).toBe('ready');
      expect(await page.locator('[data-testid="midi-mapping"]').count()).toBe(1);
      await send(page, [0xb0, 21, 100]);
      await expect.poll(() => normalized(page, path), { timeout: 5000 }).toBeCloseTo(100 / 127, 2);
      // Deleting the mapping in the panel stops the knob, and the deletion is saved too.
      await page.click('[data-testid="midi-delete"]');
      await send(page, [0xb0, 21, 0]);
      await waitFrames(page, 3);
      expect(await normalized(page, path)).toBeCloseTo(100 / 127, 2);
      expect(JSON.parse((await page.evaluate(() => localStorage.getItem('glassforest.midi.mappings'))) ?? '{}').mappings).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('100,000 random bytes from a controller: no page error, and valid traffic still drives its mapping', async () => {
    const browser = await launch();
    try {
      const { context, page, errors } = await openMidiPage(browser);
      await expect.poll(() => page.getAttribute('[data-testid="midi-status"]', 'data-state'), { timeout: 60_000 }).toBe('ready');
      const path = '/scene/spectral-veil/drift';
      await page.evaluate((p) => {
        const g = globalThis as any;
        g.glassforest.midi.router.setMappings({ version: 1, mappings: [{ control: { kind: 'cc', channel: 2, number: 9 }, param: p }] });
        let seed = 4242;
        for (let i = 0; i < 1000; i++) {
          const packet: number[] = [];
          for (let j = 0; j < 100; j++) packet.push((seed = (seed * 16807) % 2147483647) & 255);
          g.__midiSend(packet);
        }
        g.__midiSend([0xf7, 0xb2, 9, 127]); // close any SysEx the junk opened, then a real move
      }, path);
      await expect.poll(() => normalized(page, path), { timeout: 5000 }).toBeCloseTo(1, 3);
      await waitFrames(page, 5);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('MIDI clock at 24 ppqn and 120 BPM, with jitter, makes the beat clock run at ~120 BPM led by MIDI', async () => {
    const browser = await launch();
    try {
      const { context, page, errors } = await openMidiPage(browser);
      // The beat clock runs on the audio clock: wait for a running AudioContext (analysis is not needed).
      await page.waitForFunction(() => (globalThis as any).glassforest?.audio.context?.state === 'running', null, { timeout: 60_000, polling: 100 });
      await expect.poll(() => page.getAttribute('[data-testid="midi-status"]', 'data-state'), { timeout: 60_000 }).toBe('ready');
      // Start, then 8 s of clock; each tick stamped at its ideal time ±1.5 ms (USB jitter) and delivered 120 ms
      // late (a busy main thread): the beat must follow the time stamps, not the arrival times.
      await page.evaluate(() => {
        const g = globalThis as any;
        const period = 60_000 / 120 / 24;
        const LATE = 120;
        const t0 = performance.now() + 20;
        let seed = 99;
        const jitter = () => (((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5) * 3;
        // The audio-clock time of tick 0, for checking where the page puts the beats.
        g.__t0Audio = g.glassforest.audio.audioNow() - (performance.now() - t0) / 1000;
        g.__midiSend([0xfa], t0 - 1);
        let k = 0;
        const next = () => {
          const now = performance.now();
          while (k < 24 * 16 && t0 + k * period + LATE <= now) {
            g.__midiSend([0xf8], t0 + k * period + jitter());
            k++;
          }
          if (k < 24 * 16) setTimeout(next, Math.max(0, t0 + k * period + LATE - performance.now()));
        };
        next();
      });
      await page.waitForTimeout(3000);
      // Polled: on this shared machine a stalled page can briefly leave the clock without fresh ticks.
      const read = () =>
        page.evaluate(() => {
          const c = (globalThis as any).glassforest.tick.clock;
          return { bpm: Math.round(c.bpm * 10) / 10, leader: c.leader as number };
        });
      await expect.poll(read, { timeout: 4000, interval: 100 }).toEqual({ bpm: expect.closeTo(120, 0) as unknown as number, leader: 1 }); // ClockSource.Midi
      const s = await read();
      expect(s.bpm).toBeGreaterThan(119);
      expect(s.bpm).toBeLessThan(121);
      // Beats land on every 24th tick on the audio clock: MIDI time stamps were mapped to audio time.
      await page.waitForTimeout(2500);
      const offsets = await page.evaluate(() => {
        const g = globalThis as any;
        const t0 = g.__t0Audio as number;
        return (g.glassforest.beats() as number[])
          // after the clock has settled on the MIDI phase (it slews there over the first seconds;
          // a loaded machine makes that slower)
          .filter((b) => b > t0 + 3.5)
          .map((b) => {
            const r = (b - t0) % 0.5;
            return r > 0.25 ? r - 0.5 : r;
          });
      });
      expect(offsets.length).toBeGreaterThanOrEqual(3);
      offsets.sort((a, b) => a - b);
      console.log('MIDI clock beat offsets (s):', offsets.map((o) => o.toFixed(4)).join(' '));
      expect(Math.abs(offsets[offsets.length >> 1]), JSON.stringify(offsets)).toBeLessThan(0.035); // the page's audio-clock estimate itself wanders by ~10 ms headless
      await expect.poll(() => page.textContent('.panel.beat'), { timeout: 3000 }).toMatch(/midi/);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
