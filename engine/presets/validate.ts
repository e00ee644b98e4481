/**
 * The version 2 reader: every field checked, what is valid kept, the rest dropped or corrected
 * and reported by path. Uses the engine's own validators for routes (`checkRoute`) and MIDI
 * mappings (`validateMappings`). Format, version and migration are handled before (read.ts).
 */
import { controlKey, describeControl, validateMappings, type MidiMapping } from '../control/midi/index.ts';
import { MAX_ALIAS_ADDRESS, OSC_ALIAS_ADDRESS } from '../control/osc/aliases.ts';
import { ARCHIVE_STATE_LABELS, ARCHIVE_STATES, KEYFRAME_PARAMS, KEYFRAME_SCOPE } from '../keyframes/index.ts';
import { checkRoute } from '../modulation/index.ts';
import { sceneScope } from '../params/index.ts';
import {
  MAX_ANNOTATION,
  MAX_MAPPINGS,
  MAX_NAME,
  MAX_PARAMS,
  MAX_ROUTES,
  PRESET_FIELDS,
  PRESET_FORMAT,
  PRESET_VERSION,
  SET_NAME_PATTERN,
  type ArchiveStateKey,
  type OscMapping,
  type Preset,
  type PresetRoute,
} from './format.ts';
import { hasOwn, isForbiddenKey, isRecord, own, plainCopy } from './guard.ts';
import { freshId, isId, randomId } from './ids.ts';
import { at, kindOf, show, type Problem, type ProblemList } from './problems.ts';
import { checkParamRecord, PARAM_PATH, paramCatalogue, type ParamCatalogue } from './values.ts';

/**
 * The hook for output and projection-mapping settings: given the preset's `outputs` (already a
 * plain JSON object without forbidden keys), return what to keep and the problems, paths relative
 * to `outputs`. The projection-mapping module supplies one; until then any object is kept.
 */
export type OutputsValidator = (value: Readonly<Record<string, unknown>>) => { readonly value: Record<string, unknown>; readonly problems: readonly Problem[] };

export interface PresetReadOptions {
  /** Parameter declarations to check values, route targets and mapping targets against. */
  readonly catalogue?: ParamCatalogue;
  /** Scene ids the engine has; a preset for another scene is kept with a warning. */
  readonly sceneIds?: readonly string[];
  /** Checks `outputs` (see OutputsValidator). */
  readonly validateOutputs?: OutputsValidator;
  /** Time (ms since 1970) for missing timestamps. Default: now. */
  readonly now?: number;
  /** Id maker for presets without a usable id. Default: random `p-…` ids. */
  readonly makeId?: () => string;
}

const SCENE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SCENE_FIELDS = ['id', 'params'];
const KEYFRAME_FIELDS = ['set', 'blend'];
const ARCHIVE_FIELDS = ['state', 'annotation'];
const OSC_FIELDS = ['address', 'param', 'normalized'];
/** Fields of a MIDI mapping (the ones `validateMappings` reads). */
const MIDI_FIELDS: readonly (keyof MidiMapping)[] = ['control', 'param', 'port', 'mode', 'min', 'max', 'curve', 'invert', 'takeover', 'step', 'feedback', 'onValue', 'offValue'];
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

let keyframeCatalogue: ParamCatalogue | null = null;
function keyframeParams(): ParamCatalogue {
  keyframeCatalogue ??= paramCatalogue(KEYFRAME_PARAMS);
  return keyframeCatalogue;
}

function unknownFields(o: Record<string, unknown>, known: readonly string[], path: string, problems: ProblemList): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    if (isForbiddenKey(k)) problems.add(at(path, k), `the key ${show(k)} is not allowed; dropped`);
    else problems.warn(at(path, k), 'unknown field; dropped');
  }
}

