/**
 * The night road drives the way the performer expects: with a tempo a lane dash crosses the
 * camera on every beat, in silence the car coasts to a halt, the same seed gives the same road,
 * and bad input never breaks the drive.
 */
import { describe, expect, it } from 'vitest';
import { BILLBOARD_SLOTS, BILLBOARD_STRIDE, DASH_SPACING_M, RoadDrive, billboardsAhead, type DriveInput } from './drive.ts';

function drive(car: RoadDrive, seconds: number, fps: number, inp: Omit<DriveInput, 'dt' | 'beatPhase'>, bpmClock = 0, startBeat = 0): number {
  const dt = 1 / fps;
  let t = 0;
  for (let i = 0; i < Math.round(seconds * fps); i++) {
    t += dt;
    const beats = startBeat + (t * inp.bpm) / 60;
    car.step({ ...inp, dt, beatPhase: inp.bpm > 0 ? beats - Math.floor(beats) : 0 });
  }
  return t + bpmClock;
}

const circularDistance = (a: number, b: number) => {
  const d = Math.abs(a - b) % 1;
  return Math.min(d, 1 - d);
};

describe('night road drive', () => {
  it('locks lane dashes to the beat: one dash per beat at the tempo’s speed', () => {
    for (const bpm of [90, 128, 174]) {
      const car = new RoadDrive();
      car.distance = 5.3; // start out of phase
      drive(car, 12, 60, { bpm, throttle: 1, cruise: 20, tempoLock: 1 }, 0, 0.37);
      expect(car.speed).toBeCloseTo((DASH_SPACING_M * bpm) / 60, 0);
      // After 12 s the beat phase is (0.37 + 12 * bpm / 60) mod 1; the dash phase matches it.
      const beats = 0.37 + (12 * bpm) / 60;
      expect(circularDistance(car.dashPhase(), beats - Math.floor(beats)), `${bpm} bpm`).toBeLessThan(0.03);
    }
  });

  it('cruises at the performer’s speed without a tempo and ignores the tempo when unlocked', () => {
    const free = new RoadDrive();
    drive(free, 10, 60, { bpm: 0, throttle: 1, cruise: 25, tempoLock: 1 });
    expect(free.speed).toBeCloseTo(25, 0);
    const unlocked = new RoadDrive();
    drive(unlocked, 10, 60, { bpm: 140, throttle: 1, cruise: 25, tempoLock: 0 });
    expect(unlocked.speed).toBeCloseTo(25, 0);
  });

  it('slows to a halt in silence, gently (no jump stop)', () => {
    const car = new RoadDrive();
    drive(car, 8, 60, { bpm: 120, throttle: 1, cruise: 20, tempoLock: 1 });
    const cruising = car.speed;
    drive(car, 0.5, 60, { bpm: 120, throttle: 0, cruise: 20, tempoLock: 1 });
    expect(car.speed, 'still rolling half a second into silence').toBeGreaterThan(cruising * 0.7);
    drive(car, 18, 60, { bpm: 120, throttle: 0, cruise: 20, tempoLock: 1 });
    expect(car.speed).toBeLessThan(0.05);
    const parked = car.distance;
    drive(car, 3, 60, { bpm: 120, throttle: 0, cruise: 20, tempoLock: 1 });
    expect(car.distance - parked).toBeLessThan(0.2);
  });

  it('drives the same at 30 and 144 frames per second', () => {
    const a = new RoadDrive();
    const b = new RoadDrive();
    drive(a, 6, 30, { bpm: 0, throttle: 0.7, cruise: 30, tempoLock: 0 });
    drive(b, 6, 144, { bpm: 0, throttle: 0.7, cruise: 30, tempoLock: 0 });
    expect(Math.abs(a.distance - b.distance) / b.distance).toBeLessThan(0.01);
  });

  it('shown mid-song, or frozen on one fixture frame (dt 0), the car is already under way', () => {
    const car = new RoadDrive();
    car.step({ dt: 0, bpm: 120, beatPhase: 0.2, throttle: 0.8, cruise: 20, tempoLock: 1 });
    expect(car.speed).toBeCloseTo(0.8 * 24, 5);
    expect(car.distance, 'no time passed, no distance').toBe(0);
    const parked = new RoadDrive();
    parked.step({ dt: 0, bpm: 120, beatPhase: 0.2, throttle: 0, cruise: 20, tempoLock: 1 });
    expect(parked.speed, 'silence: it starts parked').toBe(0);
  });

  it('survives bad input without throwing or going non-finite', () => {
    const car = new RoadDrive();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -5, 1e9]) {
      car.step({ dt: bad, bpm: bad, beatPhase: bad, throttle: bad, cruise: bad, tempoLock: bad });
      car.step({ dt: 1 / 60, bpm: bad, beatPhase: bad, throttle: bad, cruise: bad, tempoLock: bad });
    }
    expect(Number.isFinite(car.distance)).toBe(true);
    expect(Number.isFinite(car.speed)).toBe(true);
    expect(car.speed).toBeLessThanOrEqual(60);
  });
});

