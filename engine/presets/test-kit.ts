/** Shared test data for the preset tests: the engine's real parameter catalogue and a running state. */
import { SCENE_INFOS } from '../../scenes/infos.ts';
import { KEYFRAME_PARAMS } from '../keyframes/index.ts';
import { FLASH_GUARD_PARAMS } from '../render/flash-guard.ts';
import { POST_PARAMS } from '../render/post.ts';
import { TRANSITION_PARAMS } from '../render/transition.ts';
import { ParamBank } from '../params/index.ts';
import type { PresetSnapshot } from './ops.ts';
import { paramCatalogue } from './values.ts';

export const ALL_DECLS = [...SCENE_INFOS.map((s) => s.params), POST_PARAMS, TRANSITION_PARAMS, KEYFRAME_PARAMS, FLASH_GUARD_PARAMS];
export const CATALOGUE = paramCatalogue(...ALL_DECLS);
export const SCENE_IDS = SCENE_INFOS.map((s) => s.id);
/** 2026-12-03T14:00:00.000Z */
export const NOW = Date.UTC(2026, 11, 3, 14, 0, 0);

/** Ids p-1, p-2, ... in order. */
export function counterIds(prefix = 'p'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** A bank with every engine parameter registered and a few changed, as the app holds it. */
export function runningBank(): ParamBank {
  const bank = new ParamBank();
  for (const d of ALL_DECLS) bank.register(d);
  const set = (path: string, value: unknown): void => {
    const r = bank.setByPath(path, value);
    if (!r.ok || r.message) throw new Error(`test state: ${r.message}`);
  };
  set('/scene/glass-forest/sway', 0.4);
  set('/scene/glass-forest/sky', 'aurora');
  set('/scene/glass-forest/tint', '#ff8800');
  set('/scene/glass-forest/roots', false);
  set('/post/bloom', 0.7);
  set('/keyframes/mode', 'crossfader');
  set('/keyframes/fader', 0.25);
  return bank;
}

export function runningState(): PresetSnapshot {
  return {
    sceneId: 'glass-forest',
    params: runningBank().snapshot(),
    routes: [
      { source: 'onset', target: '/scene/glass-forest/flash', amount: 0.8, curve: 'exp', release: 0.18 },
      { source: 'feature:centroid', target: '/post/bloom', amount: 0.3 },
      { source: 'chroma', target: '/scene/glass-forest/tint.r', amount: 0.5 },
    ],
    keyframeSet: 'glass-dusk',
    midi: { version: 1, mappings: [{ control: { kind: 'cc', channel: 0, number: 74 }, param: '/post/bloom', takeover: 'pickup' }] },
    osc: [{ address: '/fader/1', param: '/keyframes/fader', normalized: true }],
    outputs: { windows: [{ id: 'projector-1', x: 1920, y: 0, width: 1920, height: 1080 }], mapping: { corners: [[0, 0], [1, 0], [1, 1], [0, 1]] } },
    archiveState: 'nostalgia',
    annotation: 'Have you heard this sound?\nWind on glass, a train below.',
  };
}