/** Text field: a string without control characters (newlines kept when `multiline`), cut to `max`. */
export function cleanText(raw: unknown, path: string, problems: ProblemList, max: number, multiline: boolean): string | undefined {
  if (typeof raw !== 'string') {
    problems.add(path, `expected text, got ${kindOf(raw)} ${show(raw)}`);
    return undefined;
  }
  let s = raw.replace(CONTROL_CHARS, '');
  if (!multiline) s = s.replace(/\s*[\r\n\t]+\s*/g, ' ').trim();
  if (s !== (multiline ? raw : raw.trim())) problems.warn(path, multiline ? 'control characters removed' : 'control characters and line breaks removed');
  if (s.length > max) {
    problems.warn(path, `longer than ${max} characters; cut`);
    s = s.slice(0, max);
  }
  return s;
}

/** The preset's name: text, one line, 1..MAX_NAME characters. */
export function cleanName(raw: unknown, path: string, problems: ProblemList): string {
  const fallback = 'Untitled preset';
  if (raw === undefined) {
    problems.warn(path, `missing; named ${show(fallback)}`);
    return fallback;
  }
  if (typeof raw !== 'string') {
    problems.add(path, `expected text, got ${kindOf(raw)} ${show(raw)}; named ${show(fallback)}`);
    return fallback;
  }
  const s = cleanText(raw, path, problems, MAX_NAME, false) as string;
  if (s === '') {
    problems.warn(path, `empty; named ${show(fallback)}`);
    return fallback;
  }
  return s;
}

function timestamp(raw: unknown, path: string, problems: ProblemList, fallback: number): string {
  if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(raw)) {
    const t = Date.parse(raw);
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  if (typeof raw === 'number' && Number.isFinite(raw) && Math.abs(raw) <= 8.64e15) {
    problems.warn(path, `milliseconds ${raw} read as ${new Date(raw).toISOString()}`);
    return new Date(raw).toISOString();
  }
  const now = new Date(fallback).toISOString();
  problems.warn(path, raw === undefined ? `missing; set to ${now}` : `expected an ISO 8601 time like "2026-12-03T14:00:00Z", got ${show(raw)}; set to ${now}`);
  return now;
}

/** Strip `.r|.g|.b` from a route target. */
function targetPath(t: string): string {
  return /\.[rgb]$/.test(t) ? t.slice(0, -2) : t;
}

function checkRoutes(raw: unknown, path: string, problems: ProblemList, catalogue: ParamCatalogue | undefined): PresetRoute[] {
  const out: PresetRoute[] = [];
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) {
    problems.add(path, `expected a list of routes, got ${kindOf(raw)} ${show(raw)}`);
    return out;
  }
  if (raw.length > MAX_ROUTES) problems.add(path, `more than ${MAX_ROUTES} routes; the rest are dropped`);
  const taken = new Set<string>();
  for (const r of raw) if (isRecord(r) && isId(own(r, 'id'))) taken.add(own(r, 'id') as string);
  const seen = new Set<string>();
  let next = 1;
  const nextId = (): string => {
    while (taken.has(`r${next}`)) next++;
    taken.add(`r${next}`);
    return `r${next}`;
  };
  for (let i = 0; i < raw.length && i < MAX_ROUTES; i++) {
    const where = at(path, i);
    const r: unknown = raw[i];
    if (!isRecord(r)) {
      problems.add(where, `expected a route object like {source, target, amount}, got ${kindOf(r)} ${show(r)}; dropped`);
      continue;
    }
    const spec: Record<string, unknown> = {};
    for (const k of Object.keys(r)) {
      if (k === 'id') continue;
      if (isForbiddenKey(k)) problems.add(at(where, k), `the key ${show(k)} is not allowed; dropped`);
      else spec[k] = r[k];
    }
    const check = checkRoute(spec);
    if (!check.ok) {
      for (const p of check.problems) {
        const msg = p.field !== '' && p.message.startsWith(`${p.field} `) ? p.message.slice(p.field.length + 1) : p.message;
        problems.add(p.field === '' ? where : at(where, p.field), `${msg} (route dropped)`);
      }
      continue;
    }
    for (const w of check.warnings) problems.warn(w.field === '' ? where : at(where, w.field), w.message);
    const route = check.route;
    if (catalogue) {
      const decl = catalogue.get(targetPath(route.target));
      if (decl === undefined) {
        problems.add(at(where, 'target'), `unknown parameter ${show(route.target)} (route dropped)`);
        continue;
      }
      if (route.target !== targetPath(route.target) && decl.type !== 'color') {
        problems.add(at(where, 'target'), `${show(route.target)}: only colours have .r, .g and .b components (route dropped)`);
        continue;
      }
      if (decl.type === 'trigger') {
        problems.add(at(where, 'target'), `${show(route.target)} is a trigger; routes drive continuous values (route dropped)`);
        continue;
      }
    }
    let id = own(r, 'id');
    if (!isId(id) || seen.has(id)) {
      const given = id;
      id = nextId();
      if (given !== undefined) problems.warn(at(where, 'id'), `${isId(given) ? `duplicate id ${show(given)}` : `${show(given)} is not an id (letters, digits, _ and -, up to 64)`}; given ${show(id)}`);
    }
    seen.add(id as string);
    // steps means something only for curve 'steps': left out otherwise, so a re-read raises no warning.
    const { steps, ...rest } = route;
    out.push(route.curve === 'steps' ? { id: id as string, ...rest, steps } : { id: id as string, ...rest });
  }
  return out;
}

