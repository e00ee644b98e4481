/**
 * Scoring of the rhythm evaluation (pure): beat F-measure (±70 ms), onset F-measure (±50 ms),
 * tempo accuracy (within 4%, strictly and allowing double/half), time to lock after music
 * starts, and beats emitted during silence. Conventions follow common MIR practice: beats in the
 * first `skip` seconds after music starts are not scored (the lock time is reported instead);
 * a tempo change is scored from `changeGrace` seconds after it.
 */
import type { Truth } from './set.ts';

export const BEAT_WINDOW = 0.07;
export const ONSET_WINDOW = 0.05;
export const TEMPO_TOLERANCE = 0.04;
/** Seconds after music (re)starts that beat F and tempo are not scored (lock time covers them). */
export const SKIP_AFTER_START = 5;
/** Seconds after a tempo change before the new tempo is expected. */
export const CHANGE_GRACE = 3;
/** Beats this long after silence starts count as false beats. */
export const SILENCE_HOLD = 1;
/** Consecutive correct beats that define "locked". */
export const LOCK_BEATS = 4;

/** Number of one-to-one matches between sorted lists within ±window (greedy nearest; exact when window < half the spacing). */
export function countMatches(est: readonly number[], ref: readonly number[], window: number): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < est.length && j < ref.length) {
    const d = est[i] - ref[j];
    if (Math.abs(d) <= window) {
      // Prefer the closer pairing when the next estimate fits this reference better.
      if (i + 1 < est.length && Math.abs(est[i + 1] - ref[j]) < Math.abs(d) && !(j + 1 < ref.length && Math.abs(est[i] - ref[j + 1]) < Math.abs(d))) {
        i++;
        continue;
      }
      n++;
      i++;
      j++;
    } else if (d < 0) i++;
    else j++;
  }
  return n;
}

export interface PRF {
  readonly precision: number;
  readonly recall: number;
  readonly f: number;
  readonly matched: number;
  readonly estimated: number;
  readonly reference: number;
}

export function prf(matched: number, estimated: number, reference: number): PRF {
  const precision = estimated > 0 ? matched / estimated : reference === 0 ? 1 : 0;
  const recall = reference > 0 ? matched / reference : estimated === 0 ? 1 : 0;
  const f = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f, matched, estimated, reference };
}

export function fMeasure(est: readonly number[], ref: readonly number[], window: number): PRF {
  return prf(countMatches(est, ref, window), est.length, ref.length);
}

/**
 * Onset F-measure where detections near an optional onset (a ghost note, a soft pad entry) that
 * match no required onset are left out: neither hits nor false alarms.
 */
export function onsetScore(est: readonly number[], required: readonly number[], optional: readonly number[], window: number): PRF {
  const near = (x: number, list: readonly number[]): boolean => list.some((y) => Math.abs(x - y) <= window);
  const kept = est.filter((x) => near(x, required) || !near(x, optional));
  return fMeasure(kept, required, window);
}

/** Stretches of music between silences (and the clip's ends). */
export function musicRuns(t: Truth): { start: number; end: number }[] {
  if (t.segments.length === 0) return [];
  const runs: { start: number; end: number }[] = [];
  for (const s of t.segments) {
    const last = runs[runs.length - 1];
    if (last && Math.abs(last.end - s.start) < 1e-6) last.end = s.end;
    else runs.push({ start: s.start, end: s.end });
  }
  return runs;
}

const within = (xs: readonly number[], a: number, b: number): number[] => xs.filter((x) => x >= a && x < b);

/** The tempo estimate in effect at time `t` from `time bpm` change lines. */
export function bpmAt(lines: readonly (readonly [number, number])[], t: number): number {
  let v = 0;
  for (const [lt, b] of lines) {
    if (lt > t) break;
    v = b;
  }
  return v;
}

export function tempoMatches(est: number, ref: number, octaves: boolean): boolean {
  if (!(est > 0)) return false;
  const ok = (r: number): boolean => Math.abs(est - r) <= TEMPO_TOLERANCE * r;
  return ok(ref) || (octaves && (ok(ref * 2) || ok(ref / 2)));
}

export interface ClipScore {
  readonly beats: PRF | null;
  readonly onsets: PRF | null;
  /** Fraction of scored time with the tempo within 4% (strict) and allowing double/half. */
  readonly tempoStrict: number | null;
  readonly tempoOctave: number | null;
  /** Seconds from each music start to lock (Infinity when it never locks). */
  readonly lockTimes: number[];
  /** Beats emitted more than 1 s into a silence. */
  readonly falseBeatsInSilence: number;
  /** Beats emitted on a beatless clip after its first 5 s. */
  readonly beatsOnBeatless: number;
}

export interface Estimates {
  readonly beats: readonly number[];
  readonly onsets: readonly number[];
  readonly bpm: readonly (readonly [number, number])[];
}

/**
 * Lock time of one music run: the first estimated beat that starts LOCK_BEATS correct beats in a
 * row. Correct means on an annotated beat or, for a tracker locked at twice the tempo, halfway
 * between two; at least half of the run must be on annotated beats, so a tracker on the offbeats
 * never counts as locked (one at half the tempo lands on annotated beats anyway).
 */
