/**
 * The demo track: a deterministic synthwave / dark-ambient sketch rendered from code, so the
 * engine has something musical to analyse out of the box and tests have exact ground truth.
 * Form: groove (kick, clap, hats, bass, pad, arp) → beatless ambient (pad, breath, lead, hiss)
 * → swell (riser, snare roll) → groove with crash → near-silence. Offline code: allocates freely.
 */
import { midiToHz as midiHz, seededRandom as rng } from '../workers/analysis/signals.ts';

/** Bump when the rendered audio or the truth changes, so `make-demo` regenerates. */
export const DEMO_TRACK_VERSION = 2;

export const DEMO_BPM = 116;

export type SectionName = 'groove-a' | 'ambient' | 'swell' | 'groove-b' | 'near-silence';

export interface DemoSection {
  readonly name: SectionName;
  readonly start: number;
  readonly end: number;
}

export interface DemoChord {
  /** Bar index from 0. */
  readonly bar: number;
  readonly start: number;
  readonly end: number;
  /** Chord symbol, e.g. `Am`, `F`. */
  readonly chord: string;
  /** Pitch classes in the chord (0 = C .. 11 = B), root first. */
  readonly pitchClasses: readonly number[];
}

export interface DemoNote {
  readonly start: number;
  readonly end: number;
  readonly midi: number;
  readonly hz: number;
}

/** Ground truth written beside the demo (all times in seconds from the first sample). */
export interface DemoTruth {
  readonly version: number;
  readonly sampleRate: number;
  readonly bpm: number;
  readonly beatSeconds: number;
  readonly barSeconds: number;
  readonly duration: number;
  /** Start time of every kick drum hit. */
  readonly kicks: readonly number[];
  /** Start time of every clap and snare hit. */
  readonly snares: readonly number[];
  readonly sections: readonly DemoSection[];
  readonly chords: readonly DemoChord[];
  /** The monophonic lead of the ambient section (clear pitch). */
  readonly lead: readonly DemoNote[];
}

export interface DemoTrack {
  readonly sampleRate: number;
  /** Left and right channels. */
  readonly channels: readonly [Float32Array, Float32Array];
  readonly truth: DemoTruth;
}

interface ChordDef {
  readonly name: string;
  /** Pad voicing (MIDI notes). */
  readonly notes: readonly number[];
  /** Bass root (MIDI note). */
  readonly bass: number;
}

const CHORDS: Readonly<Record<string, ChordDef>> = {
  Am: { name: 'Am', notes: [57, 60, 64, 69], bass: 33 },
  F: { name: 'F', notes: [53, 57, 60, 65], bass: 29 },
  C: { name: 'C', notes: [48, 55, 60, 64], bass: 36 },
  G: { name: 'G', notes: [55, 59, 62, 67], bass: 31 },
  Dm: { name: 'Dm', notes: [50, 57, 62, 65], bass: 38 },
  E: { name: 'E', notes: [52, 56, 59, 64], bass: 28 },
};

const GROOVE_PROGRESSION = ['Am', 'F', 'C', 'G'];
const AMBIENT_PROGRESSION = ['F', 'C', 'Dm', 'Am', 'F', 'G'];

// Bars: groove-a 0-11, ambient 12-17, swell 18-19, groove-b 20-27, then near-silence.
const GROOVE_A = [0, 12] as const;
const AMBIENT = [12, 18] as const;
const SWELL = [18, 20] as const;
const GROOVE_B = [20, 28] as const;
const TAIL_SECONDS = 3;

// Lead melody over the ambient bars: [bar offset in beats from AMBIENT start, length in beats, MIDI].
const LEAD: readonly (readonly [number, number, number])[] = [
  [0, 2, 69], [2, 2, 72],
  [4, 4, 76],
  [8, 2, 74], [10, 2, 77],
  [12, 4, 76],
  [16, 2, 72], [18, 2, 69],
  [20, 3, 71], [23, 1, 74],
];