function checkMidi(raw: unknown, path: string, problems: ProblemList, catalogue: ParamCatalogue | undefined): MidiMapping[] {
  const out: MidiMapping[] = [];
  if (raw === undefined) return out;
  let list: unknown = raw;
  if (isRecord(raw) && hasOwn(raw, 'mappings')) {
    problems.warn(path, 'a MIDI mapping set {version, mappings}; its mappings are read');
    list = own(raw, 'mappings');
  }
  if (!Array.isArray(list)) {
    problems.add(path, `expected a list of MIDI mappings, got ${kindOf(list)} ${show(list)}`);
    return out;
  }
  if (list.length > MAX_MAPPINGS) problems.add(path, `more than ${MAX_MAPPINGS} mappings; the rest are dropped`);
  const byKey = new Map<string, number>();
  const origin: number[] = [];
  for (let i = 0; i < list.length && i < MAX_MAPPINGS; i++) {
    const where = at(path, i);
    const m: unknown = list[i];
    if (isRecord(m)) unknownFields(m, MIDI_FIELDS, where, problems);
    const r = validateMappings([m]);
    for (const p of r.problems) {
      const text = p.replace(/^mapping 0: /, '');
      problems.add(where, text, r.mappings.length === 0 || /dropped$/.test(text) ? 'error' : 'warning');
    }
    if (r.mappings.length === 0) continue;
    const mapping = r.mappings[0];
    if (catalogue && !catalogue.has(mapping.param)) {
      problems.add(at(where, 'param'), `unknown parameter ${show(mapping.param)}; dropped`);
      continue;
    }
    // One control drives one parameter (as MidiMapper and validateMappings keep it): the later wins.
    const key = `${mapping.port ?? ''}|${controlKey(mapping.control)}`;
    const prev = byKey.get(key);
    if (prev !== undefined) {
      problems.warn(where, `the same control as ${at(path, origin[prev])} (${describeControl(mapping.control)}); the later one is kept`);
      out[prev] = mapping;
      origin[prev] = i;
      continue;
    }
    byKey.set(key, out.length);
    origin.push(i);
    out.push(mapping);
  }
  return out;
}

