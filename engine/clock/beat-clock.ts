/**
 * The beat clock: one musical time for the whole engine, fed by every tempo source (audio tracker,
 * tap tempo, MIDI clock, OSC, manual corrections). Each source is kept as a line
 * "beat position = anchorPos + (t - anchorTime) * bpm / 60"; the clock follows the leading line,
 * slewing its phase over about a beat so a handover never jumps, and extrapolates from the audio
 * clock once per frame. `update()` allocates nothing.
 *
 * When no source leads (nothing ever fed it, MIDI stopped with nothing else, the tracker silent or
 * unsure for longer than `trackerHold`), `leader` is `ClockSource.None`, `freeRunning` is true, the
 * phase keeps moving at the last tempo so continuous animation does not freeze, but
 * `beatsCrossed`/`barsCrossed` stay 0 (no beat triggers) unless `emitWhenFree` is set.
 */
import type { Bpm, Seconds, Unit01 } from '../features/layout.ts';
import { MidiClock } from './midi-clock.ts';
import { TapTempo, type TapTempoOptions } from './tap-tempo.ts';

/** Numeric ids of the sources (index into per-source tables). */
export const ClockSource = { None: 0, Midi: 1, Tap: 2, Osc: 3, Tracker: 4 } as const;
export type ClockSourceId = (typeof ClockSource)[keyof typeof ClockSource];
export const CLOCK_SOURCE_NAMES = ['none', 'midi', 'tap', 'osc', 'tracker'] as const;
const SOURCES = 5;

/** `leaderMode` value for automatic choice. */
export const AUTO_LEADER = -1;

/** What the audio beat tracker reports (the caller may reuse one object: it is read, not kept). */
export interface TrackerEstimate {
  bpm: Bpm;
  /** Audio time of a recent beat. */
  beatTime: Seconds;
  confidence: Unit01;
  /** Audio time of a recent downbeat, when the tracker guesses bars. */
  downbeatTime?: Seconds;
}

export interface BeatClockOptions {
  /** Phase corrections are spread over this many beats. */
  readonly slewBeats: number;
  /** Tracker estimates below this confidence are ignored. */
  readonly minTrackerConfidence: Unit01;
  /** The tracker stops leading after this long without a confident estimate. */
  readonly trackerHold: Seconds;
  /** Taps lead over OSC and the tracker for this long after the newest tap. */
  readonly tapRecent: Seconds;
  /** OSC tempo leads for this long after the newest OSC message. */
  readonly oscHold: Seconds;
  /** MIDI clock stops leading after this long without a clock byte (cable pulled). */
  readonly midiTimeout: Seconds;
  /** Emit beat/bar crossings while no source leads. */
  readonly emitWhenFree: boolean;
  readonly initialBpm: Bpm;
  readonly tap: Partial<TapTempoOptions>;
}

export const CLOCK_DEFAULTS: BeatClockOptions = {
  slewBeats: 1,
  minTrackerConfidence: 0.3,
  trackerHold: 1,
  tapRecent: 10,
  oscHold: 30,
  midiTimeout: 0.5,
  emitWhenFree: false,
  initialBpm: 120,
  tap: {},
};

const MIN_BPM = 20;
/** Least phase correction speed, in beats per beat. */
const SLEW_FLOOR = 0.05;
const MAX_BPM = 400;

/** Wrap to [-0.5, 0.5). */
function wrapHalf(x: number): number {
  return x - Math.floor(x + 0.5);
}

export class BeatClock {
  // ---- read after update() ----
  bpm: Bpm;
  /** Phase within the beat, 0..1. */
  beatPhase: Unit01 = 0;
  /** Phase within the bar, 0..1. */
  barPhase: Unit01 = 0;
  /** Whole beats since the clock started (or since the last transport start). */
  beatCount = 0;
  /** Beat boundaries passed during the last update (0 almost always, 1 on a beat). */
  beatsCrossed = 0;
  /** Bar boundaries passed during the last update. */
  barsCrossed = 0;
  leader: ClockSourceId = ClockSource.None;
  confidence: Unit01 = 0;
  /** No source leads: phase runs on at the last tempo. */
  freeRunning = true;
  beatsPerBar = 4;
  /** Continuous beat position (beatCount + beatPhase). */
  position = 0;
  /** Audio time of the last update. */
  time: Seconds = 0;
  /** Explicit leader (a ClockSource id) or AUTO_LEADER. */
  leaderMode: number = AUTO_LEADER;
  /** Tempo multiplier from double/half. */
  multiplier = 1;

  readonly tapTempo: TapTempo;
  readonly midi = new MidiClock();

