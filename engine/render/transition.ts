/**
 * Scene transitions (pure): which scene is shown, which one is coming in, and how far the blend
 * has gone. The output host mounts the incoming scene, compiles it, calls `ready()`, and then
 * `step()` once per frame with the frame's seconds and beats; the blend starts at once or on the
 * next beat or bar, and runs over a duration in seconds or in beats. Allocates nothing per step.
 *
 * A switch during a switch: asking for the outgoing scene again reverses the blend from where
 * it is (no jump); asking for a third scene makes whichever scene dominates the picture the
 * outgoing one and drops the other.
 */
import type { Seconds, Unit01 } from '../features/layout.ts';
import { defineParams, ENGINE_SCOPE, type ParamBank } from '../params/index.ts';

/** How the incoming picture replaces the outgoing one (the compositor's shader modes). */
export const TransitionKind = { Cut: 0, Crossfade: 1, Luma: 2, Refract: 3 } as const;
export type TransitionKindId = (typeof TransitionKind)[keyof typeof TransitionKind];
export const TRANSITION_KIND_NAMES = ['cut', 'crossfade', 'luma', 'refract'] as const;

/** When the blend starts once the incoming scene is ready. */
export const Quantize = { None: 0, Beat: 1, Bar: 2 } as const;
export type QuantizeId = (typeof Quantize)[keyof typeof Quantize];
export const QUANTIZE_NAMES = ['none', 'beat', 'bar'] as const;

export const DurationUnit = { Seconds: 0, Beats: 1 } as const;
export type DurationUnitId = (typeof DurationUnit)[keyof typeof DurationUnit];
export const DURATION_UNIT_NAMES = ['seconds', 'beats'] as const;

export const Easing = { Linear: 0, Smooth: 1, Expo: 2 } as const;
export type EasingId = (typeof Easing)[keyof typeof Easing];
export const EASING_NAMES = ['linear', 'smooth', 'expo'] as const;

export const TransitionPhase = {
  /** One scene on screen, nothing coming. */
  Idle: 0,
  /** The incoming scene is mounted hidden and compiling. */
  Preparing: 1,
  /** Compiled; waiting for the next beat or bar. */
  Waiting: 2,
  /** Both scenes render; the picture moves from one to the other. */
  Blending: 3,
} as const;
export type TransitionPhaseId = (typeof TransitionPhase)[keyof typeof TransitionPhase];

export interface TransitionSpec {
  kind: TransitionKindId;
  /** In `unit`s; 0 switches on the first frame after the incoming scene is ready. */
  duration: number;
  unit: DurationUnitId;
  quantize: QuantizeId;
  easing: EasingId;
}

export const DEFAULT_TRANSITION: Readonly<TransitionSpec> = { kind: TransitionKind.Crossfade, duration: 1.5, unit: DurationUnit.Seconds, quantize: Quantize.None, easing: Easing.Smooth };

/** Longest transition accepted (seconds or beats): 64 beats is 16 bars of 4/4. */
export const MAX_TRANSITION = 64;

/** The performer's default transition, addressable by OSC, MIDI and presets like every parameter. */
export const TRANSITION_PARAMS = defineParams(`${ENGINE_SCOPE}/transition`, {
  type: { type: 'enum', options: TRANSITION_KIND_NAMES, default: 'crossfade', description: 'How the next scene comes in: cut, crossfade, luma (darkest parts first), refract (a glass wavefront)' },
  duration: { type: 'number', min: 0, max: MAX_TRANSITION, default: 1.5, curve: 'exp', description: 'Length of a scene switch, in the chosen unit' },
  unit: { type: 'enum', options: DURATION_UNIT_NAMES, default: 'seconds', description: 'Duration counted in seconds or in beats of the beat clock' },
  quantize: { type: 'enum', options: QUANTIZE_NAMES, default: 'none', description: 'Start the switch at once, on the next beat, or on the next bar' },
  easing: { type: 'enum', options: EASING_NAMES, default: 'smooth', description: 'Shape of the blend over its duration' },
});

/** Eased blend position for progress p (0..1). */
export function ease(easing: EasingId, p: Unit01): Unit01 {
  const x = p <= 0 ? 0 : p >= 1 ? 1 : p;
  if (easing === Easing.Smooth) return x * x * (3 - 2 * x);
  if (easing === Easing.Expo) return x === 0 || x === 1 ? x : x < 0.5 ? 0.5 * Math.pow(2, 20 * x - 10) : 1 - 0.5 * Math.pow(2, -20 * x + 10);
  return x;
}