function checkOsc(raw: unknown, path: string, problems: ProblemList, catalogue: ParamCatalogue | undefined): OscMapping[] {
  const out: OscMapping[] = [];
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) {
    problems.add(path, `expected a list of OSC mappings, got ${kindOf(raw)} ${show(raw)}`);
    return out;
  }
  if (raw.length > MAX_MAPPINGS) problems.add(path, `more than ${MAX_MAPPINGS} mappings; the rest are dropped`);
  const byAddress = new Map<string, number>();
  for (let i = 0; i < raw.length && i < MAX_MAPPINGS; i++) {
    const where = at(path, i);
    const m: unknown = raw[i];
    if (!isRecord(m)) {
      problems.add(where, `expected an object like {address, param}, got ${kindOf(m)} ${show(m)}; dropped`);
      continue;
    }
    unknownFields(m, OSC_FIELDS, where, problems);
    const address = own(m, 'address');
    const param = own(m, 'param');
    if (typeof address !== 'string' || address.length > MAX_ALIAS_ADDRESS || !OSC_ALIAS_ADDRESS.test(address)) {
      problems.add(at(where, 'address'), `expected an OSC address like "/fader/1" (no spaces or # * , ? [ ] { }), got ${show(address)}; dropped`);
      continue;
    }
    if (typeof param !== 'string' || !PARAM_PATH.test(param)) {
      problems.add(at(where, 'param'), `expected a parameter path like "/post/bloom", got ${show(param)}; dropped`);
      continue;
    }
    if (catalogue && !catalogue.has(param)) {
      problems.add(at(where, 'param'), `unknown parameter ${show(param)}; dropped`);
      continue;
    }
    let normalized = false;
    const n = own(m, 'normalized');
    if (n !== undefined) {
      if (typeof n === 'boolean') normalized = n;
      else problems.warn(at(where, 'normalized'), `expected true or false, got ${show(n)}; false is used`);
    }
    const mapping: OscMapping = { address, param, normalized };
    const prev = byAddress.get(address);
    if (prev !== undefined) {
      problems.warn(where, `the same address as an earlier mapping (${show(address)}); the later one is kept`);
      out[prev] = mapping;
      continue;
    }
    byAddress.set(address, out.length);
    out.push(mapping);
  }
  return out;
}

function checkOutputs(raw: unknown, path: string, problems: ProblemList, hook: OutputsValidator | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    problems.add(path, `expected an object of output settings, got ${kindOf(raw)} ${show(raw)}; dropped`);
    return {};
  }
  const clean = plainCopy(raw, path, problems) as Record<string, unknown>;
  if (!hook) return clean;
  try {
    const r = hook(clean);
    problems.addAll(path, r.problems);
    return isRecord(r.value) ? r.value : {};
  } catch (err) {
    problems.add(path, `the output settings could not be checked (${err instanceof Error ? err.message : String(err)}); dropped`);
    return {};
  }
}

const LABEL_TO_STATE = new Map<string, ArchiveStateKey>(Object.entries(ARCHIVE_STATE_LABELS).map(([k, v]) => [v, k as ArchiveStateKey]));

/** An archive state key from a key or its label ('nostalgia without memory'); undefined when neither. */
export function archiveStateOf(raw: unknown): ArchiveStateKey | undefined {
  if (typeof raw !== 'string') return undefined;
  if ((ARCHIVE_STATES as readonly string[]).includes(raw)) return raw as ArchiveStateKey;
  return LABEL_TO_STATE.get(raw.trim().toLowerCase());
}

function checkArchive(raw: unknown, path: string, problems: ProblemList): { state: ArchiveStateKey; annotation: string } {
  const out = { state: 'none' as ArchiveStateKey, annotation: '' };
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    problems.add(path, `expected {state, annotation}, got ${kindOf(raw)} ${show(raw)}`);
    return out;
  }
  unknownFields(raw, ARCHIVE_FIELDS, path, problems);
  const s = own(raw, 'state');
  if (s !== undefined && s !== null) {
    const key = archiveStateOf(s);
    if (key === undefined) problems.add(at(path, 'state'), `expected one of ${ARCHIVE_STATES.join(', ')}, got ${show(s)}; none is used`);
    else {
      if (key !== s) problems.warn(at(path, 'state'), `${show(s)} read as ${show(key)}`);
      out.state = key;
    }
  }
  const a = own(raw, 'annotation');
  if (a !== undefined) out.annotation = cleanText(a, at(path, 'annotation'), problems, MAX_ANNOTATION, true) ?? '';
  return out;
}