  private readonly opts: BeatClockOptions;
  // Per-source lines in source beats; offsets are the performer's corrections in clock beats.
  private readonly srcBpm = new Float64Array(SOURCES);
  private readonly srcPos = new Float64Array(SOURCES);
  private readonly srcTime = new Float64Array(SOURCES);
  private readonly srcBar = new Uint8Array(SOURCES);
  private readonly srcConf = new Float64Array(SOURCES);
  private readonly offset = new Float64Array(SOURCES);
  private barOrigin = 0;
  private started = false;
  private locked = false;
  private pendingReset = false;
  private seenRelocations = 0;
  private midiJump = false;
  private oscLast: Seconds = -Infinity;
  private trackerLast: Seconds = -Infinity;

  constructor(options: Partial<BeatClockOptions> = {}) {
    this.opts = { ...CLOCK_DEFAULTS, ...options };
    this.bpm = this.opts.initialBpm;
    this.srcBpm[ClockSource.None] = this.bpm;
    this.tapTempo = new TapTempo(this.opts.tap);
  }

  // ---------------- inputs ----------------

  /** Audio tracker estimate, `time` = audio time of the analysis that produced it (defaults to beatTime). */
  trackerInput(est: TrackerEstimate, time: Seconds = est.beatTime): boolean {
    const { bpm, beatTime, confidence } = est;
    if (!(bpm >= MIN_BPM && bpm <= MAX_BPM) || !Number.isFinite(beatTime) || !Number.isFinite(time)) return false;
    if (!(confidence >= this.opts.minTrackerConfidence)) return true;
    const s = ClockSource.Tracker;
    this.srcBpm[s] = bpm;
    this.srcTime[s] = beatTime;
    this.srcConf[s] = confidence;
    const db = est.downbeatTime;
    if (db !== undefined && Number.isFinite(db)) {
      // Integer part from the downbeat, fraction from the (more recent) beat.
      this.srcPos[s] = Math.round(((beatTime - db) * bpm) / 60);
      this.srcBar[s] = 1;
    } else {
      this.srcPos[s] = 0;
      this.srcBar[s] = 0;
    }
    this.trackerLast = time;
    return true;
  }

  /** A tap at audio time `t` (`wall`: the same instant on the input event's clock; see TapTempo.tap). */
  tap(t: Seconds, wall: Seconds = t): boolean {
    const tt = this.tapTempo;
    if (!tt.tap(t, wall) || tt.bpm <= 0) return false;
    const s = ClockSource.Tap;
    this.srcBpm[s] = tt.bpm;
    this.srcTime[s] = tt.anchorTime;
    this.srcPos[s] = 0;
    this.srcConf[s] = tt.confidence;
    // New taps are the performer's truth: drop an old nudge on them.
    this.offset[s] = 0;
    return true;
  }

  /** Forget tapped tempo. */
  clearTaps(): void {
    this.tapTempo.clear();
    this.srcBpm[ClockSource.Tap] = 0;
  }

  /** MIDI bytes (clock, start/stop/continue, song position; other messages are skipped) received at `t`. */
  midiBytes(data: Uint8Array, t: Seconds, offset = 0, length = data.length - offset): void {
    const m = this.midi;
    const end = offset + length;
    for (let i = offset; i < end; i++) m.byte(data[i], t);
  }

  /** One MIDI byte received at `t`. */
  midiByte(b: number, t: Seconds): void {
    this.midi.byte(b, t);
  }

  /** OSC tempo at audio time `time`; phase carries on continuously. */
  setTempo(bpm: Bpm, time: Seconds): boolean {
    if (!(bpm >= MIN_BPM && bpm <= MAX_BPM) || !Number.isFinite(time)) return false;
    const s = ClockSource.Osc;
    if (this.srcBpm[s] > 0) {
      this.srcPos[s] = this.srcPos[s] + ((time - this.srcTime[s]) * this.srcBpm[s]) / 60;
    } else {
      // First OSC tempo: start its phase where the clock is, so tempo alone causes no jump.
      this.srcPos[s] = (this.positionAt(time) - this.offset[s]) / this.multiplier;
      this.srcBar[s] = 0;
    }
    this.srcTime[s] = time;
    this.srcBpm[s] = bpm;
    this.srcConf[s] = 1;
    this.oscLast = time;
    return true;
  }

  /** OSC beat phase (0..1) at `time`. */
  setPhase(beatPhase: Unit01, time: Seconds): boolean {
    if (!Number.isFinite(beatPhase) || !Number.isFinite(time)) return false;
    const s = ClockSource.Osc;
    if (this.srcBpm[s] <= 0) this.setTempo(this.bpm / this.multiplier, time);
    const p = this.srcPos[s] + ((time - this.srcTime[s]) * this.srcBpm[s]) / 60;
    const ph = beatPhase - Math.floor(beatPhase);
    this.srcPos[s] = p + wrapHalf(ph - p);
    this.srcTime[s] = time;
    this.oscLast = time;
    return true;
  }

