/**
 * Preset operations: take a snapshot of the running state, duplicate, rename. Each returns a new
 * preset object (presets are never changed in place) that has been through the same checks as
 * a loaded file.
 */
import type { MidiMapping, MidiMappingSet } from '../control/midi/index.ts';
import type { RouteSpec } from '../modulation/index.ts';
import type { ParamValue } from '../params/index.ts';
import { MAX_NAME, PRESET_FORMAT, PRESET_VERSION, type OscMapping, type Preset } from './format.ts';
import { isRecord } from './guard.ts';
import { freshId, randomId } from './ids.ts';
import { splitParams } from './migrate.ts';
import { ProblemList, type Problem } from './problems.ts';
import { cleanName, readPresetV2, type PresetReadOptions } from './validate.ts';

/** The running state, as the app's parts give it (plain data, no engine objects). */
export interface PresetSnapshot {
  /** The scene playing (null: the preset will not change the scene). */
  readonly sceneId: string | null;
  /** Every parameter, flat by path: `ParamBank.snapshot()`. Split by owner here; other scenes' values are left out. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** `ModulationMatrix.specs()`; routes may carry ids already. */
  readonly routes?: readonly (RouteSpec & { readonly id?: string })[];
  readonly keyframeSet?: string | null;
  /** `MidiMapper.mappings` or `MidiMapper.toJSON()`. */
  readonly midi?: readonly MidiMapping[] | MidiMappingSet;
  readonly osc?: readonly OscMapping[];
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** Archive state key ('nostalgia') or label ('nostalgia without memory'). */
  readonly archiveState?: string;
  readonly annotation?: string;
}

export interface CreateOptions extends PresetReadOptions {
  readonly name: string;
  /** Default: a new random id. */
  readonly id?: string;
}

/** A preset from the running state; problems list what could not be kept (bad values, unknown paths). */
export function createPreset(snapshot: PresetSnapshot, opts: CreateOptions): { preset: Preset; problems: Problem[] } {
  const problems = new ProblemList();
  const now = opts.now ?? Date.now();
  const sceneId = snapshot.sceneId;
  const split = splitParams(isRecord(snapshot.params) ? snapshot.params : {}, sceneId, 'params', problems);
  const midi = snapshot.midi && !Array.isArray(snapshot.midi) && isRecord(snapshot.midi) ? (snapshot.midi as MidiMappingSet).mappings : snapshot.midi;
  const time = new Date(now).toISOString();
  const raw = {
    format: PRESET_FORMAT,
    version: PRESET_VERSION,
    id: opts.id ?? (opts.makeId ?? (() => randomId('p')))(),
    name: opts.name,
    scene: sceneId === null ? null : { id: sceneId, params: split.scene },
    params: split.other,
    routes: snapshot.routes ?? [],
    keyframes: { set: snapshot.keyframeSet ?? null, blend: split.keyframes },
    midi: midi ?? [],
    osc: snapshot.osc ?? [],
    outputs: snapshot.outputs ?? {},
    archive: { state: snapshot.archiveState ?? 'none', annotation: snapshot.annotation ?? '' },
    created: time,
    modified: time,
  };
  const preset = readPresetV2(raw, { ...opts, now }, problems);
  return { preset, problems: problems.list() };
}

/** "Dusk" → "Dusk copy"; "Dusk copy" → "Dusk copy 2"; skips names in `taken`. */
export function copyName(name: string, taken: ReadonlySet<string> = new Set()): string {
  const m = /^(.*) copy(?: (\d+))?$/.exec(name);
  const base = m ? m[1] : name;
  let n = m ? (m[2] ? Number(m[2]) + 1 : 2) : 1;
  for (;;) {
    const suffix = n === 1 ? ' copy' : ` copy ${n}`;
    const candidate = `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
    n++;
  }
}

export interface DuplicateOptions {
  readonly now?: number;
  readonly makeId?: () => string;
  /** Ids and names already in use (the library, the show). */
  readonly takenIds?: ReadonlySet<string>;
  readonly takenNames?: ReadonlySet<string>;
}

/** A copy with a new id, the name "… copy" and new times; everything else equal. */
export function duplicatePreset(preset: Preset, opts: DuplicateOptions = {}): Preset {
  const taken = new Set(opts.takenIds ?? []);
  taken.add(preset.id);
  const time = new Date(opts.now ?? Date.now()).toISOString();
  const copy = JSON.parse(JSON.stringify(preset)) as Preset;
  return { ...copy, id: freshId(opts.makeId ?? (() => randomId('p')), taken), name: copyName(preset.name, opts.takenNames), created: time, modified: time };
}

export type RenameResult = { readonly ok: true; readonly preset: Preset; readonly problems: Problem[] } | { readonly ok: false; readonly problems: Problem[] };

/** The same preset under a new name (one line, cut to the maximum length); an empty name is refused. */
export function renamePreset(preset: Preset, name: unknown, opts: { readonly now?: number } = {}): RenameResult {
  const problems = new ProblemList();
  if (typeof name !== 'string' || name.trim() === '') {
    problems.add('name', typeof name === 'string' ? 'a preset needs a name' : 'expected text');
    return { ok: false, problems: problems.list() };
  }
  const clean = cleanName(name, 'name', problems);
  const now = Math.max(opts.now ?? Date.now(), Date.parse(preset.created));
  return { ok: true, preset: { ...preset, name: clean, modified: new Date(now).toISOString() }, problems: problems.list() };
}

/** The preset's routes as the modulation matrix takes them (`ModulationMatrix.setRoutes`): without ids. */
export function presetRouteSpecs(preset: Preset): RouteSpec[] {
  return preset.routes.map(({ id: _id, ...spec }) => spec);
}
