import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRANSITION,
  DurationUnit,
  Easing,
  Quantize,
  RequestResult,
  TRANSITION_PARAMS,
  TransitionKind,
  TransitionMachine,
  TransitionPhase,
  ease,
  resolveSwitch,
  type TransitionSpec,
} from './transition.ts';
import { ParamBank } from '../params/index.ts';

const spec = (o: Partial<TransitionSpec> = {}): TransitionSpec => ({ ...DEFAULT_TRANSITION, easing: Easing.Linear, ...o });
const FRAME = 1 / 60;

/** Run frames of `dt` seconds at `bpm` until `seconds` have passed. */
function run(m: TransitionMachine, seconds: number, bpm = 120, dt = FRAME): void {
  for (let t = 0; t < seconds - 1e-9; t += dt) m.step(dt, (dt * bpm) / 60, false, false);
}

function showing(first: string): TransitionMachine {
  const m = new TransitionMachine();
  m.request(first, spec());
  return m;
}

describe('TransitionMachine', () => {
  it('shows the first scene at once, and blends to the next over its duration in seconds', () => {
    const m = showing('a');
    expect(m.from).toBe('a');
    expect(m.phase).toBe(TransitionPhase.Idle);
    expect(m.request('b', spec({ duration: 2 }))).toBe(RequestResult.Started);
    expect(m.phase).toBe(TransitionPhase.Preparing);
    run(m, 1); // compiling: the blend has not begun
    expect(m.mix).toBe(0);
    m.ready();
    expect(m.phase).toBe(TransitionPhase.Blending);
    run(m, 1);
    expect(m.progress).toBeCloseTo(0.5, 2);
    expect(m.mix).toBeCloseTo(0.5, 2);
    expect(m.fromWeight).toBeCloseTo(0.5, 2);
    run(m, 1.02);
    expect(m.phase).toBe(TransitionPhase.Idle);
    expect(m.from).toBe('b');
    expect(m.to).toBe('');
    expect(m.completed).toBe(1);
  });

  it('counts a duration in beats with the tempo, and follows a tempo change', () => {
    const m = showing('a');
    m.request('b', spec({ duration: 4, unit: DurationUnit.Beats }));
    m.ready();
    run(m, 1, 120); // 2 beats
    expect(m.progress).toBeCloseTo(0.5, 2);
    run(m, 0.5, 240); // 2 more beats in half a second
    expect(m.phase).toBe(TransitionPhase.Idle);
    expect(m.from).toBe('b');
  });

  it('eases: smooth is slow at both ends, symmetric, and monotonic', () => {
    expect(ease(Easing.Linear, 0.25)).toBeCloseTo(0.25);
    expect(ease(Easing.Smooth, 0.1)).toBeLessThan(0.1);
    expect(ease(Easing.Smooth, 0.5)).toBeCloseTo(0.5);
    expect(ease(Easing.Smooth, 0.9)).toBeGreaterThan(0.9);
    expect(ease(Easing.Expo, 0.1)).toBeLessThan(0.01);
    let prev = -1;
    for (const e of [Easing.Linear, Easing.Smooth, Easing.Expo]) {
      prev = -1;
      for (let p = 0; p <= 1.0001; p += 0.01) {
        const v = ease(e, p);
        expect(v).toBeGreaterThanOrEqual(prev);
        prev = v;
      }
      expect(ease(e, 0)).toBe(0);
      expect(ease(e, 1)).toBe(1);
      expect(ease(e, -3)).toBe(0);
      expect(ease(e, 7)).toBe(1);
    }
  });

  it('waits for the next bar when asked, then blends', () => {
    const m = showing('a');
    m.request('b', spec({ duration: 1, quantize: Quantize.Bar }));
    m.ready();
    expect(m.phase).toBe(TransitionPhase.Waiting);
    m.step(FRAME, 0.03, true, false); // a beat that is not a bar start
    run(m, 2);
    expect(m.phase).toBe(TransitionPhase.Waiting);
    expect(m.mix).toBe(0);
    m.step(FRAME, 0.03, true, true);
    expect(m.phase).toBe(TransitionPhase.Blending);
    run(m, 0.5);
    expect(m.progress).toBeCloseTo(0.5, 1);
  });

  it('waits for the next beat when asked (a bar start is a beat too)', () => {
    const m = showing('a');
    m.request('b', spec({ quantize: Quantize.Beat }));
    m.ready();
    run(m, 1);
    expect(m.phase).toBe(TransitionPhase.Waiting);
    m.step(FRAME, 0.03, false, true);
    expect(m.phase).toBe(TransitionPhase.Blending);
  });

  it('a cut switches on the first frame after the incoming scene is ready', () => {
    const m = showing('a');
    m.request('b', spec({ kind: TransitionKind.Cut, duration: 0 }));
    expect(m.from).toBe('a');
    m.ready();
    expect(m.from).toBe('b');
    expect(m.phase).toBe(TransitionPhase.Idle);
  });

  it('switching back during a blend reverses it from the current picture, with no jump', () => {
    const m = showing('a');
    m.request('b', spec({ duration: 2, easing: Easing.Smooth }));
    m.ready();
    run(m, 0.6);
    const weightOfA = m.fromWeight;
    expect(m.request('a', spec({ duration: 2, easing: Easing.Smooth }))).toBe(RequestResult.Reversed);
    expect(m.from).toBe('b');
    expect(m.to).toBe('a');
    // The picture is the same mix as the frame before: only the direction changed.
    expect(m.mix).toBeCloseTo(weightOfA, 4);
    run(m, 2);
    expect(m.from).toBe('a');
    expect(m.phase).toBe(TransitionPhase.Idle);
  });

  it('a third scene during a blend takes over from the dominant scene', () => {
    const early = showing('a');
    early.request('b', spec({ duration: 2 }));
    early.ready();
    run(early, 0.5); // a dominates
    expect(early.request('c', spec())).toBe(RequestResult.Replaced);
    expect(early.from).toBe('a');
    expect(early.to).toBe('c');
    expect(early.phase).toBe(TransitionPhase.Preparing);

    const late = showing('a');
    late.request('b', spec({ duration: 2 }));
    late.ready();
    run(late, 1.5); // b dominates
    late.request('c', spec());
    expect(late.from).toBe('b');
    expect(late.to).toBe('c');
  });

  it('cancel and fail keep the outgoing scene on screen', () => {
    const m = showing('a');
    m.request('b', spec());
    m.ready();
    run(m, 0.5);
    m.cancel();
    expect(m.from).toBe('a');
    expect(m.to).toBe('');
    expect(m.phase).toBe(TransitionPhase.Idle);
    expect(m.mix).toBe(0);
    m.request('broken', spec());
    expect(m.fail()).toBe('broken');
    expect(m.from).toBe('a');
    run(m, 2);
    expect(m.from).toBe('a');
    expect(m.completed).toBe(0);
  });

  it('asking for the scene already shown does nothing; asking for it while another is preparing cancels', () => {
    const m = showing('a');
    expect(m.request('a', spec())).toBe(RequestResult.Ignored);
    m.request('b', spec());
    expect(m.request('b', spec())).toBe(RequestResult.Ignored);
    expect(m.request('a', spec())).toBe(RequestResult.Reversed);
    expect(m.phase).toBe(TransitionPhase.Idle);
    expect(m.from).toBe('a');
  });

  it('sanitises a bad spec instead of throwing: NaN and negative durations cut, huge ones clamp', () => {
    const m = showing('a');
    m.request('b', { kind: 99 as never, duration: Number.NaN, unit: 5 as never, quantize: -1 as never, easing: 42 as never });
    expect(m.spec.kind).toBe(TransitionKind.Crossfade);
    expect(m.spec.duration).toBe(0);
    expect(m.spec.unit).toBe(DurationUnit.Seconds);
    expect(m.spec.quantize).toBe(Quantize.None);
    m.ready();
    expect(m.from).toBe('b');
    m.request('c', spec({ duration: 1e9 }));
    expect(m.spec.duration).toBe(64);
  });
});