/** Read a version 2 preset object (format and version already checked). */
export function readPresetV2(o: Record<string, unknown>, opts: PresetReadOptions, problems: ProblemList): Preset {
  unknownFields(o, PRESET_FIELDS, '', problems);
  const now = opts.now ?? Date.now();
  const cat = opts.catalogue;

  let id = own(o, 'id');
  if (!isId(id)) {
    const fresh = freshId(opts.makeId ?? (() => randomId('p')), new Set());
    problems.warn('id', `${id === undefined ? 'missing' : `${show(id)} is not an id (letters, digits, _ and -, up to 64)`}; given ${show(fresh)}`);
    id = fresh;
  }
  const name = cleanName(own(o, 'name'), 'name', problems);

  // Scene: its id and its own parameters. A preset without a usable scene leaves the scene as it is.
  let sceneId: string | null = null;
  let sceneParams = {};
  const scene = own(o, 'scene');
  if (scene === undefined || scene === null) {
    if (scene === undefined) problems.warn('scene', 'missing; the preset keeps whatever scene is playing');
  } else if (!isRecord(scene)) {
    problems.add('scene', `expected {id, params}, got ${kindOf(scene)} ${show(scene)}`);
  } else {
    unknownFields(scene, SCENE_FIELDS, 'scene', problems);
    const sid = own(scene, 'id');
    if (typeof sid !== 'string' || !SCENE_ID.test(sid)) problems.add('scene.id', `expected a scene id like "glass-forest", got ${show(sid)}`);
    else {
      sceneId = sid;
      if (opts.sceneIds && !opts.sceneIds.includes(sid)) problems.warn('scene.id', `no scene ${show(sid)} in this engine; kept (its values are checked as far as they are known)`);
    }
    const scope = sceneId === null ? null : `${sceneScope(sceneId)}/`;
    sceneParams = checkParamRecord(own(scene, 'params'), 'scene.params', problems, {
      catalogue: cat,
      maxEntries: MAX_PARAMS,
      belongs: (p) => (scope === null ? 'the scene id is not usable' : p.startsWith(scope) ? null : `not a parameter of scene ${show(sceneId)} (expected ${scope}...)`),
    });
  }

  const params = checkParamRecord(own(o, 'params'), 'params', problems, {
    catalogue: cat,
    maxEntries: MAX_PARAMS,
    belongs: (p) => (p.startsWith('/scene/') ? 'scene parameters belong in scene.params' : p.startsWith(`${KEYFRAME_SCOPE}/`) ? 'keyframe parameters belong in keyframes.blend' : null),
  });

  let set: string | null = null;
  let blend = {};
  const kf = own(o, 'keyframes');
  if (kf !== undefined && kf !== null) {
    if (!isRecord(kf)) problems.add('keyframes', `expected {set, blend}, got ${kindOf(kf)} ${show(kf)}`);
    else {
      unknownFields(kf, KEYFRAME_FIELDS, 'keyframes', problems);
      const s = own(kf, 'set');
      if (s !== undefined && s !== null) {
        if (typeof s === 'string' && SET_NAME_PATTERN.test(s)) set = s;
        else problems.add('keyframes.set', `expected a keyframe set name like "glass-dusk" (lower-case letters, digits, . _ -), got ${show(s)}`);
      }
      blend = checkParamRecord(own(kf, 'blend'), 'keyframes.blend', problems, {
        catalogue: cat ?? keyframeParams(),
        maxEntries: MAX_PARAMS,
        belongs: (p) => (p.startsWith(`${KEYFRAME_SCOPE}/`) ? null : `not a keyframe parameter (expected ${KEYFRAME_SCOPE}/...)`),
      });
    }
  }

  const created = timestamp(own(o, 'created'), 'created', problems, now);
  let modified = timestamp(own(o, 'modified'), 'modified', problems, Date.parse(created) > now ? Date.parse(created) : now);
  if (Date.parse(modified) < Date.parse(created)) {
    problems.warn('modified', `earlier than created (${created}); set to it`);
    modified = created;
  }

  return {
    format: PRESET_FORMAT,
    version: PRESET_VERSION,
    id: id as string,
    name,
    scene: { id: sceneId, params: sceneParams },
    params,
    routes: checkRoutes(own(o, 'routes'), 'routes', problems, cat),
    keyframes: { set, blend },
    midi: checkMidi(own(o, 'midi'), 'midi', problems, cat),
    osc: checkOsc(own(o, 'osc'), 'osc', problems, cat),
    outputs: checkOutputs(own(o, 'outputs'), 'outputs', problems, opts.validateOutputs),
    archive: checkArchive(own(o, 'archive'), 'archive', problems),
    created,
    modified,
  };
}
