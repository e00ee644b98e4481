import { describe, expect, it } from 'vitest';
import { createPreset, formatProblem, importShow, MAX_PROBLEMS, parsePreset, serializePreset, validateBanks, type Problem } from './index.ts';
import { CATALOGUE, NOW, runningState } from './test-kit.ts';
import { seededRandom } from '../../workers/analysis/signals.ts';

const lines = (problems: readonly Problem[]): string[] => problems.map(formatProblem);
const opts = { catalogue: CATALOGUE, now: NOW, makeId: () => 'p-new' };

function goodObject(): Record<string, unknown> {
  return JSON.parse(serializePreset(createPreset(runningState(), { ...opts, name: 'Good', id: 'p-good' }).preset));
}


const WEIRD: unknown[] = [null, undefined, 0, -1, 1e308, Number.NaN, Infinity, -Infinity, '', 'x', '__proto__', '/scene/glass-forest/sway', true, false, [], [1, 2, 3], ['a'], {}, { a: 1 }, [[[]]], { __proto__: null }, 2 ** 53, -0];

function nestedArrayText(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function nestedObject(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('hostile preset files never throw and say why', () => {
  it('refuses text larger than the cap, before parsing it', () => {
    const huge = `{"name":"${'x'.repeat(5 << 20)}"}`;
    const r = parsePreset(huge);
    expect(r.ok).toBe(false);
    expect(lines(r.problems)).toEqual(['the preset file is larger than 4 MiB (5 MiB); refused']);
  });

  it('counts bytes, not characters (multi-byte text past the cap is refused)', () => {
    const text = JSON.stringify({ name: 'é'.repeat(3000) });
    expect(parsePreset(text, { limits: { maxBytes: 5000, maxDepth: 32, maxElements: 1000 } }).ok).toBe(false);
    expect(parsePreset(text.replace(/é/g, 'e'), { limits: { maxBytes: 5000, maxDepth: 32, maxElements: 1000 } }).ok).toBe(true);
  });

  it('refuses too many values even when the text is small enough', () => {
    const g = goodObject();
    g.routes = new Array(150_000).fill(0);
    const r = parsePreset(JSON.stringify(g));
    expect(r.ok).toBe(false);
    expect(lines(r.problems)).toEqual(['the preset has more than 100000 values; refused']);
  });

  it('refuses 10 000 levels of nesting, as text and as an object', () => {
    const g = goodObject();
    const text = JSON.stringify(g).replace('"outputs":{', `"outputs":{"deep":${nestedArrayText(10_000)},`);
    const r = parsePreset(text);
    expect(r.ok).toBe(false);
    expect(lines(r.problems)).toEqual(['the preset file is nested deeper than 32 levels; refused']);
    const asObject = parsePreset({ ...g, outputs: nestedObject(10_000) });
    expect(asObject.ok).toBe(false);
    expect(lines(asObject.problems)).toEqual(['the preset is nested deeper than 32 levels; refused']);
    // Brackets inside strings are text, not nesting.
    expect(parsePreset(JSON.stringify({ ...g, name: '['.repeat(10_000) })).ok).toBe(true);
  });

  it('refuses a cyclic object handed in directly', () => {
    const g = goodObject();
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    g.outputs = loop;
    const r = parsePreset(g);
    expect(r.ok).toBe(false);
    expect(r.problems[0].message).toMatch(/nested deeper than 32 levels/);
  });

  it('refuses roots that are not objects', () => {
    for (const root of ['null', '42', '"preset"', '[]', 'true']) {
      const r = parsePreset(root);
      expect(r.ok).toBe(false);
      expect(r.problems[0].message).toMatch(/^a preset must be a JSON object, got /);
    }
    expect(lines(parsePreset('{"name": ').problems)[0]).toMatch(/^the preset file is not valid JSON \(/);
    expect(lines(parsePreset(undefined).problems)).toEqual(['a preset must be a JSON object, got undefined undefined']);
  });

  it('survives wrong types in every field, reporting each by path', () => {
    const fields = ['id', 'name', 'scene', 'params', 'routes', 'keyframes', 'midi', 'osc', 'outputs', 'archive', 'created', 'modified'];
    for (const bad of [42, 'text', [1, 2], true, { x: 1 }]) {
      const g = goodObject();
      for (const f of fields) g[f] = bad;
      const r = parsePreset(g, opts);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const paths = new Set(r.problems.map((p) => p.path.split(/[.[]/)[0]));
      // Every field that cannot take this value is named (an object is a valid shape for some).
      const fitsObject = ['params', 'outputs', 'scene', 'keyframes', 'archive'];
      for (const f of fields) {
        if (typeof bad === 'object' && !Array.isArray(bad) && fitsObject.includes(f)) continue;
        if (typeof bad === 'string' && (f === 'id' || f === 'name')) continue; // "text" is a fine id and name
        expect([f, paths.has(f)]).toEqual([f, true]);
      }
      expect(r.preset.routes).toEqual([]);
      expect(r.preset.midi).toEqual([]);
      expect(r.preset.osc).toEqual([]);
      expect(r.preset.name).toBe(typeof bad === 'string' ? bad : 'Untitled preset');
    }
  });

  it('never throws on randomly broken presets (seeded)', () => {
    const random = seededRandom(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    for (let n = 0; n < 400; n++) {
      const g = goodObject() as Record<string, unknown>;
      // Break a few random places, at any depth.
      for (let k = 0; k < 4; k++) {
        let obj: Record<string, unknown> | unknown[] = g;
        for (let d = 0; d < 4; d++) {
          const keys = Object.keys(obj);
          if (keys.length === 0) break;
          const key = pick(keys);
          const next = (obj as Record<string, unknown>)[key];
          if (next !== null && typeof next === 'object' && random() < 0.6) obj = next as Record<string, unknown>;
          else {
            (obj as Record<string, unknown>)[random() < 0.8 ? key : pick(['__proto__', 'constructor', 'extra', '0'])] = pick(WEIRD);
            break;
          }
        }
      }
      let r: ReturnType<typeof parsePreset> | undefined;
      expect(() => {
        r = parsePreset(g, opts);
      }).not.toThrow();
      expect(r).toBeDefined();
      for (const p of r!.problems) {
        expect(typeof p.path).toBe('string');
        expect(p.message.length).toBeGreaterThan(0);
      }
      const res = r!;
      if (res.ok) expect(() => parsePreset(serializePreset(res.preset), opts)).not.toThrow();
    }
  });

  it('drops unknown fields and reports them', () => {
    const g = goodObject();
    g.extra = 1;
    (g.scene as Record<string, unknown>).lights = 'on';
    (g.archive as Record<string, unknown>).mood = 'blue';
    (g.osc as Record<string, unknown>[])[0].colour = 'red';
    (g.midi as Record<string, unknown>[])[0].led = true;
    const r = parsePreset(g, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(lines(r.problems)).toEqual([
      'extra: unknown field; dropped',
      'scene.lights: unknown field; dropped',
      'midi[0].led: unknown field; dropped',
      'osc[0].colour: unknown field; dropped',
      'archive.mood: unknown field; dropped',
    ]);
    expect('extra' in r.preset).toBe(false);
    expect('lights' in r.preset.scene).toBe(false);
    expect('led' in r.preset.midi[0]).toBe(false);
  });

  it('never lets __proto__ or constructor keys reach a prototype', () => {
    const g = goodObject();
    const text = JSON.stringify(g)
      .replace('{', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},')
      .replace('"params":{', '"params":{"__proto__":{"polluted":3},')
      .replace('"outputs":{', '"outputs":{"__proto__":{"polluted":4},"nested":{"constructor":{"polluted":5}},')
      .replace('"routes":[{', '"routes":[{"__proto__":{"amount":5},')
      .replace('"archive":{', '"archive":{"__proto__":{"state":"intimacy"},');
    const r = parsePreset(text, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const p = r.preset;
    for (const o of [p, p.scene.params, p.outputs, p.outputs.nested, p.routes[0], p.archive]) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.keys(o as object)).not.toContain('__proto__');
      expect(Object.keys(o as object)).not.toContain('constructor');
    }
    expect(p.routes[0].amount).toBe(0.8);
    expect(p.archive.state).toBe('nostalgia');
    expect(lines(r.problems)).toEqual([
      '__proto__: the key "__proto__" is not allowed; dropped',
      'constructor: the key "constructor" is not allowed; dropped',
      'scene.params.__proto__: the key "__proto__" is not allowed; dropped',
      'routes[0].__proto__: the key "__proto__" is not allowed; dropped',
      'outputs.__proto__: the key "__proto__" is not allowed; dropped',
      'outputs.nested.constructor: the key "constructor" is not allowed; dropped',
      'archive.__proto__: the key "__proto__" is not allowed; dropped',
    ]);
  });

  it('refuses NaN and Infinity in values handed in directly', () => {
    const g = goodObject();
    (g.params as Record<string, unknown>)['/post/bloom'] = Number.NaN;
    (g.params as Record<string, unknown>)['/post/grain'] = Infinity;
    (g.routes as Record<string, unknown>[])[0].amount = -Infinity;
    (g.outputs as Record<string, unknown>).gain = Number.NaN;
    const r = parsePreset(g, opts);
    expect(lines(r.problems)).toEqual([
      'params["/post/bloom"]: NaN is not a finite number',
      'params["/post/grain"]: Infinity is not a finite number',
      'routes[0].amount: must be a number within -100..100, got -Infinity (route dropped)',
      'outputs.gain: NaN is not a finite number; dropped',
    ]);
    const noCatalogue = parsePreset(g, { now: NOW });
    expect(lines(noCatalogue.problems)).toContain('params["/post/bloom"]: expected a finite number, got NaN');
  });

  it('reports a throwing getter or proxy instead of throwing', () => {
    const g = goodObject();
    Object.defineProperty(g, 'name', { enumerable: true, get: () => { throw new Error('gotcha'); } });
    const r = parsePreset(g);
    expect(r.ok).toBe(false);
    expect(lines(r.problems)).toEqual(['the preset could not be read (gotcha)']);
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(parsePreset(proxy).ok).toBe(false);
  });

  it('keeps the problem list short for a file with thousands of bad values', () => {
    const g = goodObject();
    const params: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) params[`/post/p${i}`] = 'x';
    g.params = params;
    const r = parsePreset(g, opts);
    expect(r.ok).toBe(true);
    expect(r.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(formatProblem(r.problems[MAX_PROBLEMS])).toBe('... and 2800 more problems not listed');
  });

  it('bank lists and show files share the same defences', () => {
    expect(lines(validateBanks(nestedArrayText(10_000)).problems)).toEqual(['the bank list is nested deeper than 16 levels; refused']);
    expect(lines(validateBanks(nestedObject(10_000)).problems)).toEqual(['the bank list is nested deeper than 16 levels; refused']);
    const show = importShow(`{"format":"glassforest-show","version":1,"presets":${nestedArrayText(10_000)}}`);
    expect(show.ok).toBe(false);
    expect(lines(show.problems)).toEqual(['the show file is nested deeper than 40 levels; refused']);
    expect(importShow('{"__proto__":{"polluted":1},"format":"glassforest-show","version":1}').ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
