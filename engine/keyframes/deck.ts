/**
 * The keyframe deck (pure): the performer's blend controls as parameters in the `/keyframes`
 * scope (so the pad, fader and sequencer answer MIDI learn, OSC, modulation and presets like any
 * parameter), the live sound signature, and the per-frame step that turns them into the four
 * weighted texture layers every scene reads (`uKeyLayer`, `uKeyWeight`). Allocates nothing per frame.
 */
import { F } from '../features/layout.ts';
import type { BeatClock } from '../clock/index.ts';
import { defineParams, type ParamBank } from '../params/index.ts';
import type { StandardUniforms } from '../uniforms.ts';
import { BLEND_MODES, FADER_CURVES, KeyframeBlend, SEQUENCER_MODES, SIGNATURE_FEATURE_COUNT, type KeyframeSlot } from './blend.ts';

export const KEYFRAME_SCOPE = '/keyframes';

/** Sequencer step lengths offered, in beats. */
export const STEP_CHOICES = ['1', '2', '4', '8', '16', '32'] as const;

/** Onsets per second that read as a sound signature `onsetRate` of 1. */
export const ONSET_RATE_FULL = 8;
/** Time constant of the live onset-rate estimate (seconds). */
const ONSET_RATE_TAU = 2;
/** Time constant over which sound-follow reads the sound's character (seconds). */
export const CHARACTER_TAU = 0.8;

export const KEYFRAME_PARAMS = defineParams(KEYFRAME_SCOPE, {
  mode: { type: 'enum', options: [...BLEND_MODES], default: 'pad', description: 'What the performer blends with: the XY pad, the A/B crossfader or the beat sequencer' },
  'pad-x': { type: 'number', min: 0, max: 1, default: 0.5, description: 'Blend pad cursor, left to right' },
  'pad-y': { type: 'number', min: 0, max: 1, default: 0.5, description: 'Blend pad cursor, bottom to top' },
  fader: { type: 'number', min: 0, max: 1, default: 0, description: 'A/B crossfader: 0 shows keyframe A, 1 keyframe B' },
  a: { type: 'number', min: 1, max: 64, default: 1, step: 1, description: 'Keyframe on the crossfader\'s A side (1 is the first of the set)' },
  b: { type: 'number', min: 1, max: 64, default: 2, step: 1, description: 'Keyframe on the crossfader\'s B side' },
  curve: { type: 'enum', options: [...FADER_CURVES], default: 'equal-power', description: 'Crossfader curve' },
  step: { type: 'enum', options: [...STEP_CHOICES], default: '4', description: 'Sequencer: beats per keyframe' },
  'morph-beats': { type: 'number', min: 0, max: 32, default: 1, unit: 'beats', description: 'Sequencer: beats each morph takes (0 cuts on the beat)' },
  order: { type: 'enum', options: [...SEQUENCER_MODES], default: 'forward', description: 'Sequencer order' },
  sound: { type: 'number', min: 0, max: 1, default: 0, description: 'Sound-follow: how much the sound chooses the keyframes (0: the performer alone, 1: the sound alone)' },
  temperature: { type: 'number', min: 0.002, max: 1, default: 0.02, curve: 'exp', description: 'Sound-follow: how sharply the closest-sounding keyframe wins (low: one keyframe; high: a mix)' },
  hold: { type: 'number', min: 0, max: 10, default: 1.5, unit: 's', description: 'Sound-follow: how long a new keyframe must sound closest before it takes over' },
  glide: { type: 'number', min: 0, max: 5, default: 0.3, unit: 's', description: 'Sound-follow: how long its weights take to move' },
  flow: { type: 'number', min: 0, max: 1, default: 0.5, description: 'Morph: how far images flow into each other while they blend (0: a plain crossfade)' },
  amount: { type: 'number', min: 0, max: 1, default: 1, description: 'How much scenes show the keyframes instead of their own background' },
});

export type KeyframeParamName = (typeof KEYFRAME_PARAMS.names)[number];

const P = Object.freeze(Object.fromEntries(KEYFRAME_PARAMS.names.map((n, i) => [n, i])) as Record<KeyframeParamName, number>);

export class KeyframeDeck {
  readonly blend = new KeyframeBlend();
  /** The live sound's character: the signature features, smoothed over CHARACTER_TAU, in `SIGNATURE_FEATURES` order (NaN: unknown yet). */
  readonly live = new Float32Array(SIGNATURE_FEATURE_COUNT);
  /** This frame's unsmoothed signature features. */
  private readonly raw = new Float32Array(SIGNATURE_FEATURE_COUNT);
  /** Live onsets per second (decaying estimate). */
  onsetRate = 0;
  /** Texture layer of each blend slot (the set's loaded keyframes). */
  private layerOf = new Int32Array(0);
  private readonly ids: Int32Array;
  private readonly values: Float32Array;
  private readonly topIdx = new Int32Array(4);
  private readonly topW = new Float32Array(4);
  private lastOnsets = -1;
  private aspect = 1;

