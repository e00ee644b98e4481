import { SCENES } from '../scenes/registry.ts';
import type { EngineHost } from './engine-host.ts';
import type { Shortcut } from './shortcuts.ts';

/** The scene `step` places after (or before) the one playing, in menu order, wrapping. */
export function sceneAfter(current: string, step: number, ids: readonly string[] = SCENES.map((s) => s.id)): string {
  if (ids.length === 0) return current;
  const i = ids.indexOf(current);
  const from = i < 0 ? 0 : i;
  return ids[(((from + step) % ids.length) + ids.length) % ids.length];
}

/** Next / previous scene, with the performer's transition. */
export function sceneShortcuts(host: EngineHost): Shortcut[] {
  const group = 'Scenes';
  const go = (step: number) => void host.switchScene(sceneAfter(host.switcher.selected, step));
  return [
    { keys: ['n'], label: 'next scene (with the transition)', group, run: () => go(1) },
    { keys: ['p'], label: 'previous scene (with the transition)', group, run: () => go(-1) },
  ];
}