  /** OSC bar phase (0..1) at `time`: sets the beat phase and where bars start. */
  setBar(barPhase: Unit01, time: Seconds): boolean {
    if (!Number.isFinite(barPhase) || !Number.isFinite(time)) return false;
    const s = ClockSource.Osc;
    if (this.srcBpm[s] <= 0) this.setTempo(this.bpm / this.multiplier, time);
    this.srcPos[s] = (barPhase - Math.floor(barPhase)) * this.beatsPerBar;
    this.srcTime[s] = time;
    this.srcBar[s] = 1;
    this.oscLast = time;
    return true;
  }

  // ---------------- manual ----------------

  /** Shift the beat by a fraction of a beat (positive: beats come earlier); slewed over ~a beat. */
  nudgeBeats(beats: number): void {
    if (Number.isFinite(beats)) this.offset[this.leader] += beats;
  }

  /** Shift the beat by seconds at the current tempo (positive: beats come earlier). */
  nudgeSeconds(s: Seconds): void {
    this.nudgeBeats((s * this.bpm) / 60);
  }

  /** Double the tempo; new beats fall on the old beats and halfway between. */
  double(): void {
    this.scaleTempo(2);
  }

  /** Halve the tempo; new beats fall on every other old beat. */
  half(): void {
    this.scaleTempo(0.5);
  }

  private scaleTempo(f: number): void {
    const m = this.multiplier * f;
    if (m > 8 || m < 1 / 8) return;
    this.multiplier = m;
    for (let i = 0; i < SOURCES; i++) this.offset[i] *= f;
    this.bpm *= f;
  }

  /** "Beat one now": the next update starts a bar on a beat boundary. */
  resetPhase(): void {
    this.pendingReset = true;
  }

  setBeatsPerBar(n: number): boolean {
    if (!Number.isInteger(n) || n < 1 || n > 32) return false;
    this.beatsPerBar = n;
    return true;
  }

  /** Explicit leader (a ClockSource id), or AUTO_LEADER. An explicit leader that has nothing to say leaves the clock free-running. */
  setLeaderMode(mode: number): boolean {
    if (mode !== AUTO_LEADER && !(Number.isInteger(mode) && mode > 0 && mode < SOURCES)) return false;
    this.leaderMode = mode;
    return true;
  }

  // ---------------- per frame ----------------

  /** Reads the time from `this.time` (set first in update) so no double is passed to a call. */
  private valid(s: number): boolean {
    const now = this.time;
    switch (s) {
      case ClockSource.Midi: {
        const m = this.midi;
        return m.running && m.bpm > 0 && now - m.lastTick <= this.opts.midiTimeout;
      }
      case ClockSource.Tap:
        return this.srcBpm[s] > 0;
      case ClockSource.Osc:
        return this.srcBpm[s] > 0 && now - this.oscLast <= this.opts.oscHold;
      case ClockSource.Tracker:
        return this.srcBpm[s] > 0 && now - this.trackerLast <= this.opts.trackerHold;
      default:
        return false;
    }
  }

  private chooseLeader(): ClockSourceId {
    const now = this.time;
    const mode = this.leaderMode;
    if (mode !== AUTO_LEADER) return this.valid(mode) ? (mode as ClockSourceId) : ClockSource.None;
    if (this.valid(ClockSource.Midi)) return ClockSource.Midi;
    if (this.valid(ClockSource.Tap) && now - this.tapTempo.lastTap <= this.opts.tapRecent) return ClockSource.Tap;
    if (this.valid(ClockSource.Osc)) return ClockSource.Osc;
    if (this.valid(ClockSource.Tracker)) return ClockSource.Tracker;
    // A tempo the performer tapped outlives the others going quiet.
    if (this.valid(ClockSource.Tap)) return ClockSource.Tap;
    return ClockSource.None;
  }

