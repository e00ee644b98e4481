import { describe, expect, it } from 'vitest';
import { BeatClock, ClockSource } from './beat-clock.ts';
import { MidiClock } from './midi-clock.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Packet {
  t: number;
  bytes: number[];
}

/**
 * What a DAW sends: clock bytes at 24 ppqn all the time (so followers know the tempo before
 * play), Start right before the tick that is the downbeat, delivered with ± `jitter` seconds.
 * `tempo(beat)` gives the tempo at each beat (constant or a change).
 */
function dawStream(tempo: (beat: number) => number, preBeats: number, playBeats: number, jitter: number, seed = 1) {
  const r = rng(seed);
  const packets: Packet[] = [];
  let t = 1;
  const ticks = (preBeats + playBeats) * 24;
  let startTime = 0;
  let startArrival = 0;
  for (let k = 0; k < ticks; k++) {
    const beat = k / 24 - preBeats;
    const at = t + (r() * 2 - 1) * jitter;
    if (k === preBeats * 24) {
      startTime = t;
      startArrival = at;
      packets.push({ t: at, bytes: [0xfa, 0xf8] });
    } else packets.push({ t: at, bytes: [0xf8] });
    t += 60 / tempo(beat) / 24;
  }
  return { packets, startTime, startArrival, endTime: t };
}

/** Feeds packets into the clock and updates it at `fps`, calling `each` after every frame. */
function play(clock: BeatClock, packets: Packet[], from: number, to: number, fps: number, each?: (now: number) => void) {
  let pi = 0;
  for (let f = 0; from + f / fps <= to; f++) {
    const now = from + f / fps;
    while (pi < packets.length && packets[pi].t <= now) {
      clock.midiBytes(Uint8Array.from(packets[pi].bytes), packets[pi].t);
      pi++;
    }
    clock.update(now);
    each?.(now);
  }
}

