/**
 * `?` shows every keyboard shortcut registered right now (app/shortcuts.ts), grouped; `?` or
 * Escape closes it. Because the list is the registry itself, it only ever names keys that work.
 */
import { useRef, useState } from 'react';
import { keyToken, shortcuts, type Shortcut, useShortcuts } from './shortcuts.ts';
import { useStore } from './use-store.ts';

/** A key as printed in the overlay ("Shift+K", "?", "Space"). */
export function keyLabel(key: string): string {
  const t = keyToken(key);
  const shift = t.startsWith('Shift+');
  const base = shift ? t.slice(6) : t;
  const shown = base.length === 1 ? base.toUpperCase() : base;
  return shift ? `Shift+${shown}` : shown;
}

function groups(list: readonly Shortcut[]): [string, Shortcut[]][] {
  const map = new Map<string, Shortcut[]>();
  for (const s of list) {
    let g = map.get(s.group);
    if (!g) map.set(s.group, (g = []));
    g.push(s);
  }
  return [...map];
}

export function ShortcutOverlay() {
  const [open, setOpen] = useState(false);
  const openRef = useRef(open);
  useShortcuts(
    () => [
      { keys: ['?'], label: 'show / hide this list of shortcuts', group: 'Help', run: () => setOpen((o) => !o) },
      { keys: ['Escape'], label: 'close this list', group: 'Help', run: () => setOpen(false), enabled: () => openRef.current },
    ],
    [],
  );
  openRef.current = open;
  const list = useStore(shortcuts.subscribe, () => shortcuts.list());
  if (!open) return null;
  return (
    <div className="shortcut-overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts" onClick={() => setOpen(false)}>
      <div className="shortcut-sheet" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        {groups(list).map(([group, items]) => (
          <section key={group}>
            <h3>{group}</h3>
            <dl>
              {items.map((s) => (
                <div key={`${group}:${s.label}`} className="shortcut" data-keys={s.keys.map((k) => keyToken(k)).join(' ')} data-label={s.label}>
                  <dt>
                    {s.keys.map((k) => (
                      <kbd key={k}>{keyLabel(k)}</kbd>
                    ))}
                  </dt>
                  <dd>{s.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <p className="hint">Shortcuts are off while typing in a field, and with Ctrl, Alt or Cmd held.</p>
      </div>
    </div>
  );
}
