/** The ISF shaders shipped in shaders/isf/, parsed once at start-up. */
import { parseIsf, type IsfShader } from '../../engine/isf/index.ts';
import type { ArchiveState } from '../types.ts';

export interface BundledIsf {
  fileName: string;
  shader: IsfShader;
  states: readonly ArchiveState[];
}

const FILES = import.meta.glob('../../shaders/isf/*.fs', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Archive states the bundled shaders suit (others get the first). */
const STATES: Record<string, readonly ArchiveState[]> = {
  'glass-ripple.fs': ['intimacy without contact', 'anticipation without outcome'],
  'feedback-trails.fs': ['nostalgia without memory'],
};

export const BUNDLED_ISF: readonly BundledIsf[] = Object.keys(FILES)
  .sort()
  .map((path) => {
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    return { fileName, shader: parseIsf(FILES[path]), states: STATES[fileName] ?? ['nostalgia without memory'] };
  });
