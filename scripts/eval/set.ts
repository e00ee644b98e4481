/**
 * The rhythm evaluation set: short pieces written here as notes with exact ground truth
 * (beats, downbeats, onsets, tempo, silences), rendered through a General MIDI soundfont by
 * fluidsynth (see render.ts). Many tempos (70–180 BPM) and grooves (four-on-the-floor, swing,
 * breakbeat, half-time, 3/4, no drums), a tempo change, silence gaps, quiet, clipped and hissy
 * input, and beatless pads. Deterministic: the same seed gives the same notes.
 */
import { seededRandom } from '../../workers/analysis/signals.ts';
import type { MidiNote, MidiProgram } from './midi-file.ts';

export type Style =
  | 'house' | 'techno' | 'synthwave' | 'boom-bap' | 'dnb' | 'half-time' | 'waltz' | 'piano'
  | 'ballad' | 'punk' | 'reggae' | 'funk' | 'shuffle' | 'rock' | 'pad';

export interface ClipDef {
  readonly name: string;
  readonly style: Style;
  /** Tempo, or a step change `[from, to, atBar]`. */
  readonly bpm: number | readonly [number, number, number];
  readonly bars: number;
  /** Bars of silence inserted after bar `atBar` (`[atBar, bars]`). */
  readonly gap?: readonly [number, number];
  /** Output gain (dB) applied after rendering (quiet input). */
  readonly gainDb?: number;
  /** Drive before hard clipping at full scale (clipped input). */
  readonly drive?: number;
  /** Tape hiss level (dBFS RMS) mixed in. */
  readonly hissDb?: number;
  /** One line on what the clip tests. */
  readonly note: string;
}

export const EVAL_SET: readonly ClipDef[] = [
  { name: 'house-124', style: 'house', bpm: 124, bars: 14, note: 'four-on-the-floor, offbeat hats, clap on 2 and 4' },
  { name: 'techno-132', style: 'techno', bpm: 132, bars: 16, note: 'rolling 16th bass, ghosted hats' },
  { name: 'synthwave-100', style: 'synthwave', bpm: 100, bars: 12, note: 'kick on 1 and 3, gated snare, arpeggio, pads' },
  { name: 'boom-bap-90', style: 'boom-bap', bpm: 90, bars: 11, note: 'swung 16ths, syncopated kick' },
  { name: 'dnb-174', style: 'dnb', bpm: 174, bars: 20, note: 'breakbeat: two-step kick, ghost snares' },
  { name: 'half-time-140', style: 'half-time', bpm: 140, bars: 16, note: 'snare on 3 only, 16th hats with rolls' },
  { name: 'waltz-150', style: 'waltz', bpm: 150, bars: 22, note: '3/4: bass on 1, chords on 2 and 3' },
  { name: 'piano-80', style: 'piano', bpm: 80, bars: 10, note: 'no drums: piano arpeggios and bass' },
  { name: 'ballad-70', style: 'ballad', bpm: 70, bars: 9, note: 'slow backbeat, sparse kick' },
  { name: 'punk-180', style: 'punk', bpm: 180, bars: 22, note: 'fast eighths, distorted guitar' },
  { name: 'reggae-76', style: 'reggae', bpm: 76, bars: 9, note: 'one-drop: kick and rim on 3, offbeat skank' },
  { name: 'funk-105', style: 'funk', bpm: 105, bars: 12, note: 'syncopated kick, ghost notes, 16th hats' },
  { name: 'shuffle-116', style: 'shuffle', bpm: 116, bars: 13, note: 'triplet shuffle' },
  { name: 'rock-160', style: 'rock', bpm: 160, bars: 18, note: 'straight rock, crash on bar starts' },
  { name: 'tempo-change-120-140', style: 'house', bpm: [120, 140, 12], bars: 24, note: 'step from 120 to 140 BPM at bar 12' },
  { name: 'gaps-110', style: 'synthwave', bpm: 110, bars: 18, gap: [8, 3], note: 'music, 6.5 s of silence, music again' },
  { name: 'quiet-128', style: 'techno', bpm: 128, bars: 14, gainDb: -36, note: 'peaks near -36 dBFS' },
  { name: 'clipped-96', style: 'funk', bpm: 96, bars: 11, drive: 8, note: 'driven 18 dB into hard clipping' },
  { name: 'hiss-86', style: 'boom-bap', bpm: 86, bars: 10, hissDb: -32, note: 'cassette hiss at -32 dBFS' },
  { name: 'pad-ambient', style: 'pad', bpm: 60, bars: 8, hissDb: -50, note: 'beatless pads and breathy noise: no beats expected' },
];