/** Topology-preserving state-variable filter; low/band/high outputs after `run`. */
class Svf {
  private ic1 = 0;
  private ic2 = 0;
  lp = 0;
  bp = 0;
  hp = 0;
  constructor(private readonly sampleRate: number) {}
  run(x: number, cutoffHz: number, q: number): void {
    const fc = Math.min(cutoffHz, this.sampleRate * 0.45);
    const g = Math.tan((Math.PI * fc) / this.sampleRate);
    const k = 1 / q;
    const a1 = 1 / (1 + g * (g + k));
    const a2 = g * a1;
    const a3 = g * a2;
    const v3 = x - this.ic2;
    const v1 = a1 * this.ic1 + a2 * v3;
    const v2 = this.ic2 + a2 * this.ic1 + a3 * v3;
    this.ic1 = 2 * v1 - this.ic1;
    this.ic2 = 2 * v2 - this.ic2;
    this.lp = v2;
    this.bp = v1;
    this.hp = x - k * v1 - v2;
  }
}

/** Band-limited sawtooth step (polyBLEP) for phase in [0,1) advancing by dt per sample. */
function saw(phase: number, dt: number): number {
  let v = 2 * phase - 1;
  if (phase < dt) {
    const t = phase / dt;
    v -= t + t - t * t - 1;
  } else if (phase > 1 - dt) {
    const t = (phase - 1) / dt;
    v -= t * t + t + t + 1;
  }
  return v;
}

interface Buses {
  readonly sr: number;
  readonly n: number;
  /** Drums, never ducked. */
  readonly dL: Float32Array;
  readonly dR: Float32Array;
  /** Tonal parts, ducked by the kick (sidechain pump). */
  readonly mL: Float32Array;
  readonly mR: Float32Array;
  /** Send to the ping-pong delay. */
  readonly sL: Float32Array;
  readonly sR: Float32Array;
}

function kick(b: Buses, t0: number, vel: number, rand: () => number): number {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round(0.5 * sr), b.n - s0);
  let phase = 0;
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    const f = 55 + 110 * Math.exp(-t / 0.03);
    phase += f / sr;
    const attack = Math.min(1, t / 0.0015);
    const body = Math.sin(2 * Math.PI * phase) * Math.exp(-t / 0.24) * attack;
    const click = t < 0.004 ? (rand() * 2 - 1) * (1 - t / 0.004) * 0.35 : 0;
    const v = vel * 0.95 * (body + click);
    b.dL[s0 + i] += v;
    b.dR[s0 + i] += v;
  }
  return s0 / sr;
}

function clap(b: Buses, t0: number, vel: number, rand: () => number): number {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round(0.35 * sr), b.n - s0);
  const fl = new Svf(sr);
  const fr = new Svf(sr);
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    // Three quick bursts then a diffuse tail: the classic hand-clap shape.
    let env = Math.exp(-t / 0.09) * 0.55;
    for (let k = 0; k < 3; k++) {
      const tk = t - k * 0.011;
      if (tk >= 0) env += Math.exp(-tk / 0.004);
    }
    fl.run(rand() * 2 - 1, 1300, 1.2);
    fr.run(rand() * 2 - 1, 1200, 1.2);
    const g = vel * 0.55 * env;
    b.dL[s0 + i] += fl.bp * g;
    b.dR[s0 + i] += fr.bp * g;
    b.sL[s0 + i] += fl.bp * g * 0.25;
    b.sR[s0 + i] += fr.bp * g * 0.25;
  }
  return s0 / sr;
}

function snare(b: Buses, t0: number, vel: number, rand: () => number): number {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round(0.18 * sr), b.n - s0);
  const f = new Svf(sr);
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    f.run(rand() * 2 - 1, 2200, 0.8);
    const noise = f.bp * Math.exp(-t / 0.07);
    const body = Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.05) * 0.5;
    const v = vel * 0.5 * (noise + body);
    b.dL[s0 + i] += v;
    b.dR[s0 + i] += v;
  }
  return s0 / sr;
}

function hat(b: Buses, t0: number, vel: number, open: boolean, pan: number, rand: () => number): void {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const decay = open ? 0.16 : 0.035;
  const len = Math.min(Math.round(decay * 6 * sr), b.n - s0);
  const f = new Svf(sr);
  const gl = Math.sqrt(0.5 * (1 - pan));
  const gr = Math.sqrt(0.5 * (1 + pan));
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    f.run(rand() * 2 - 1, 8000, 0.9);
    const v = f.hp * Math.exp(-t / decay) * vel * 0.16;
    b.dL[s0 + i] += v * gl;
    b.dR[s0 + i] += v * gr;
  }
}

