/**
 * The working state of a show (pure, no DOM): what the performer has on stage right now, as it is
 * saved between page loads. It is stored as presets (`engine/presets`): the first holds the
 * scene playing with its values, every other parameter (`/post`, `/engine/...`), the keyframe
 * set and blend; one more preset per other scene holds that scene's values, so every scene comes
 * back as the performer left it. Routes and MIDI mappings are not here: they have their own
 * stores (`app/scene-routes.ts`, `app/control/midi-input.ts`).
 *
 * ```jsonc
 * { "format": "glassforest-working", "version": 1, "saved": "2026-12-03T15:00:00.000Z",
 *   "preset": { ...preset: scene playing, /post, /engine, keyframes },
 *   "scenes": [ { ...preset: scene "spectral-veil" and its values }, ... ] }
 * ```
 *
 * Reading never throws: corrupt text, a record of another format or version give `ok: false`
 * with the reason; otherwise every usable value comes back and the rest is listed by field.
 */
import { createPreset, formatProblem, parsePreset, type Preset, type Problem } from '../../engine/presets/index.ts';
import type { ParamValue } from '../../engine/params/index.ts';

export const WORKING_FORMAT = 'glassforest-working';
export const WORKING_VERSION = 1;
/** Most scenes kept beside the one playing (a hostile record must not take long to read). */
export const MAX_WORKING_SCENES = 256;
/** Largest record read (text length): far above a real working state. */
export const MAX_WORKING_CHARS = 16 << 20;

const SCENE_PREFIX = '/scene/';

/** The state to save, as the page's parts give it. */
export interface WorkingState {
  /** The scene playing (or coming in), '' or null for none yet. */
  readonly sceneId: string | null;
  /** Every parameter, flat by path (`ParamBank.snapshot()` plus values waiting for their parameter). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The keyframe set on screen (or loading), '' or null for none. */
  readonly keyframeSet: string | null;
}

export type WorkingRead =
  | { readonly ok: true; readonly state: WorkingState; readonly saved: string | null; readonly problems: string[] }
  | { readonly ok: false; readonly reason: string };

/** The scene id of a `/scene/<id>/<name>` path, or null. */
function sceneOf(path: string): string | null {
  if (!path.startsWith(SCENE_PREFIX)) return null;
  const end = path.indexOf('/', SCENE_PREFIX.length);
  return end < 0 ? null : path.slice(SCENE_PREFIX.length, end);
}

/** The working state as the stored record (a plain object, ready for JSON), and what could not be kept. */
export function workingRecord(state: WorkingState, now: number = Date.now()): { record: Record<string, unknown>; problems: Problem[] } {
  const sceneId = state.sceneId || null;
  const problems: Problem[] = [];
  const opts = { name: 'Working state', id: 'working', now };
  const main = createPreset({ sceneId, params: state.params, keyframeSet: state.keyframeSet || null }, opts);
  problems.push(...main.problems);
  // Other scenes: one preset each, holding that scene's values only.
  const byScene = new Map<string, Record<string, ParamValue>>();
  for (const path of Object.keys(state.params)) {
    const id = sceneOf(path);
    if (id === null || id === sceneId) continue;
    let values = byScene.get(id);
    if (!values) byScene.set(id, (values = {}));
    values[path] = state.params[path];
  }
  const scenes: Preset[] = [];
  for (const [id, params] of byScene) {
    const r = createPreset({ sceneId: id, params }, { name: `Working state: ${id}`, id: `working-${scenes.length + 1}`, now });
    problems.push(...r.problems.map((p) => ({ ...p, path: `scenes[${scenes.length}].${p.path}` })));
    scenes.push(r.preset);
  }
  return { record: { format: WORKING_FORMAT, version: WORKING_VERSION, saved: new Date(now).toISOString(), preset: main.preset, scenes }, problems };
}

/** The working state as JSON text, as it is written to storage. */
export function serializeWorkingState(state: WorkingState, now: number = Date.now()): string {
  return JSON.stringify(workingRecord(state, now).record);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

/**
 * Read a stored record: JSON text, or an already parsed object. Values are checked structurally
 * (the parameter bank checks them against their declarations when they are applied).
 */
export function readWorkingState(input: unknown): WorkingRead {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_WORKING_CHARS) return { ok: false, reason: `the record is too large (${input.length} characters)` };
    try {
      value = JSON.parse(input);
    } catch (err) {
      return { ok: false, reason: `the record is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: `expected an object, got ${kind(value)}` };
  const o = value as Record<string, unknown>;
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  if (own('format') !== WORKING_FORMAT) return { ok: false, reason: `expected format "${WORKING_FORMAT}", got ${JSON.stringify(own('format')) ?? 'none'}` };
  const version = own('version');
  if (version !== WORKING_VERSION) return { ok: false, reason: `version ${JSON.stringify(version) ?? 'missing'} is not one this Glassforest reads (${WORKING_VERSION})` };

  const problems: string[] = [];
  const main = parsePreset(own('preset'));
  if (!main.ok) return { ok: false, reason: `preset: ${main.problems.map(formatProblem).join('; ')}` };
  for (const p of main.problems) problems.push(`preset.${formatProblem(p)}`);
  const params: Record<string, ParamValue> = {};
  const take = (rec: Readonly<Record<string, ParamValue>>): void => {
    for (const k of Object.keys(rec)) params[k] = rec[k];
  };
  const p = main.preset;

  const scenes = own('scenes');
  if (scenes !== undefined) {
    if (!Array.isArray(scenes)) problems.push(`scenes: expected a list, got ${kind(scenes)}; other scenes keep their defaults`);
    else {
      if (scenes.length > MAX_WORKING_SCENES) problems.push(`scenes: ${scenes.length} entries, only the first ${MAX_WORKING_SCENES} read`);
      const n = Math.min(scenes.length, MAX_WORKING_SCENES);
      for (let i = 0; i < n; i++) {
        const r = parsePreset(scenes[i]);
        if (!r.ok) {
          problems.push(...r.problems.map((q) => `scenes[${i}].${formatProblem(q)}`));
          continue;
        }
        for (const q of r.problems) problems.push(`scenes[${i}].${formatProblem(q)}`);
        const sid = r.preset.scene.id;
        // The scene playing is the main preset's; a duplicate here must not override it.
        if (sid !== null && sid !== p.scene.id) take(r.preset.scene.params);
      }
    }
  }
  take(p.params);
  take(p.keyframes.blend);
  take(p.scene.params);
  const saved = typeof own('saved') === 'string' ? (own('saved') as string) : null;
  return { ok: true, state: { sceneId: p.scene.id, params, keyframeSet: p.keyframes.set }, saved, problems };
}

/**
 * Whether the working state is saved and restored for a page opened with `search`: not in
 * fixture mode (repeatable pictures) and not with `?fresh` (start from defaults, leave the saved
 * state as it is).
 */
export function workingStateEnabled(search: string, fixtureMode: boolean): boolean {
  if (fixtureMode) return false;
  const q = new URLSearchParams(search);
  if (q.has('fixture')) return false;
  return !(q.has('fresh') && q.get('fresh') !== '0');
}

/**
 * Which parts of a restore the URL leaves to the saved state: `?scene=<a scene in sceneIds>` and
 * `?keyframes=` (a set or `none`) win over it.
 */
export function restoreScope(search: string, sceneIds: readonly string[]): { scene: boolean; keyframes: boolean } {
  const q = new URLSearchParams(search);
  const scene = q.get('scene');
  return { scene: !(scene && sceneIds.includes(scene)), keyframes: !q.has('keyframes') };
}
