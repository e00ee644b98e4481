import { describe, expect, it } from 'vitest';
import { ParamBank } from '../params/index.ts';
import { POST_PARAMS, PostIndex, PostPass, gradeIsNeutral, postIds, postPlan, readPost } from './post.ts';

describe('post-processing parameters', () => {
  it('live under /post with every effect a performer expects', () => {
    const paths = POST_PARAMS.params.map((p) => p.path);
    for (const n of ['bloom', 'trails', 'chromatic', 'grain', 'exposure', 'contrast', 'saturation', 'temperature', 'tint', 'lift', 'gamma', 'gain', 'vignette']) {
      expect(paths).toContain(`/post/${n}`);
    }
  });

  it('default to a picture that passes through untouched, with no extra passes', () => {
    const bank = new ParamBank();
    const ids = postIds(bank);
    const v = new Float32Array(ids.length);
    readPost(bank, ids, v);
    expect(postPlan(v)).toBe(0);
    expect(gradeIsNeutral(v)).toBe(true);
  });

  it('turn on only the passes whose amount is above zero, and read modulated output values', () => {
    const bank = new ParamBank();
    const ids = postIds(bank);
    const v = new Float32Array(ids.length);
    expect(bank.setByPath('/post/bloom', 0.8).ok).toBe(true);
    bank.endFrame(); // frame outputs settle at the end of the frame, as in the tick
    readPost(bank, ids, v);
    expect(v[PostIndex.bloom]).toBeCloseTo(0.8);
    expect(postPlan(v)).toBe(PostPass.Bloom);
    bank.setByPath('/post/trails', 0.5);
    bank.setByPath('/post/bloom', 0);
    bank.endFrame();
    readPost(bank, ids, v);
    expect(postPlan(v)).toBe(PostPass.Feedback);
    bank.setByPath('/post/saturation', 0);
    bank.endFrame();
    readPost(bank, ids, v);
    expect(gradeIsNeutral(v)).toBe(false);
  });

  it('refuse bad values with a message instead of throwing, and clamp to the range', () => {
    const bank = new ParamBank();
    const ids = postIds(bank);
    const r = bank.setByPath('/post/bloom', 'lots');
    expect(r.ok).toBe(false);
    bank.setByPath('/post/trails', 5);
    expect(bank.get(ids[PostIndex.trails])).toBeLessThan(1); // feedback never reaches 1: trails always fade
    bank.setByPath('/post/exposure', Number.NaN);
    expect(Number.isFinite(bank.get(ids[PostIndex.exposure]))).toBe(true);
  });
});
