import { describe, expect, it } from 'vitest';
import { ParamBank } from '../../engine/params/index.ts';
import { KEYFRAME_PARAMS } from '../../engine/keyframes/deck.ts';
import { POST_PARAMS } from '../../engine/render/post.ts';
import { TRANSITION_PARAMS } from '../../engine/render/transition.ts';
import { SCENE_INFOS } from '../../scenes/infos.ts';
import { readWorkingState, restoreScope, serializeWorkingState, workingRecord, workingStateEnabled, WORKING_FORMAT, WORKING_VERSION } from './working-state.ts';

function bank(): ParamBank {
  const b = new ParamBank();
  for (const s of SCENE_INFOS) b.register(s.params);
  b.register(TRANSITION_PARAMS);
  b.register(POST_PARAMS);
  b.register(KEYFRAME_PARAMS);
  return b;
}

const NOW = Date.parse('2026-12-03T15:00:00.000Z');

describe('working state', () => {
  it('round-trips every scene, post, transition and keyframe value, the scene and the set', () => {
    const a = bank();
    expect(a.setByPath('/scene/glass-forest/haze', 0.7).ok).toBe(true);
    expect(a.setByPath('/scene/spectral-veil/intensity', 0.2).ok).toBe(true);
    expect(a.setByPath('/post/bloom', 0.45).ok).toBe(true);
    expect(a.setByPath('/engine/transition/type', 'luma').ok).toBe(true);
    expect(a.setByPath('/keyframes/fader', 0.8).ok).toBe(true);
    const text = serializeWorkingState({ sceneId: 'spectral-veil', params: a.snapshot(), keyframeSet: 'archive-haze' }, NOW);

    const r = readWorkingState(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.problems).toEqual([]);
    expect(r.saved).toBe('2026-12-03T15:00:00.000Z');
    expect(r.state.sceneId).toBe('spectral-veil');
    expect(r.state.keyframeSet).toBe('archive-haze');
    const b = bank();
    const rep = b.restore(r.state.params);
    expect(rep.unknown).toEqual([]);
    expect(rep.problems).toEqual([]);
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('stores presets: the scene playing with everything else, one more preset per other scene', () => {
    const { record, problems } = workingRecord({ sceneId: 'glass-forest', params: bank().snapshot(), keyframeSet: null }, NOW);
    expect(problems).toEqual([]);
    expect(record.format).toBe(WORKING_FORMAT);
    expect(record.version).toBe(WORKING_VERSION);
    const preset = record.preset as { format: string; scene: { id: string; params: Record<string, unknown> }; params: Record<string, unknown>; keyframes: { set: null; blend: Record<string, unknown> } };
    expect(preset.format).toBe('glassforest-preset');
    expect(preset.scene.id).toBe('glass-forest');
    expect(Object.keys(preset.scene.params).every((k) => k.startsWith('/scene/glass-forest/'))).toBe(true);
    expect(preset.params['/post/bloom']).toBeDefined();
    expect(preset.keyframes.blend['/keyframes/fader']).toBeDefined();
    const scenes = record.scenes as { scene: { id: string } }[];
    expect(scenes.map((s) => s.scene.id).sort()).toEqual(SCENE_INFOS.map((s) => s.id).filter((id) => id !== 'glass-forest').sort());
  });

  it('keeps what is valid and names the rest by field', () => {
    const rec = workingRecord({ sceneId: 'glass-forest', params: bank().snapshot(), keyframeSet: 'glass-dusk' }, NOW).record as any;
    rec.preset.params['/post/bloom'] = 'lots'; // well-formed, but not a number: the bank refuses it
    rec.preset.params['/post/grain'] = { deep: [1] }; // not a parameter value at all: the reader drops it
    rec.preset.params['/post/exposure'] = 0.5;
    rec.scenes[0] = 'not a preset';
    rec.preset.keyframes.set = 'Bad Name!';
    const r = readWorkingState(JSON.stringify(rec));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.sceneId).toBe('glass-forest');
    expect(r.state.keyframeSet).toBeNull();
    expect(r.state.params['/post/grain']).toBeUndefined();
    expect(r.problems.some((p) => p.includes('/post/grain'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('scenes[0]'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('preset.keyframes.set'))).toBe(true);
    const b = bank();
    const rep = b.restore(r.state.params);
    expect(rep.problems.map((p) => p.path)).toEqual(['/post/bloom']);
    expect(b.getByPath('/post/bloom')).toBe(0);
    expect(b.getByPath('/post/exposure')).toBe(0.5);
    expect(b.getByPath('/scene/glass-forest/haze')).toBe(0.45);
  });

  it('refuses corrupt text, other formats and other versions without throwing', () => {
    for (const bad of ['{"format":"glassforest-working",', '', 'null', '[1,2]', 42, null, { format: 'glassforest-working', version: 99, preset: {} }, { format: 'something-else', version: 1 }, { format: WORKING_FORMAT, version: WORKING_VERSION, preset: 'x' }]) {
      const r = readWorkingState(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('is off in fixture mode and with ?fresh; the URL scene and set win over the saved ones', () => {
    expect(workingStateEnabled('', false)).toBe(true);
    expect(workingStateEnabled('?source=none', true)).toBe(false);
    expect(workingStateEnabled('?fixture=dance', false)).toBe(false);
    expect(workingStateEnabled('?fresh', false)).toBe(false);
    expect(workingStateEnabled('?fresh=1', false)).toBe(false);
    expect(workingStateEnabled('?fresh=0', false)).toBe(true);
    expect(restoreScope('', ['glass-forest'])).toEqual({ scene: true, keyframes: true });
    expect(restoreScope('?scene=glass-forest&keyframes=none', ['glass-forest'])).toEqual({ scene: false, keyframes: false });
    expect(restoreScope('?scene=nope', ['glass-forest'])).toEqual({ scene: true, keyframes: true });
  });
});
