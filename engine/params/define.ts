/**
 * `defineParams(scope, decls)`: validates a scope's declarations once (at module load) and
 * resolves them into plain data with full paths. Declarations are code, so mistakes in them
 * throw here, all listed at once, where the author sees them; values never throw (see bank.ts).
 */
import { parseColor, parseEnum, show } from './sanitize.ts';
import type { ParamCurve, ParamDecl, ParamDecls, ResolvedParam } from './types.ts';

/** One path segment: safe in OSC addresses, URLs and preset keys. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const CURVES: readonly ParamCurve[] = ['linear', 'exp', 'log', 's-curve'];

/** Root of engine-wide parameters. */
export const ENGINE_SCOPE = '/engine';

/** The scope of one scene's parameters: `/scene/<id>`. */
export function sceneScope(sceneId: string): string {
  return `/scene/${sceneId}`;
}

export class ParamDeclError extends Error {
  constructor(
    readonly scope: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid parameter declarations in ${scope}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ParamDeclError';
  }
}

/** Normalise a scope to `/a/b` form; returns null when a segment is not [A-Za-z0-9_-]+. */
export function normalizeScope(scope: string): string | null {
  if (typeof scope !== 'string') return null;
  const segs = scope.split('/').filter((s) => s !== '');
  if (segs.length === 0) return null;
  for (const s of segs) if (!SEGMENT.test(s)) return null;
  return `/${segs.join('/')}`;
}

function resolveOne(scope: string, name: string, d: ParamDecl, problems: string[]): ResolvedParam | null {
  const path = `${scope}/${name}`;
  const where = `${path}:`;
  if (!SEGMENT.test(name)) {
    problems.push(`${show(name)} is not a valid parameter name (letters, digits, _ and - only)`);
    return null;
  }
  if (d === null || typeof d !== 'object') {
    problems.push(`${where} declaration must be an object, got ${show(d)}`);
    return null;
  }
  const description = typeof d.description === 'string' ? d.description : '';
  const base = { path, scope, name, description, curve: 'linear' as ParamCurve, unit: '', step: 0, options: [] as readonly string[] };
  switch (d.type) {
    case 'number': {
      const { min, max } = d;
      if (!Number.isFinite(min) || !Number.isFinite(max)) {
        problems.push(`${where} min and max must be finite numbers (got ${show(min)}, ${show(max)})`);
        return null;
      }
      if (!(max > min)) {
        problems.push(`${where} max (${max}) must be greater than min (${min})`);
        return null;
      }
      if (!Number.isFinite(d.default) || d.default < min || d.default > max) {
        problems.push(`${where} default ${show(d.default)} must be a number within ${min}..${max}`);
        return null;
      }
      const curve = d.curve ?? 'linear';
      if (!CURVES.includes(curve)) {
        problems.push(`${where} unknown curve ${show(curve)} (use ${CURVES.join(', ')})`);
        return null;
      }
      const step = d.step ?? 0;
      if (!Number.isFinite(step) || step < 0 || step > max - min) {
        problems.push(`${where} step ${show(step)} must be >= 0 and no larger than the range`);
        return null;
      }
      if (d.unit !== undefined && typeof d.unit !== 'string') {
        problems.push(`${where} unit must be a string`);
        return null;
      }
      return { ...base, type: 'number', size: 1, min, max, defaults: [d.default], curve, unit: d.unit ?? '', step };
    }
    case 'color': {
      const c = parseColor(d.default);
      if (!c.ok || c.note) {
        problems.push(`${where} default colour: ${c.ok ? c.note : c.message}`);
        return null;
      }
      return { ...base, type: 'color', size: 3, min: 0, max: 1, defaults: c.value };
    }
    case 'boolean':
      if (typeof d.default !== 'boolean') {
        problems.push(`${where} boolean default must be true or false, got ${show((d as { default: unknown }).default)}`);
        return null;
      }
      return { ...base, type: 'boolean', size: 1, min: 0, max: 1, defaults: [d.default ? 1 : 0] };
    case 'enum': {
      const opts = d.options;
      if (!Array.isArray(opts) || opts.length === 0 || opts.some((o) => typeof o !== 'string' || o === '')) {
        problems.push(`${where} enum options must be a non-empty list of non-empty strings`);
        return null;
      }
      if (new Set(opts).size !== opts.length) {
        problems.push(`${where} enum options must be unique`);
        return null;
      }
      const idx = parseEnum(d.default, opts);
      if (!idx.ok || idx.note || (typeof d.default === 'number' && !Number.isInteger(d.default))) {
        problems.push(`${where} enum default ${show(d.default)} is not one of its options`);
        return null;
      }
      return { ...base, type: 'enum', size: 1, min: 0, max: opts.length - 1, defaults: [idx.value], step: 1, options: [...opts] };
    }
    case 'trigger':
      return { ...base, type: 'trigger', size: 1, min: 0, max: 1, defaults: [0] };
    default:
      problems.push(`${where} unknown type ${show((d as { type?: unknown }).type)} (use number, color, boolean, enum, trigger)`);
      return null;
  }
}

/** Validate without throwing: the list of problems (empty when fine) and the resolved set. */
export function checkParamDecls(scope: string, decls: Readonly<Record<string, ParamDecl>>): { problems: string[]; params: ResolvedParam[] } {
  const problems: string[] = [];
  const params: ResolvedParam[] = [];
  const s = normalizeScope(scope);
  if (s === null) {
    problems.push(`scope ${show(scope)} must be a path like /scene/<id> or /engine (segments of letters, digits, _ and -)`);
    return { problems, params };
  }
  if (decls === null || typeof decls !== 'object' || Array.isArray(decls)) {
    problems.push(`declarations must be an object keyed by parameter name, got ${show(decls)}`);
    return { problems, params };
  }
  for (const name of Object.keys(decls)) {
    const r = resolveOne(s, name, decls[name], problems);
    if (r) params.push(Object.freeze(r));
  }
  return { problems, params };
}

/**
 * Declare a scope's parameters: `defineParams('/scene/veil', { speed: { type: 'number', ... } })`.
 * Paths become `<scope>/<name>`. Throws ParamDeclError listing every problem.
 */
export function defineParams<const D extends Readonly<Record<string, ParamDecl>>>(scope: string, decls: D): ParamDecls<keyof D & string> {
  const { problems, params } = checkParamDecls(scope, decls);
  if (problems.length > 0) throw new ParamDeclError(String(scope), problems);
  return Object.freeze({
    scope: normalizeScope(scope) as string,
    params: Object.freeze(params),
    names: Object.freeze(params.map((p) => p.name)) as readonly (keyof D & string)[],
  });
}
