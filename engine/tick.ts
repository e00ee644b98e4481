/**
 * The frame tick: the one place that turns inputs into parameter values and standard
 * uniforms, once per frame. The host (r3f's frame loop) calls it; tests call it with a chosen
 * time. Allocates nothing.
 */
import { FeatureSnapshot } from './features/bus.ts';
import { F, FEATURE_COUNT, MEL_BANDS, CHROMA_BINS, type Seconds } from './features/layout.ts';
import { FeatureNormalizer, defaultNormalizerConfig } from './features/normalize.ts';
import { AttackRelease, OnsetEnvelope } from './features/smooth.ts';
import { BeatClock, type TrackerEstimate } from './clock/index.ts';
import type { ParamBank } from './params/index.ts';
import { LEVEL_METER_FLOOR_DB, ModulationMatrix } from './modulation/index.ts';
import { SPECTRUM_HISTORY, StandardUniforms } from './uniforms.ts';

/** Longest frame step honoured; longer gaps (tab in background) are treated as this. */
const MAX_DT: Seconds = 0.25;
/** Features older than this (audio clock) are treated as silence: the source stopped. */
const STALE_AFTER: Seconds = 0.3;

/** Where the tick reads features: the live bus reader, or a recorded fixture replayed in its place. */
export interface FeatureSource {
  /** Copy the newest features into `out`; true when they are newer than what `out` held. Allocates nothing. */
  read(out: FeatureSnapshot): boolean;
}

export interface TickOptions {
  /** Attack and release of the per-feature smoothing (seconds). */
  attack?: Seconds;
  release?: Seconds;
  /** Half-life of the onset envelope (seconds). */
  onsetHalfLife?: Seconds;
}

export class EngineTick {
  readonly snapshot = new FeatureSnapshot();
  readonly uniforms = new StandardUniforms();
  readonly normalizer = new FeatureNormalizer(defaultNormalizerConfig('unit'));
  readonly smoother: AttackRelease;
  readonly onsetEnvelope: OnsetEnvelope;
  /** The one beat clock (tap, MIDI clock, OSC, audio tracker), advanced once per frame on the audio clock. */
  readonly clock = new BeatClock();
  /** Reused for every tracker estimate handed to the clock. */
  private readonly estimate: TrackerEstimate = { bpm: 0, beatTime: 0, confidence: 0, downbeatTime: 0 };
  /** Normalised (0..1) features of this frame, before smoothing. */
  readonly normalized: Float32Array;
  /** Normalised and smoothed features of this frame. */
  readonly smoothed: Float32Array;
  /** Routes from features, onsets, clock and LFOs to the bank's parameters (null without a bank). */
  readonly modulation: ModulationMatrix | null;
  /** True when the newest features are stale (no audio arriving). */
  stale = true;
  /** Frames ticked. */
  frames = 0;
  private readonly silence = new Float32Array(FEATURE_COUNT);
  /** The absolute level meter (`uniforms.meter`): smoothed value, attack and release (seconds). */
  private readonly meterState = new Float64Array(3);
  private lastT = -1;
  private lastSeq = 0;

  constructor(
    private reader: FeatureSource | null,
    readonly bank: ParamBank | null = null,
    opts: TickOptions = {},
  ) {
    this.smoother = new AttackRelease(FEATURE_COUNT, opts.attack ?? 0.02, opts.release ?? 0.18);
    this.meterState[1] = this.smoother.attack[F.loudness];
    this.meterState[2] = this.smoother.release[F.loudness];
    this.onsetEnvelope = new OnsetEnvelope(opts.onsetHalfLife ?? 0.16);
    this.normalized = this.normalizer.output;
    this.smoothed = this.smoother.value;
    this.silence[F.loudness] = -120;
    this.modulation = bank ? new ModulationMatrix(bank) : null;
  }

  /** Read features from `source` from the next frame on (fixture mode swaps the live bus out). */
  setSource(source: FeatureSource | null): void {
    this.reader = source;
  }

