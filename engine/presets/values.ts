/**
 * Parameter values in a preset: checked by path against the parameter declarations when a
 * catalogue is given (unknown path: dropped; out of range: clamped), structurally otherwise.
 * The loose parsing is the parameter bank's own (`parseNumber`, `parseEnum`...).
 */
import { parseBoolean, parseColor, parseEnum, parseNumber, type ParamDecls, type ParamValue, type ResolvedParam } from '../params/index.ts';
import { isForbiddenKey, isRecord } from './guard.ts';
import { at, kindOf, show, type ProblemList } from './problems.ts';

/** What a preset needs to know of a parameter: `ResolvedParam` and `ParamDescription` both fit. */
export type CatalogueEntry = Pick<ResolvedParam, 'path' | 'type' | 'min' | 'max' | 'options'>;

/** The parameters the engine knows, by path. */
export type ParamCatalogue = ReadonlyMap<string, CatalogueEntry>;

/**
 * A catalogue from declarations (`glassForestParams`, `POST_PARAMS`, every `SceneInfo.params`...)
 * or described parameters (`bank.describe()`).
 */
export function paramCatalogue(...sources: readonly (ParamDecls | readonly CatalogueEntry[])[]): ParamCatalogue {
  const map = new Map<string, CatalogueEntry>();
  for (const s of sources) {
    const list: readonly CatalogueEntry[] = 'params' in s && !Array.isArray(s) ? (s as ParamDecls).params : (s as readonly CatalogueEntry[]);
    for (const p of list) map.set(p.path, p);
  }
  return map;
}

/** An OSC-style parameter path: `/segment/segment`, segments of letters, digits, `_` and `-`. */
export const PARAM_PATH = /^(\/[A-Za-z0-9_-]+){1,8}$/;
const MAX_TEXT_VALUE = 200;

function fmt(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}

/** One value checked against its declaration; undefined when it cannot be used (problem added). */
export function checkParamValue(raw: unknown, decl: CatalogueEntry | undefined, path: string, problems: ProblemList): ParamValue | undefined {
  if (decl === undefined) return checkLoose(raw, path, problems);
  switch (decl.type) {
    case 'trigger':
      problems.warn(path, 'a trigger is momentary and is not stored in presets; dropped');
      return undefined;
    case 'number': {
      const p = parseNumber(raw);
      if (!p.ok) {
        problems.add(path, typeof raw === 'number' || typeof raw === 'string' ? p.message : `expected a number, got ${show(raw)}`);
        return undefined;
      }
      if (typeof raw !== 'number') problems.warn(path, `${show(raw)} read as the number ${fmt(p.value)}`);
      if (p.value < decl.min || p.value > decl.max) {
        const c = p.value < decl.min ? decl.min : decl.max;
        problems.warn(path, `${fmt(p.value)} is outside the range ${fmt(decl.min)}..${fmt(decl.max)}; clamped to ${fmt(c)}`);
        return c;
      }
      return p.value;
    }
    case 'boolean': {
      const p = parseBoolean(raw);
      if (!p.ok) {
        problems.add(path, p.message);
        return undefined;
      }
      if (typeof raw !== 'boolean') problems.warn(path, `${show(raw)} read as ${p.value}`);
      return p.value;
    }
    case 'enum': {
      const p = parseEnum(raw, decl.options);
      if (!p.ok) {
        problems.add(path, p.message);
        return undefined;
      }
      if (p.note) problems.warn(path, p.note);
      return decl.options[p.value];
    }
    case 'color': {
      const p = parseColor(raw);
      if (!p.ok) {
        problems.add(path, p.message);
        return undefined;
      }
      if (p.note) problems.warn(path, p.note);
      return [p.value[0], p.value[1], p.value[2]];
    }
    default:
      problems.add(path, `parameter type ${show((decl as { type: unknown }).type)} is not known; dropped`);
      return undefined;
  }
}

/** Without declarations: any native value shape (number, boolean, enum name, colour). */
function checkLoose(raw: unknown, path: string, problems: ProblemList): ParamValue | undefined {
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return raw;
    problems.add(path, `expected a finite number, got ${String(raw)}`);
    return undefined;
  }
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    if (raw.length <= MAX_TEXT_VALUE) return raw;
    problems.add(path, `text values (option names, colours) are at most ${MAX_TEXT_VALUE} characters; dropped`);
    return undefined;
  }
  if (Array.isArray(raw) && raw.length === 3 && raw.every((c) => typeof c === 'number' && Number.isFinite(c))) {
    const c = raw.map((x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)) as [number, number, number];
    if (c.some((x, i) => x !== raw[i])) problems.warn(path, `colour ${show(raw)} out of 0..1, clamped`);
    return c;
  }
  problems.add(path, `expected a number, true/false, an option name or a colour [r, g, b], got ${kindOf(raw)} ${show(raw)}`);
  return undefined;
}

export interface ParamRecordOptions {
  readonly catalogue?: ParamCatalogue;
  /** Why a path does not belong in this record, or null when it does. */
  readonly belongs: (path: string) => string | null;
  readonly maxEntries: number;
}

/** A record of values keyed by parameter path: each entry checked, bad ones dropped and reported. */
export function checkParamRecord(raw: unknown, path: string, problems: ProblemList, opts: ParamRecordOptions): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    problems.add(path, `expected an object of values keyed by parameter path, got ${kindOf(raw)} ${show(raw)}`);
    return out;
  }
  const keys = Object.keys(raw);
  if (keys.length > opts.maxEntries) problems.add(path, `more than ${opts.maxEntries} values; the rest are dropped`);
  for (let i = 0; i < keys.length && i < opts.maxEntries; i++) {
    const key = keys[i];
    const where = at(path, key);
    if (isForbiddenKey(key)) {
      problems.add(where, `the key ${show(key)} is not allowed; dropped`);
      continue;
    }
    if (!PARAM_PATH.test(key)) {
      problems.add(where, 'not a parameter path like /scene/glass-forest/sway; dropped');
      continue;
    }
    const why = opts.belongs(key);
    if (why !== null) {
      problems.add(where, `${why}; dropped`);
      continue;
    }
    let decl: CatalogueEntry | undefined;
    if (opts.catalogue) {
      decl = opts.catalogue.get(key);
      if (decl === undefined) {
        problems.add(where, 'unknown parameter; dropped');
        continue;
      }
    }
    const v = checkParamValue(raw[key], decl, where, problems);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
