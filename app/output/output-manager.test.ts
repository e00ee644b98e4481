import { describe, expect, it } from 'vitest';
import { OutputManager } from './output-manager.ts';
import type { KeyValueStorage } from './output-store.ts';

function memory(): KeyValueStorage {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('output manager settings (no windows)', () => {
  it('snapshot and restore carry every output setting, for presets', () => {
    const a = new OutputManager(memory());
    const id = a.add()!;
    a.setScreen(id, 'HDMI-2');
    a.update(id, (s) => {
      s.output = { width: 1280, height: 800 };
      s.cornerPin.corners[3] = { x: 0.05, y: 0.9 };
      s.testPattern = { enabled: true, pattern: 'bars' };
    });
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = new OutputManager(memory());
    expect(b.restore(snap)).toEqual([]);
    expect(b.settingsOf(id)).toEqual(a.settingsOf(id));
    expect(b.list()[0].screen).toBe('HDMI-2');
  });
  it('restore of a partly bad snapshot keeps the good parts and lists the rest by field', () => {
    const b = new OutputManager(memory());
    const problems = b.restore({ version: 1, outputs: [{ id: 'out-1', settings: { output: { width: -5, height: 720 }, cornerPin: 'x' } }, { id: 3 }] });
    expect(b.list().map((o) => o.id)).toEqual(['out-1']);
    expect(b.settingsOf('out-1')!.output).toEqual({ width: 1, height: 720 });
    expect(problems.map((p) => p.path)).toEqual(['outputs[0].settings.output.width', 'outputs[0].settings.cornerPin', 'outputs[1].id']);
  });
  it('an edit that breaks the settings is corrected by the validator, not stored broken', () => {
    const a = new OutputManager(memory());
    const id = a.add()!;
    const problems = a.update(id, (s) => {
      s.cornerPin.corners = [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 1, y: 0 }, { x: 0, y: 1 }];
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(a.settingsOf(id)!.cornerPin.corners[1]).toEqual({ x: 1, y: 0 });
  });
  it('saves to storage and a new manager on the same storage has the same outputs', () => {
    const st = memory();
    const a = new OutputManager(st);
    const id = a.add()!;
    a.update(id, (s) => void (s.softEdge.left.width = 0.15));
    a.saveNow();
    const b = new OutputManager(st);
    expect(b.settingsOf(id)).toEqual(a.settingsOf(id));
  });
});
