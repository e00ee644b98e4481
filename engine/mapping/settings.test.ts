import { describe, expect, it } from 'vitest';
import {
  cornerPinQuad,
  createMesh,
  defaultMappingSettings,
  evaluateMesh,
  MAPPING_SETTINGS_VERSION,
  maskPolygon,
  MAX_MASKS,
  MAX_PROBLEMS,
  meshFromSettings,
  meshToSettings,
  pointInPolygon,
  squareToQuadHomography,
  validateMappingSettings,
  type MappingSettings,
} from './index.ts';

function full(): MappingSettings {
  const s = defaultMappingSettings();
  s.output = { width: 1280, height: 800 };
  s.cornerPin.corners = [
    { x: 0.05, y: 0.02 },
    { x: 0.97, y: 0.06 },
    { x: 0.93, y: 0.98 },
    { x: 0.01, y: 0.9 },
  ];
  s.mesh = { enabled: true, cols: 3, rows: 2, points: [] };
  for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) s.mesh.points.push({ x: c / 2 + (c === 1 ? 0.03 : 0), y: r });
  s.softEdge.enabled = true;
  s.softEdge.right = { width: 0.15, curve: 2.5, gamma: 2.4 };
  s.masks = [{ name: 'column', enabled: true, inverted: true, feather: 0.01, points: [{ x: 0.4, y: 0 }, { x: 0.5, y: 0 }, { x: 0.5, y: 1 }, { x: 0.4, y: 1 }] }];
  s.testPattern = { enabled: true, pattern: 'edges' };
  return s;
}

function problemsOf(input: unknown): string[] {
  return validateMappingSettings(input).problems;
}

