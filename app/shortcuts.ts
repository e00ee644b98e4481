/**
 * One registry for every keyboard shortcut of the control view. The keydown handler and the
 * overlay (`?`) both read it, so the overlay cannot list a key that does nothing, and a panel
 * that adds a key shows up in the overlay by registering it.
 */
import { useEffect, useRef } from 'react';

export interface Shortcut {
  /**
   * Keys as a performer reads them: a printable key ("t", "1", "?", ","), a named key
   * ("Escape", "Space", "ArrowUp", "F1"), optionally with "Shift+" for letters and named keys
   * ("Shift+k", "Shift+ArrowUp"). Symbols are written as typed ("?", not "Shift+/").
   */
  readonly keys: readonly string[];
  /** What it does, in a few words ("tap tempo"). */
  readonly label: string;
  /** Overlay heading ("Beat clock", "Show", "Presets"). */
  readonly group: string;
  /** Runs the action. `event` carries the event's timestamp (tap tempo needs it). */
  run(event: KeyboardEvent): void;
  /** Only active while this returns true (e.g. an output window is focused, MIDI learn is armed). */
  enabled?(): boolean;
}

/** Normalise a key name or a keyboard event to one comparable token. */
export function keyToken(key: string, shift = false): string {
  let k = key;
  if (k === ' ') k = 'Space';
  if (k.startsWith('Shift+')) {
    k = k.slice(6);
    shift = true;
  }
  if (k.length === 1) {
    // Letters by the Shift key, not by their case (Caps Lock must not change a shortcut);
    // other printable characters already carry their shift state ("?", "+").
    const lower = k.toLowerCase();
    if (lower !== k.toUpperCase()) return shift ? `Shift+${lower}` : lower;
    return k;
  }
  return shift ? `Shift+${k}` : k;
}

type Listener = () => void;

export class ShortcutRegistry {
  private readonly entries = new Set<Shortcut>();
  private readonly listeners = new Set<Listener>();
  private snapshot: readonly Shortcut[] = [];

  /** Add shortcuts; returns the function that removes them again. */
  register(list: readonly Shortcut[]): () => void {
    for (const s of list) this.entries.add(s);
    this.changed();
    return () => {
      for (const s of list) this.entries.delete(s);
      this.changed();
    };
  }

  /** Every registered shortcut, in registration order (stable between changes, for React). */
  list(): readonly Shortcut[] {
    return this.snapshot;
  }

  /** The shortcut a key would run now, or null. The newest registration wins a clash. */
  find(key: string, shift = false): Shortcut | null {
    const token = keyToken(key, shift);
    let found: Shortcut | null = null;
    for (const s of this.entries) {
      if (s.enabled && !s.enabled()) continue;
      if (s.keys.some((k) => keyToken(k) === token)) found = s;
    }
    return found;
  }

  /**
   * Handle a keydown: skipped while typing in a field or with Ctrl/Meta/Alt held (browser and
   * system shortcuts stay theirs). Returns true when a shortcut ran.
   */
  handle(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return false;
    const target = e.target;
    if (typeof Element !== 'undefined' && target instanceof Element && target.closest('input, select, textarea, [contenteditable]')) return false;
    const s = this.find(e.key, e.shiftKey);
    if (!s) return false;
    e.preventDefault();
    s.run(e);
    return true;
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private changed(): void {
    this.snapshot = [...this.entries];
    for (const l of this.listeners) l();
  }
}

/** The control view's registry. */
export const shortcuts = new ShortcutRegistry();

/**
 * Register shortcuts while a component is mounted. `make` is called once per mount; its `run`
 * functions may read props through refs the caller keeps current.
 */
export function useShortcuts(make: () => readonly Shortcut[], deps: readonly unknown[]): void {
  const makeRef = useRef(make);
  makeRef.current = make;
  useEffect(() => shortcuts.register(makeRef.current()), deps); // eslint-disable-line react-hooks/exhaustive-deps
}
