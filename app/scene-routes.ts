/**
 * Which routes the modulation matrix runs for the active scene: the performer's saved routes
 * for that scene, else the scene's defaults. Routes onto parameters outside every scene scope
 * (global parameters) stay across scene switches. No DOM: storage is passed in.
 */
import { describeProblems, type ModulationMatrix, type RouteSpec } from '../engine/modulation/index.ts';
import type { MessageLevel } from '../engine/messages.ts';
import type { SceneInfo } from '../scenes/types.ts';

/** The part of `localStorage` used here (tests pass a Map-backed one). */
export interface RouteStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Reporter = (level: MessageLevel, text: string) => void;

const SCENE_PREFIX = '/scene/';
/** Storage name of the routes onto global parameters (they outlive scene switches). */
const GLOBAL = '@global';

/** Storage key of a scene's routes. */
export function routesKey(sceneId: string): string {
  return `glassforest.routes.${sceneId}`;
}

/** True for a route that belongs to the active scene (its target lies in some scene's scope). */
function isSceneRoute(r: { target: string }): boolean {
  return r.target.startsWith(SCENE_PREFIX);
}

/** Saved routes of a scene, or null when none are saved or the saved text is unreadable. */
export function loadSaved(storage: RouteStorage | null, sceneId: string, reportTo: Reporter): unknown[] | null {
  let text: string | null = null;
  try {
    text = storage?.getItem(routesKey(sceneId)) ?? null;
  } catch {
    return null; // storage blocked (private mode): the defaults run
  }
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // falls through to the message below
  }
  reportTo('warning', `The saved sound routes of "${sceneId}" are unreadable; ${sceneId === GLOBAL ? 'they are dropped' : 'its default routes run instead'}.`);
  return null;
}

/**
 * Load a scene's routes into the matrix (replacing the previous scene's, keeping global ones).
 * Every route the matrix refuses is reported in one message; the others run.
 */
export function activateSceneRoutes(matrix: ModulationMatrix, scene: SceneInfo, storage: RouteStorage | null, reportTo: Reporter): void {
  // An empty matrix is a fresh page: the global routes come back from storage.
  const kept: unknown[] = matrix.count > 0 ? matrix.specs().filter((r) => !isSceneRoute(r)) : (loadSaved(storage, GLOBAL, reportTo) ?? []);
  const saved = loadSaved(storage, scene.id, reportTo);
  const own: readonly unknown[] = saved ?? scene.defaultRoutes ?? [];
  const results = matrix.setRoutes([...kept, ...own]);
  const lines: string[] = [];
  for (let i = kept.length; i < results.length; i++) {
    const r = results[i];
    if (!r.ok) lines.push(...describeProblems(i - kept.length + 1, own[i - kept.length], r.problems));
  }
  if (lines.length > 0) {
    const from = saved ? 'saved' : 'default';
    reportTo('warning', `Scene "${scene.title}": ${lines.length} ${from} sound route problem${lines.length === 1 ? '' : 's'}, skipped: ${lines.join('; ')}`);
  }
}

/** Save the active scene's routes (the performer's edits) so a reload restores them. */
export function saveSceneRoutes(matrix: ModulationMatrix, sceneId: string, storage: RouteStorage | null, reportTo: Reporter): void {
  if (!storage) return;
  try {
    const all: RouteSpec[] = matrix.specs();
    // Only this scene's own routes: during a switch the incoming scene's routes run beside them.
    storage.setItem(routesKey(sceneId), JSON.stringify(all.filter((r) => isRouteOf(r, sceneId))));
    storage.setItem(routesKey(GLOBAL), JSON.stringify(all.filter((r) => !isSceneRoute(r))));
  } catch (err) {
    reportTo('warning', `Sound routes could not be saved (${err instanceof Error ? err.message : String(err)}); they last until the page reloads.`);
  }
}

/** Forget a scene's saved routes and run its defaults again. */
export function resetSceneRoutes(matrix: ModulationMatrix, scene: SceneInfo, storage: RouteStorage | null, reportTo: Reporter): void {
  try {
    storage?.removeItem(routesKey(scene.id));
  } catch {
    // storage blocked: nothing was saved either
  }
  activateSceneRoutes(matrix, scene, storage, reportTo);
}

/** True for a route onto one scene's own parameters. */
function isRouteOf(r: { target: string }, sceneId: string): boolean {
  return r.target.startsWith(`${SCENE_PREFIX}${sceneId}/`);
}

/**
 * During a scene switch both scenes' routes run: the global routes and the outgoing scene's
 * routes stay as they are, and the incoming scene's saved (or default) routes join them.
 */
export function blendSceneRoutes(matrix: ModulationMatrix, outgoingId: string, incoming: SceneInfo, storage: RouteStorage | null, reportTo: Reporter): void {
  const kept: unknown[] = matrix.specs().filter((r) => !isSceneRoute(r) || isRouteOf(r, outgoingId));
  const saved = loadSaved(storage, incoming.id, reportTo);
  const own: readonly unknown[] = saved ?? incoming.defaultRoutes ?? [];
  const results = matrix.setRoutes([...kept, ...own]);
  const lines: string[] = [];
  for (let i = kept.length; i < results.length; i++) {
    const r = results[i];
    if (!r.ok) lines.push(...describeProblems(i - kept.length + 1, own[i - kept.length], r.problems));
  }
  if (lines.length > 0) reportTo('warning', `Scene "${incoming.title}": ${lines.length} sound route problem${lines.length === 1 ? '' : 's'}, skipped: ${lines.join('; ')}`);
}

/** After a switch: only the global routes and the routes of `sceneId` keep running. */
export function keepOnlySceneRoutes(matrix: ModulationMatrix, sceneId: string): void {
  const all = matrix.specs();
  const kept = all.filter((r) => !isSceneRoute(r) || isRouteOf(r, sceneId));
  if (kept.length !== all.length) matrix.setRoutes(kept);
}
