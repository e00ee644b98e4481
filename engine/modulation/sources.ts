/**
 * Modulation sources: string ids at the edge, parsed once into numeric descriptors.
 *
 *   <feature column>        normalised, smoothed feature: `centroid`, `loudness`, `bands3.0`, `mel.12`
 *   <column>:raw            normalised, unsmoothed (also `feature:<column>[:raw]`; the `feature:` prefix
 *                           is the only way to the columns named like the aliases below)
 *   loudness:dbfs           absolute loudness on a fixed meter scale (-60 dBFS and below → 0, 0 dBFS → 1,
 *                           linear in dB), smoothed like the features; it does not adapt, so a quiet room
 *                           reads low however long it has been quiet (also `feature:loudness:dbfs`)
 *   onset:all|low|mid|high  onset envelopes; `onset:low:0.4` holds peaks and decays with a 0.4 s half-life
 *                           (aliases: `onset`, `onset.low`, `onset.mid`, `onset.high`)
 *   clock:beat              beat envelope (1 on the beat, falling); clock:beat-phase, clock:bar-phase (0..1)
 *                           (aliases: `beat`, `beatPhase`, `barPhase`: the beat clock's, not the tracker's columns)
 *   chroma                  hue of the strongest pitch classes on the circle of fifths, 0..1 (also `chroma:hue`)
 *   lfo:<shape>:<rate>[:<phase>]   shape sine|triangle|saw|square|sample-hold;
 *                           rate 1/16, 1/8, 1/4 (one beat), 1/2, 1/1, with d (dotted) or t (triplet),
 *                           1bar..8bars (tempo-synced), or <n>hz (free); phase offset 0..1
 *   const:<number>          a constant
 *   ext:<name>              an external slot the control layer writes: ext:midi:1:cc:74 (see
 *                           control/midi/mod-slots.ts), ext:<name> from OSC /ext/<name>
 *
 * Every source reads 0..1 (constants and external slots read what they are given).
 */
import { FEATURE_COLUMNS } from '../features/layout.ts';

export const K_FEATURE = 0;
export const K_FEATURE_RAW = 1;
export const K_ONSET = 2;
export const K_CLOCK = 3;
export const K_LFO_SYNC = 4;
export const K_LFO_FREE = 5;
export const K_CONST = 6;
export const K_EXT = 7;
export const K_CHROMA_HUE = 8;
export const K_LEVEL_METER = 9;

/** Bottom of the absolute level meter (`loudness:dbfs`): this level and below reads 0, 0 dBFS reads 1. */
export const LEVEL_METER_FLOOR_DB = -60;

export const CLOCK_BEAT = 0;
export const CLOCK_BEAT_PHASE = 1;
export const CLOCK_BAR_PHASE = 2;

export const LFO_SINE = 0;
export const LFO_TRIANGLE = 1;
export const LFO_SAW = 2;
export const LFO_SQUARE = 3;
export const LFO_SAMPLE_HOLD = 4;

/** Onset envelope index for the full-band envelope (bands are 0..2). */
export const ONSET_ALL = 3;

export const LFO_SHAPES: Readonly<Record<string, number>> = {
  sine: LFO_SINE,
  triangle: LFO_TRIANGLE,
  tri: LFO_TRIANGLE,
  saw: LFO_SAW,
  square: LFO_SQUARE,
  'sample-hold': LFO_SAMPLE_HOLD,
  'sample-and-hold': LFO_SAMPLE_HOLD,
  sh: LFO_SAMPLE_HOLD,
};

/** A parsed source: what the matrix evaluates. */
export interface SourceDesc {
  /** Canonical id (two spellings of one source share it and its state). */
  readonly id: string;
  readonly kind: number;
  /** Feature column, onset envelope (0..2, ONSET_ALL), clock value, LFO shape. */
  readonly index: number;
  /** Onset half-life (s, 0 = as analysed); LFO beats (or bars) per cycle, or Hz; constant value. */
  readonly a: number;
  /** LFO phase offset 0..1. */
  readonly b: number;
  /** Tempo LFO counted in bars (1) or beats (0). */
  readonly bars: number;
  /** External slot name (K_EXT). */
  readonly ext: string;
}

