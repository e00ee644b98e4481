import { describe, expect, it } from 'vitest';
import { BeatClock } from '../clock/index.ts';
import { F, FEATURE_COUNT } from '../features/layout.ts';
import { ParamBank } from '../params/index.ts';
import { bytesPerCall } from '../params/test-alloc.ts';
import { StandardUniforms } from '../uniforms.ts';
import { KEYFRAME_PARAMS, KeyframeDeck, ONSET_RATE_FULL } from './deck.ts';

function setup() {
  const bank = new ParamBank();
  const deck = new KeyframeDeck(bank);
  const u = new StandardUniforms();
  const clock = new BeatClock();
  const smoothed = new Float32Array(FEATURE_COUNT);
  return { bank, deck, u, clock, smoothed };
}

const set = (bank: ParamBank, path: string, v: unknown) => {
  const r = bank.setByPath(path, v as never);
  if (!r.ok) throw new Error(r.message);
  bank.endFrame();
};

describe('keyframe deck', () => {
  it('registers its controls as parameters, so MIDI, OSC, modulation and presets reach them', () => {
    const { bank } = setup();
    for (const n of KEYFRAME_PARAMS.names) expect(bank.has(`/keyframes/${n}`), n).toBe(true);
  });

  it('with no set, scenes are told there are no keyframes', () => {
    const { deck, u, clock, smoothed } = setup();
    u.dt = 1 / 60;
    deck.frame(u.dt, u, clock, 0, smoothed);
    expect(u.keyCount).toBe(0);
    expect(u.keyAmount).toBe(0);
    expect(Array.from(u.keyWeight)).toEqual([0, 0, 0, 0]);
  });

  it('writes the four heaviest keyframes as texture layers, through the loaded slots\' layers', () => {
    const { bank, deck, u, clock, smoothed } = setup();
    // six keyframes loaded out of a set of eight: slots map to layers 0, 1, 3, 4, 6, 7
    const layers = Int32Array.from([0, 1, 3, 4, 6, 7]);
    const pads: [number, number][] = [[0.1, 0.1], [0.9, 0.1], [0.5, 0.5], [0.1, 0.9], [0.9, 0.9], [0.5, 0.95]];
    deck.setKeyframes(pads.map((pad) => ({ pad })), layers, 2);
    set(bank, '/keyframes/pad-x', 0.5);
    set(bank, '/keyframes/pad-y', 0.5);
    deck.frame(1 / 60, u, clock, 0, smoothed);
    expect(u.keyCount).toBe(6);
    expect(u.keyAspect).toBe(2);
    expect(u.keyLayer[0]).toBe(3); // slot 2 sits under the cursor
    expect(u.keyWeight[0]).toBeCloseTo(1, 5);
    set(bank, '/keyframes/pad-x', 0.7);
    set(bank, '/keyframes/pad-y', 0.7);
    deck.frame(1 / 60, u, clock, 0, smoothed);
    const w = Array.from(u.keyWeight);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (let i = 1; i < 4; i++) expect(w[i]).toBeLessThanOrEqual(w[i - 1]);
    for (const l of u.keyLayer) expect(Array.from(layers)).toContain(l);
    // the crossfader by 1-based keyframe numbers
    set(bank, '/keyframes/mode', 'crossfader');
    set(bank, '/keyframes/a', 2);
    set(bank, '/keyframes/b', 5);
    set(bank, '/keyframes/fader', 1);
    deck.frame(1 / 60, u, clock, 0, smoothed);
    expect(u.keyLayer[0]).toBe(6);
    expect(u.keyWeight[0]).toBeCloseTo(1, 5);
  });

  it('estimates the live onset rate from the onset counter', () => {
    const { deck, u, clock, smoothed } = setup();
    deck.setKeyframes([{ signature: { onsetRate: 0 } }, { signature: { onsetRate: 1 } }], Int32Array.from([0, 1]), 1);
    let onsets = 0;
    // 4 onsets a second for 10 s at 60 fps
    for (let f = 0; f < 600; f++) {
      if (f % 15 === 0) onsets++;
      deck.frame(1 / 60, u, clock, onsets, smoothed);
    }
    expect(deck.onsetRate).toBeGreaterThan(3.3);
    expect(deck.onsetRate).toBeLessThan(4.7);
    expect(Math.abs(deck.live[2] - deck.onsetRate / ONSET_RATE_FULL)).toBeLessThan(0.05);
    // silence: it decays
    for (let f = 0; f < 600; f++) deck.frame(1 / 60, u, clock, onsets, smoothed);
    expect(deck.onsetRate).toBeLessThan(0.1);
  });

  it('sound-follow reads the fixed-scale meter, brightness, onset rate, low band and pitch confidence', () => {
    const { bank, deck, u, clock, smoothed } = setup();
    deck.setKeyframes([{ signature: { loudness: 0.1, low: 0.1 } }, { signature: { loudness: 0.9, low: 0.9 } }], Int32Array.from([0, 1]), 1);
    set(bank, '/keyframes/sound', 1);
    u.meter = 0.9;
    smoothed[F.bands3] = 0.85;
    for (let f = 0; f < 30; f++) deck.frame(1 / 60, u, clock, 0, smoothed);
    expect(deck.live[0]).toBeCloseTo(0.9, 5);
    expect(deck.live[3]).toBeCloseTo(0.85, 5);
    expect(u.keyLayer[0]).toBe(1);
  });

  it('reads the sound\'s character, not the instant: the level between drum hits does not make it quiet', () => {
    const { deck, u, clock, smoothed } = setup();
    deck.setKeyframes([{ signature: { loudness: 0.2 } }, { signature: { loudness: 0.8 } }], Int32Array.from([0, 1]), 1);
    const seen: number[] = [];
    for (let f = 0; f < 600; f++) {
      // a hit every quarter second: loud for 3 frames, near silence for 12
      u.meter = f % 15 < 3 ? 0.95 : 0.25;
      deck.frame(1 / 60, u, clock, 0, smoothed);
      if (f > 300) seen.push(deck.live[0]);
    }
    // the instant swings 0.25..0.95; the character stays near the mean (0.39) with a small ripple
    expect(Math.min(...seen)).toBeGreaterThan(0.3);
    expect(Math.max(...seen)).toBeLessThan(0.5);
  });

  it('a frame allocates nothing', () => {
    const { bank, deck, u, clock, smoothed } = setup();
    deck.setKeyframes(Array.from({ length: 8 }, (_, i) => ({ pad: [i / 8, (i * 3) % 8 / 8] as [number, number], signature: { loudness: i / 8 } })), Int32Array.from({ length: 8 }, (_, i) => i), 1);
    set(bank, '/keyframes/sound', 0.5);
    clock.setTempo(120, 0);
    // The clock moves as in a show (its own update is measured in engine/clock), the deck reads it.
    const times = Float64Array.from({ length: 1000 }, (_, i) => 1 + i / 60);
    const bytes = bytesPerCall((i) => {
      clock.time = times[i % 1000];
      clock.position = (clock.time * 120) / 60;
      u.meter = (i % 100) / 100;
      deck.frame(1 / 60, u, clock, i >> 4, smoothed);
    }, 20_000, 3, 20_000);
    expect(bytes).toBeLessThan(1);
  });
});
