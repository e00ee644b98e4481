/**
 * OSCQuery (Vidvox proposal) JSON: HOST_INFO and the namespace, built from the address space
 * (so from the same pure declarations the engine registers), plus single-path and
 * single-attribute queries. Pure: the bridge serves what this returns.
 */
import type { ResolvedParam } from '../../params/index.ts';
import { COMMANDS, EntryKind, NORM_SUFFIX, type CommandDecl, type OscAddressSpace } from './address-space.ts';

/** ACCESS values of the proposal. */
export const Access = { None: 0, Read: 1, Write: 2, ReadWrite: 3 } as const;

export interface OscQueryNode {
  FULL_PATH: string;
  DESCRIPTION?: string;
  CONTENTS?: Record<string, OscQueryNode>;
  TYPE?: string;
  ACCESS?: number;
  VALUE?: unknown[];
  RANGE?: ({ MIN?: number; MAX?: number; VALS?: unknown[] } | null)[];
  UNIT?: (string | null)[];
  CLIPMODE?: string[];
}

export interface HostInfoOptions {
  name: string;
  oscIp: string;
  oscPort: number;
  /** WebSocket for LISTEN/IGNORE, when served (same host and port as HTTP if omitted). */
  wsIp?: string;
  wsPort?: number;
}

/** Attributes a client may ask for one at a time (`/path?VALUE`). */
export const ATTRIBUTES = ['FULL_PATH', 'CONTENTS', 'TYPE', 'ACCESS', 'VALUE', 'RANGE', 'DESCRIPTION', 'UNIT', 'CLIPMODE'] as const;

export function hostInfo(o: HostInfoOptions): Record<string, unknown> {
  const info: Record<string, unknown> = {
    NAME: o.name,
    OSC_IP: o.oscIp,
    OSC_PORT: o.oscPort,
    OSC_TRANSPORT: 'UDP',
    EXTENSIONS: {
      ACCESS: true,
      VALUE: true,
      RANGE: true,
      DESCRIPTION: true,
      TAGS: false,
      EXTENDED_TYPE: false,
      UNIT: true,
      CRITICAL: false,
      CLIPMODE: true,
      LISTEN: true,
      PATH_CHANGED: false,
      PATH_RENAMED: false,
      PATH_ADDED: false,
      PATH_REMOVED: false,
    },
  };
  if (o.wsIp !== undefined) info.WS_IP = o.wsIp;
  if (o.wsPort !== undefined) info.WS_PORT = o.wsPort;
  return info;
}

/** Native values of a parameter as OSCQuery VALUE (colour: three numbers; enum: its option name). */
export type ValueLookup = (paramIndex: number) => readonly number[] | null;

