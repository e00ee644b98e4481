import { describe, expect, it } from 'vitest';
import { FeatureBusReader, FeatureBusWriter, createFeatureBusBuffer } from './features/bus.ts';
import { F, FEATURE_COUNT, MEL_BANDS } from './features/layout.ts';
import { ParamBank, defineParams } from './params/index.ts';
import { bytesPerCall } from './params/test-alloc.ts';
import { EngineTick } from './tick.ts';
import { SPECTRUM_HISTORY } from './uniforms.ts';

const SR = 48000;
const HOP = 512;

/** A loud-ish musical frame: -12 dBFS, energy in every band, a voiced pitch. */
function musicFrame(out: Float32Array, scale = 1): Float32Array {
  out.fill(0);
  out[F.rms] = 0.25 * scale;
  out[F.loudness] = 20 * Math.log10(0.25 * scale);
  out[F.peak] = 0.6 * scale;
  for (let i = 0; i < 3; i++) out[F.bands3 + i] = (0.5 + 0.2 * i) * scale * scale;
  for (let i = 0; i < 8; i++) out[F.bands8 + i] = (0.1 + 0.05 * i) * scale * scale;
  out[F.centroid] = 1500;
  out[F.flatness] = 0.2;
  out[F.flux] = 0.3 * scale;
  for (let i = 0; i < MEL_BANDS; i++) out[F.mel + i] = (0.01 + 0.002 * i) * scale * scale;
  out[F.chroma + 0] = 1;
  out[F.chroma + 7] = 0.6;
  out[F.pitch] = 220;
  out[F.pitchConfidence] = 0.9;
  return out;
}

function rig() {
  const sab = createFeatureBusBuffer();
  const writer = new FeatureBusWriter(sab, SR, HOP, 2048);
  const reader = new FeatureBusReader(sab);
  const bank = new ParamBank();
  const ids = bank.register(defineParams('/scene/test', { flash: { type: 'trigger' }, gain: { type: 'number', min: 0, max: 2, default: 1 } }));
  const tick = new EngineTick(reader, bank);
  return { writer, tick, bank, ids };
}

/** Drive audio and frames together: one hop every HOP/SR seconds, one tick every 1/fps. */
function run(fps: number, seconds: number, onsetAt: number[], scale = 1, sample?: (t: number, tick: EngineTick) => void) {
  const { writer, tick } = rig();
  const frame = musicFrame(new Float32Array(FEATURE_COUNT), scale);
  const hopDur = HOP / SR;
  let nextHop = 0;
  let onsetIdx = 0;
  for (let k = 0; k * (1 / fps) <= seconds; k++) {
    const t = k / fps;
    while (nextHop <= t) {
      let onset = false;
      let onsetTime = -1;
      if (onsetIdx < onsetAt.length && onsetAt[onsetIdx] <= nextHop) {
        onset = true;
        onsetTime = onsetAt[onsetIdx++];
      }
      writer.publish(frame, nextHop, onset, onsetTime, 0.2, 0, 0);
      nextHop += hopDur;
    }
    tick.tick(t, t, 640, 360);
    sample?.(t, tick);
  }
  return tick;
}

