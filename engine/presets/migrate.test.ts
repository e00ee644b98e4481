import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, MIGRATIONS, parsePreset, PRESET_VERSION, serializePreset, type Problem } from './index.ts';
import { CATALOGUE, counterIds, NOW, SCENE_IDS } from './test-kit.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const lines = (problems: readonly Problem[]): string[] => problems.map(formatProblem);
const base = { catalogue: CATALOGUE, sceneIds: SCENE_IDS, now: NOW };
let opts = { ...base, makeId: counterIds() };
beforeEach(() => {
  opts = { ...base, makeId: counterIds() };
});

describe('version 1 → 2', () => {
  it('has one step per older version', () => {
    expect(MIGRATIONS).toHaveLength(PRESET_VERSION - 1);
  });

  it('migrates a full version 1 preset, splitting its flat values by owner', () => {
    const r = parsePreset(fixture('v1-glass-forest.json'), opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(lines(r.problems)).toEqual(['params: 1 value of scenes other than "glass-forest" left out (a preset holds one scene)']);
    const p = r.preset;
    expect(p.version).toBe(2);
    expect(p.format).toBe('glassforest-preset');
    expect(p.id).toBe('dusk-glass');
    expect(p.name).toBe('Dusk over the glass');
    expect(p.scene.id).toBe('glass-forest');
    expect(p.scene.params).toEqual({
      '/scene/glass-forest/sway': 0.3,
      '/scene/glass-forest/sky': 'sodium',
      '/scene/glass-forest/tint': [1, 0.8, 0x88 / 255],
      '/scene/glass-forest/trees': 120,
    });
    expect(p.params).toEqual({ '/post/bloom': 0.4, '/engine/transition/duration': 2 });
    expect(p.keyframes).toEqual({ set: 'glass-dusk', blend: { '/keyframes/mode': 'crossfader', '/keyframes/fader': 0.6 } });
    expect(p.routes).toEqual([
      { id: 'r1', source: 'onset', target: '/scene/glass-forest/flash', amount: 0.8, offset: 0, curve: 'exp', attack: 0, release: 0.18, invert: false, clamp: true, enabled: true },
      { id: 'r2', source: 'feature:bands3.0', target: '/scene/glass-forest/sway', amount: 0.45, offset: 0, curve: 'linear', attack: 0, release: 0, invert: false, clamp: true, enabled: true },
    ]);
    expect(p.midi).toEqual([{ control: { kind: 'cc', channel: 0, number: 74 }, param: '/post/bloom' }]);
    expect(p.osc).toEqual([]);
    expect(p.outputs).toEqual({});
    expect(p.archive).toEqual({ state: 'nostalgia', annotation: 'Have you heard this sound?' });
    expect(p.created).toBe('2026-12-03T14:00:00.000Z');
    expect(p.modified).toBe('2026-12-03T14:00:00.000Z');
  });

  it('treats a file without a version as version 1', () => {
    const r = parsePreset(fixture('v1-no-version.json'), { ...opts, now: NOW + 1000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(lines(r.problems)).toEqual([
      'version: missing; read as version 1',
      'id: missing; given "p-1"',
      'created: missing; set to 2026-12-03T14:00:01.000Z',
      'modified: missing; set to 2026-12-03T14:00:01.000Z',
    ]);
    expect(r.preset).toMatchObject({
      version: 2,
      id: 'p-1',
      name: 'Veil, early',
      scene: { id: 'spectral-veil', params: { '/scene/spectral-veil/intensity': 1.2, '/scene/spectral-veil/hue': 0.5 } },
      params: {},
      keyframes: { set: null, blend: {} },
      routes: [{ id: 'r1', source: 'chroma', target: '/scene/spectral-veil/hue', amount: 1 }],
      archive: { state: 'intimacy', annotation: '' },
    });
  });

  it('a migrated preset is written as version 2 and reads back unchanged', () => {
    const r = parsePreset(fixture('v1-glass-forest.json'), opts);
    if (!r.ok) throw new Error('fixture did not load');
    const text = serializePreset(r.preset);
    expect(JSON.parse(text).version).toBe(2);
    const again = parsePreset(text, opts);
    expect(again.ok && again.preset).toEqual(r.preset);
    expect(again.problems).toEqual([]);
  });

  it('reports bad version 1 fields by path after migration', () => {
    const v1 = {
      version: 1,
      name: 'Broken',
      scene: 'glass-forest',
      params: { '/scene/glass-forest/sway': 'x', '/post/bloom': 99 },
      routes: [{ source: 'onset', target: '/post/bloom' }, 'nope'],
      midi: [{ control: { kind: 'knob', channel: 0, number: 1 }, param: '/post/bloom' }],
      keyframeSet: 'Glass Dusk',
      state: 'melancholy',
      savedAt: 'last week',
      colour: 'red',
    };
    const text = JSON.stringify(v1).replace('"params":{', '"params":{"__proto__":{"polluted":true},');
    const r = parsePreset(text, opts);
    expect(r.ok).toBe(true);
    expect(lines(r.problems)).toEqual([
      'colour: unknown field of a version 1 preset; dropped',
      'params.__proto__: the key "__proto__" is not allowed; dropped',
      'id: missing; given "p-1"',
      'scene.params["/scene/glass-forest/sway"]: "x" is not a number',
      'params["/post/bloom"]: 99 is outside the range 0..2; clamped to 2',
      'keyframes.set: expected a keyframe set name like "glass-dusk" (lower-case letters, digits, . _ -), got "Glass Dusk"',
      'created: expected an ISO 8601 time like "2026-12-03T14:00:00Z", got "last week"; set to 2026-12-03T14:00:00.000Z',
      'modified: expected an ISO 8601 time like "2026-12-03T14:00:00Z", got "last week"; set to 2026-12-03T14:00:00.000Z',
      'routes[0].amount: must be a number within -100..100 (required) (route dropped)',
      'routes[1]: expected a route object like {source, target, amount}, got text "nope"; dropped',
      'midi[0]: control.kind "knob" is not one of cc, cc14, nrpn, rpn, note, pitchbend, pressure; dropped',
      'archive.state: expected one of nostalgia, loneliness, anticipation, intimacy, none, got "melancholy"; none is used',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('versions this engine cannot read', () => {
  it('refuses a newer version with a clear message', () => {
    const r = parsePreset(JSON.stringify({ format: 'glassforest-preset', version: 3, name: 'From the future' }));
    expect(r.ok).toBe(false);
    expect(lines(r.problems)).toEqual(['version: this preset is version 3, newer than this Glassforest reads (up to 2); update Glassforest to open it']);
  });

  it('refuses versions that are not whole numbers from 1', () => {
    for (const version of ['2', 0, 1.5, -1, null]) {
      const r = parsePreset({ format: 'glassforest-preset', version, name: 'x' });
      expect(r.ok).toBe(false);
      expect(r.problems[0].path).toBe('version');
    }
  });

  it('refuses other formats, and says when a show file was given', () => {
    const other = parsePreset({ format: 'milkdrop', version: 2 });
    expect(lines(other.problems)).toEqual(['format: expected "glassforest-preset", got "milkdrop": not a Glassforest preset']);
    const showFile = parsePreset({ format: 'glassforest-show', version: 1 });
    expect(showFile.ok).toBe(false);
    expect(lines(showFile.problems)).toEqual(['format: this is a show file (presets, banks and images), not a single preset: import it as a show']);
  });
});
