import { describe, expect, it } from 'vitest';
import { ENGINE_SCOPE, ParamDeclError, checkParamDecls, defineParams, sceneScope } from './define.ts';
import type { ParamDecl } from './types.ts';

describe('defineParams', () => {
  it('resolves declarations into full paths with every field filled', () => {
    const d = defineParams(sceneScope('veil'), {
      speed: { type: 'number', min: 0, max: 4, default: 1, curve: 'exp', unit: 'x', description: 'Drift speed' },
      tint: { type: 'color', default: '#ff8000' },
      mirror: { type: 'boolean', default: false },
      mode: { type: 'enum', options: ['waves', 'rings', 'grid'], default: 'rings' },
      flash: { type: 'trigger' },
    });
    expect(d.scope).toBe('/scene/veil');
    expect(d.names).toEqual(['speed', 'tint', 'mirror', 'mode', 'flash']);
    const [speed, tint, mirror, mode, flash] = d.params;
    expect(speed).toMatchObject({ path: '/scene/veil/speed', type: 'number', size: 1, min: 0, max: 4, defaults: [1], curve: 'exp', unit: 'x', description: 'Drift speed' });
    expect(tint.size).toBe(3);
    expect(tint.defaults[0]).toBe(1);
    expect(tint.defaults[1]).toBeCloseTo(128 / 255, 9);
    expect(tint.defaults[2]).toBe(0);
    expect(mirror).toMatchObject({ type: 'boolean', defaults: [0] });
    expect(mode).toMatchObject({ type: 'enum', min: 0, max: 2, defaults: [1], options: ['waves', 'rings', 'grid'] });
    expect(flash).toMatchObject({ type: 'trigger', defaults: [0] });
    expect(Object.isFrozen(d.params)).toBe(true);
    // plain data: survives JSON
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('normalises scopes and offers the engine scope', () => {
    expect(defineParams('engine/', { gain: { type: 'number', min: 0, max: 2, default: 1 } }).params[0].path).toBe('/engine/gain');
    expect(defineParams(ENGINE_SCOPE, { gain: { type: 'number', min: 0, max: 2, default: 1 } }).params[0].path).toBe('/engine/gain');
  });

  it('throws one error listing every problem in the declarations', () => {
    const bad = {
      a: { type: 'number', min: 1, max: 0, default: 0 },
      b: { type: 'number', min: 0, max: 1, default: 2 },
      c: { type: 'number', min: 0, max: Number.NaN, default: 0 },
      d: { type: 'enum', options: [], default: 0 },
      e: { type: 'enum', options: ['x', 'y'], default: 'z' },
      f: { type: 'color', default: 'purple' },
      g: { type: 'boolean', default: 'yes' },
      h: { type: 'knob', default: 1 },
      'bad name': { type: 'trigger' },
      i: { type: 'number', min: 0, max: 1, default: 0, curve: 'cubic' },
      j: { type: 'enum', options: ['x', 'x'], default: 0 },
    } as unknown as Record<string, ParamDecl>;
    let err: unknown;
    try {
      defineParams('/scene/x', bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParamDeclError);
    const problems = (err as ParamDeclError).problems;
    expect(problems.length).toBe(11);
    expect((err as Error).message).toMatch(/\/scene\/x\/a: max \(0\) must be greater than min \(1\)/);
    expect((err as Error).message).toMatch(/unknown type "knob"/);
    expect((err as Error).message).toMatch(/"bad name" is not a valid parameter name/);
  });

  it('rejects bad scopes and non-object declarations without throwing in checkParamDecls', () => {
    expect(checkParamDecls('/scene/has space', {}).problems[0]).toMatch(/scope/);
    expect(checkParamDecls('', {}).problems.length).toBe(1);
    expect(checkParamDecls('/scene/x', null as never).problems[0]).toMatch(/object keyed by parameter name/);
    expect(() => defineParams('/scene/a b', {})).toThrow(ParamDeclError);
  });
});