export interface Truth {
  readonly duration: number;
  /** Beat times (s); empty for beatless clips. */
  readonly beats: number[];
  readonly downbeats: number[];
  /** Percussive and plucked onsets (s), merged within 30 ms. */
  readonly onsets: number[];
  /** Ghost notes and soft pad entries: a detection there is neither a hit nor a false alarm. */
  readonly optionalOnsets: number[];
  /** Constant-tempo stretches: music from `start` to `end` at `bpm`. */
  readonly segments: { start: number; end: number; bpm: number }[];
  /** Digital silence inside the clip. */
  readonly silences: { start: number; end: number }[];
  readonly beatless: boolean;
}

export interface Composition {
  readonly notes: MidiNote[];
  readonly programs: MidiProgram[];
  readonly truth: Truth;
}

/** Where the first bar starts (a short lead-in of silence, as a live set would have). */
const LEAD_IN = 0.25;
/** Onsets closer than this are one onset in the truth. */
const MERGE = 0.03;
/** Notes softer than this are ghost notes: optional in the onset truth (annotators disagree on them). */
const GHOST_VELOCITY = 50;

const CH_BASS = 0;
const CH_CHORDS = 1;
const CH_PAD = 2;
const CH_LEAD = 3;
const CH_DRUMS = 9;

const KICK = 36, SNARE = 38, RIM = 37, CLAP = 39, HAT = 42, OPEN_HAT = 46, CRASH = 49, RIDE = 51, TOM = 45;

/** Chord roots (MIDI) and qualities of a four-bar progression per style. */
const MINOR = [0, 3, 7];
const MAJOR = [0, 4, 7];
const PROG_MINOR: [number, number[]][] = [[57, MINOR], [53, MAJOR], [48, MAJOR], [55, MAJOR]]; // Am F C G
const PROG_MAJOR: [number, number[]][] = [[48, MAJOR], [55, MAJOR], [57, MINOR], [53, MAJOR]]; // C G Am F

interface BarCtx {
  readonly start: number;
  readonly beat: number;
  readonly meter: number;
  readonly index: number;
  readonly rnd: () => number;
  readonly out: MidiNote[];
  /** Swing ratio of offbeat subdivisions (0.5 = straight). */
  readonly swing: number;
}

/** Time of step `i` on a grid of `perBeat` steps per beat, with swing on the offbeat of each pair. */
function stepTime(c: BarCtx, i: number, perBeat: number): number {
  const beatIdx = Math.floor(i / perBeat);
  const sub = i % perBeat;
  let frac: number;
  if (perBeat === 4) frac = Math.floor(sub / 2) * 0.5 + (sub % 2 ? c.swing * 0.5 : 0);
  else if (perBeat === 2) frac = sub ? c.swing : 0;
  else frac = sub / perBeat;
  return c.start + (beatIdx + frac) * c.beat;
}

function jitter(c: BarCtx, amount: number): number {
  return (c.rnd() + c.rnd() - 1) * amount;
}

/** Hits from a pattern string: X loud, x normal, o ghost, . rest. */
function pattern(c: BarCtx, p: string, perBeat: number, channel: number, notes: number | readonly number[], dur: number, velScale = 1): void {
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '.' || ch === ' ') continue;
    const vel = (ch === 'X' ? 118 : ch === 'x' ? 96 : 40) * velScale;
    const t = Math.max(0, stepTime(c, i, perBeat) + jitter(c, 0.004));
    const list = typeof notes === 'number' ? [notes] : notes;
    for (const n of list) c.out.push({ time: t, duration: dur, channel, note: n, velocity: vel + jitter(c, 6) });
  }
}

function chordAt(prog: [number, number[]][], bar: number): [number, number[]] {
  return prog[bar % prog.length];
}

function triad(root: number, q: readonly number[], octave = 0): number[] {
  return q.map((x) => root + x + 12 * octave);
}

function bassLine(c: BarCtx, prog: [number, number[]][], p: string, perBeat: number, dur: number): void {
  const [root] = chordAt(prog, c.index);
  const low = root - 24;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '.') continue;
    const note = ch === 'o' ? low + 12 : ch === 'f' ? low + 7 : low;
    c.out.push({ time: Math.max(0, stepTime(c, i, perBeat) + jitter(c, 0.003)), duration: dur, channel: CH_BASS, note, velocity: 100 + jitter(c, 8) });
  }
}

