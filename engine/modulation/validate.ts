/**
 * Route spec validation at the edge: every problem is named by its field, nothing throws, and
 * a spec with problems is skipped rather than half applied.
 */
import { parseSource } from './sources.ts';
import type { ResolvedRoute, RouteCheck, RouteCurve, RouteProblem } from './types.ts';

export const ROUTE_CURVES: readonly RouteCurve[] = ['linear', 'exp', 'log', 's-curve', 'steps'];
const FIELDS = ['source', 'target', 'amount', 'offset', 'curve', 'steps', 'attack', 'release', 'invert', 'clamp', 'enabled'];
/** Target: an OSC-style parameter path, optionally `.r|.g|.b` for one colour component. */
const TARGET = /^(\/[A-Za-z0-9_-]+)+(\.[rgb])?$/;
const MAX_TIME = 60;
const MAX_AMOUNT = 100;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof v;
  }
}

/** Check one spec and fill in defaults. Unknown fields are warnings (later versions may add some). */
export function checkRoute(spec: unknown): RouteCheck {
  const problems: RouteProblem[] = [];
  const warnings: RouteProblem[] = [];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    return { ok: false, problems: [{ field: '', message: `a route must be an object like {source, target, amount}, got ${show(spec)}` }] };
  }
  const o = spec as Record<string, unknown>;
  const src = parseSource(o.source);
  if (!src.ok) problems.push({ field: 'source', message: src.message });
  if (typeof o.target !== 'string' || !TARGET.test(o.target)) {
    problems.push({ field: 'target', message: `target must be a parameter path like /scene/glass-forest/sway (a colour may add .r, .g or .b), got ${show(o.target)}` });
  }
  const num = (field: string, dflt: number | undefined, lo: number, hi: number, unit = ''): number => {
    const v = o[field];
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      problems.push({ field, message: `${field} must be a number within ${lo}..${hi}${unit}${v === undefined ? ' (required)' : `, got ${show(v)}`}` });
      return dflt ?? 0;
    }
    return v;
  };
  const bool = (field: string, dflt: boolean): boolean => {
    const v = o[field];
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') {
      problems.push({ field, message: `${field} must be true or false, got ${show(v)}` });
      return dflt;
    }
    return v;
  };
  const amount = num('amount', undefined, -MAX_AMOUNT, MAX_AMOUNT);
  const offset = num('offset', 0, -MAX_AMOUNT, MAX_AMOUNT);
  let curve: RouteCurve = 'linear';
  if (o.curve !== undefined) {
    if (typeof o.curve === 'string' && (ROUTE_CURVES as readonly string[]).includes(o.curve)) curve = o.curve as RouteCurve;
    else problems.push({ field: 'curve', message: `curve must be one of ${ROUTE_CURVES.join(', ')}, got ${show(o.curve)}` });
  }
  let steps = 4;
  if (o.steps !== undefined) {
    if (typeof o.steps === 'number' && Number.isInteger(o.steps) && o.steps >= 2 && o.steps <= 64) steps = o.steps;
    else problems.push({ field: 'steps', message: `steps must be a whole number within 2..64, got ${show(o.steps)}` });
    if (curve !== 'steps') warnings.push({ field: 'steps', message: `steps only applies to curve 'steps' (curve is '${curve}')` });
  }
  const attack = num('attack', 0, 0, MAX_TIME, ' seconds');
  const release = num('release', 0, 0, MAX_TIME, ' seconds');
  const invert = bool('invert', false);
  const clamp = bool('clamp', true);
  const enabled = bool('enabled', true);
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) warnings.push({ field: k, message: `unknown field ${show(k)} ignored (fields: ${FIELDS.join(', ')})` });
  if (problems.length > 0) return { ok: false, problems };
  const route: ResolvedRoute = {
    source: (o.source as string).trim(),
    target: o.target as string,
    amount,
    offset,
    curve,
    steps,
    attack,
    release,
    invert,
    clamp,
    enabled,
  };
  return { ok: true, route, warnings };
}

/** One line per problem, for the performer: `route 3 (centroid -> /scene/x/hue): amount must be ...`. */
export function describeProblems(index: number, spec: unknown, problems: readonly RouteProblem[]): string[] {
  const o = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>) : {};
  const label = typeof o.source === 'string' || typeof o.target === 'string' ? ` (${show(o.source)} -> ${show(o.target)})` : '';
  return problems.map((p) => `route ${index}${label}: ${p.message}`);
}
