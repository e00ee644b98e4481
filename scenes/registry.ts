/** Every scene the engine can show, for the UI and presets. */
import { GlassForest } from './glass-forest/GlassForest.tsx';
import { glassForestInfo } from './glass-forest/info.ts';
import { SpectralVeil } from './spectral-veil/SpectralVeil.tsx';
import { spectralVeilInfo } from './spectral-veil/info.ts';
import type { SceneDef } from './types.ts';
import { ISF_SCENES } from './isf/scenes.ts';

/** The first scene is the one the app opens with. */
export const SCENES: readonly SceneDef[] = [
  { ...glassForestInfo, Component: GlassForest },
  { ...spectralVeilInfo, Component: SpectralVeil },
  ...ISF_SCENES,
];

export function getScene(id: string): SceneDef | undefined {
  return SCENES.find((s) => s.id === id);
}