export type SourceParse = { readonly ok: true; readonly source: SourceDesc } | { readonly ok: false; readonly message: string };

const COLUMN_INDEX = new Map<string, number>(FEATURE_COLUMNS.map((c, i) => [c, i]));
const ONSETS: Readonly<Record<string, number>> = { all: ONSET_ALL, low: 0, mid: 1, high: 2 };
const CLOCKS: Readonly<Record<string, number>> = { beat: CLOCK_BEAT, 'beat-phase': CLOCK_BEAT_PHASE, 'bar-phase': CLOCK_BAR_PHASE };
/** Short names scene authors use for the derived sources (scene default routes are written with them). */
const ALIASES: Readonly<Record<string, string>> = {
  onset: 'onset:all',
  'onset.all': 'onset:all',
  'onset.low': 'onset:low',
  'onset.mid': 'onset:mid',
  'onset.high': 'onset:high',
  beat: 'clock:beat',
  beatPhase: 'clock:beat-phase',
  barPhase: 'clock:bar-phase',
  chroma: 'chroma:hue',
};
const NOTE = /^1\/(1|2|4|8|16|32)([dt]?)$/;
const BARS = /^([1-8])bars?$/;
const HZ = /^(\d+(?:\.\d+)?|\.\d+)hz$/;
const MAX_LFO_HZ = 60;

function desc(id: string, kind: number, index: number, a = 0, b = 0, bars = 0, ext = ''): SourceParse {
  return { ok: true, source: { id, kind, index, a, b, bars, ext } };
}

const HELP = 'sources are a feature column (e.g. centroid, bands3.0), loudness:dbfs, onset, onset:low, beat, beatPhase, barPhase, chroma, lfo:sine:1/4, const:0.5 or ext:<name>';

/** Parse a source id; never throws. */
export function parseSource(raw: unknown): SourceParse {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, message: `source must be a non-empty string; ${HELP}` };
  const trimmed = raw.trim();
  const id = ALIASES[trimmed] ?? trimmed;
  if (id === 'chroma:hue') return desc(id, K_CHROMA_HUE, 0);
  const parts = id.split(':');
  const head = parts[0].toLowerCase();
  switch (head) {
    case 'const': {
      const v = parts.length === 2 && parts[1].trim() !== '' ? Number(parts[1]) : Number.NaN;
      if (!Number.isFinite(v)) return { ok: false, message: `${JSON.stringify(id)}: a constant is const:<finite number>, e.g. const:0.5` };
      return desc(`const:${v}`, K_CONST, 0, v);
    }
    case 'ext': {
      const name = id.slice(4);
      if (name === '' || /\s/.test(name)) return { ok: false, message: `${JSON.stringify(id)}: an external slot is ext:<name without spaces>, e.g. ext:midi:1:cc:74` };
      return desc(`ext:${name}`, K_EXT, -1, 0, 0, 0, name);
    }
    case 'clock': {
      const which = parts.length === 2 ? CLOCKS[parts[1].toLowerCase()] : undefined;
      if (which === undefined) return { ok: false, message: `${JSON.stringify(id)}: clock sources are clock:beat, clock:beat-phase and clock:bar-phase` };
      return desc(`clock:${parts[1].toLowerCase()}`, K_CLOCK, which);
    }
    case 'onset': {
      const band = ONSETS[parts[1].toLowerCase()];
      const hl = parts.length === 3 ? Number(parts[2]) : 0;
      if (band === undefined || parts.length > 3 || !(hl >= 0 && hl <= 30)) {
        return { ok: false, message: `${JSON.stringify(id)}: onset envelopes are onset:all|low|mid|high, optionally with a decay half-life in seconds (0..30), e.g. onset:low:0.4` };
      }
      return desc(hl > 0 ? `onset:${parts[1].toLowerCase()}:${hl}` : `onset:${parts[1].toLowerCase()}`, K_ONSET, band, hl);
    }
    case 'lfo':
      return parseLfo(id, parts);
    case 'feature':
      return parseFeature(id, parts.slice(1));
  }
  return parseFeature(id, parts);
}