describe('billboards along the road', () => {
  const out = new Float32Array(BILLBOARD_SLOTS * BILLBOARD_STRIDE);
  const read = () => Array.from(out);

  it('the same seed gives the same road; another seed another', () => {
    billboardsAhead(1234.5, 7, 2, 0.8, out);
    const a = read();
    billboardsAhead(1234.5, 7, 2, 0.8, out);
    expect(read()).toEqual(a);
    billboardsAhead(1234.5, 8, 2, 0.8, out);
    expect(read()).not.toEqual(a);
  });

  it('stands every few dashes, nearest first, ahead of the camera, on both sides', () => {
    const sides = new Set<number>();
    for (let d = 0; d < 3000; d += 97) {
      const n = billboardsAhead(d, 3, 2, 1, out);
      expect(n).toBe(BILLBOARD_SLOTS);
      for (let k = 0; k < n; k++) {
        const z = out[k * BILLBOARD_STRIDE];
        expect(z).toBeGreaterThan(0);
        // On the dash grid, so with a locked tempo a sign passes on a beat.
        const ahead = d + z;
        expect(Math.abs(ahead / (2 * DASH_SPACING_M) - Math.round(ahead / (2 * DASH_SPACING_M)))).toBeLessThan(1e-3);
        if (k > 0) expect(z).toBeGreaterThan(out[(k - 1) * BILLBOARD_STRIDE]);
        sides.add(out[k * BILLBOARD_STRIDE + 1]);
      }
    }
    expect([...sides].sort()).toEqual([-1, 1]);
  });

  it('a sign keeps its place on the road as the car drives past it', () => {
    billboardsAhead(100, 5, 3, 0.6, out);
    const firstAt = 100 + out[0];
    const seedOf = out[3];
    billboardsAhead(100 + 10, 5, 3, 0.6, out);
    const k = Array.from({ length: BILLBOARD_SLOTS }, (_, i) => i).find((i) => Math.abs(110 + out[i * BILLBOARD_STRIDE] - firstAt) < 1e-3);
    if (firstAt > 110) {
      expect(k).toBeDefined();
      expect(out[k! * BILLBOARD_STRIDE + 3]).toBe(seedOf);
    }
  });

  it('density thins the row and zero leaves the road bare', () => {
    let sparse = 0;
    let dense = 0;
    for (let d = 0; d < 5000; d += 50) {
      sparse += billboardsAhead(d, 11, 1, 0.2, out) > 0 ? out[0] : 0;
      dense += billboardsAhead(d, 11, 1, 0.9, out) > 0 ? out[0] : 0;
    }
    expect(sparse, 'nearest sign is further away on a sparse road').toBeGreaterThan(dense);
    expect(billboardsAhead(100, 11, 2, 0, out)).toBe(0);
    expect(out[0]).toBe(-1);
  });
});