describe('mapping settings validator', () => {
  it('a clean settings object passes unchanged, with no problems, through a JSON round trip', () => {
    const s = full();
    const r = validateMappingSettings(JSON.parse(JSON.stringify(s)));
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual(s);
    expect(validateMappingSettings(JSON.stringify(s)).settings).toEqual(s);
    expect(r.settings.version).toBe(MAPPING_SETTINGS_VERSION);
  });

  it('fills defaults for missing fields, silently', () => {
    const r = validateMappingSettings({});
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual(defaultMappingSettings());
    const partial = validateMappingSettings({ softEdge: { left: { width: 0.1 } }, mesh: { cols: 3 } });
    expect(partial.problems).toEqual([]);
    expect(partial.settings.softEdge.left).toEqual({ width: 0.1, curve: 2, gamma: 2.2 });
    expect(partial.settings.mesh.cols).toBe(3);
    expect(partial.settings.mesh.points).toHaveLength(15); // 3 × 5 identity
    expect(partial.settings.mesh.points[14]).toEqual({ x: 1, y: 1 });
  });

  it('names the field path of a bad mesh point and keeps the rest', () => {
    const s = JSON.parse(JSON.stringify(full()));
    s.mesh = { enabled: true, cols: 5, rows: 5, points: createMeshPoints(5, 5) };
    s.mesh.points[12].x = 'left';
    s.mesh.points[7].y = null;
    s.mesh.points[3].x = 9;
    const r = validateMappingSettings(s);
    expect(r.problems).toContain('mesh.points[12].x: not a number ("left"); using 0.5');
    expect(r.problems.some((p) => p.startsWith('mesh.points[7].y: not a number (null)'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('mesh.points[3].x: 9 is outside -1..2'))).toBe(true);
    expect(r.settings.mesh.points[12]).toEqual({ x: 0.5, y: 0.5 });
    expect(r.settings.mesh.points[3].x).toBe(2);
    expect(r.settings.mesh.points[6]).toEqual({ x: 0.25, y: 0.25 });
  });

  it('NaN and Infinity (from a JS caller) are not finite numbers', () => {
    const r = validateMappingSettings({
      output: { width: Number.NaN, height: Infinity },
      softEdge: { top: { gamma: -Infinity } },
      mesh: { cols: 2, rows: 2, points: [{ x: 0, y: 0 }, { x: Number.NaN, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }] },
    });
    expect(r.problems).toContain('output.width: not a finite number (NaN); using 1920');
    expect(r.problems).toContain('output.height: not a finite number (Infinity); using 1080');
    expect(r.problems).toContain('softEdge.top.gamma: not a finite number (-Infinity); using 2.2');
    expect(r.problems).toContain('mesh.points[1].x: not a finite number (NaN); using 1');
    expect(r.settings.mesh.points[1]).toEqual({ x: 1, y: 0 });
  });

  it('wrong types everywhere: reported by path, defaults used, never throws', () => {
    const r = validateMappingSettings({
      version: 'one',
      enabled: 'yes',
      output: [1920, 1080],
      cornerPin: { enabled: 1, corners: 'square' },
      mesh: { cols: 2.4, rows: 99, points: {} },
      softEdge: { enabled: true, left: 0.2, right: { width: 0.9, curve: 'soft' } },
      masks: { 0: {} },
      testPattern: { enabled: true, pattern: 'smpte' },
    });
    const p = r.problems.join('\n');
    expect(p).toMatch(/^version: not a version number \("one"\)/m);
    expect(p).toMatch(/^enabled: not true or false \("yes"\); using true$/m);
    expect(p).toMatch(/^output: expected an object, got an array/m);
    expect(p).toMatch(/^cornerPin\.enabled: not true or false \(1\)/m);
    expect(p).toMatch(/^cornerPin\.corners: expected 4 corners, got "square"/m);
    expect(p).toMatch(/^mesh\.cols: 2\.4 is not an integer; using 2$/m);
    expect(p).toMatch(/^mesh\.rows: 99 is outside 2\.\.33; using 33$/m);
    expect(p).toMatch(/^mesh\.points: expected an array, got an object/m);
    expect(p).toMatch(/^softEdge\.left: expected an object, got 0\.2/m);
    expect(p).toMatch(/^softEdge\.right\.width: 0\.9 is outside 0\.\.0\.5; using 0\.5$/m);
    expect(p).toMatch(/^softEdge\.right\.curve: not a number \("soft"\); using 2$/m);
    expect(p).toMatch(/^masks: expected an array, got an object/m);
    expect(p).toMatch(/^testPattern\.pattern: "smpte" is not one of grid, bars, edges/m);
    const s = r.settings;
    expect(s.enabled).toBe(true);
    expect(s.output).toEqual({ width: 1920, height: 1080 });
    expect(s.mesh.cols).toBe(2);
    expect(s.mesh.rows).toBe(33);
    expect(s.mesh.points).toHaveLength(66);
    expect(s.softEdge.right.width).toBe(0.5);
    expect(s.testPattern).toEqual({ enabled: true, pattern: 'grid' });
    expect(s.masks).toEqual([]);
  });

  it('non-object inputs and broken JSON give the defaults and one problem', () => {
    for (const input of [null, undefined, 42, 'nope', '{"mesh":', [], true, () => 1, Symbol('x')]) {
      const r = validateMappingSettings(input);
      expect(r.settings).toEqual(defaultMappingSettings());
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatch(/^\(root\): /);
    }
  });

  it('unknown fields are reported and dropped, including __proto__', () => {
    const input = JSON.parse('{"colour":"red","__proto__":{"polluted":true},"mesh":{"cols":2,"rows":2,"spline":"bezier","points":[{"x":0,"y":0,"z":3},{"x":1,"y":0},{"x":0,"y":1},{"x":1,"y":1}]}}');
    const r = validateMappingSettings(input);
    expect(r.problems).toContain('colour: unknown field; dropped');
    expect(r.problems).toContain('__proto__: unknown field; dropped');
    expect(r.problems).toContain('mesh.spline: unknown field; dropped');
    expect(r.problems).toContain('mesh.points[0].z: unknown field; dropped');
    expect(Object.keys(r.settings)).not.toContain('colour');
    expect(Object.keys(r.settings.mesh.points[0])).toEqual(['x', 'y']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.settings)).toBe(Object.prototype);
  });

  it('huge arrays are refused without being walked; problem count is capped', () => {
    const sparse: unknown[] = [];
    sparse.length = 4_000_000_000;
    const t0 = performance.now();
    const r = validateMappingSettings({ mesh: { cols: 4, rows: 4, points: sparse }, masks: sparse });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(r.problems).toContain('mesh.points: 4000000000 points, expected cols × rows = 16; using the identity grid');
    expect(r.problems).toContain(`masks: 4000000000 masks, at most ${MAX_MASKS}; the rest dropped`);
    // Holes in the first 16 masks: each reported, none kept.
    expect(r.settings.masks).toEqual([]);
    // A 33×33 mesh of garbage: thousands of problems, at most MAX_PROBLEMS lines plus a tally.
    const pts = new Array(33 * 33).fill(0).map(() => ({ x: 'a', y: 'b' }));
    const g = validateMappingSettings({ mesh: { cols: 33, rows: 33, points: pts } });
    expect(g.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(g.problems[MAX_PROBLEMS]).toBe(`... and ${2 * 33 * 33 - MAX_PROBLEMS} more problems`);
    expect(g.settings.mesh.points[1088]).toEqual({ x: 1, y: 1 });
  });

  it('deep nesting does not recurse: a 100000-deep object in a known and an unknown field', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const r = validateMappingSettings({ output: deep, cornerPin: { corners: [deep, deep, deep, deep] }, junk: deep });
    expect(r.problems).toContain('output.a: unknown field; dropped');
    expect(r.problems).toContain('junk: unknown field; dropped');
    expect(r.problems.some((p) => p.startsWith('cornerPin.corners[0].a: unknown field'))).toBe(true);
    expect(r.settings.cornerPin.corners).toEqual(defaultMappingSettings().cornerPin.corners);
    // Deep JSON text: JSON.parse may run out of stack; still no throw.
    const text = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(() => validateMappingSettings(text)).not.toThrow();
  });

  it('getters and proxies that throw count as bad values', () => {
    const evil = {
      get enabled(): boolean {
        throw new Error('boom');
      },
      output: new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('no keys');
          },
          getOwnPropertyDescriptor() {
            throw new Error('no descriptor');
          },
        },
      ),
    };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let r = validateMappingSettings(evil);
    expect(r.problems).toContain('enabled: not true or false (an unreadable value); using true');
    expect(r.problems).toContain('output: its fields could not be listed');
    expect(r.settings.output).toEqual({ width: 1920, height: 1080 });
    r = validateMappingSettings({ mesh: proxy, masks: [proxy] });
    expect(r.problems.length).toBeGreaterThan(0);
    expect(() => validateMappingSettings(proxy)).not.toThrow();
  });

  it('a degenerate corner pin is refused (bow-tie, collinear) and the full output used', () => {
    const bow = { cornerPin: { corners: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }] } };
    const r = validateMappingSettings(bow);
    expect(r.problems).toEqual(['cornerPin.corners: the quad crosses itself (a bow-tie: two corners are swapped); using the full output']);
    expect(cornerPinQuad(r.settings.cornerPin)).toEqual(new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]));
    const line = validateMappingSettings({ cornerPin: { corners: [{ x: 0, y: 0 }, { x: 0.5, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }] } });
    expect(line.problems[0]).toMatch(/^cornerPin\.corners: three corners lie on one line/);
    expect(validateMappingSettings({ cornerPin: { corners: [1, 2, 3, 4] } }).problems[0]).toMatch(/^cornerPin\.corners\[0\]: expected \{x, y\}, got 1/);
    // Whatever the validator returns can be pinned.
    expect(() => squareToQuadHomography(cornerPinQuad(full().cornerPin))).not.toThrow();
  });

  it('masks: bad points dropped, short masks dropped, too many masks cut, self-intersecting kept with a note', () => {
    const sq = [{ x: 0.2, y: 0.2 }, { x: 0.8, y: 0.2 }, { x: 0.8, y: 0.8 }, { x: 0.2, y: 0.8 }];
    const masks: unknown[] = [
      { points: [...sq, { x: 'q', y: 0 }], feather: 0.9, name: 7 },
      { points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
      { points: [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 1, y: 0 }, { x: 0, y: 1 }] },
      'mask',
      { points: [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 5, y: 0 }], name: 'x'.repeat(300) },
    ];
    for (let i = 0; i < 20; i++) masks.push({ points: sq });
    const r = validateMappingSettings({ masks });
    const p = r.problems.join('\n');
    expect(p).toMatch(/^masks: 25 masks, at most 16; the rest dropped$/m);
    expect(p).toMatch(/^masks\[0\]\.points\[4\]\.x: not a finite number \("q"\); point dropped$/m);
    expect(p).toMatch(/^masks\[0\]\.feather: 0\.9 is outside 0\.\.0\.5; using 0\.5$/m);
    expect(p).toMatch(/^masks\[0\]\.name: not a string \(7\); using "mask 1"$/m);
    expect(p).toMatch(/^masks\[1\]\.points: 2 points; a mask needs 3\.\.256; mask dropped$/m);
    expect(p).toMatch(/^masks\[2\]\.points: the outline crosses itself/m);
    expect(p).toMatch(/^masks\[3\]: expected an object, got "mask"; dropped$/m);
    expect(p).toMatch(/^masks\[4\]\.points\[2\]: outside -1\.\.2; clamped$/m);
    expect(p).toMatch(/^masks\[4\]\.name: longer than 64 characters; cut$/m);
    // Kept: 0, 2, 4 and masks 5..15 (11): 14.
    expect(r.settings.masks).toHaveLength(14);
    expect(r.settings.masks[0].points).toEqual(sq);
    expect(r.settings.masks[0].name).toBe('mask 1');
    expect(r.settings.masks[2].points[2]).toEqual({ x: 2, y: 0 });
    expect(pointInPolygon(maskPolygon(r.settings.masks[0]), 0.5, 0.5)).toBe(true);
  });

  it('a newer version is read as far as it goes, with a note', () => {
    const r = validateMappingSettings({ version: 7, enabled: false });
    expect(r.problems).toEqual([`version: 7 is newer than this build understands (${MAPPING_SETTINGS_VERSION}); reading what it can`]);
    expect(r.settings.enabled).toBe(false);
    expect(r.settings.version).toBe(MAPPING_SETTINGS_VERSION);
  });

  it('the result shares nothing with the input', () => {
    const input = JSON.parse(JSON.stringify(full()));
    const r = validateMappingSettings(input);
    input.mesh.points[0].x = 0.77;
    input.masks[0].points[0].x = 0.77;
    input.softEdge.right.width = 0.01;
    expect(r.settings.mesh.points[0].x).toBe(0);
    expect(r.settings.masks[0].points[0].x).toBe(0.4);
    expect(r.settings.softEdge.right.width).toBe(0.15);
  });

  it('mesh settings convert to a grid and back', () => {
    const s = full();
    const grid = meshFromSettings(s.mesh);
    const o = new Float64Array(2);
    evaluateMesh(grid, 0.5, 0, o);
    expect(o[0]).toBeCloseTo(0.53, 14);
    expect(meshToSettings(grid)).toEqual(s.mesh);
  });
});

function createMeshPoints(cols: number, rows: number): Array<{ x: unknown; y: unknown }> {
  const m = createMesh(cols, rows);
  const out: Array<{ x: unknown; y: unknown }> = [];
  for (let i = 0; i < cols * rows; i++) out.push({ x: m.points[2 * i], y: m.points[2 * i + 1] });
  return out;
}