function parseFeature(id: string, parts: string[]): SourceParse {
  const col = parts[0] ?? '';
  if (col === 'loudness' && parts.length === 2 && parts[1].toLowerCase() === 'dbfs') return desc('loudness:dbfs', K_LEVEL_METER, COLUMN_INDEX.get(col) as number);
  const raw = parts.length === 2 && parts[1] === 'raw';
  const index = COLUMN_INDEX.get(col);
  if (index === undefined || parts.length > 2 || (parts.length === 2 && !raw)) {
    const near = FEATURE_COLUMNS.filter((c) => col !== '' && (c.startsWith(`${col.split('.')[0]}.`) || editDistance(c, col) <= 2)).slice(0, 4);
    const hint = near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
    return { ok: false, message: `unknown source ${JSON.stringify(id)}${hint}; ${HELP}` };
  }
  return desc(raw ? `${col}:raw` : col, raw ? K_FEATURE_RAW : K_FEATURE, index);
}

function parseLfo(id: string, parts: string[]): SourceParse {
  const bad = (why: string): SourceParse => ({
    ok: false,
    message: `${JSON.stringify(id)}: ${why}; an LFO is lfo:<sine|triangle|saw|square|sample-hold>:<1/16..1/1 (d, t), 1bar..8bars or <n>hz>[:<phase 0..1>]`,
  });
  if (parts.length < 3 || parts.length > 4) return bad('expected a shape and a rate');
  const shapeName = parts[1].toLowerCase();
  const shape = LFO_SHAPES[shapeName];
  if (shape === undefined) return bad(`unknown shape ${JSON.stringify(parts[1])}`);
  const phase = parts.length === 4 ? Number(parts[3]) : 0;
  if (!(phase >= 0 && phase <= 1)) return bad(`phase ${JSON.stringify(parts[3])} is not within 0..1`);
  const rate = parts[2].toLowerCase().replace(/\s+/g, '');
  const tail = phase > 0 ? `:${phase}` : '';
  const canonShape = Object.keys(LFO_SHAPES).find((k) => LFO_SHAPES[k] === shape) as string;
  let m = NOTE.exec(rate);
  if (m) {
    // A quarter note is one beat; dotted lasts 1.5 times as long, triplet 2/3.
    const beats = (4 / Number(m[1])) * (m[2] === 'd' ? 1.5 : m[2] === 't' ? 2 / 3 : 1);
    return desc(`lfo:${canonShape}:${rate}${tail}`, K_LFO_SYNC, shape, beats, phase, 0);
  }
  m = BARS.exec(rate);
  if (m) return desc(`lfo:${canonShape}:${m[1]}bar${m[1] === '1' ? '' : 's'}${tail}`, K_LFO_SYNC, shape, Number(m[1]), phase, 1);
  m = HZ.exec(rate);
  if (m) {
    const hz = Number(m[1]);
    if (!(hz > 0 && hz <= MAX_LFO_HZ)) return bad(`rate ${hz} Hz is outside 0..${MAX_LFO_HZ} Hz`);
    return desc(`lfo:${canonShape}:${hz}hz${tail}`, K_LFO_FREE, shape, hz, phase, 0);
  }
  return bad(`unknown rate ${JSON.stringify(parts[2])}`);
}

/** Seed for a sample-and-hold LFO from its id, so two such LFOs draw different sequences. */
export function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Levenshtein distance, for "did you mean" hints at the edge. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