describe('engine tick', () => {
  it('turns the newest features into standard uniforms within 0..1', () => {
    const tick = run(60, 3, []);
    const u = tick.uniforms;
    expect(u.resolution[0]).toBe(640);
    expect(u.resolution[1]).toBe(360);
    expect(u.level).toBeGreaterThan(0.05);
    expect(u.level).toBeLessThanOrEqual(1);
    for (const v of [...u.bands, ...u.bands8, ...u.chroma, ...u.mel, u.centroid, u.flatness, u.flux, u.pitchConfidence]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(u.pitch).toBe(220);
    expect(u.chroma[0]).toBeGreaterThan(u.chroma[1]);
    expect(tick.stale).toBe(false);
  });

  it('gives the same onset envelope at 30, 60 and 144 fps at the same times', () => {
    const onsets = [1.0, 2.0];
    const probe = [1.05, 1.2, 1.5, 2.1];
    const results = [30, 60, 144].map((fps) => {
      const got: number[] = [];
      let p = 0;
      run(fps, 2.5, onsets, 1, (t, tick) => {
        // Sample the first frame at or after each probe time, corrected to the probe time.
        if (p < probe.length && t >= probe[p]) {
          const half = tick.onsetEnvelope.halfLife;
          got.push(tick.uniforms.onset * 2 ** ((t - probe[p]) / half));
          p++;
        }
      });
      return got;
    });
    for (let i = 0; i < probe.length; i++) {
      expect(results[1][i]).toBeCloseTo(results[0][i], 1);
      expect(results[2][i]).toBeCloseTo(results[0][i], 1);
    }
    // Right after an onset the envelope is high, later it has decayed.
    expect(results[1][0]).toBeGreaterThan(0.6);
    expect(results[1][2]).toBeLessThan(0.2);
  });

  it('stamps the onset envelope by audio time, not by when the frame saw it', () => {
    const { writer, tick } = rig();
    const f = musicFrame(new Float32Array(FEATURE_COUNT));
    writer.publish(f, 0.0, false, -1, 0, 0, 0);
    tick.tick(0, 0, 100, 100);
    // An onset 0.16 s (one half-life) before the frame that first sees it.
    writer.publish(f, 1.0, true, 0.84, 0, 0, 0);
    tick.tick(1 / 60, 1.0, 100, 100);
    expect(tick.uniforms.onset).toBeCloseTo(0.5, 1);
  });

  it('decays to silence when the features go stale (the source stopped)', () => {
    const { writer, tick } = rig();
    const f = musicFrame(new Float32Array(FEATURE_COUNT));
    for (let k = 0; k < 300; k++) {
      writer.publish(f, k / 60, false, -1, 0, 0, 0);
      tick.tick(k / 60, k / 60, 100, 100);
    }
    const playing = tick.uniforms.level;
    expect(playing).toBeGreaterThan(0.05);
    // No new hops for 3 s of audio clock.
    for (let k = 300; k < 480; k++) tick.tick(k / 60, k / 60, 100, 100);
    expect(tick.stale).toBe(true);
    expect(tick.uniforms.level).toBeLessThan(playing * 0.1);
    expect(tick.uniforms.pitch).toBe(0);
  });

  it('adds one spectrogram row per new hop and none for repeated frames', () => {
    const { writer, tick } = rig();
    const f = musicFrame(new Float32Array(FEATURE_COUNT));
    writer.publish(f, 0, false, -1, 0, 0, 0);
    tick.tick(0, 0, 10, 10);
    const row = tick.uniforms.spectrumRow;
    tick.tick(0.016, 0.016, 10, 10);
    expect(tick.uniforms.spectrumRow).toBe(row);
    writer.publish(f, 0.02, false, -1, 0, 0, 0);
    tick.tick(0.033, 0.033, 10, 10);
    expect(tick.uniforms.spectrumRow).toBe((row + 1) % SPECTRUM_HISTORY);
  });

  it('pulses a trigger fired between frames for exactly one frame', () => {
    const { tick, bank, ids } = rig();
    tick.tick(0, 0, 10, 10);
    bank.fire(ids.flash);
    tick.tick(0.016, 0.016, 10, 10);
    expect(bank.get(ids.flash)).toBe(1);
    tick.tick(0.033, 0.033, 10, 10);
    expect(bank.get(ids.flash)).toBe(0);
  });

  it('survives a first frame, a zero and a huge frame step, and a clock that goes backwards', () => {
    const { writer, tick } = rig();
    const f = musicFrame(new Float32Array(FEATURE_COUNT));
    writer.publish(f, 0, false, -1, 0, 0, 0);
    for (const t of [5, 5, 500, 499, 499.01]) tick.tick(t, t, 10, 10);
    const u = tick.uniforms;
    for (const v of [u.level, u.onset, u.flux, ...u.bands]) expect(Number.isFinite(v)).toBe(true);
  });

  it('routes a feature to a parameter: the frame output moves, the performer value stays', () => {
    const { writer, tick, bank, ids } = rig();
    bank.set(ids.gain, 0.5); // performer: a quarter of 0..2
    const r = tick.modulation!.add({ source: 'bands3.0', target: '/scene/test/gain', amount: 0.5 });
    expect(r.ok).toBe(true);
    tick.tick(0, 0, 10, 10);
    expect(bank.getOutput(ids.gain)).toBeCloseTo(0.5, 5); // nothing heard yet
    const f = musicFrame(new Float32Array(FEATURE_COUNT));
    for (let k = 1; k <= 120; k++) {
      writer.publish(f, k / 60, false, -1, 0, 0, 0);
      tick.tick(k / 60, k / 60, 10, 10);
    }
    const low = tick.smoothed[F.bands3];
    expect(low).toBeGreaterThan(0.1);
    expect(bank.getOutput(ids.gain)).toBeCloseTo(2 * (0.25 + 0.5 * low), 4);
    expect(bank.get(ids.gain)).toBe(0.5);
  });

  it('allocates nothing per frame', { timeout: 120_000 }, () => {
    const { writer, tick } = rig();
    tick.modulation!.setRoutes([
      { source: 'bands3.0', target: '/scene/test/gain', amount: 0.3, attack: 0.05, release: 0.2 },
      { source: 'lfo:sine:1/4', target: '/scene/test/gain', amount: 0.1, curve: 's-curve' },
      { source: 'onset:low:0.3', target: '/scene/test/gain', amount: 0.2 },
      { source: 'loudness:dbfs', target: '/scene/test/gain', amount: 0.2 },
    ]);
    const f = musicFrame(new Float32Array(FEATURE_COUNT));
    // Time lives in a typed array: a captured `let` double would be boxed by the test itself.
    const clock = new Float64Array(1);
    const bytes = bytesPerCall((i) => {
      const t = (clock[0] += 1 / 60);
      if ((i & 1) === 0) writer.publish(f, t, (i & 63) === 0, t, 0.2, 0, 0);
      tick.tick(t, t, 640, 360);
    }, 20_000, 3, 20_000);
    // V8 boxes each double argument of a call it does not inline (t and audioNow: 2 × 16 bytes,
    // made by the caller); in clean-clone CI runs under full load one more boxed double per frame
    // (47 B) showed in some processes and never on a quiet machine, so three boxes are tolerated.
    // A per-frame array, object or closure in the tick adds at least 16 more and fails this.
    expect(bytes).toBeLessThanOrEqual(48.5);
  });
});

// Kept after the allocation test: that test should see a tick whose optimised code no other
// test shaped first (one run with this test first measured more boxing there; a later check with
// quiet-room input before the measurement did not reproduce it).
describe('engine tick: absolute level meter', () => {
  it('meters the absolute level: a long-quiet room stays low on the meter while the adaptive level reads it loud', () => {
    const { writer, tick } = rig();
    const db = (d: number) => Math.pow(10, d / 20) / 0.25; // musicFrame scale for d dBFS
    const quietRoom = musicFrame(new Float32Array(FEATURE_COUNT), db(-70));
    const tail = musicFrame(new Float32Array(FEATURE_COUNT), db(-40));
    const loud = musicFrame(new Float32Array(FEATURE_COUNT), db(-12));
    let k = 0;
    const play = (f: Float32Array, seconds: number) => {
      for (const end = k + seconds * 60; k < end; k++) {
        writer.publish(f, k / 60, false, -1, 0, 0, 0);
        tick.tick(k / 60, k / 60, 100, 100);
      }
    };
    // A near-silent room with a faint tail now and then: the normaliser adapts to it.
    for (let i = 0; i < 6; i++) {
      play(quietRoom, 2.5);
      play(tail, 0.5);
    }
    expect(tick.uniforms.level, 'the adaptive level stretches the faint tail to the top').toBeGreaterThan(0.7);
    expect(tick.uniforms.meter).toBeCloseTo((60 - 40) / 60, 2);
    play(quietRoom, 1);
    expect(tick.uniforms.meter).toBeLessThan(0.01); // -70 dBFS is below the meter's -60 dBFS floor
    play(loud, 1);
    expect(tick.uniforms.meter).toBeCloseTo((60 - 12) / 60, 2);
    // The source stopped: the meter falls to 0 like the features.
    for (const end = k + 180; k < end; k++) tick.tick(k / 60, k / 60, 100, 100);
    expect(tick.stale).toBe(true);
    expect(tick.uniforms.meter).toBeLessThan(0.01);
  });
});
