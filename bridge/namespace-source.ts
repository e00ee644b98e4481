/** The declarations the bridge serves before an engine page connects: the same pure ones the engine registers. */
import type { ResolvedParam } from '../engine/params/index.ts';
import { SCENE_INFOS } from '../scenes/infos.ts';

/** Parameters in the order the engine's bank registers them, and the scene ids in menu order. */
export function pureDeclarations(): { params: ResolvedParam[]; sceneIds: string[] } {
  const params: ResolvedParam[] = [];
  for (const s of SCENE_INFOS) params.push(...s.params.params);
  return { params, sceneIds: SCENE_INFOS.map((s) => s.id) };
}
