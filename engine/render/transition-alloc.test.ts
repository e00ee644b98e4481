import { describe, expect, it } from 'vitest';
import { ParamBank } from '../params/index.ts';
import { bytesPerCall } from '../params/test-alloc.ts';
import { gradeIsNeutral, postIds, postPlan, readPost } from './post.ts';
import { DEFAULT_TRANSITION, DurationUnit, Quantize, TransitionMachine, TransitionPhase } from './transition.ts';

// In a file of its own: V8's type feedback is per process (see flash-guard-alloc.test.ts).
describe('per-frame transition and post work', () => {
  it('allocates nothing while blending in seconds or beats, or waiting for a bar', () => {
    const seconds = new TransitionMachine();
    seconds.request('a', DEFAULT_TRANSITION);
    seconds.request('b', { ...DEFAULT_TRANSITION, duration: 1e9 });
    seconds.ready();
    const beats = new TransitionMachine();
    beats.request('a', DEFAULT_TRANSITION);
    beats.request('b', { ...DEFAULT_TRANSITION, duration: 64, unit: DurationUnit.Beats });
    beats.ready();
    const waiting = new TransitionMachine();
    waiting.request('a', DEFAULT_TRANSITION);
    waiting.request('b', { ...DEFAULT_TRANSITION, quantize: Quantize.Bar });
    waiting.ready();
    // Tiny steps keep both blends running through every measured call.
    const s = bytesPerCall((i) => seconds.step(1e-9 + (i & 3) * 1e-12, 0.03, false, false));
    const b = bytesPerCall((i) => beats.step(0.0166, 1e-9 + (i & 3) * 1e-12, false, false));
    const w = bytesPerCall((i) => waiting.step(0.0166, 0.03, (i & 7) === 0, false));
    expect(seconds.phase).toBe(TransitionPhase.Blending);
    expect(beats.phase).toBe(TransitionPhase.Blending);
    expect(waiting.phase).toBe(TransitionPhase.Waiting);
    expect(s).toBeLessThan(1);
    expect(b).toBeLessThan(1);
    expect(w).toBeLessThan(1);
  });

  it('reading the post parameters and planning the passes allocates nothing', () => {
    const bank = new ParamBank();
    const ids = postIds(bank);
    const v = new Float32Array(ids.length);
    let plan = 0;
    const bytes = bytesPerCall(() => {
      readPost(bank, ids, v);
      plan += postPlan(v) + (gradeIsNeutral(v) ? 1 : 0);
    });
    expect(plan).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(1);
  });
});