/** What `request()` did, for the caller's message and tests. */
export const RequestResult = { Ignored: 0, Started: 1, Reversed: 2, Replaced: 3 } as const;
export type RequestResultId = (typeof RequestResult)[keyof typeof RequestResult];

function clampSpec(into: TransitionSpec, from: Readonly<TransitionSpec>): void {
  into.kind = from.kind >= 0 && from.kind <= 3 ? (Math.floor(from.kind) as TransitionKindId) : TransitionKind.Crossfade;
  const d = Number.isFinite(from.duration) ? from.duration : 0;
  into.duration = d < 0 ? 0 : d > MAX_TRANSITION ? MAX_TRANSITION : d;
  into.unit = from.unit === DurationUnit.Beats ? DurationUnit.Beats : DurationUnit.Seconds;
  into.quantize = from.quantize === Quantize.Beat || from.quantize === Quantize.Bar ? from.quantize : Quantize.None;
  into.easing = from.easing === Easing.Linear || from.easing === Easing.Expo ? from.easing : Easing.Smooth;
}

export class TransitionMachine {
  phase: TransitionPhaseId = TransitionPhase.Idle;
  /** The scene on screen (outgoing while blending); '' before the first. */
  from = '';
  /** The incoming scene; '' when none. */
  to = '';
  /** Raw progress of the blend, 0..1. */
  progress: Unit01 = 0;
  /** Eased progress: the weight of the incoming picture. */
  mix: Unit01 = 0;
  /** Completed switches (a host compares it to know when to unmount the outgoing scene). */
  completed = 0;
  /** Bumps on every change of `from`/`to`/`phase` that needs a remount (cheap change detection). */
  version = 0;
  readonly spec: TransitionSpec = { ...DEFAULT_TRANSITION };
  /** Seconds elapsed while blending, and beats. */
  private elapsedSeconds = 0;
  private elapsedBeats = 0;

  /** The weight the outgoing (`from`) scene has in the picture now. */
  get fromWeight(): Unit01 {
    return this.phase === TransitionPhase.Blending ? 1 - this.mix : 1;
  }

  /** Show a scene at once, with no blend (start-up, or recovering). */
  show(id: string): void {
    this.from = id;
    this.to = '';
    this.phase = TransitionPhase.Idle;
    this.progress = this.mix = 0;
    this.version++;
  }

  /** Ask for scene `id` with `spec`. The incoming scene must then be prepared and `ready()` called. */
  request(id: string, spec: Readonly<TransitionSpec>): RequestResultId {
    if (this.from === '') {
      this.show(id);
      return RequestResult.Started;
    }
    if (this.phase === TransitionPhase.Idle) {
      if (id === this.from) return RequestResult.Ignored;
      clampSpec(this.spec, spec);
      this.to = id;
      this.phase = TransitionPhase.Preparing;
      this.resetProgress();
      this.version++;
      return RequestResult.Started;
    }
    if (id === this.to) return RequestResult.Ignored;
    if (this.phase !== TransitionPhase.Blending) {
      // Not visible yet: go back to the shown scene, or prepare a different one instead.
      if (id === this.from) {
        this.cancel();
        return RequestResult.Reversed;
      }
      clampSpec(this.spec, spec);
      this.to = id;
      this.phase = TransitionPhase.Preparing;
      this.resetProgress();
      this.version++;
      return RequestResult.Replaced;
    }
    if (id === this.from) {
      // Back to where we came from: the blend turns round from the current picture.
      const mixNow = this.mix;
      this.from = this.to;
      this.to = id;
      clampSpec(this.spec, spec);
      const p = this.invertEase(1 - mixNow);
      this.progress = p;
      this.mix = ease(this.spec.easing, p);
      this.setElapsedFromProgress(p);
      this.version++;
      return RequestResult.Reversed;
    }
    // A third scene: keep the one that dominates the picture as the outgoing one.
    if (this.mix >= 0.5) this.from = this.to;
    clampSpec(this.spec, spec);
    this.to = id;
    this.phase = TransitionPhase.Preparing;
    this.resetProgress();
    this.version++;
    return RequestResult.Replaced;
  }

  /** The incoming scene is compiled and has rendered once off-screen. */
  ready(): void {
    if (this.phase !== TransitionPhase.Preparing) return;
    this.phase = this.spec.quantize === Quantize.None ? TransitionPhase.Blending : TransitionPhase.Waiting;
    if (this.phase === TransitionPhase.Blending && this.spec.duration <= 0) this.complete();
  }

