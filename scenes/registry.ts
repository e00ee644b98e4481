/** Every scene the engine can show, for the UI and presets. */
import { SpectralVeil } from './spectral-veil/SpectralVeil.tsx';
import { spectralVeilInfo } from './spectral-veil/info.ts';
import type { SceneDef } from './types.ts';

export const SCENES: readonly SceneDef[] = [{ ...spectralVeilInfo, Component: SpectralVeil }];

export function getScene(id: string): SceneDef | undefined {
  return SCENES.find((s) => s.id === id);
}
