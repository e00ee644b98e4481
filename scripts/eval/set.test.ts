import { describe, expect, it } from 'vitest';
import { TICKS_PER_SECOND, writeMidiFile } from './midi-file.ts';
import { compose, EVAL_SET } from './set.ts';

describe('evaluation set', () => {
  it('covers 70–180 BPM, 3/4, no drums, a tempo change, silence, quiet, clipped, hissy and beatless input', () => {
    const tempos = EVAL_SET.flatMap((d) => (typeof d.bpm === 'number' ? [d.bpm] : [d.bpm[0], d.bpm[1]])).filter((b) => b > 60);
    expect(Math.min(...tempos)).toBeLessThanOrEqual(70);
    expect(Math.max(...tempos)).toBeGreaterThanOrEqual(180);
    const styles = new Set(EVAL_SET.map((d) => d.style));
    for (const s of ['house', 'boom-bap', 'dnb', 'half-time', 'waltz', 'piano', 'shuffle', 'pad'] as const) expect(styles.has(s)).toBe(true);
    expect(EVAL_SET.some((d) => Array.isArray(d.bpm))).toBe(true);
    expect(EVAL_SET.some((d) => d.gap)).toBe(true);
    expect(EVAL_SET.some((d) => (d.gainDb ?? 0) <= -30)).toBe(true);
    expect(EVAL_SET.some((d) => (d.drive ?? 1) > 4)).toBe(true);
    expect(EVAL_SET.some((d) => d.hissDb !== undefined && d.style !== 'pad')).toBe(true);
  });

  it('writes beats on the exact grid of each tempo, and no beats inside a silence', () => {
    for (const d of EVAL_SET) {
      const { truth } = compose(d);
      if (truth.beatless) {
        expect(truth.beats).toEqual([]);
        continue;
      }
      for (const seg of truth.segments) {
        const inSeg = truth.beats.filter((b) => b >= seg.start - 1e-9 && b < seg.end - 1e-9);
        for (let i = 1; i < inSeg.length; i++) expect(inSeg[i] - inSeg[i - 1]).toBeCloseTo(60 / seg.bpm, 9);
      }
      for (const s of truth.silences) expect(truth.beats.some((b) => b > s.start + 1e-9 && b < s.end - 1e-9)).toBe(false);
      for (let i = 1; i < truth.onsets.length; i++) expect(truth.onsets[i] - truth.onsets[i - 1]).toBeGreaterThan(0.03);
    }
  });

  it('is deterministic and writes a valid format-0 MIDI file at 1920 ticks per second', () => {
    const a = compose(EVAL_SET[0]);
    expect(compose(EVAL_SET[0])).toEqual(a);
    const bytes = writeMidiFile(a.notes, a.programs);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('MThd');
    expect(new DataView(bytes.buffer).getUint16(12)).toBe(960);
    expect(String.fromCharCode(...bytes.subarray(14, 18))).toBe('MTrk');
    expect(TICKS_PER_SECOND).toBe(1920);
    expect(Array.from(bytes.subarray(bytes.length - 4))).toEqual([0x00, 0xff, 0x2f, 0x00]);
  });
});