  /** The incoming scene cannot be shown (compile error, crash): the outgoing one stays. */
  fail(): string {
    const failed = this.to;
    this.cancel();
    return failed;
  }

  /** Abandon the switch: the outgoing scene stays on screen as it was. */
  cancel(): void {
    if (this.phase === TransitionPhase.Idle) return;
    this.to = '';
    this.phase = TransitionPhase.Idle;
    this.resetProgress();
    this.version++;
  }

  /**
   * One frame: `dt` seconds and `dBeats` beats passed; `beatCrossed`/`barCrossed` say whether the
   * beat clock crossed a beat or a bar start during this frame.
   */
  step(dt: Seconds, dBeats: number, beatCrossed: boolean, barCrossed: boolean): void {
    if (this.phase === TransitionPhase.Waiting) {
      const go = this.spec.quantize === Quantize.Beat ? beatCrossed || barCrossed : barCrossed;
      if (!go) return;
      this.phase = TransitionPhase.Blending;
      if (this.spec.duration <= 0) this.complete();
      return;
    }
    if (this.phase !== TransitionPhase.Blending) return;
    if (this.spec.duration <= 0) {
      this.complete();
      return;
    }
    if (dt > 0) this.elapsedSeconds += dt;
    if (dBeats > 0) this.elapsedBeats += dBeats;
    const elapsed = this.spec.unit === DurationUnit.Beats ? this.elapsedBeats : this.elapsedSeconds;
    const p = elapsed / this.spec.duration;
    if (p >= 1) {
      this.complete();
      return;
    }
    this.progress = p;
    this.mix = ease(this.spec.easing, p);
  }

  private complete(): void {
    this.from = this.to;
    this.to = '';
    this.phase = TransitionPhase.Idle;
    this.resetProgress();
    this.completed++;
    this.version++;
  }

  private resetProgress(): void {
    this.progress = 0;
    this.mix = 0;
    this.elapsedSeconds = 0;
    this.elapsedBeats = 0;
  }

  private setElapsedFromProgress(p: Unit01): void {
    const e = p * this.spec.duration;
    this.elapsedSeconds = e;
    this.elapsedBeats = e;
  }

  /** Progress whose eased value is m (bisection: easings are monotonic). */
  private invertEase(m: Unit01): Unit01 {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 30; i++) {
      const mid = 0.5 * (lo + hi);
      if (ease(this.spec.easing, mid) < m) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  }
}

export interface SwitchOptions {
  transition?: (typeof TRANSITION_KIND_NAMES)[number];
  /** Give one of the two; neither: the `/engine/transition/duration` parameter in its unit. */
  durationSeconds?: number;
  durationBeats?: number;
  quantize?: (typeof QUANTIZE_NAMES)[number];
  easing?: (typeof EASING_NAMES)[number];
}

function param(bank: ParamBank, name: string, fallback: number): number {
  const path = `${TRANSITION_PARAMS.scope}/${name}`;
  return bank.has(path) ? bank.get(bank.idOf(path)) : fallback;
}

/** The transition for a switch: explicit options over the performer's transition parameters. */
export function resolveSwitch(bank: ParamBank, o: SwitchOptions = {}): TransitionSpec {
  const d = DEFAULT_TRANSITION;
  const kindIdx = o.transition !== undefined ? TRANSITION_KIND_NAMES.indexOf(o.transition) : -1;
  const qIdx = o.quantize !== undefined ? QUANTIZE_NAMES.indexOf(o.quantize) : -1;
  const eIdx = o.easing !== undefined ? EASING_NAMES.indexOf(o.easing) : -1;
  let duration = param(bank, 'duration', d.duration);
  let unit = param(bank, 'unit', d.unit) as DurationUnitId;
  if (o.durationBeats !== undefined) {
    duration = o.durationBeats;
    unit = DurationUnit.Beats;
  } else if (o.durationSeconds !== undefined) {
    duration = o.durationSeconds;
    unit = DurationUnit.Seconds;
  }
  const kind = (kindIdx >= 0 ? kindIdx : param(bank, 'type', d.kind)) as TransitionKindId;
  return {
    kind,
    duration: kind === 0 ? 0 : duration,
    unit,
    quantize: (qIdx >= 0 ? qIdx : param(bank, 'quantize', d.quantize)) as QuantizeId,
    easing: (eIdx >= 0 ? eIdx : param(bank, 'easing', d.easing)) as EasingId,
  };
}
