import { beforeEach, describe, expect, it } from 'vitest';
import { ParamBank } from '../params/index.ts';
import { copyName, createPreset, duplicatePreset, formatProblem, parsePreset, renamePreset, serializePreset, type Preset, type Problem } from './index.ts';
import { ALL_DECLS, CATALOGUE, counterIds, NOW, runningState, SCENE_IDS } from './test-kit.ts';

const lines = (problems: readonly Problem[]): string[] => problems.map(formatProblem);
const base = { catalogue: CATALOGUE, sceneIds: SCENE_IDS, now: NOW };
let opts = { ...base, makeId: counterIds() };
beforeEach(() => {
  opts = { ...base, makeId: counterIds() };
});

function made(): Preset {
  const { preset, problems } = createPreset(runningState(), { ...opts, name: 'Dusk', id: 'p-dusk' });
  expect(lines(problems)).toEqual([]);
  return preset;
}

describe('createPreset', () => {
  it('splits the running state by owner, in native units', () => {
    const p = made();
    expect(p.format).toBe('glassforest-preset');
    expect(p.version).toBe(2);
    expect(p.id).toBe('p-dusk');
    expect(p.scene.id).toBe('glass-forest');
    expect(p.scene.params['/scene/glass-forest/sway']).toBeCloseTo(0.4, 6);
    expect(p.scene.params['/scene/glass-forest/sky']).toBe('aurora');
    expect(p.scene.params['/scene/glass-forest/roots']).toBe(false);
    const tint = p.scene.params['/scene/glass-forest/tint'] as number[];
    expect(tint[0]).toBeCloseTo(1, 6);
    expect(tint[1]).toBeCloseTo(0x88 / 255, 3);
    // Only the scene's own values; other scenes are not part of this preset.
    expect(Object.keys(p.scene.params).every((k) => k.startsWith('/scene/glass-forest/'))).toBe(true);
    expect(Object.keys(p.params).some((k) => k.startsWith('/scene/'))).toBe(false);
    expect(p.params['/post/bloom']).toBeCloseTo(0.7, 6);
    expect(p.params['/engine/transition/duration']).toBeDefined();
    expect(p.keyframes).toMatchObject({ set: 'glass-dusk', blend: { '/keyframes/mode': 'crossfader', '/keyframes/fader': 0.25 } });
    expect(Object.keys(p.params).some((k) => k.startsWith('/keyframes/'))).toBe(false);
    // Triggers are momentary: never stored.
    expect('/scene/glass-forest/strike' in p.scene.params).toBe(false);
    expect(p.routes.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(p.routes[0]).toMatchObject({ source: 'onset', target: '/scene/glass-forest/flash', amount: 0.8, curve: 'exp', release: 0.18, attack: 0, enabled: true });
    expect(p.midi).toEqual([{ control: { kind: 'cc', channel: 0, number: 74 }, param: '/post/bloom', takeover: 'pickup' }]);
    expect(p.osc).toEqual([{ address: '/fader/1', param: '/keyframes/fader', normalized: true }]);
    expect(p.outputs).toEqual(runningState().outputs);
    expect(p.archive).toEqual({ state: 'nostalgia', annotation: 'Have you heard this sound?\nWind on glass, a train below.' });
    expect(p.created).toBe('2026-12-03T14:00:00.000Z');
    expect(p.modified).toBe(p.created);
  });

  it('restores into a bank as the values it was made from', () => {
    const p = made();
    const bank = new ParamBank();
    for (const d of ALL_DECLS) bank.register(d);
    const report = bank.restore({ ...p.scene.params, ...p.params, ...p.keyframes.blend });
    expect(report.unknown).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(bank.getByPath('/scene/glass-forest/sky')).toBe('aurora');
    expect(bank.getByPath('/post/bloom')).toBeCloseTo(0.7, 6);
  });

  it('reports what it could not keep from the state', () => {
    const state = runningState();
    const { preset, problems } = createPreset(
      { ...state, params: { ...state.params, '/post/bloom': 5, '/scene/glass-forest/nope': 1 }, routes: [{ source: 'onset', target: '/nowhere', amount: 1 }] },
      { ...opts, name: 'x' },
    );
    expect(preset.params['/post/bloom']).toBe(2);
    expect(lines(problems)).toEqual([
      'scene.params["/scene/glass-forest/nope"]: unknown parameter; dropped',
      'params["/post/bloom"]: 5 is outside the range 0..2; clamped to 2',
      'routes[0].target: unknown parameter "/nowhere" (route dropped)',
    ]);
    expect(preset.routes).toEqual([]);
  });
});

describe('round trip', () => {
  it('create → serialise → parse gives the same preset, with no problems', () => {
    const p = made();
    const text = serializePreset(p);
    const back = parsePreset(text, opts);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(lines(back.problems)).toEqual([]);
    expect(back.preset).toEqual(p);
    expect(serializePreset(back.preset)).toBe(text);
  });

  it('round-trips without a catalogue too', () => {
    const p = made();
    const back = parsePreset(serializePreset(p), { now: NOW });
    expect(back.ok && back.preset).toEqual(p);
    expect(back.problems).toEqual([]);
  });

  it('reads an already parsed object the same as its text', () => {
    const p = made();
    const fromValue = parsePreset(JSON.parse(serializePreset(p)), opts);
    expect(fromValue.ok && fromValue.preset).toEqual(p);
  });
});

describe('partial files', () => {
  it('loads the valid parts and reports each bad field by path', () => {
    const good = JSON.parse(serializePreset(made()));
    good.name = 42;
    good.scene.params['/scene/glass-forest/sway'] = 'lots';
    good.scene.params['/scene/glass-forest/ior'] = 9;
    good.scene.params['/scene/glass-forest/sky'] = 'daylight';
    good.scene.params['/post/bloom'] = 0.2;
    good.params['/post/grain'] = null;
    good.params['/post/made-up'] = 1;
    good.routes[1].amount = 'x';
    good.routes[2].id = 'r1';
    good.routes.push({ source: 'onset', target: '/post/bloom', amount: 1, wobble: true });
    good.midi.push({ control: { kind: 'cc', channel: 22, number: 1 }, param: '/post/bloom' });
    good.osc.push({ address: 'no slash', param: '/post/bloom' });
    good.keyframes.set = '../etc';
    good.archive.state = 'joy';
    good.created = 'yesterday';
    const r = parsePreset(good, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(lines(r.problems)).toEqual([
      'name: expected text, got a number 42; named "Untitled preset"',
      'scene.params["/scene/glass-forest/sway"]: "lots" is not a number',
      'scene.params["/scene/glass-forest/ior"]: 9 is outside the range 1..2.4; clamped to 2.4',
      'scene.params["/scene/glass-forest/sky"]: "daylight" is not one of: moonlit, sodium, aurora',
      'scene.params["/post/bloom"]: not a parameter of scene "glass-forest" (expected /scene/glass-forest/...); dropped',
      'params["/post/grain"]: expected a number, got null',
      'params["/post/made-up"]: unknown parameter; dropped',
      'keyframes.set: expected a keyframe set name like "glass-dusk" (lower-case letters, digits, . _ -), got "../etc"',
      'created: expected an ISO 8601 time like "2026-12-03T14:00:00Z", got "yesterday"; set to 2026-12-03T14:00:00.000Z',
      'routes[1].amount: must be a number within -100..100, got "x" (route dropped)',
      'routes[2].id: duplicate id "r1"; given "r3"',
      'routes[3].wobble: unknown field "wobble" ignored (fields: source, target, amount, offset, curve, steps, attack, release, invert, clamp, enabled)',
      'midi[1]: control.channel 22 must be an integer 0..15; dropped',
      'osc[1].address: expected an OSC address like "/fader/1" (no spaces or # * , ? [ ] { }), got "no slash"; dropped',
      'archive.state: expected one of nostalgia, loneliness, anticipation, intimacy, none, got "joy"; none is used',
    ]);
    const p = r.preset;
    expect(p.name).toBe('Untitled preset');
    expect(p.scene.params['/scene/glass-forest/ior']).toBe(2.4);
    expect('/scene/glass-forest/sway' in p.scene.params).toBe(false);
    expect(p.scene.params['/scene/glass-forest/trees']).toBe(48);
    expect(p.params['/post/bloom']).toBeCloseTo(0.7, 6);
    expect(p.routes.map((x) => `${x.id} ${x.target}`)).toEqual(['r1 /scene/glass-forest/flash', 'r3 /scene/glass-forest/tint.r', 'r4 /post/bloom']);
    expect(p.midi).toHaveLength(1);
    expect(p.osc).toHaveLength(1);
    expect(p.keyframes.set).toBeNull();
    expect(p.keyframes.blend['/keyframes/fader']).toBe(0.25);
    expect(p.archive.state).toBe('none');
  });

  it('marks dropped fields as errors and corrections as warnings', () => {
    const good = JSON.parse(serializePreset(made()));
    good.params['/post/bloom'] = 3;
    good.params['/post/grain'] = 'x';
    const r = parsePreset(good, opts);
    expect(r.problems.map((p) => `${p.level} ${p.path}`)).toEqual(['warning params["/post/bloom"]', 'error params["/post/grain"]']);
  });

  it('checks a route target against the parameter kind', () => {
    const good = JSON.parse(serializePreset(made()));
    good.routes = [
      { source: 'onset', target: '/post/bloom.r', amount: 1 },
      { source: 'onset', target: '/scene/glass-forest/strike', amount: 1 },
    ];
    const r = parsePreset(good, opts);
    expect(lines(r.problems)).toEqual([
      'routes[0].target: "/post/bloom.r": only colours have .r, .g and .b components (route dropped)',
      'routes[1].target: "/scene/glass-forest/strike" is a trigger; routes drive continuous values (route dropped)',
    ]);
  });

  it('keeps a preset for a scene this engine lacks, with a warning', () => {
    const good = JSON.parse(serializePreset(made()));
    good.scene = { id: 'isf-missing', params: { '/scene/isf-missing/speed': 2 } };
    const r = parsePreset(good, { now: NOW, sceneIds: SCENE_IDS });
    expect(r.ok && r.preset.scene).toEqual({ id: 'isf-missing', params: { '/scene/isf-missing/speed': 2 } });
    expect(lines(r.problems)).toEqual(['scene.id: no scene "isf-missing" in this engine; kept (its values are checked as far as they are known)']);
  });

  it('passes outputs through the outputs hook and reports its problems under outputs', () => {
    const good = JSON.parse(serializePreset(made()));
    const r = parsePreset(good, {
      ...opts,
      validateOutputs: (v) => ({ value: { windows: v.windows }, problems: [{ path: 'mapping', message: 'corner pin unsupported; dropped', level: 'error' }] }),
    });
    expect(r.ok && r.preset.outputs).toEqual({ windows: runningState().outputs?.windows });
    expect(lines(r.problems)).toEqual(['outputs.mapping: corner pin unsupported; dropped']);
    const throwing = parsePreset(good, { ...opts, validateOutputs: () => { throw new Error('boom'); } });
    expect(throwing.ok && throwing.preset.outputs).toEqual({});
    expect(lines(throwing.problems)).toEqual(['outputs: the output settings could not be checked (boom); dropped']);
  });
});

describe('duplicate and rename', () => {
  it('duplicates with a new id, "… copy" and new times, the rest equal', () => {
    const p = made();
    const d = duplicatePreset(p, { now: NOW + 60_000, makeId: () => 'p-dusk' /* collides: must not be used */ });
    expect(d.id).not.toBe(p.id);
    expect(d.id).toMatch(/^p-[0-9a-z]{10}$/);
    expect(d.name).toBe('Dusk copy');
    expect(d.created).toBe('2026-12-03T14:01:00.000Z');
    expect(d.modified).toBe(d.created);
    const { id: _a, name: _b, created: _c, modified: _d, ...rest } = d;
    const { id: _e, name: _f, created: _g, modified: _h, ...orig } = p;
    expect(rest).toEqual(orig);
    // A deep copy: changing the copy's data leaves the original alone.
    (d.scene.params as Record<string, unknown>)['/scene/glass-forest/sway'] = 0;
    expect(p.scene.params['/scene/glass-forest/sway']).toBeCloseTo(0.4, 6);
  });

  it('numbers further copies and skips names in use', () => {
    expect(copyName('Dusk')).toBe('Dusk copy');
    expect(copyName('Dusk copy')).toBe('Dusk copy 2');
    expect(copyName('Dusk copy 2')).toBe('Dusk copy 3');
    expect(copyName('Dusk', new Set(['Dusk copy', 'Dusk copy 2']))).toBe('Dusk copy 3');
    expect(copyName('x'.repeat(120)).length).toBe(120);
  });

  it('renames, updating modified only', () => {
    const p = made();
    const r = renamePreset(p, '  Night\nroad  ', { now: NOW + 5000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.preset.name).toBe('Night road');
    expect(lines(r.problems)).toEqual(['name: control characters and line breaks removed']);
    expect(r.preset.modified).toBe('2026-12-03T14:00:05.000Z');
    expect(r.preset.created).toBe(p.created);
    expect(r.preset.id).toBe(p.id);
    expect(p.name).toBe('Dusk');
  });

  it('refuses an empty name', () => {
    const r = renamePreset(made(), '   ');
    expect(r.ok).toBe(false);
    expect(lines(r.problems)).toEqual(['name: a preset needs a name']);
    expect(renamePreset(made(), 7).ok).toBe(false);
  });
});
