import { describe, expect, it } from 'vitest';
import { keyToken, ShortcutRegistry } from './shortcuts.ts';

/** The fields of a keydown the registry reads (Node has no KeyboardEvent). */
function key(k: string, extra: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean }> = {}) {
  let prevented = false;
  const e = { key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, repeat: false, target: null, ...extra, preventDefault: () => void (prevented = true) };
  return { e: e as unknown as KeyboardEvent, prevented: () => prevented };
}

describe('shortcut registry', () => {
  it('matches letters by the Shift key, not by case, and symbols as typed', () => {
    expect(keyToken('K')).toBe('k');
    expect(keyToken('K', true)).toBe('Shift+k');
    expect(keyToken('Shift+k')).toBe('Shift+k');
    expect(keyToken('?', true)).toBe('?');
    expect(keyToken(' ')).toBe('Space');
    expect(keyToken('ArrowUp', true)).toBe('Shift+ArrowUp');
  });

  it('runs the registered action, prevents the default, and forgets it when unregistered', () => {
    const r = new ShortcutRegistry();
    let n = 0;
    const off = r.register([{ keys: ['k'], label: 'blackout', group: 'Show', run: () => void n++ }]);
    const caps = key('K'); // Caps Lock on: still the same shortcut
    expect(r.handle(caps.e)).toBe(true);
    expect(caps.prevented()).toBe(true);
    expect(r.handle(key('k', { shiftKey: true }).e)).toBe(false); // Shift+K is another key
    expect(n).toBe(1);
    off();
    expect(r.handle(key('k').e)).toBe(false);
    expect(r.list()).toEqual([]);
  });

  it('leaves modified keys and auto-repeat alone, honours enabled(), and lets the newest registration win', () => {
    const r = new ShortcutRegistry();
    const ran: string[] = [];
    let armed = false;
    r.register([{ keys: ['Escape'], label: 'old', group: 'A', run: () => void ran.push('old') }]);
    r.register([{ keys: ['Escape'], label: 'new', group: 'B', run: () => void ran.push('new'), enabled: () => armed }]);
    expect(r.handle(key('Escape', { ctrlKey: true }).e)).toBe(false);
    expect(r.handle(key('Escape', { repeat: true }).e)).toBe(false);
    r.handle(key('Escape').e);
    armed = true;
    r.handle(key('Escape').e);
    expect(ran).toEqual(['old', 'new']);
  });

  it('tells subscribers when the list changes, with a new list object each time', () => {
    const r = new ShortcutRegistry();
    let calls = 0;
    r.subscribe(() => void calls++);
    const a = r.list();
    const off = r.register([{ keys: ['1'], label: 'slot 1', group: 'Presets', run: () => {} }]);
    expect(r.list()).not.toBe(a);
    expect(r.list().map((s) => s.label)).toEqual(['slot 1']);
    off();
    expect(calls).toBe(2);
  });
});

describe('scene order for next / previous', async () => {
  const { sceneAfter } = await import('./scene-shortcuts.ts');
  it('steps through the menu order and wraps at both ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(sceneAfter('a', 1, ids)).toBe('b');
    expect(sceneAfter('c', 1, ids)).toBe('a');
    expect(sceneAfter('a', -1, ids)).toBe('c');
    expect(sceneAfter('unknown', 1, ids)).toBe('b');
    expect(sceneAfter('x', 1, [])).toBe('x');
  });
});
