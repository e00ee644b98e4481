/** ISF scenes for the registry: every bundled shader, and the file the performer loads. */
import { defineParams, sceneScope } from '../../engine/params/index.ts';
import type { SceneDef } from '../types.ts';
import { BUNDLED_ISF } from './bundled.ts';
import { isfSceneId, isfSceneInfo } from './info.ts';
import { bundledIsfComponent, IsfUserScene } from './IsfScene.tsx';
import { ISF_USER_SCENE_ID } from './user-shader.ts';

export const ISF_SCENES: readonly SceneDef[] = [
  ...BUNDLED_ISF.filter((b) => b.shader.ok).map((b): SceneDef => ({ ...isfSceneInfo(b.fileName, b.shader, b.states), Component: bundledIsfComponent(b.fileName, isfSceneId(b.fileName)) })),
  {
    id: ISF_USER_SCENE_ID,
    title: 'ISF file…',
    description: 'An Interactive Shader Format file you load (file picker or drop it on the ISF panel); its inputs become parameters under /scene/isf-<file name>/.',
    states: ['nostalgia without memory', 'loneliness in public space', 'anticipation without outcome', 'intimacy without contact'],
    params: defineParams(sceneScope(ISF_USER_SCENE_ID), {}),
    Component: IsfUserScene,
  },
];