function crash(b: Buses, t0: number, rand: () => number): void {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round(2.5 * sr), b.n - s0);
  const fl = new Svf(sr);
  const fr = new Svf(sr);
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    fl.run(rand() * 2 - 1, 5000, 0.7);
    fr.run(rand() * 2 - 1, 5500, 0.7);
    const env = Math.exp(-t / 0.7) * 0.22;
    b.dL[s0 + i] += fl.hp * env;
    b.dR[s0 + i] += fr.hp * env;
  }
}

/** Mono synth bass note: saw + square, resonant low-pass with a plucky envelope. */
function bassNote(b: Buses, t0: number, dur: number, midi: number, vel: number): void {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round((dur + 0.03) * sr), b.n - s0);
  const hz = midiHz(midi);
  const dt = hz / sr;
  const f = new Svf(sr);
  let ph = 0;
  let ph2 = 0.5;
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    const sq = saw(ph, dt) - saw(ph2, dt);
    const x = 0.6 * saw(ph, dt) + 0.4 * sq;
    ph += dt;
    if (ph >= 1) ph -= 1;
    ph2 += dt;
    if (ph2 >= 1) ph2 -= 1;
    f.run(x, 180 + 1400 * Math.exp(-t / 0.09), 1.6);
    const gate = t < dur ? Math.min(1, t / 0.003) : Math.max(0, 1 - (t - dur) / 0.03);
    const v = f.lp * gate * vel * 0.3;
    b.mL[s0 + i] += v;
    b.mR[s0 + i] += v;
  }
}

/** Detuned-saw pad chord; cutoff follows `cutoff(t)` so the swell can open it. */
function padChord(b: Buses, t0: number, dur: number, notes: readonly number[], gain: number, attack: number, release: number, cutoff: (t: number) => number): void {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round((dur + release) * sr), b.n - s0);
  const detune = [-0.11, 0.0, 0.09];
  const fl = new Svf(sr);
  const fr = new Svf(sr);
  const voices = notes.length * detune.length;
  const phL = new Float64Array(voices);
  const phR = new Float64Array(voices);
  const dtL = new Float64Array(voices);
  const dtR = new Float64Array(voices);
  for (let v = 0; v < voices; v++) {
    const base = notes[Math.floor(v / detune.length)];
    const d = detune[v % detune.length];
    dtL[v] = midiHz(base + d) / sr;
    dtR[v] = midiHz(base - d * 0.8) / sr;
    phL[v] = (v * 0.37) % 1;
    phR[v] = (v * 0.61) % 1;
  }
  const norm = gain / voices;
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    let l = 0;
    let r = 0;
    for (let v = 0; v < voices; v++) {
      l += saw(phL[v], dtL[v]);
      r += saw(phR[v], dtR[v]);
      phL[v] += dtL[v];
      if (phL[v] >= 1) phL[v] -= 1;
      phR[v] += dtR[v];
      if (phR[v] >= 1) phR[v] -= 1;
    }
    const fc = cutoff(t);
    fl.run(l, fc, 0.9);
    fr.run(r, fc, 0.9);
    const env = t < attack ? t / attack : t < dur ? 1 : Math.max(0, 1 - (t - dur) / release);
    const g = env * env * norm;
    b.mL[s0 + i] += fl.lp * g;
    b.mR[s0 + i] += fr.lp * g;
  }
}

/** Plucked arpeggio note, mostly sent to the delay for width. */
function pluck(b: Buses, t0: number, midi: number, vel: number, pan: number): void {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const len = Math.min(Math.round(0.4 * sr), b.n - s0);
  const dt = midiHz(midi) / sr;
  const f = new Svf(sr);
  let ph = 0;
  const gl = Math.sqrt(0.5 * (1 - pan));
  const gr = Math.sqrt(0.5 * (1 + pan));
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    const x = saw(ph, dt);
    ph += dt;
    if (ph >= 1) ph -= 1;
    f.run(x, 600 + 4000 * Math.exp(-t / 0.05), 1.2);
    const v = f.lp * Math.exp(-t / 0.09) * Math.min(1, t / 0.002) * vel * 0.09;
    b.mL[s0 + i] += v * gl;
    b.mR[s0 + i] += v * gr;
    b.sL[s0 + i] += v * gl * 0.6;
    b.sR[s0 + i] += v * gr * 0.6;
  }
}