  /** Advance to audio time `now` (call once per frame). Allocates nothing. */
  update(now: Seconds): void {
    this.beatsCrossed = 0;
    this.barsCrossed = 0;
    if (!Number.isFinite(now)) return;
    if (!this.started) {
      this.started = true;
      this.time = now;
      this.srcTime[ClockSource.None] = now;
    }
    const dt = now > this.time ? now - this.time : 0;
    this.time = now;

    // MIDI's line lives in its follower; copy it into the table.
    const m = this.midi;
    const mi = ClockSource.Midi;
    this.srcBpm[mi] = m.bpm;
    this.srcPos[mi] = m.anchorPos;
    this.srcTime[mi] = m.anchorTime;
    this.srcBar[mi] = 1;
    this.srcConf[mi] = m.confidence;
    // A transport relocation waits until MIDI leads (its tempo may need a second tick).
    if (m.relocations !== this.seenRelocations) {
      this.seenRelocations = m.relocations;
      this.midiJump = true;
    }
    if (!m.running) this.midiJump = false;

    const prevLeader = this.leader;
    const leader = this.chooseLeader();
    if (leader === ClockSource.None && prevLeader !== ClockSource.None) {
      // Free-run on the line the clock is on now.
      this.srcBpm[0] = this.bpm / this.multiplier;
      this.srcPos[0] = this.position / this.multiplier;
      this.srcTime[0] = now - dt;
      this.offset[0] = 0;
    }
    this.leader = leader;
    this.freeRunning = leader === ClockSource.None;
    this.confidence = leader === ClockSource.None ? 0 : this.srcConf[leader];
    const mul = this.multiplier;
    this.bpm = mul * this.srcBpm[leader];

    const prevPos = this.position;
    const prevBarIdx = Math.floor((prevPos - this.barOrigin) / this.beatsPerBar);
    const advance = (dt * this.bpm) / 60;
    let pos = prevPos + advance;
    const target = mul * (this.srcPos[leader] + ((now - this.srcTime[leader]) * this.srcBpm[leader]) / 60) + this.offset[leader];
    const hasBar = this.srcBar[leader] === 1 && leader !== ClockSource.None;
    let jumped = false;
    if (leader === ClockSource.Midi && this.midiJump) {
      this.midiJump = false;
      // Transport start/continue/song position: the DAW says where we are.
      pos = target;
      jumped = true;
    } else if (!this.locked && leader !== ClockSource.None) {
      // First lock: snap forward to the source's phase (at most one beat).
      const d = target - pos;
      pos += d - Math.floor(d);
      jumped = true;
    } else {
      const e = wrapHalf(target - pos);
      const k = advance < this.opts.slewBeats ? advance / this.opts.slewBeats : 1;
      // Proportional pull plus a small constant rate, so the correction ends instead of tailing off.
      const mag = Math.min(Math.abs(e), Math.abs(e) * k + SLEW_FLOOR * advance);
      pos += e < 0 ? -mag : mag;
      if (pos < prevPos) pos = prevPos;
    }
    if (leader !== ClockSource.None) this.locked = true;
    if (hasBar) this.barOrigin = Math.round(pos - target);

    if (this.pendingReset) {
      this.pendingReset = false;
      const nb = Math.ceil(pos);
      if (leader !== ClockSource.None) {
        // Move the leader's grid so that it sits on a downbeat now and stays there.
        const bar = this.beatsPerBar * Math.round(target / this.beatsPerBar);
        this.offset[leader] += bar - target;
        this.barOrigin = hasBar ? nb - bar : nb;
      } else {
        this.srcPos[0] = nb / mul;
        this.srcTime[0] = now;
        this.offset[0] = 0;
        this.barOrigin = nb;
      }
      pos = nb;
      jumped = true;
    }

    this.position = pos;
    const bpb = this.beatsPerBar;
    const beat = Math.floor(pos);
    const barIdx = Math.floor((pos - this.barOrigin) / bpb);
    let beats = 0;
    let bars = 0;
    if (jumped) {
      // After a jump, count only a boundary that lies within this frame's travel.
      const back = advance > 1e-9 ? advance : 1e-9;
      beats = beat - Math.floor(pos - back);
      bars = barIdx - Math.floor((pos - back - this.barOrigin) / bpb);
    } else {
      beats = beat - Math.floor(prevPos);
      bars = barIdx - prevBarIdx;
    }
    if (leader === ClockSource.None && !this.opts.emitWhenFree) {
      beats = 0;
      bars = 0;
    }
    this.beatsCrossed = beats > 0 ? beats : 0;
    this.barsCrossed = bars > 0 ? bars : 0;
    this.beatCount = beat;
    this.beatPhase = pos - beat;
    const inBar = pos - this.barOrigin - barIdx * bpb;
    this.barPhase = inBar / bpb;
  }

  // ---------------- queries ----------------

  /** Beat position extrapolated from the last update to audio time `t`. */
  positionAt(t: Seconds): number {
    return this.position + ((t - this.time) * this.bpm) / 60;
  }

  /** Audio time of the next beat strictly after `now`. */
  nextBeatTime(now: Seconds): Seconds {
    const p = this.positionAt(now);
    return now + ((Math.floor(p) + 1 - p) * 60) / this.bpm;
  }

  /** Audio time of the next bar start strictly after `now`. */
  nextBarTime(now: Seconds): Seconds {
    return this.nextBarsTime(now, 1);
  }

  /** Audio time of the next start of an n-bar group (counted from bar 1) strictly after `now`. */
  nextBarsTime(now: Seconds, n: number): Seconds {
    const len = this.beatsPerBar * (n >= 1 ? Math.floor(n) : 1);
    const p = this.positionAt(now) - this.barOrigin;
    return now + (((Math.floor(p / len) + 1) * len - p) * 60) / this.bpm;
  }
}