describe('MIDI clock', () => {
  for (const bpm of [90, 128, 174]) {
    it(`follows ${bpm} BPM with ±2 ms jitter, phase right from start`, () => {
      const clock = new BeatClock();
      const { packets, startTime, startArrival, endTime } = dawStream(() => bpm, 4, 16, 0.002, bpm);
      let worstPhase = 0;
      let firstBeatCount = -1;
      let beats = 0;
      play(clock, packets, 0.5, endTime - 0.05, 60, (now) => {
        // From the first frame that has seen Start and its downbeat tick.
        if (now < startArrival) return;
        if (firstBeatCount < 0) firstBeatCount = clock.beatCount;
        beats += clock.beatsCrossed;
        const expected = ((now - startTime) * bpm) / 60;
        worstPhase = Math.max(worstPhase, Math.abs(clock.position - expected));
      });
      expect(clock.leader).toBe(ClockSource.Midi);
      expect(Math.abs(clock.bpm - bpm)).toBeLessThan(0.5);
      expect(Math.abs(clock.midi.bpm - bpm)).toBeLessThan(0.5);
      // Within a few ms of the true grid on every frame since Start (2 ms at 174 BPM ≈ 0.006 beat).
      expect(worstPhase).toBeLessThan(0.02);
      expect(firstBeatCount).toBe(0);
      expect(beats).toBe(16);
      expect(clock.barPhase).toBeGreaterThan(0.9);
    });
  }

  it('follows a tempo change from 120 to 140 BPM within two beats', () => {
    const clock = new BeatClock();
    const { packets, startTime, endTime } = dawStream((b) => (b < 8 ? 120 : 140), 2, 16, 0.001, 5);
    const changeAt = startTime + 8 * 0.5;
    const twoBeatsLater = changeAt + 2 * (60 / 140);
    let worst = 0;
    play(clock, packets, 0.5, endTime - 0.02, 60, (now) => {
      if (now > twoBeatsLater) worst = Math.max(worst, Math.abs(clock.bpm - 140));
    });
    expect(worst).toBeLessThan(0.5);
    // Position stays on the bar grid: 8 beats at 120 then 140.
    const expected = 8 + ((endTime - 0.02 - changeAt) * 140) / 60;
    expect(Math.abs(clock.position - expected)).toBeLessThan(0.05);
  });

  it('stops, relocates with song position and continues on bar 3', () => {
    const clock = new BeatClock();
    const period = 60 / 128 / 24;
    let t = 1;
    let now = 0.5;
    const frame = (until: number, check?: () => void) => {
      while (now < until) {
        now += 1 / 60;
        clock.update(now);
        check?.();
      }
    };
    const send = (bytes: number[]) => clock.midiBytes(Uint8Array.from(bytes), t);
    for (let k = 0; k < 48; k++, t += period) {
      send([0xf8]);
      frame(t);
    }
    send([0xfa, 0xf8]);
    t += period;
    for (let k = 1; k < 24 * 5; k++, t += period) {
      send([0xf8]);
      frame(t);
    }
    expect(clock.leader).toBe(ClockSource.Midi);
    // Stop: the DAW keeps sending clock while stopped, the follower holds still and emits no beats.
    send([0xfc]);
    let crossedWhileStopped = 0;
    for (let k = 0; k < 48; k++, t += period) {
      send([0xf8]);
      frame(t, () => (crossedWhileStopped += clock.beatsCrossed));
    }
    expect(clock.leader).toBe(ClockSource.None);
    expect(clock.freeRunning).toBe(true);
    expect(crossedWhileStopped).toBe(0);
    // Song position 32 sixteenths = beat 8 = bar 3 in 4/4, then continue.
    send([0xf2, 32, 0, 0xfb, 0xf8]);
    t += period;
    frame(t - period / 2);
    expect(clock.leader).toBe(ClockSource.Midi);
    expect(clock.beatCount).toBe(8);
    expect(clock.beatPhase).toBeLessThan(0.05);
    expect(clock.barPhase).toBeLessThan(0.02);
    for (let k = 1; k < 24; k++, t += period) {
      send([0xf8]);
      frame(t);
    }
    expect(clock.beatCount).toBe(8);
    expect(clock.beatPhase).toBeGreaterThan(0.9);
  });

  it('keeps time when clock bytes interrupt other messages', () => {
    const m = new MidiClock();
    const period = 60 / 100 / 24;
    let t = 0;
    for (let k = 0; k < 96; k++, t += period) {
      if (k % 7 === 0) {
        // Note on split by a clock byte, then running-status note data.
        m.bytes(Uint8Array.from([0x90, 0x3c, 0xf8, 0x64, 0x40, 0x7f]), t);
      } else if (k % 11 === 0) {
        // SysEx with a clock byte inside it.
        m.bytes(Uint8Array.from([0xf0, 0x7e, 0x01, 0xf8, 0x06, 0x02, 0xf7]), t);
      } else if (k % 13 === 0) {
        // CC with running status and a clock between status and data.
        m.bytes(Uint8Array.from([0xb0, 0xf8, 0x07, 0x50, 0x0a, 0x40]), t);
      } else m.byte(0xf8, t);
    }
    expect(m.ticks).toBe(96);
    expect(Math.abs(m.bpm - 100)).toBeLessThan(0.01);
    expect(m.ignoredBytes).toBe(0);
    // A song position pointer split by clock bytes still lands.
    m.bytes(Uint8Array.from([0xfc, 0xf2, 0xf8, 0x10, 0xf8, 0x01, 0xfb]), t);
    t += period;
    m.byte(0xf8, t);
    expect(m.running).toBe(true);
    // 0x10 | 0x01 << 7 = 144 sixteenths = 36 beats.
    expect(m.anchorPos).toBe(36);
  });

  it('ignores a second transport start mid-tick without losing tempo', () => {
    const m = new MidiClock();
    const period = 60 / 120 / 24;
    for (let k = 0; k < 30; k++) m.byte(0xf8, k * period);
    m.byte(0xfa, 30 * period);
    expect(m.running).toBe(false);
    m.byte(0xf8, 30 * period);
    expect(m.running).toBe(true);
    expect(m.anchorPos).toBe(0);
    expect(m.bpm).toBeCloseTo(120, 6);
    for (const b of [0x45, 0x12]) m.byte(b, 31 * period); // stray data with no status
    expect(m.ignoredBytes).toBe(2);
  });
});
