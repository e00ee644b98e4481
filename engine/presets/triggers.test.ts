import { describe, expect, it } from 'vitest';
import { BeatClock } from '../clock/index.ts';
import { presetNameValue } from '../control/osc/coerce.ts';
import type { PresetBank } from './banks.ts';
import { clockHasTempo, isDue, slotForAddress, slotForKey, slotForNote, slotForOscValue, stepSlot, switchTime } from './triggers.ts';

const none = { key: null, midi: null, osc: null, quantize: 'bar' as const };
const BANK: PresetBank = {
  id: 'b-1',
  name: 'Opening',
  entries: [
    { preset: 'p-dusk', trigger: { ...none, key: 'q', midi: { channel: 9, note: 36 }, osc: '/set/dusk' } },
    { preset: 'p-veil', trigger: { ...none, midi: { channel: 0, note: 60 } } },
    { preset: 'p-haze', trigger: none },
  ],
};
const NAMES: Record<string, string> = { 'p-dusk': 'Dusk', 'p-veil': 'Veil', 'p-haze': 'Haze' };

/** A clock led by an OSC tempo of `bpm`, updated to `t`. */
function tempoClock(bpm: number, t0: number, t: number): BeatClock {
  const c = new BeatClock();
  c.update(t0);
  c.setTempo(bpm, t0);
  c.update(t);
  return c;
}

describe('quantised switch times', () => {
  it('lands a bar switch on the clock’s next bar start, a beat switch on the next beat', () => {
    const c = tempoClock(120, 10, 10.3); // 0.5 s beats, 2 s bars
    expect(clockHasTempo(c)).toBe(true);
    const bar = switchTime('bar', c, 10.3);
    expect(bar.quantize).toBe('bar');
    expect(bar.noTempo).toBe(false);
    expect(bar.at).toBeGreaterThan(10.3);
    expect(bar.at - 10.3).toBeLessThanOrEqual(2 + 1e-9);
    // Advancing the clock to the due time puts it on a bar start.
    c.update(bar.at);
    expect(Math.min(c.barPhase, 1 - c.barPhase)).toBeLessThan(1e-6);
    const beat = switchTime('beat', c, bar.at + 0.1);
    expect(beat.at - (bar.at + 0.1)).toBeCloseTo(0.4, 6);
  });

  it('switches at once without a tempo, and says so', () => {
    const c = new BeatClock();
    c.update(5);
    expect(clockHasTempo(c)).toBe(false);
    expect(switchTime('bar', c, 5)).toEqual({ at: 5, quantize: 'none', noTempo: true });
    expect(switchTime('none', c, 5)).toEqual({ at: 5, quantize: 'none', noTempo: false });
  });

  it('is due in the first frame at or after its time, never before; NaN is never due', () => {
    expect(isDue(12, 11.999)).toBe(false);
    expect(isDue(12, 12)).toBe(true);
    expect(isDue(12, 12.016)).toBe(true);
    expect(isDue(Number.NaN, 100)).toBe(false);
  });
});

describe('trigger matching', () => {
  it('keys: an entry’s own key first, else digits 1–9 by position', () => {
    expect(slotForKey(BANK, 'q')).toBe(0);
    expect(slotForKey(BANK, '1')).toBe(0);
    expect(slotForKey(BANK, '3')).toBe(2);
    expect(slotForKey(BANK, '4')).toBe(-1);
    expect(slotForKey(BANK, '0')).toBe(-1);
    expect(slotForKey(null, '1')).toBe(-1);
  });

  it('MIDI notes match channel and note', () => {
    expect(slotForNote(BANK, 9, 36)).toBe(0);
    expect(slotForNote(BANK, 0, 60)).toBe(1);
    expect(slotForNote(BANK, 1, 60)).toBe(-1);
    expect(slotForNote(BANK, 9, 37)).toBe(-1);
  });

  it('OSC: slot index or preset name (as the bridge codes it), and per-entry addresses', () => {
    const nameOf = (id: string) => NAMES[id];
    expect(slotForOscValue(BANK, 1, nameOf, presetNameValue)).toBe(1);
    expect(slotForOscValue(BANK, 3, nameOf, presetNameValue)).toBe(-1);
    expect(slotForOscValue(BANK, presetNameValue('Haze'), nameOf, presetNameValue)).toBe(2);
    expect(slotForOscValue(BANK, presetNameValue('haze'), nameOf, presetNameValue)).toBe(-1);
    expect(presetNameValue('Haze')).toBeLessThan(0);
    expect(Number.isInteger(presetNameValue('Haze'))).toBe(true);
    expect(slotForAddress(BANK, '/set/dusk')).toBe(0);
    expect(slotForAddress(BANK, '/set/none')).toBe(-1);
  });

  it('set list steps stop at the ends', () => {
    expect(stepSlot(-1, 1, 3)).toBe(0);
    expect(stepSlot(-1, -1, 3)).toBe(2);
    expect(stepSlot(0, 1, 3)).toBe(1);
    expect(stepSlot(2, 1, 3)).toBe(2);
    expect(stepSlot(0, -1, 3)).toBe(0);
    expect(stepSlot(0, 1, 0)).toBe(-1);
  });
});