export function lockTime(est: readonly number[], ref: readonly number[], run: { start: number; end: number }): number {
  const e = within(est, run.start - BEAT_WINDOW, run.end);
  const beats = within(ref, run.start - BEAT_WINDOW, run.end);
  const mids = beats.slice(1).map((b, i) => (b + beats[i]) / 2);
  const on = e.map((x) => beats.some((y) => Math.abs(x - y) <= BEAT_WINDOW));
  const half = e.map((x) => mids.some((y) => Math.abs(x - y) <= BEAT_WINDOW));
  for (let i = 0; i + LOCK_BEATS <= e.length; i++) {
    let onCount = 0;
    let ok = true;
    for (let k = i; k < i + LOCK_BEATS && ok; k++) {
      if (on[k]) onCount++;
      else if (!half[k]) ok = false;
    }
    if (ok && onCount * 2 >= LOCK_BEATS) return Math.max(0, e[i] - run.start);
  }
  return Infinity;
}

export function scoreClip(truth: Truth, est: Estimates): ClipScore {
  const runs = musicRuns(truth);
  let matched = 0;
  let nEst = 0;
  let nRef = 0;
  for (const run of runs) {
    const a = run.start + SKIP_AFTER_START;
    const e = within(est.beats, a, run.end);
    const r = within(truth.beats, a, run.end);
    matched += countMatches(e, r, BEAT_WINDOW);
    nEst += e.length;
    nRef += r.length;
  }
  const beats = truth.beatless ? null : prf(matched, nEst, nRef);

  let tempoStrict: number | null = null;
  let tempoOctave: number | null = null;
  if (!truth.beatless) {
    let n = 0;
    let strict = 0;
    let oct = 0;
    for (const s of truth.segments) {
      const afterSilenceOrStart = !truth.segments.some((o) => Math.abs(o.end - s.start) < 1e-6);
      const a = s.start + (afterSilenceOrStart ? SKIP_AFTER_START : CHANGE_GRACE);
      for (let t = a; t < s.end; t += 0.05) {
        const b = bpmAt(est.bpm, t);
        n++;
        if (tempoMatches(b, s.bpm, false)) strict++;
        if (tempoMatches(b, s.bpm, true)) oct++;
      }
    }
    tempoStrict = n > 0 ? strict / n : 0;
    tempoOctave = n > 0 ? oct / n : 0;
  }

  const onsets = truth.onsets.length > 0 ? onsetScore(est.onsets, truth.onsets, truth.optionalOnsets, ONSET_WINDOW) : null;
  const lockTimes = truth.beatless ? [] : runs.map((run) => lockTime(est.beats, truth.beats, run));
  let falseBeatsInSilence = 0;
  for (const s of truth.silences) falseBeatsInSilence += within(est.beats, s.start + SILENCE_HOLD, s.end).length;
  const beatsOnBeatless = truth.beatless ? within(est.beats, SKIP_AFTER_START, Infinity).length : 0;
  return { beats, onsets, tempoStrict, tempoOctave, lockTimes, falseBeatsInSilence, beatsOnBeatless };
}

/** A clip's tempo counts as right when at least this fraction of its scored time is within tolerance. */
export const TEMPO_CLIP_PASS = 0.9;

export interface SetSummary {
  readonly beatF: number;
  readonly onsetF: number;
  readonly tempoClips: number;
  readonly tempoClipsOk: number;
  readonly tempoClipsOkStrict: number;
  readonly lockMedian: number;
  readonly lockMax: number;
  readonly falseBeatsInSilence: number;
  readonly beatsOnBeatless: number;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarize(scores: readonly ClipScore[]): SetSummary {
  const beatScores = scores.filter((s) => s.beats !== null);
  const locks = beatScores.flatMap((s) => s.lockTimes);
  return {
    beatF: mean(beatScores.map((s) => s.beats!.f)),
    onsetF: mean(scores.filter((s) => s.onsets !== null).map((s) => s.onsets!.f)),
    tempoClips: beatScores.length,
    tempoClipsOk: beatScores.filter((s) => (s.tempoOctave ?? 0) >= TEMPO_CLIP_PASS).length,
    tempoClipsOkStrict: beatScores.filter((s) => (s.tempoStrict ?? 0) >= TEMPO_CLIP_PASS).length,
    lockMedian: median(locks),
    lockMax: locks.length ? Math.max(...locks) : NaN,
    falseBeatsInSilence: scores.reduce((a, s) => a + s.falseBeatsInSilence, 0),
    beatsOnBeatless: scores.reduce((a, s) => a + s.beatsOnBeatless, 0),
  };
}

export interface Targets {
  readonly beatF: number;
  readonly onsetF: number;
  readonly tempoClipShare: number;
  readonly lockMax: number;
  readonly falseBeatsInSilence: number;
}

export const TARGETS: Targets = { beatF: 0.9, onsetF: 0.9, tempoClipShare: 0.95, lockMax: 4, falseBeatsInSilence: 0 };

/** Which targets the summary misses (empty when all are met). */
export function missedTargets(s: SetSummary, t: Targets = TARGETS): string[] {
  const miss: string[] = [];
  if (!(s.beatF >= t.beatF)) miss.push(`beat F-measure ${s.beatF.toFixed(3)} < ${t.beatF}`);
  if (!(s.onsetF >= t.onsetF)) miss.push(`onset F-measure ${s.onsetF.toFixed(3)} < ${t.onsetF}`);
  if (!(s.tempoClipsOk >= t.tempoClipShare * s.tempoClips)) miss.push(`tempo right on ${s.tempoClipsOk}/${s.tempoClips} clips < ${t.tempoClipShare * 100}%`);
  if (!(s.lockMax <= t.lockMax)) miss.push(`slowest lock ${s.lockMax.toFixed(2)} s > ${t.lockMax} s`);
  if (s.falseBeatsInSilence > t.falseBeatsInSilence) miss.push(`${s.falseBeatsInSilence} beats emitted more than 1 s into silence`);
  return miss;
}
