/**
 * Older preset versions, and the chain of steps that brings them to the current one.
 *
 * Version 1: the earlier, flat shape (also what a file without `version` is read as):
 * ```jsonc
 * {
 *   "format": "glassforest-preset",        // optional
 *   "version": 1,                          // optional
 *   "id": "dusk",                          // optional
 *   "name": "Dusk",
 *   "scene": "glass-forest",               // the scene id as a plain string
 *   "params": {                            // one flat object, as ParamBank.snapshot() gives it:
 *     "/scene/glass-forest/sway": 0.3,     //   the scene's values (other scenes' are dropped),
 *     "/post/bloom": 0.4,                  //   engine values,
 *     "/keyframes/pad-x": 0.2              //   and the keyframe blend
 *   },
 *   "routes": [ { "source": "onset", "target": "/scene/glass-forest/flash", "amount": 0.8 } ],  // no ids
 *   "midi": { "version": 1, "mappings": [ ... ] },   // as the MIDI panel saves them (or a bare list)
 *   "keyframeSet": "glass-dusk",
 *   "state": "nostalgia without memory",   // the archive state by its label
 *   "note": "Have you heard this sound?",  // the annotation
 *   "savedAt": 1796306400000               // ms since 1970
 * }
 * ```
 * Version 2 (format.ts) splits the values by owner, gives routes ids, adds OSC mappings and
 * output settings, and keeps created and modified times.
 *
 * A step takes the raw object of one version and returns the raw object of the next; the
 * version 2 reader checks every field afterwards, so steps only move data and never judge it.
 * To add version 3: write `v2ToV3`, append it to MIGRATIONS and raise PRESET_VERSION.
 */
import { KEYFRAME_SCOPE } from '../keyframes/index.ts';
import { sceneScope } from '../params/index.ts';
import { PRESET_FORMAT, PRESET_VERSION } from './format.ts';
import { hasOwn, isForbiddenKey, isRecord, own } from './guard.ts';
import { at, show, type ProblemList } from './problems.ts';
import { archiveStateOf } from './validate.ts';

export type RawObject = Record<string, unknown>;
export type MigrationStep = (from: RawObject, problems: ProblemList) => RawObject;

const V1_FIELDS = ['format', 'version', 'id', 'name', 'scene', 'params', 'routes', 'midi', 'keyframeSet', 'state', 'note', 'savedAt'];

/** Values of one flat snapshot split by owner: the scene's, the keyframe blend's, everything else's. */
export interface SplitParams {
  readonly scene: RawObject;
  readonly keyframes: RawObject;
  readonly other: RawObject;
  /** Values of scenes other than `sceneId` (left out). */
  readonly otherScenes: number;
}

/**
 * Split a flat `{path: value}` object (ParamBank.snapshot(), a version 1 `params`). Forbidden
 * keys are reported and never copied; other keys are kept for the reader to judge.
 */
export function splitParams(flat: RawObject, sceneId: string | null, path: string, problems: ProblemList): SplitParams {
  const scene: RawObject = {};
  const keyframes: RawObject = {};
  const other: RawObject = {};
  let otherScenes = 0;
  const scope = sceneId === null ? null : `${sceneScope(sceneId)}/`;
  for (const k of Object.keys(flat)) {
    if (isForbiddenKey(k)) {
      problems.add(at(path, k), `the key ${show(k)} is not allowed; dropped`);
      continue;
    }
    if (scope !== null && k.startsWith(scope)) scene[k] = flat[k];
    else if (k.startsWith('/scene/')) otherScenes++;
    else if (k.startsWith(`${KEYFRAME_SCOPE}/`)) keyframes[k] = flat[k];
    else other[k] = flat[k];
  }
  return { scene, keyframes, other, otherScenes };
}

/** Version 1 → 2 (see the top of this file). */
export function v1ToV2(v1: RawObject, problems: ProblemList): RawObject {
  for (const k of Object.keys(v1)) {
    if (V1_FIELDS.includes(k)) continue;
    if (isForbiddenKey(k)) problems.add(at('', k), `the key ${show(k)} is not allowed; dropped`);
    else problems.warn(at('', k), 'unknown field of a version 1 preset; dropped');
  }
  const sceneRaw = own(v1, 'scene');
  const sceneId = typeof sceneRaw === 'string' ? sceneRaw : null;
  const paramsRaw = own(v1, 'params');
  let scene: unknown = sceneRaw === undefined ? undefined : { id: sceneRaw };
  let params: unknown = paramsRaw;
  let blend: unknown;
  if (isRecord(paramsRaw)) {
    const split = splitParams(paramsRaw, sceneId, 'params', problems);
    if (split.otherScenes > 0) {
      problems.warn('params', `${split.otherScenes} value${split.otherScenes === 1 ? '' : 's'} of scenes other than ${show(sceneId)} left out (a preset holds one scene)`);
    }
    scene = sceneRaw === undefined ? undefined : { id: sceneRaw, params: split.scene };
    params = split.other;
    blend = split.keyframes;
  }
  let routes = own(v1, 'routes');
  if (Array.isArray(routes)) {
    // Version 1 routes had no ids: number them in their order (spread copies a "__proto__" key as a plain field for the reader to refuse).
    routes = routes.map((r: unknown, i) => (isRecord(r) && !hasOwn(r, 'id') ? { id: `r${i + 1}`, ...r } : r));
  }
  let midi = own(v1, 'midi');
  if (isRecord(midi) && hasOwn(midi, 'mappings')) midi = own(midi, 'mappings');
  const stateRaw = own(v1, 'state');
  const state = archiveStateOf(stateRaw) ?? stateRaw;
  const savedAt = own(v1, 'savedAt');
  const time = typeof savedAt === 'number' && Number.isFinite(savedAt) && Math.abs(savedAt) <= 8.64e15 ? new Date(savedAt).toISOString() : savedAt;
  const keyframeSet = own(v1, 'keyframeSet');
  const note = own(v1, 'note');
  const out: RawObject = {
    format: PRESET_FORMAT,
    version: 2,
    id: own(v1, 'id'),
    name: own(v1, 'name'),
    scene,
    params,
    routes,
    keyframes: keyframeSet === undefined && blend === undefined ? undefined : { set: keyframeSet ?? null, blend },
    midi,
    osc: [],
    outputs: {},
    archive: stateRaw === undefined && note === undefined ? undefined : { state, annotation: note },
    created: time,
    modified: time,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** MIGRATIONS[v - 1] turns version v into version v + 1. */
export const MIGRATIONS: readonly MigrationStep[] = [v1ToV2];

/** Bring a raw object of `version` up to PRESET_VERSION. */
export function migrate(raw: RawObject, version: number, problems: ProblemList): RawObject {
  let o = raw;
  for (let v = version; v < PRESET_VERSION; v++) o = MIGRATIONS[v - 1](o, problems);
  return o;
}