/** Soft flute-like lead with delayed vibrato: a clear fundamental for pitch tracking. */
function leadNote(b: Buses, t0: number, dur: number, midi: number): void {
  const { sr } = b;
  const s0 = Math.round(t0 * sr);
  const release = 0.25;
  const len = Math.min(Math.round((dur + release) * sr), b.n - s0);
  const hz = midiHz(midi);
  let ph = 0;
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    const vib = 1 + 0.004 * Math.min(1, Math.max(0, (t - 0.35) / 0.4)) * Math.sin(2 * Math.PI * 5.2 * t);
    ph += (hz * vib) / sr;
    if (ph >= 1) ph -= 1;
    const w = 2 * Math.PI * ph;
    const x = Math.sin(w) + 0.18 * Math.sin(2 * w) + 0.06 * Math.sin(3 * w);
    const env = t < 0.08 ? t / 0.08 : t < dur ? 1 - 0.15 * Math.min(1, (t - 0.08) / dur) : 0.85 * Math.max(0, 1 - (t - dur) / release);
    const v = x * env * 0.2;
    b.mL[s0 + i] += v;
    b.mR[s0 + i] += v;
    b.sL[s0 + i] += v * 0.45;
    b.sR[s0 + i] += v * 0.45;
  }
}

/** Render the demo track at `sampleRate` (stereo) with its ground truth. Same inputs, same samples. */
export function renderDemoTrack(sampleRate = 48000, seed = 0x61a55f0e): DemoTrack {
  if (!Number.isInteger(sampleRate) || sampleRate < 8000) throw new RangeError(`demo track needs an integer sample rate >= 8000, got ${sampleRate}`);
  const sr = sampleRate;
  const beat = 60 / DEMO_BPM;
  const bar = 4 * beat;
  const barT = (i: number): number => i * bar;
  const silenceStart = barT(GROOVE_B[1]);
  const duration = silenceStart + TAIL_SECONDS;
  const n = Math.round(duration * sr);
  const buses: Buses = {
    sr,
    n,
    dL: new Float32Array(n),
    dR: new Float32Array(n),
    mL: new Float32Array(n),
    mR: new Float32Array(n),
    sL: new Float32Array(n),
    sR: new Float32Array(n),
  };
  const rDrum = rng(seed);
  const rAir = rng(seed ^ 0x5bd1e995);
  const kicks: number[] = [];
  const snares: number[] = [];
  const chords: DemoChord[] = [];
  const lead: DemoNote[] = [];

  const chordAt = (barIndex: number): ChordDef => {
    if (barIndex < AMBIENT[0]) return CHORDS[GROOVE_PROGRESSION[barIndex % 4]];
    if (barIndex < SWELL[0]) return CHORDS[AMBIENT_PROGRESSION[barIndex - AMBIENT[0]]];
    if (barIndex < SWELL[1]) return CHORDS.E;
    return CHORDS[GROOVE_PROGRESSION[(barIndex - GROOVE_B[0]) % 4]];
  };

  // Harmony: one chord per bar, every bar up to the near-silence.
  for (let i = 0; i < GROOVE_B[1]; i++) {
    const c = chordAt(i);
    const t0 = barT(i);
    const pcs: number[] = [];
    for (const m of c.notes) {
      const pc = m % 12;
      if (!pcs.includes(pc)) pcs.push(pc);
    }
    const rootPc = c.bass % 12;
    pcs.sort((a, b) => ((a - rootPc + 12) % 12) - ((b - rootPc + 12) % 12));
    chords.push({ bar: i, start: t0, end: t0 + bar, chord: c.name, pitchClasses: pcs });
  }

  // Pads. Groove: bright-ish and steady; ambient: darker, slow attack, longer tails; swell: opens up.
  for (let i = 0; i < GROOVE_B[1]; i++) {
    const c = chordAt(i);
    const t0 = barT(i);
    const lastBar = i === GROOVE_B[1] - 1;
    if (i >= AMBIENT[0] && i < AMBIENT[1]) {
      padChord(buses, t0, bar, c.notes, 0.3, 0.9, 1.2, (t) => 700 + 250 * Math.sin(2 * Math.PI * 0.15 * (t0 + t)));
    } else if (i >= SWELL[0] && i < SWELL[1]) {
      const k = i - SWELL[0];
      padChord(buses, t0, bar, c.notes, 0.4 + 0.3 * k, k === 0 ? 0.3 : 0.02, 0.15, (t) => 650 * Math.pow(9, (k * bar + t) / (2 * bar)));
    } else {
      padChord(buses, t0, bar, c.notes, 0.42, 0.04, lastBar ? 0.12 : 0.25, () => 2200);
    }
  }

  // Drums, bass and arp in both grooves.
  const grooveBars: number[] = [];
  for (let i = GROOVE_A[0]; i < GROOVE_A[1]; i++) grooveBars.push(i);
  for (let i = GROOVE_B[0]; i < GROOVE_B[1]; i++) grooveBars.push(i);
  const bassPattern = [0, 0, 12, 0, 0, 0, 12, 7];
  const hatAccent = [0.55, 0.25, 0.8, 0.3];
  const arpOrder = [0, 1, 2, 3, 2, 1, 0, 2];
  for (const i of grooveBars) {
    const t0 = barT(i);
    const c = chordAt(i);
    const inB = i >= GROOVE_B[0];
    const local = inB ? i - GROOVE_B[0] : i - GROOVE_A[0];
    for (let q = 0; q < 4; q++) kicks.push(kick(buses, t0 + q * beat, 1, rDrum));
    if (inB || local >= 2) {
      snares.push(clap(buses, t0 + beat, 0.9, rDrum));
      snares.push(clap(buses, t0 + 3 * beat, 1, rDrum));
    }
    if (!inB && local >= 2 && local < 6) {
      for (let q = 0; q < 4; q++) hat(buses, t0 + (q + 0.5) * beat, 0.7, false, 0.3, rDrum);
    } else if (inB || local >= 6) {
      for (let s = 0; s < 16; s++) {
        const open = s % 4 === 2;
        hat(buses, t0 + (s * beat) / 4, open ? 0.6 : hatAccent[s % 4], open, open ? -0.25 : 0.3, rDrum);
      }
    }
    for (let e = 0; e < 8; e++) bassNote(buses, t0 + (e * beat) / 2, beat * 0.36, c.bass + bassPattern[e], e % 2 === 0 ? 1 : 0.8);
    if (inB || local >= 8) {
      for (let s = 0; s < 16; s++) {
        const m = c.notes[arpOrder[s % 8]] + 12;
        pluck(buses, t0 + (s * beat) / 4, m, s % 4 === 0 ? 1 : 0.7, s % 2 === 0 ? -0.4 : 0.4);
      }
    }
  }
  crash(buses, barT(GROOVE_B[0]), rDrum);

  // Ambient lead.
  for (const [startBeat, lenBeats, midi] of LEAD) {
    const t0 = barT(AMBIENT[0]) + startBeat * beat;
    const dur = lenBeats * beat * 0.94;
    leadNote(buses, t0, dur, midi);
    const s0 = Math.round(t0 * sr);
    lead.push({ start: s0 / sr, end: s0 / sr + dur, midi, hz: midiHz(midi) });
  }

  // Swell: snare roll through its last bar, quickening from 8ths to 16ths and growing louder.
  {
    const t0 = barT(SWELL[1] - 1);
    for (let s = 0; s < 4; s++) snares.push(snare(buses, t0 + s * (beat / 2), 0.6 + 0.08 * s, rDrum));
    for (let s = 0; s < 8; s++) snares.push(snare(buses, t0 + 2 * beat + s * (beat / 4), 0.95 + 0.08 * s, rDrum));
    snares.sort((a, b) => a - b);
  }

  // Sidechain pump: tonal bus ducks under each kick.
  const duck = new Float32Array(n).fill(1);
  for (const tk of kicks) {
    const s0 = Math.round(tk * sr);
    const len = Math.min(Math.round(0.45 * sr), n - s0);
    for (let i = 0; i < len; i++) {
      const t = i / sr;
      const d = 1 - 0.6 * Math.min(1, t / 0.004) * Math.exp(-t / 0.14);
      if (d < duck[s0 + i]) duck[s0 + i] = d;
    }
  }

  // Ping-pong delay (dotted eighth) with darkened feedback, then mix, air and hiss.
  const dlyLen = Math.round(0.75 * beat * sr);
  const ringL = new Float32Array(dlyLen);
  const ringR = new Float32Array(dlyLen);
  let lpL = 0;
  let lpR = 0;
  const lpA = 1 - Math.exp((-2 * Math.PI * 2500) / sr);
  const hissLp = new Svf(sr);
  const hissLpR = new Svf(sr);
  const breathL = new Svf(sr);
  const breathR = new Svf(sr);
  const riser = new Svf(sr);
  const riserR = new Svf(sr);
  const ambStart = barT(AMBIENT[0]);
  const ambEnd = barT(AMBIENT[1]);
  const swellStart = barT(SWELL[0]);
  const swellEnd = barT(SWELL[1]);
  const outL = new Float32Array(n);
  const outR = new Float32Array(n);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const dl = ringL[w];
    const dr = ringR[w];
    lpL += lpA * (dl - lpL);
    lpR += lpA * (dr - lpR);
    // Cross-feed gives the ping-pong; the delay fades out in the near-silence.
    const fb = t < silenceStart ? 0.42 : 0.42 * Math.max(0, 1 - (t - silenceStart) / 0.6);
    ringL[w] = buses.sL[i] + lpR * fb;
    ringR[w] = buses.sR[i] + lpL * fb;
    w = w + 1 === dlyLen ? 0 : w + 1;

    let l = buses.dL[i] + buses.mL[i] * duck[i] + dl * 0.5;
    let r = buses.dR[i] + buses.mR[i] * duck[i] + dr * 0.5;

    // Breath: band-passed noise swelling in and out about every 4 s through the ambient part.
    if (t >= ambStart - 0.5 && t < ambEnd + 1) {
      const edge = Math.min(1, (t - (ambStart - 0.5)) / 1.5, (ambEnd + 1 - t) / 1.5);
      const cyc = 0.5 - 0.5 * Math.cos((2 * Math.PI * (t - ambStart)) / 4.1);
      const center = 900 + 900 * cyc;
      breathL.run(rAir() * 2 - 1, center, 0.9);
      breathR.run(rAir() * 2 - 1, center * 1.08, 0.9);
      const g = 0.09 * edge * cyc * cyc;
      l += breathL.bp * g;
      r += breathR.bp * g;
    }
    // Riser: noise band sweeping up over the swell, cut at the drop.
    if (t >= swellStart && t < swellEnd) {
      const k = (t - swellStart) / (swellEnd - swellStart);
      const fc = 300 * Math.pow(30, k);
      riser.run(rAir() * 2 - 1, fc, 2.5);
      riserR.run(rAir() * 2 - 1, fc * 1.05, 2.5);
      const g = 0.2 * k * k;
      l += riser.bp * g;
      r += riserR.bp * g;
    }
    // Tape hiss everywhere: louder in the ambient part, faint in the near-silence.
    const hissLevel = t >= silenceStart ? 0.0012 : t >= ambStart && t < swellEnd ? 0.012 : 0.004;
    hissLp.run(rAir() * 2 - 1, 9000, 0.7);
    hissLpR.run(rAir() * 2 - 1, 9000, 0.7);
    l += hissLp.lp * hissLevel;
    r += hissLpR.lp * hissLevel;

    // Gentle saturation on the master glues the mix and rounds kick peaks.
    outL[i] = Math.tanh(l * 1.1);
    outR[i] = Math.tanh(r * 1.1);
  }

  // Normalise to -1 dBFS peak.
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(outL[i]);
    const b = Math.abs(outR[i]);
    if (a > peak) peak = a;
    if (b > peak) peak = b;
  }
  const gain = peak > 0 ? 0.891 / peak : 1;
  for (let i = 0; i < n; i++) {
    outL[i] *= gain;
    outR[i] *= gain;
  }

  const sections: DemoSection[] = [
    { name: 'groove-a', start: barT(GROOVE_A[0]), end: barT(GROOVE_A[1]) },
    { name: 'ambient', start: ambStart, end: ambEnd },
    { name: 'swell', start: swellStart, end: swellEnd },
    { name: 'groove-b', start: barT(GROOVE_B[0]), end: silenceStart },
    { name: 'near-silence', start: silenceStart, end: n / sr },
  ];

  return {
    sampleRate: sr,
    channels: [outL, outR],
    truth: {
      version: DEMO_TRACK_VERSION,
      sampleRate: sr,
      bpm: DEMO_BPM,
      beatSeconds: beat,
      barSeconds: bar,
      duration: n / sr,
      kicks,
      snares,
      sections,
      chords,
      lead,
    },
  };
}