  constructor(private readonly bank: ParamBank) {
    if (!bank.has(`${KEYFRAME_SCOPE}/mode`)) bank.register(KEYFRAME_PARAMS);
    this.ids = new Int32Array(KEYFRAME_PARAMS.names.length);
    for (let i = 0; i < this.ids.length; i++) this.ids[i] = bank.idOf(`${KEYFRAME_SCOPE}/${KEYFRAME_PARAMS.names[i]}`);
    this.values = new Float32Array(this.ids.length);
    this.live.fill(Number.NaN);
  }

  /** A set went on screen: its loaded keyframes become the blend's slots. Returns the blend's load warnings. */
  setKeyframes(slots: readonly KeyframeSlot[], layerOf: Int32Array, aspect: number): readonly string[] {
    this.layerOf = layerOf.slice();
    this.aspect = aspect > 0 && Number.isFinite(aspect) ? aspect : 1;
    return this.blend.setKeyframes(slots).warnings;
  }

  /** Keyframes in the blend. */
  get count(): number {
    return this.blend.count;
  }

  /**
   * One frame, after the tick: read the blend parameters, update the live signature from the
   * uniforms and the onset counter, step the blend and write the four heaviest layers into `u`.
   */
  frame(dt: number, u: StandardUniforms, clock: BeatClock, onsetCount: number, smoothed: Float32Array): void {
    const v = this.values;
    for (let i = 0; i < v.length; i++) v[i] = this.bank.getOutput(this.ids[i]);
    const b = this.blend;
    b.mode = BLEND_MODES[v[P.mode] | 0] ?? 'pad';
    b.padX = v[P['pad-x']];
    b.padY = v[P['pad-y']];
    b.fader = v[P.fader];
    b.crossA = (v[P.a] | 0) - 1;
    b.crossB = (v[P.b] | 0) - 1;
    b.faderCurve = FADER_CURVES[v[P.curve] | 0] ?? 'equal-power';
    b.seqStepBeats = Number(STEP_CHOICES[v[P.step] | 0] ?? 4);
    b.seqMorphBeats = v[P['morph-beats']];
    b.seqMode = SEQUENCER_MODES[v[P.order] | 0] ?? 'forward';
    b.soundMix = v[P.sound];
    b.temperature = v[P.temperature];
    b.holdSeconds = v[P.hold];
    b.glideSeconds = v[P.glide];

    // Onset rate: every new onset adds 1/tau, the estimate decays with tau (onsets per second).
    const d = dt > 0 && dt < 1 ? dt : 0;
    const fresh = this.lastOnsets < 0 ? 0 : onsetCount - this.lastOnsets;
    this.lastOnsets = onsetCount;
    this.onsetRate = this.onsetRate * Math.exp(-d / ONSET_RATE_TAU) + (fresh > 0 && fresh < 1000 ? fresh : 0) / ONSET_RATE_TAU;
    // The sound's character over the last second or so, not the instant: between two drum hits
    // the level and brightness fall to near silence, which must not read as a quiet piece.
    const raw = this.raw;
    raw[0] = u.meter;
    raw[1] = u.centroid;
    const r = this.onsetRate / ONSET_RATE_FULL;
    raw[2] = r < 1 ? r : 1;
    raw[3] = smoothed[F.bands3];
    raw[4] = u.pitchConfidence;
    const live = this.live;
    const k = d > 0 ? 1 - Math.exp(-d / CHARACTER_TAU) : 0;
    for (let i = 0; i < SIGNATURE_FEATURE_COUNT; i++) {
      const x = raw[i];
      if (!(x - x === 0)) continue; // unknown this frame: keep the estimate
      const prev = live[i];
      live[i] = prev - prev === 0 ? prev + k * (x - prev) : x;
    }

    b.frameDt = d;
    b.frameBeat = clock.position;
    b.advance(clock.bpm > 0, live);
    const n = b.topK(4, this.topIdx, this.topW);
    for (let i = 0; i < 4; i++) {
      const slot = this.topIdx[i];
      const ok = i < n && slot >= 0 && slot < this.layerOf.length;
      u.keyLayer[i] = ok ? this.layerOf[slot] : 0;
      u.keyWeight[i] = ok ? this.topW[i] : 0;
    }
    u.keyCount = b.count;
    u.keyAspect = this.aspect;
    u.keyFlow = v[P.flow];
    u.keyAmount = b.count > 0 ? v[P.amount] : 0;
  }
}
