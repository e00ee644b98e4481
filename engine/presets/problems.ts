/**
 * Problems found while reading a preset, a bank list or a show file: each names the field it is
 * about by path (`routes[3].amount`, `scene.params["/scene/glass-forest/sway"]`) so the performer
 * can find it. Readers collect them instead of throwing.
 */

/**
 * error: the field (or the whole file) could not be used and was dropped or refused.
 * warning: the field was corrected (clamped, defaulted, renamed) or is suspect but kept.
 */
export type ProblemLevel = 'error' | 'warning';

export interface Problem {
  /** Field path, '' for the file as a whole. */
  readonly path: string;
  readonly message: string;
  readonly level: ProblemLevel;
}

/** One line for the performer: `routes[3].amount: expected a number, got "x"`. */
export function formatProblem(p: Problem): string {
  return p.path === '' ? p.message : `${p.path}: ${p.message}`;
}

/** Most problems kept per read: a hostile file must not produce a message list as large as itself. */
export const MAX_PROBLEMS = 200;

/** A bounded list of problems; past the cap only the count grows. */
export class ProblemList {
  readonly items: Problem[] = [];
  /** Problems not kept because the list was full. */
  overflow = 0;

  constructor(private readonly cap = MAX_PROBLEMS) {}

  add(path: string, message: string, level: ProblemLevel = 'error'): void {
    if (this.items.length < this.cap) this.items.push({ path, message, level });
    else this.overflow++;
  }

  warn(path: string, message: string): void {
    this.add(path, message, 'warning');
  }

  /** Take problems found by another reader, their paths prefixed with `prefix`. */
  addAll(prefix: string, list: readonly Problem[]): void {
    for (const p of list) this.add(joinPath(prefix, p.path), p.message, p.level);
  }

  /** The kept problems plus one line counting the rest. */
  list(): Problem[] {
    if (this.overflow === 0) return this.items.slice();
    return [...this.items, { path: '', message: `... and ${this.overflow} more problem${this.overflow === 1 ? '' : 's'} not listed`, level: 'error' }];
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `at('routes', 3)` → `routes[3]`; `at('scene', 'id')` → `scene.id`; odd keys go in quoted brackets. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENT.test(key)) return path === '' ? key : `${path}.${key}`;
  const k = key.length > 60 ? `${key.slice(0, 57)}...` : key;
  return `${path}[${JSON.stringify(k)}]`;
}

/** Join a prefix and a sub-path found by a nested reader. */
export function joinPath(prefix: string, sub: string): string {
  if (prefix === '') return sub;
  if (sub === '') return prefix;
  return sub.startsWith('[') ? `${prefix}${sub}` : `${prefix}.${sub}`;
}

/** Short, safe rendering of any value for messages (never throws, bounded length). */
export function show(value: unknown): string {
  let s: string;
  try {
    if (typeof value === 'string') s = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) s = String(value);
    else if (typeof value === 'bigint') s = `${value}n`;
    else if (typeof value === 'function' || typeof value === 'symbol') s = `a ${typeof value}`;
    else if (Array.isArray(value)) s = value.length > 8 ? `an array of ${value.length} items` : (JSON.stringify(value) ?? 'an array');
    else s = JSON.stringify(value) ?? String(value);
  } catch {
    s = Array.isArray(value) ? 'an array' : 'an object';
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** "a number", "text", "an object"... for messages like `expected a number, got text "x"`. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isFinite(value) ? 'a number' : String(value);
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