describe('transition parameters', () => {
  it('are addressable in the bank by path with their defaults', () => {
    const bank = new ParamBank();
    bank.register(TRANSITION_PARAMS);
    expect(bank.get(bank.idOf('/engine/transition/duration'))).toBe(1.5);
    expect(bank.setByPath('/engine/transition/type', 'refract').ok).toBe(true);
    expect(bank.get(bank.idOf('/engine/transition/type'))).toBe(TransitionKind.Refract);
    expect(bank.setByPath('/engine/transition/quantize', 'bar').ok).toBe(true);
    expect(bank.get(bank.idOf('/engine/transition/quantize'))).toBe(Quantize.Bar);
  });
});

describe('resolveSwitch', () => {
  it("uses the performer's transition parameters, and explicit options over them", () => {
    const bank = new ParamBank();
    bank.register(TRANSITION_PARAMS);
    bank.setByPath('/engine/transition/type', 'luma');
    bank.setByPath('/engine/transition/duration', 8);
    bank.setByPath('/engine/transition/unit', 'beats');
    bank.setByPath('/engine/transition/quantize', 'bar');
    expect(resolveSwitch(bank)).toEqual({ kind: TransitionKind.Luma, duration: 8, unit: DurationUnit.Beats, quantize: Quantize.Bar, easing: Easing.Smooth });
    expect(resolveSwitch(bank, { transition: 'refract', durationSeconds: 3, quantize: 'none', easing: 'expo' })).toEqual({
      kind: TransitionKind.Refract,
      duration: 3,
      unit: DurationUnit.Seconds,
      quantize: Quantize.None,
      easing: Easing.Expo,
    });
    expect(resolveSwitch(bank, { durationBeats: 2 })).toMatchObject({ duration: 2, unit: DurationUnit.Beats });
    // A cut has no duration, whatever the parameter says.
    expect(resolveSwitch(bank, { transition: 'cut' }).duration).toBe(0);
  });

  it('falls back to the defaults without parameters, and ignores unknown option names', () => {
    const bank = new ParamBank();
    expect(resolveSwitch(bank)).toEqual(DEFAULT_TRANSITION);
    expect(resolveSwitch(bank, { transition: 'wipe' as never }).kind).toBe(TransitionKind.Crossfade);
  });
});