function pad(c: BarCtx, prog: [number, number[]][]): void {
  const [root, q] = chordAt(prog, c.index);
  for (const n of triad(root, q)) c.out.push({ time: c.start, duration: c.beat * c.meter, channel: CH_PAD, note: n, velocity: 70 });
}

function stab(c: BarCtx, prog: [number, number[]][], p: string, perBeat: number, dur: number, channel = CH_CHORDS): void {
  const [root, q] = chordAt(prog, c.index);
  pattern(c, p, perBeat, channel, triad(root, q), dur, 0.85);
}

function arp(c: BarCtx, prog: [number, number[]][], perBeat: number, octave: number, vel = 88): void {
  const [root, q] = chordAt(prog, c.index);
  const tones = [...triad(root, q, octave), root + 12 * (octave + 1)];
  const steps = perBeat * c.meter;
  for (let i = 0; i < steps; i++) {
    c.out.push({ time: stepTime(c, i, perBeat) + jitter(c, 0.003), duration: c.beat / perBeat, channel: CH_LEAD, note: tones[i % tones.length], velocity: vel + jitter(c, 8) });
  }
}

interface StyleDef {
  readonly meter: number;
  readonly swing?: number;
  readonly programs: MidiProgram[];
  bar(c: BarCtx): void;
}

