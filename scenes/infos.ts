/** Pure scene descriptions (no React): parameter declarations for the engine, tools and bridge. */
import { glassForestInfo } from './glass-forest/info.ts';
import { spectralVeilInfo } from './spectral-veil/info.ts';
import { memoryHazeInfo } from './memory-haze/info.ts';
import { crowdInfo } from './crowd/info.ts';
import { nightRoadInfo } from './night-road/info.ts';
import { breathInfo } from './breath/info.ts';
import type { SceneInfo } from './types.ts';

export const SCENE_INFOS: readonly SceneInfo[] = [glassForestInfo, spectralVeilInfo, memoryHazeInfo, crowdInfo, nightRoadInfo, breathInfo];
