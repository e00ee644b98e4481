import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../params/test-alloc.ts';
import { KeyframeBlend, SIGNATURE_FEATURE_COUNT, type BlendMode, type KeyframeSlot, type SequencerMode } from './index.ts';

// In a file of its own: V8's type feedback is per process, and the garbage-input tests in
// blend.test.ts would otherwise decide what the JIT makes of the hot path measured here.
describe('keyframe blend per-frame cost', () => {
  it('update and topK allocate nothing, in every mode, with a full set of 64', () => {
    const b = new KeyframeBlend();
    const slots: KeyframeSlot[] = [];
    for (let i = 0; i < 64; i++) {
      slots.push(i % 3 === 0 ? { signature: { loudness: (i % 7) / 7, centroid: (i % 5) / 5, low: (i % 3) / 3 } } : i % 3 === 1 ? { pad: [(i % 8) / 8, Math.floor(i / 8) / 8] } : {});
    }
    expect(b.setKeyframes(slots).count).toBe(64);
    b.soundMix = 0.4;
    b.holdSeconds = 0.2;
    const live = new Float32Array(SIGNATURE_FEATURE_COUNT);
    const idx = new Int32Array(4);
    const tw = new Float32Array(4);
    const modes: readonly BlendMode[] = ['pad', 'crossfader', 'sequencer'];
    const seqModes: readonly SequencerMode[] = ['forward', 'ping-pong', 'random'];
    const t = new Float64Array(1);
    /** Every control changes, as a MIDI or modulation driver would change them; all modes are visited. */
    const drive = (i: number) => {
      b.mode = modes[(i >> 6) % 3];
      b.seqMode = seqModes[(i >> 8) % 3];
      b.padX = ((i * 7) & 255) / 255;
      b.padY = ((i * 3) & 255) / 255;
      b.fader = (i & 127) / 127;
      b.crossA = i & 63;
      b.crossB = (i >> 3) & 63;
      b.seqStepBeats = 4 + ((i >> 10) & 3);
      b.seqMorphBeats = 3;
      live[0] = ((i * 13) & 127) / 127;
      live[1] = (i & 1023) / 1023;
      live[3] = i % 5 === 0 ? Number.NaN : 0.3;
    };
    // Small-integer beat positions (3-beat morphs still give fractional progress) and a constant
    // dt reach update() unboxed, so this measures update() and topK() alone.
    const own = bytesPerCall(
      (i) => {
        drive(i);
        b.update(1 / 60, i >> 3, (i & 511) !== 0, live);
        b.topK(4, idx, tw);
      },
      5_000,
      3,
      20_000,
    );
    expect(own).toBeLessThan(1);
    expect(Math.abs(tw[0] + tw[1] + tw[2] + tw[3] - 1)).toBeLessThan(1e-6);
    // As a frame loop calls it, with computed doubles: V8 boxes a double argument of a call it does
    // not inline (16 bytes each, made by the caller); anything update() allocated would add more.
    const framed = bytesPerCall(
      (i) => {
        drive(i);
        const now = (t[0] += 1 / 60);
        b.update(1 / 60 + (i & 1) * 1e-4, now * 2.1, (i & 511) !== 0, live);
        b.topK(4, idx, tw);
      },
      5_000,
      3,
      20_000,
    );
    console.log('bytes per call', JSON.stringify({ own, framed }));
    expect(framed).toBeLessThanOrEqual(32.5);
  });
});