const STYLES: Record<Style, StyleDef> = {
  house: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 38 }, { channel: CH_CHORDS, program: 4 }, { channel: CH_PAD, program: 89, volume: 70 }],
    bar(c) {
      pattern(c, 'X...X...X...X...', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....x.......x...', 4, CH_DRUMS, CLAP, 0.2);
      pattern(c, '..x...x...x...x.', 4, CH_DRUMS, OPEN_HAT, 0.1);
      pattern(c, 'o.o.o.o.o.o.o.o.', 4, CH_DRUMS, HAT, 0.05);
      bassLine(c, PROG_MINOR, '..x...x...x...o.', 4, c.beat * 0.4);
      stab(c, PROG_MINOR, '.....x.......x..', 4, c.beat * 0.3);
      pad(c, PROG_MINOR);
    },
  },
  techno: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 39 }, { channel: CH_LEAD, program: 81, volume: 60 }],
    bar(c) {
      pattern(c, 'X...X...X...X...', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, 'oox.oox.oox.ooxo', 4, CH_DRUMS, HAT, 0.05);
      pattern(c, '......x.......x.', 4, CH_DRUMS, RIM, 0.1);
      bassLine(c, PROG_MINOR, '.xxx.xxx.xxx.xxo', 4, c.beat * 0.2);
    },
  },
  synthwave: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 38 }, { channel: CH_PAD, program: 90, volume: 70 }, { channel: CH_LEAD, program: 81, volume: 55 }],
    bar(c) {
      pattern(c, 'X.......X.......', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....X.......X...', 4, CH_DRUMS, SNARE, 0.3);
      pattern(c, 'x.x.x.x.x.x.x.x.', 4, CH_DRUMS, HAT, 0.05, 0.8);
      bassLine(c, PROG_MINOR, 'xoxoxoxoxoxoxoxo', 2, c.beat * 0.4);
      arp(c, PROG_MINOR, 4, 1, 70);
      pad(c, PROG_MINOR);
    },
  },
  'boom-bap': {
    meter: 4,
    swing: 0.62,
    programs: [{ channel: CH_BASS, program: 33 }, { channel: CH_CHORDS, program: 0 }],
    bar(c) {
      pattern(c, 'X.....x...X..x..', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....X.......X...', 4, CH_DRUMS, SNARE, 0.3);
      pattern(c, 'x.x.x.x.x.x.x.x.', 4, CH_DRUMS, HAT, 0.05, 0.8);
      bassLine(c, PROG_MINOR, 'x.....x...x.....', 4, c.beat * 0.8);
      stab(c, PROG_MINOR, 'x.......x.......', 4, c.beat * 1.5);
    },
  },
  dnb: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 38 }, { channel: CH_PAD, program: 89, volume: 70 }],
    bar(c) {
      pattern(c, 'X.........X.....', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....X..o.o..X..o', 4, CH_DRUMS, SNARE, 0.2);
      pattern(c, 'x.x.x.x.x.x.x.x.', 4, CH_DRUMS, HAT, 0.05, 0.8);
      bassLine(c, PROG_MINOR, 'x.........x.....', 4, c.beat * 1.5);
      pad(c, PROG_MINOR);
    },
  },
  'half-time': {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 38 }, { channel: CH_LEAD, program: 80, volume: 55 }],
    bar(c) {
      pattern(c, 'X......x..X.....', 4, CH_DRUMS, KICK, 0.3);
      pattern(c, '........X.......', 4, CH_DRUMS, CLAP, 0.3);
      pattern(c, c.index % 2 ? 'x.x.x.x.x.xxx.x.' : 'x.x.x.x.x.x.x.x.', 4, CH_DRUMS, HAT, 0.05, 0.85);
      bassLine(c, PROG_MINOR, 'x......x..x.....', 4, c.beat * 0.7);
      arp(c, PROG_MINOR, 1, 1, 72);
    },
  },
  waltz: {
    meter: 3,
    programs: [{ channel: CH_BASS, program: 32 }, { channel: CH_CHORDS, program: 0 }],
    bar(c) {
      bassLine(c, PROG_MAJOR, 'x..', 1, c.beat * 0.9);
      stab(c, PROG_MAJOR, '.xx', 1, c.beat * 0.5);
      pattern(c, 'x.o', 1, CH_DRUMS, RIDE, 0.2, 0.8);
    },
  },
  piano: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 0 }, { channel: CH_LEAD, program: 0 }],
    bar(c) {
      bassLine(c, PROG_MAJOR, 'x...x...', 2, c.beat * 1.8);
      arp(c, PROG_MAJOR, 2, 0, 80);
    },
  },
  ballad: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 33 }, { channel: CH_CHORDS, program: 0 }, { channel: CH_PAD, program: 48, volume: 70 }],
    bar(c) {
      pattern(c, 'X.......X.x.....', 4, CH_DRUMS, KICK, 0.3);
      pattern(c, '....X.......X...', 4, CH_DRUMS, SNARE, 0.4);
      pattern(c, 'x.x.x.x.x.x.x.x.', 4, CH_DRUMS, HAT, 0.05, 0.7);
      bassLine(c, PROG_MAJOR, 'x.......x.x.....', 4, c.beat * 1.2);
      stab(c, PROG_MAJOR, 'x...x...', 2, c.beat * 0.9);
      pad(c, PROG_MAJOR);
    },
  },
  punk: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 34 }, { channel: CH_CHORDS, program: 30, volume: 90 }],
    bar(c) {
      pattern(c, 'X...x...X...x...', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....X.......X...', 4, CH_DRUMS, SNARE, 0.2);
      pattern(c, c.index % 4 === 0 ? 'X.x.x.x.' : 'x.x.x.x.', 2, CH_DRUMS, c.index % 4 === 0 ? [CRASH] : [HAT], 0.1);
      bassLine(c, PROG_MAJOR, 'xxxxxxxx', 2, c.beat * 0.4);
      stab(c, PROG_MAJOR, 'xxxxxxxx', 2, c.beat * 0.4);
    },
  },
  reggae: {
    meter: 4,
    swing: 0.58,
    programs: [{ channel: CH_BASS, program: 33 }, { channel: CH_CHORDS, program: 27 }, { channel: CH_PAD, program: 16, volume: 60 }],
    bar(c) {
      pattern(c, '........X.......', 4, CH_DRUMS, [KICK, RIM], 0.2);
      pattern(c, 'x.x.x.x.x.x.x.x.', 4, CH_DRUMS, HAT, 0.05, 0.75);
      stab(c, PROG_MAJOR, '.x.x.x.x', 2, c.beat * 0.25);
      bassLine(c, PROG_MAJOR, 'x..x..x.....x...', 4, c.beat * 0.6);
    },
  },
  funk: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 36 }, { channel: CH_CHORDS, program: 7 }],
    bar(c) {
      pattern(c, 'X..x..x...X..x..', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....X..o.o..X..o', 4, CH_DRUMS, SNARE, 0.2);
      pattern(c, 'xoxoxoxoxoxoxoxo', 4, CH_DRUMS, HAT, 0.05);
      bassLine(c, PROG_MINOR, 'x..x..o...x..fo.', 4, c.beat * 0.3);
      stab(c, PROG_MINOR, '..x...x...x..x..', 4, c.beat * 0.2);
    },
  },
  shuffle: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 33 }, { channel: CH_CHORDS, program: 0 }],
    bar(c) {
      pattern(c, 'X.....X.....', 3, CH_DRUMS, KICK, 0.2);
      pattern(c, '...X.....X..', 3, CH_DRUMS, SNARE, 0.2);
      pattern(c, 'x.xx.xx.xx.x', 3, CH_DRUMS, RIDE, 0.2, 0.8);
      bassLine(c, PROG_MAJOR, 'x.ox.ox.ox.o', 3, c.beat * 0.3);
      stab(c, PROG_MAJOR, '..x..x..x..x', 3, c.beat * 0.25);
    },
  },
  rock: {
    meter: 4,
    programs: [{ channel: CH_BASS, program: 33 }, { channel: CH_CHORDS, program: 29, volume: 90 }],
    bar(c) {
      pattern(c, 'X.....x.X.......', 4, CH_DRUMS, KICK, 0.2);
      pattern(c, '....X.......X...', 4, CH_DRUMS, SNARE, 0.2);
      pattern(c, c.index % 4 === 0 ? 'X.x.x.x.' : 'x.x.x.x.', 2, CH_DRUMS, c.index % 4 === 0 ? [CRASH] : [HAT], 0.1);
      if (c.index % 4 === 3) pattern(c, '............xxxx', 4, CH_DRUMS, TOM, 0.1);
      bassLine(c, PROG_MAJOR, 'x.x.x.x.', 2, c.beat * 0.45);
      stab(c, PROG_MAJOR, 'x..x..x.', 2, c.beat * 0.8);
    },
  },
  pad: {
    meter: 4,
    programs: [{ channel: CH_PAD, program: 89 }, { channel: CH_LEAD, program: 91, volume: 60 }],
    bar(c) {
      pad(c, PROG_MINOR);
      const [root, q] = chordAt(PROG_MINOR, c.index + 2);
      // A slow swell voice entering off the grid: texture, no pulse.
      c.out.push({ time: c.start + c.beat * (1.3 + c.rnd()), duration: c.beat * 3, channel: CH_LEAD, note: root + q[1] + 12, velocity: 55 });
    },
  },
};

