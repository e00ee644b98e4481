import { describe, expect, it } from 'vitest';
import { ParamBank, defineParams } from '../../engine/params/index.ts';
import { ModulationMatrix } from '../../engine/modulation/index.ts';
import type { SceneInfo } from '../../scenes/types.ts';
import { activateSceneRoutes, blendSceneRoutes, keepOnlySceneRoutes, routesKey, saveSceneRoutes, type RouteStorage } from '../scene-routes.ts';

const a: SceneInfo = {
  id: 'a',
  title: 'A',
  description: '',
  states: [],
  params: defineParams('/scene/a', { glow: { type: 'number', min: 0, max: 1, default: 0 } }),
  defaultRoutes: [{ source: 'onset', target: '/scene/a/glow', amount: 0.5 }],
};
const b: SceneInfo = {
  id: 'b',
  title: 'B',
  description: '',
  states: [],
  params: defineParams('/scene/b', { haze: { type: 'number', min: 0, max: 1, default: 0 } }),
  defaultRoutes: [{ source: 'onset', target: '/scene/b/haze', amount: 0.3 }],
};
const globalParams = defineParams('/engine/test', { level: { type: 'number', min: 0, max: 1, default: 0 } });

function setup() {
  const bank = new ParamBank();
  bank.register(a.params);
  bank.register(b.params);
  bank.register(globalParams);
  const matrix = new ModulationMatrix(bank);
  const store = new Map<string, string>();
  const storage: RouteStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) };
  const problems: string[] = [];
  return { matrix, storage, store, report: (_l: unknown, t: string) => void problems.push(t), problems };
}

const targets = (m: ModulationMatrix) => m.specs().map((r) => r.target).sort();

describe('routes during a scene switch', () => {
  it('run both scenes and the global routes during the blend, then only the incoming scene and the global ones', () => {
    const e = setup();
    activateSceneRoutes(e.matrix, a, e.storage, e.report);
    e.matrix.setRoutes([...e.matrix.specs(), { source: 'onset', target: '/engine/test/level', amount: 1 }]);
    blendSceneRoutes(e.matrix, 'a', b, e.storage, e.report);
    expect(targets(e.matrix)).toEqual(['/engine/test/level', '/scene/a/glow', '/scene/b/haze']);
    keepOnlySceneRoutes(e.matrix, 'b');
    expect(targets(e.matrix)).toEqual(['/engine/test/level', '/scene/b/haze']);
    expect(e.problems).toEqual([]);
  });

  it('a cancelled switch drops only the incoming routes, keeping edits to the outgoing ones', () => {
    const e = setup();
    activateSceneRoutes(e.matrix, a, e.storage, e.report);
    e.matrix.setRoutes([{ source: 'onset', target: '/scene/a/glow', amount: 0.9 }]);
    blendSceneRoutes(e.matrix, 'a', b, e.storage, e.report);
    keepOnlySceneRoutes(e.matrix, 'a');
    expect(e.matrix.specs().map((r) => [r.target, r.amount])).toEqual([['/scene/a/glow', 0.9]]);
  });

  it("saving during a blend stores only the scene's own routes under its name", () => {
    const e = setup();
    activateSceneRoutes(e.matrix, a, e.storage, e.report);
    blendSceneRoutes(e.matrix, 'a', b, e.storage, e.report);
    saveSceneRoutes(e.matrix, 'a', e.storage, e.report);
    const saved = JSON.parse(e.store.get(routesKey('a'))!) as { target: string }[];
    expect(saved.map((r) => r.target)).toEqual(['/scene/a/glow']);
  });
});