  /**
   * One frame at host time `t` (seconds), while the listener hears audio-clock time `audioNow`.
   * `width`/`height` are the output size in pixels.
   */
  tick(t: Seconds, audioNow: Seconds, width: number, height: number): void {
    let dt = this.lastT < 0 ? 0 : t - this.lastT;
    if (!(dt >= 0)) dt = 0;
    if (dt > MAX_DT) dt = MAX_DT;
    this.lastT = t;
    this.frames++;

    const snap = this.snapshot;
    const fresh = this.reader !== null && this.reader.read(snap);
    const age = audioNow - snap.audioTime;
    this.stale = snap.hops === 0 || age > STALE_AFTER;
    const input = this.stale ? this.silence : snap.features;

    this.normalizer.update(input, dt);
    this.smoother.process(this.normalized, dt);
    // The fixed-scale meter reads the raw loudness in dBFS, not the adaptive normaliser's output,
    // smoothed like the features (written out: a call would box dt, an allocation per frame).
    const ms = this.meterState;
    let m = (input[F.loudness] - LEVEL_METER_FLOOR_DB) / -LEVEL_METER_FLOOR_DB;
    m = m > 0 ? (m < 1 ? m : 1) : 0; // NaN reads 0
    const tau = m > ms[0] ? ms[1] : ms[2];
    ms[0] += (m - ms[0]) * (!(dt > 0) ? 0 : tau > 0 ? 1 - Math.exp(-dt / tau) : 1);
    const onsetAge = snap.lastOnsetTime >= 0 ? Math.max(0, audioNow - snap.lastOnsetTime) : 0;
    this.onsetEnvelope.step(dt, snap.onsetCount, onsetAge);

    const u = this.uniforms;
    const s = this.smoothed;
    const n = this.normalized;
    u.time = t;
    u.dt = dt;
    u.resolution[0] = width;
    u.resolution[1] = height;
    u.level = s[F.loudness];
    u.meter = ms[0];
    for (let i = 0; i < 3; i++) u.bands[i] = s[F.bands3 + i];
    for (let i = 0; i < 8; i++) u.bands8[i] = s[F.bands8 + i];
    u.onset = this.onsetEnvelope.value;
    for (let i = 0; i < 3; i++) u.bandOnsets[i] = input[F.bandOnsets + i];
    u.flux = s[F.flux];
    u.centroid = s[F.centroid];
    u.flatness = s[F.flatness];
    u.pitch = this.stale ? 0 : snap.features[F.pitch];
    u.pitchConfidence = s[F.pitchConfidence];
    for (let i = 0; i < CHROMA_BINS; i++) u.chroma[i] = s[F.chroma + i];
    for (let i = 0; i < MEL_BANDS; i++) u.mel[i] = n[F.mel + i];
    u.featureAge = snap.hops > 0 ? age : 0;

    const clock = this.clock;
    if (fresh && !this.stale) {
      // The audio tracker's newest estimate: beat and downbeat times recovered from the phases
      // at the hop's audio time (phases are exact in float32; absolute times would not be).
      const f = snap.features;
      const bpm = f[F.tempo];
      if (bpm > 0) {
        const beat = 60 / bpm;
        const e = this.estimate;
        e.bpm = bpm;
        e.confidence = f[F.tempoConfidence];
        e.beatTime = snap.audioTime - f[F.beatPhase] * beat;
        e.downbeatTime = snap.audioTime - f[F.barPhase] * clock.beatsPerBar * beat;
        clock.trackerInput(e, snap.audioTime);
      }
    }
    clock.update(audioNow);
    u.bpm = clock.freeRunning ? 0 : clock.bpm;
    u.beatPhase = clock.beatPhase;
    u.barPhase = clock.barPhase;
    u.beatCount = clock.beatCount;
    u.beatsPerBar = clock.beatsPerBar;
    // Beat envelope: 1 on the beat, decaying through it; 0 while no tempo source leads.
    u.beat = clock.freeRunning ? 0 : (1 - clock.beatPhase) * (1 - clock.beatPhase);

    if (fresh && snap.seq !== this.lastSeq) {
      this.lastSeq = snap.seq;
      const row = (u.spectrumRow + 1) % SPECTRUM_HISTORY;
      const base = row * MEL_BANDS;
      for (let i = 0; i < MEL_BANDS; i++) {
        const v = n[F.mel + i];
        u.spectrum[base + i] = v <= 0 ? 0 : v >= 1 ? 255 : (v * 255) | 0;
      }
      u.spectrumRow = row;
    }
    // After features and clock, before endFrame: the frame's parameter output includes modulation.
    this.modulation?.evaluate(dt, s, n, u);
    this.bank?.endFrame();
  }
}
