/** Every scene the engine can show, for the UI and presets. */
import { GlassForest, warmGlassForest } from './glass-forest/GlassForest.tsx';
import { glassForestInfo } from './glass-forest/info.ts';
import { SpectralVeil } from './spectral-veil/SpectralVeil.tsx';
import { spectralVeilInfo } from './spectral-veil/info.ts';
import { MemoryHaze } from './memory-haze/MemoryHaze.tsx';
import { memoryHazeInfo } from './memory-haze/info.ts';
import { Crowd } from './crowd/Crowd.tsx';
import { crowdInfo } from './crowd/info.ts';
import { NightRoad } from './night-road/NightRoad.tsx';
import { nightRoadInfo } from './night-road/info.ts';
import { Breath } from './breath/Breath.tsx';
import { breathInfo } from './breath/info.ts';
import type { SceneDef } from './types.ts';
import { ISF_SCENES } from './isf/scenes.ts';

/** The first scene is the one the app opens with. */
export const SCENES: readonly SceneDef[] = [
  { ...glassForestInfo, Component: GlassForest, warm: warmGlassForest },
  { ...spectralVeilInfo, Component: SpectralVeil },
  { ...memoryHazeInfo, Component: MemoryHaze },
  { ...crowdInfo, Component: Crowd },
  { ...nightRoadInfo, Component: NightRoad },
  { ...breathInfo, Component: Breath },
  ...ISF_SCENES,
];

export function getScene(id: string): SceneDef | undefined {
  return SCENES.find((s) => s.id === id);
}