/** Shortest decimal that reads back as the same float32 (the bank stores float32: show what it holds). */
export function tidy32(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

function nativeValue(p: ResolvedParam, raw: readonly number[]): unknown[] {
  switch (p.type) {
    case 'enum':
      return [p.options[Math.round(raw[0])] ?? p.options[0]];
    case 'boolean':
      return [raw[0] >= 0.5];
    case 'color':
      return [tidy32(raw[0]), tidy32(raw[1]), tidy32(raw[2])];
    case 'trigger':
      return [];
    default:
      return [tidy32(raw[0])];
  }
}

function paramNode(p: ResolvedParam, raw: readonly number[], path = p.path, description = p.description || p.name): OscQueryNode {
  const n: OscQueryNode = { FULL_PATH: path, DESCRIPTION: description, ACCESS: Access.ReadWrite };
  switch (p.type) {
    case 'number':
      n.TYPE = 'f';
      n.RANGE = [{ MIN: p.min, MAX: p.max }];
      n.CLIPMODE = ['both'];
      if (p.unit) n.UNIT = [p.unit];
      break;
    case 'boolean':
      n.TYPE = 'T';
      break;
    case 'enum':
      n.TYPE = 's';
      n.RANGE = [{ VALS: [...p.options] }];
      break;
    case 'color':
      n.TYPE = 'fff';
      n.RANGE = [{ MIN: 0, MAX: 1 }, { MIN: 0, MAX: 1 }, { MIN: 0, MAX: 1 }];
      n.CLIPMODE = ['both', 'both', 'both'];
      break;
    case 'trigger':
      n.TYPE = 'N';
      n.ACCESS = Access.Write;
      return n;
  }
  n.VALUE = nativeValue(p, raw);
  return n;
}

function normNode(p: ResolvedParam, path: string, norm: number | null): OscQueryNode {
  const n: OscQueryNode = {
    FULL_PATH: path,
    DESCRIPTION: `${p.description || p.name} (normalised 0..1 through its ${p.curve} curve)`,
    TYPE: 'f',
    ACCESS: Access.Write,
    RANGE: [{ MIN: 0, MAX: 1 }],
    CLIPMODE: ['both'],
  };
  if (norm !== null) {
    n.VALUE = [tidy32(norm)];
    n.ACCESS = Access.ReadWrite;
  }
  return n;
}

function commandNode(c: CommandDecl, sceneIds: readonly string[]): OscQueryNode {
  const n: OscQueryNode = { FULL_PATH: c.path, DESCRIPTION: c.description, ACCESS: Access.Write };
  if (c.arg === 'bang') n.TYPE = 'N';
  else if (c.arg === 'preset') {
    // A slot index; a preset name (string) is accepted too.
    n.TYPE = 'i';
    n.RANGE = [{ MIN: 0 }];
  } else if (c.arg === 'scene') {
    n.TYPE = 's';
    n.RANGE = [{ VALS: [...sceneIds] }];
  } else {
    n.TYPE = 'f';
    n.RANGE = [{ MIN: c.min, MAX: c.max }];
    if (c.unit) n.UNIT = [c.unit];
  }
  return n;
}

/** Insert `leaf` at its FULL_PATH, creating containers on the way (a leaf may also contain nodes). */
function insert(root: OscQueryNode, leaf: OscQueryNode): void {
  const segs = leaf.FULL_PATH.split('/').filter((s) => s !== '');
  let node = root;
  let path = '';
  for (let i = 0; i < segs.length; i++) {
    path += '/' + segs[i];
    node.CONTENTS ??= {};
    let next = node.CONTENTS[segs[i]];
    if (i === segs.length - 1) {
      if (next) {
        // a container created earlier (e.g. by /norm) keeps its contents
        node.CONTENTS[segs[i]] = { ...leaf, CONTENTS: next.CONTENTS };
      } else node.CONTENTS[segs[i]] = leaf;
      return;
    }
    if (!next) {
      next = { FULL_PATH: path };
      node.CONTENTS[segs[i]] = next;
    }
    node = next;
  }
}

/** Normalised position 0..1 of a native value (for the /norm nodes); null when the type has none. */
export type NormLookup = (paramIndex: number) => number | null;

/** The whole namespace. `values` gives current native slot values (defaults when it returns null). */
export function buildNamespace(space: OscAddressSpace, values?: ValueLookup, norms?: NormLookup, description = 'Glassforest'): OscQueryNode {
  const root: OscQueryNode = { FULL_PATH: '/', DESCRIPTION: description, CONTENTS: {} };
  for (let i = 0; i < space.params.length; i++) {
    const p = space.params[i];
    const raw = values?.(i) ?? p.defaults;
    insert(root, paramNode(p, raw));
    if (p.type !== 'color') insert(root, normNode(p, p.path + NORM_SUFFIX, norms?.(i) ?? null));
  }
  for (const c of COMMANDS) insert(root, commandNode(c, space.sceneIds));
  // The page's controller aliases and the bank's slot addresses, after everything declared.
  for (let i = space.baseCount; i < space.entries.length; i++) {
    const e = space.entries[i];
    if (e.kind === EntryKind.Slot) {
      insert(root, { FULL_PATH: e.path, DESCRIPTION: `Fires slot ${e.command + 1} of the preset bank on stage (no argument or a non-zero one; 0 does nothing)`, TYPE: 'N', ACCESS: Access.Write });
      continue;
    }
    const p = space.params[e.param];
    if (e.kind === EntryKind.Norm) {
      const n = normNode(p, e.path, norms?.(e.param) ?? null);
      n.DESCRIPTION = `Alias of ${p.path}${NORM_SUFFIX}: ${n.DESCRIPTION}`;
      insert(root, n);
    } else insert(root, paramNode(p, values?.(e.param) ?? p.defaults, e.path, `Alias of ${p.path}: ${p.description || p.name}`));
  }
  return root;
}

/** The node at `path` ('/' for the root), or undefined. */
export function findNode(root: OscQueryNode, path: string): OscQueryNode | undefined {
  const segs = path.split('/').filter((s) => s !== '');
  let node: OscQueryNode | undefined = root;
  for (const s of segs) {
    node = node?.CONTENTS?.[s];
    if (!node) return undefined;
  }
  return node;
}

export interface QueryReply {
  status: number;
  body?: unknown;
}

/**
 * Answer an HTTP query: `path` and the raw query string (without '?'). `HOST_INFO` answers
 * anywhere; an attribute name answers `{ ATTR: value }` (204 when the node has none, 400
 * for names the proposal does not define here); an unknown path is 404.
 */
export function answerQuery(root: OscQueryNode, path: string, query: string, host: Record<string, unknown>): QueryReply {
  const q = query.split('&')[0] ?? '';
  if (q === 'HOST_INFO') return { status: 200, body: host };
  const node = findNode(root, decodeURIComponent(path));
  if (!node) return { status: 404 };
  if (q === '') return { status: 200, body: node };
  if (!(ATTRIBUTES as readonly string[]).includes(q)) return { status: 400 };
  const v = (node as unknown as Record<string, unknown>)[q];
  if (v === undefined) return { status: 204 };
  return { status: 200, body: { [q]: v } };
}

/** Every method (a node with a TYPE) in a namespace, by path. */
export function listMethods(root: OscQueryNode, out: Map<string, OscQueryNode> = new Map()): Map<string, OscQueryNode> {
  if (root.TYPE !== undefined) out.set(root.FULL_PATH, root);
  for (const c of Object.values(root.CONTENTS ?? {})) listMethods(c, out);
  return out;
}
