/**
 * Every registered scene keeps the contract the UI, presets and the modulation matrix rely on:
 * valid parameter declarations, a unique id, archive states from the list, and default sound
 * routes that point at its own parameters from sources the engine provides.
 */
import { describe, expect, it } from 'vitest';
import { ParamBank, checkParamDecls, sceneScope } from '../engine/params/index.ts';
import { SCENE_INFOS } from './infos.ts';
import { ModulationMatrix, checkRoute } from '../engine/modulation/index.ts';
import type { ArchiveState } from './types.ts';

const ARCHIVE: readonly ArchiveState[] = ['nostalgia without memory', 'loneliness in public space', 'anticipation without outcome', 'intimacy without contact'];

describe('scene contract', () => {
  it('has at least one scene and unique ids', () => {
    expect(SCENE_INFOS.length).toBeGreaterThan(0);
    const ids = SCENE_INFOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const info of SCENE_INFOS) {
    describe(info.id, () => {
      it('declares valid parameters under its own scope', () => {
        const decls = Object.fromEntries(
          info.params.params.map((p) => {
            // Rebuild the declaration from the resolved form and check it again from scratch.
            const d =
              p.type === 'number'
                ? { type: p.type, min: p.min, max: p.max, default: p.defaults[0], curve: p.curve, unit: p.unit, step: p.step }
                : p.type === 'color'
                  ? { type: p.type, default: [...p.defaults] }
                  : p.type === 'boolean'
                    ? { type: p.type, default: p.defaults[0] === 1 }
                    : p.type === 'enum'
                      ? { type: p.type, options: p.options, default: p.defaults[0] }
                      : { type: p.type };
            return [p.name, d];
          }),
        );
        expect(checkParamDecls(info.params.scope, decls as never).problems).toEqual([]);
        expect(info.params.scope).toBe(sceneScope(info.id));
        expect(info.params.params.length).toBeGreaterThan(0);
        for (const p of info.params.params) expect(p.description, `${p.path} needs a description for the UI`).not.toBe('');
      });

      it('has a title, a description and archive states from the list', () => {
        expect(info.title.trim()).not.toBe('');
        expect(info.description.trim()).not.toBe('');
        expect(info.states.length).toBeGreaterThan(0);
        for (const s of info.states) expect(ARCHIVE).toContain(s);
      });

      it('routes sound only to its own parameters, from known sources', () => {
        const bank = new ParamBank();
        for (const s of SCENE_INFOS) bank.register(s.params);
        const own = new Set(info.params.params.map((p) => p.path));
        const routes = info.defaultRoutes ?? [];
        for (const r of routes) {
          const check = checkRoute(r);
          expect(check.ok ? [] : check.problems, `${r.source} -> ${r.target}`).toEqual([]);
          expect(check.ok && check.warnings, `${r.source} -> ${r.target} has no ignored fields`).toEqual([]);
          expect(own.has(r.target), `${r.target} is not a parameter of ${info.id}`).toBe(true);
          const decl = bank.declOf(bank.idOf(r.target));
          expect(decl?.type, `${r.target} must be a number to be modulated`).toBe('number');
        }
        // The matrix takes every default route and finds every target.
        const matrix = new ModulationMatrix(bank);
        expect(matrix.setRoutes(routes).filter((r) => !r.ok)).toEqual([]);
        expect(matrix.status().filter((s) => !s.active)).toEqual([]);
      });
    });
  }

  it('the glass forest maps the sound the way the issue describes', () => {
    const gf = SCENE_INFOS.find((s) => s.id === 'glass-forest');
    expect(gf).toBeDefined();
    const has = (source: string, param: string) => (gf!.defaultRoutes ?? []).some((r) => r.source === source && r.target === `/scene/glass-forest/${param}`);
    expect(has('feature:bands3.0', 'sway')).toBe(true);
    expect(has('onset.low', 'pulse')).toBe(true);
    expect(has('onset', 'shimmer')).toBe(true);
    expect(has('onset', 'flash')).toBe(true);
    expect(has('feature:centroid', 'dispersion')).toBe(true);
    expect(has('feature:centroid', 'temperature')).toBe(true);
    expect(has('feature:loudness', 'glow')).toBe(true);
    expect(has('feature:loudness', 'exposure')).toBe(true);
    expect(has('chroma', 'tintHue')).toBe(true);
    expect(has('beatPhase', 'growth')).toBe(true);
  });
});
