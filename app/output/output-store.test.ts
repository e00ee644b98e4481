import { describe, expect, it } from 'vitest';
import { defaultMappingSettings } from '../../engine/mapping/index.ts';
import { loadOutputs, MAX_OUTPUTS, newOutputId, OUTPUTS_STORAGE_KEY, readOutputs, saveOutputs, type KeyValueStorage, type OutputConfig } from './output-store.ts';

function memory(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function config(id: string): OutputConfig {
  const settings = defaultMappingSettings();
  settings.output = { width: 1280, height: 720 };
  settings.cornerPin.corners[2] = { x: 0.9, y: 0.85 };
  settings.softEdge.enabled = true;
  settings.softEdge.right.width = 0.2;
  settings.masks.push({ name: 'pillar', enabled: true, inverted: true, feather: 0.01, points: [{ x: 0.4, y: 0 }, { x: 0.6, y: 0 }, { x: 0.5, y: 1 }] });
  return { id, name: `Left ${id}`, screen: 'HDMI-1', settings };
}

describe('output settings store', () => {
  it('round-trips configurations exactly through storage', () => {
    const st = memory();
    const list = [config('out-1'), config('out-2')];
    expect(saveOutputs(st, list)).toBeNull();
    const back = loadOutputs(st);
    expect(back.problems).toEqual([]);
    expect(back.outputs).toEqual(list);
  });
  it('restores nothing and reports nothing when nothing was saved', () => {
    expect(loadOutputs(memory())).toEqual({ outputs: [], problems: [] });
  });
  it('keeps the valid parts of a damaged entry and names the bad fields', () => {
    const st = memory();
    const good = config('out-1');
    const bad = { id: 'out-2', name: 'bad', settings: { ...config('out-2').settings, cornerPin: { enabled: true, corners: [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 1, y: 0 }, { x: 0, y: 1 }] } } };
    st.setItem(OUTPUTS_STORAGE_KEY, JSON.stringify({ version: 1, outputs: [good, bad, { id: 'BAD ID' }, 7] }));
    const r = loadOutputs(st);
    expect(r.outputs.map((o) => o.id)).toEqual(['out-1', 'out-2']);
    expect(r.outputs[1].settings.cornerPin.corners).toEqual(defaultMappingSettings().cornerPin.corners);
    expect(r.outputs[1].settings.softEdge.right.width).toBe(0.2); // the rest of the entry survives
    expect(r.problems.some((p) => p.path === 'outputs[1].settings.cornerPin.corners')).toBe(true);
    expect(r.problems.some((p) => p.path === 'outputs[2].id')).toBe(true);
    expect(r.problems.some((p) => p.path === 'outputs[3]')).toBe(true);
  });
  it('survives garbage: not JSON, wrong types, too many outputs, repeated ids', () => {
    expect(readOutputs('{not json').outputs).toEqual([]);
    expect(readOutputs('{not json').problems[0].path).toBe('');
    expect(readOutputs(42).outputs).toEqual([]);
    expect(readOutputs({ outputs: 'x' }).problems[0].path).toBe('outputs');
    const many = { outputs: Array.from({ length: 20 }, (_, i) => ({ id: `out-${i}` })) };
    const r = readOutputs(many);
    expect(r.outputs).toHaveLength(MAX_OUTPUTS);
    expect(r.problems.some((p) => p.path === 'outputs')).toBe(true);
    const dup = readOutputs({ outputs: [{ id: 'a' }, { id: 'a' }] });
    expect(dup.outputs).toHaveLength(1);
  });
  it('reports a storage that refuses to save instead of throwing', () => {
    const st: KeyValueStorage = { getItem: () => null, setItem: () => { throw new Error('quota'); } };
    expect(saveOutputs(st, [config('out-1')])).toBe('quota');
  });
  it('makes fresh ids', () => {
    expect(newOutputId([])).toBe('out-1');
    expect(newOutputId(['out-1', 'out-3'])).toBe('out-2');
  });
});
