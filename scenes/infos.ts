/** Pure scene descriptions (no React): parameter declarations for the engine, tools and bridge. */
import { glassForestInfo } from './glass-forest/info.ts';
import { spectralVeilInfo } from './spectral-veil/info.ts';
import type { SceneInfo } from './types.ts';

export const SCENE_INFOS: readonly SceneInfo[] = [glassForestInfo, spectralVeilInfo];