function mergeOnsets(times: number[]): number[] {
  times.sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of times) if (out.length === 0 || t - out[out.length - 1] > MERGE) out.push(t);
  return out;
}

/** Notes and exact ground truth of one clip. */
export function compose(def: ClipDef, seed = 0x5eed): Composition {
  const style = STYLES[def.style];
  const rnd = seededRandom(seed ^ hash(def.name));
  const notes: MidiNote[] = [];
  const beats: number[] = [];
  const downbeats: number[] = [];
  const segments: Truth['segments'] = [];
  const silences: Truth['silences'] = [];
  const beatless = def.style === 'pad';
  let t = LEAD_IN;
  let segStart = t;
  let segBpm = -1;
  let playedBars = 0;
  const bpmAt = (bar: number): number => (typeof def.bpm === 'number' ? def.bpm : bar < def.bpm[2] ? def.bpm[0] : def.bpm[1]);
  for (let bar = 0; bar < def.bars; bar++) {
    if (def.gap && bar === def.gap[0]) {
      const beat = 60 / bpmAt(bar);
      const len = def.gap[1] * style.meter * beat;
      if (segBpm > 0) segments.push({ start: segStart, end: t, bpm: segBpm });
      silences.push({ start: t, end: t + len });
      t += len;
      segStart = t;
      segBpm = -1;
    }
    const bpm = bpmAt(bar);
    if (bpm !== segBpm) {
      if (segBpm > 0) segments.push({ start: segStart, end: t, bpm: segBpm });
      segStart = t;
      segBpm = bpm;
    }
    const beat = 60 / bpm;
    style.bar({ start: t, beat, meter: style.meter, index: playedBars, rnd, out: notes, swing: style.swing ?? 0.5 });
    for (let b = 0; b < style.meter; b++) {
      beats.push(t + b * beat);
      if (b === 0) downbeats.push(t);
    }
    playedBars++;
    t += style.meter * beat;
  }
  segments.push({ start: segStart, end: t, bpm: segBpm });
  const onsets = beatless
    ? []
    : mergeOnsets(notes.filter((n) => n.channel !== CH_PAD && n.velocity >= GHOST_VELOCITY).map((n) => n.time));
  const optionalOnsets = beatless
    ? notes.map((n) => n.time)
    : mergeOnsets(notes.filter((n) => n.channel === CH_PAD || n.velocity < GHOST_VELOCITY).map((n) => n.time));
  const truth: Truth = {
    duration: t + 1.5,
    beats: beatless ? [] : beats,
    downbeats: beatless ? [] : downbeats,
    onsets,
    optionalOnsets,
    segments: beatless ? [] : segments,
    silences,
    beatless,
  };
  return { notes, programs: style.programs, truth };
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
