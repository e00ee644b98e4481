/** The scene contract shared by the registry, the UI and (later) presets and the bridge. */
import type { ComponentType } from 'react';
import type { EngineHost } from '../app/engine-host.ts';
import type { ParamDecls } from '../engine/params/index.ts';
import type { RouteSpec } from '../engine/modulation/index.ts';

/** States of the archive (see the project's origin): presets and scenes can carry them. */
export type ArchiveState =
  | 'nostalgia without memory'
  | 'loneliness in public space'
  | 'anticipation without outcome'
  | 'intimacy without contact';

/** Pure description of a scene: no React, so Node tools can read it. */
export interface SceneInfo {
  id: string;
  title: string;
  description: string;
  states: readonly ArchiveState[];
  params: ParamDecls;
  /** The default sound mapping: routes the modulation matrix runs while the scene is active (the performer can change them). */
  defaultRoutes?: readonly RouteSpec[];
}

export interface SceneProps {
  host: EngineHost;
}

export interface SceneDef extends SceneInfo {
  Component: ComponentType<SceneProps>;
  /**
   * Builds the scene's pure, reusable data (grown geometry, tables) ahead of its first mount.
   * The output calls it in idle time after start-up, so a switch to the scene does not do that
   * work inside a frame. Must be idempotent and cheap on the second call.
   */
  warm?: () => void;
}
