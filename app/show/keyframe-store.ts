/**
 * Keyframe sets installed in this browser (from show files): database "glassforest" (shared with
 * the working state and the preset library, see working-store.ts), object store "keyframe-sets",
 * one record per set under the set's name: its manifest and the bytes of every image it carries
 * (as Blobs, which the browser may keep on disk instead of in the page's memory).
 *
 * ```jsonc
 * { "format": "glassforest-keyframe-set", "version": 1, "name": "glass-dusk-2", "installed": "2026-12-03T...",
 *   "show": "Night at the gallery", "manifest": { ...keyframes.json },
 *   "files": [ { "path": "01-dusk.webp", "mime": "image/webp", "data": Blob } ] }
 * ```
 *
 * Writes run one after another in the order asked and resolve once their transaction has
 * committed; they reject with the browser's reason (quota, blocked upgrade, no IndexedDB).
 */
import { parseManifest, pathProblem, type KeyframeManifest } from '../../engine/keyframes/manifest.ts';
import { KEYFRAME_SETS_STORE, openGlassforestDb, promised, WriteQueue } from './working-store.ts';

export const SET_RECORD_FORMAT = 'glassforest-keyframe-set';
export const SET_RECORD_VERSION = 1;

/** One image of an installed set. */
export interface StoredSetFile {
  /** Path inside the set, as the manifest names it. */
  readonly path: string;
  readonly mime: string;
  readonly data: Blob;
}

/** An installed set as the store keeps it. */
export interface StoredSet {
  readonly name: string;
  readonly manifest: KeyframeManifest;
  /** ISO time of the install. */
  readonly installed: string;
  /** Name of the show it came from ('' when unknown). */
  readonly show: string;
  readonly files: readonly StoredSetFile[];
}

/** The plain object IndexedDB stores for a set. */
export function setRecord(set: StoredSet): Record<string, unknown> {
  return {
    format: SET_RECORD_FORMAT,
    version: SET_RECORD_VERSION,
    name: set.name,
    installed: set.installed,
    show: set.show,
    manifest: set.manifest,
    files: set.files.map((f) => ({ path: f.path, mime: f.mime, data: f.data })),
  };
}

export type SetRecordResult = { readonly ok: true; readonly set: StoredSet; readonly warnings: string[] } | { readonly ok: false; readonly reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Check a record read back from the store (`key` is its key). A record that cannot be used is
 * refused with the reason; a file that cannot be used is left out with a warning.
 */
export function readSetRecord(key: unknown, raw: unknown): SetRecordResult {
  if (!isRecord(raw)) return { ok: false, reason: 'the record is not an object' };
  if (raw.format !== SET_RECORD_FORMAT) return { ok: false, reason: `not a keyframe set record (format ${JSON.stringify(raw.format)})` };
  if (raw.version !== SET_RECORD_VERSION) {
    return { ok: false, reason: typeof raw.version === 'number' && raw.version > SET_RECORD_VERSION ? `record version ${raw.version} is newer than this Glassforest reads (${SET_RECORD_VERSION})` : `unknown record version ${JSON.stringify(raw.version)}` };
  }
  const m = parseManifest(raw.manifest);
  if (!m.ok) return { ok: false, reason: `manifest: ${m.errors.slice(0, 3).join('; ')}` };
  const name = m.manifest.name;
  if (raw.name !== name || key !== name) return { ok: false, reason: `the record's key ${JSON.stringify(key)}, name ${JSON.stringify(raw.name)} and manifest name ${JSON.stringify(name)} differ` };
  if (!Array.isArray(raw.files)) return { ok: false, reason: 'files: not a list' };
  const warnings: string[] = [];
  const named = new Set<string>();
  for (const k of m.manifest.keyframes) {
    named.add(k.file);
    if (k.thumb !== undefined) named.add(k.thumb);
  }
  const files: StoredSetFile[] = [];
  raw.files.forEach((f: unknown, i: number) => {
    if (!isRecord(f)) {
      warnings.push(`files[${i}]: not an object; left out`);
      return;
    }
    const bad = pathProblem(f.path);
    const path = f.path as string;
    if (bad !== null) warnings.push(`files[${i}].path: ${bad}; left out`);
    else if (!named.has(path)) warnings.push(`files[${i}]: ${JSON.stringify(path)} is not named by the manifest; left out`);
    else if (files.some((x) => x.path === path)) warnings.push(`files[${i}]: a second copy of ${JSON.stringify(path)}; left out`);
    else if (!(f.data instanceof Blob)) warnings.push(`files[${i}] (${JSON.stringify(path)}): no image data; left out`);
    else files.push({ path, mime: typeof f.mime === 'string' ? f.mime : f.data.type, data: f.data });
  });
  return {
    ok: true,
    set: { name, manifest: m.manifest, installed: typeof raw.installed === 'string' ? raw.installed : '', show: typeof raw.show === 'string' ? raw.show : '', files },
    warnings,
  };
}

/** Why a storage call failed, in words a performer can act on. */
export function storageFailure(err: unknown): string {
  const name = err !== null && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  const message = err instanceof Error ? err.message : err !== null && typeof err === 'object' && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return `the browser's storage for this page is full (${name || 'quota exceeded'}); free space or delete installed keyframe sets`;
  if (/blocked/i.test(message)) return `${message}: close the other Glassforest tabs and try again`;
  return message || name || 'unknown storage error';
}

/** What the installed-set logic needs of the store (tests pass a memory one). */
export interface KeyframeSetStoreLike {
  /** Every record, by key. */
  readAll(): Promise<Map<string, unknown>>;
  put(set: StoredSet): Promise<void>;
  delete(name: string): Promise<void>;
}

export class KeyframeSetStore implements KeyframeSetStoreLike {
  private readonly writes: WriteQueue;

  constructor(private readonly factory: IDBFactory | null = typeof indexedDB === 'undefined' ? null : indexedDB) {
    this.writes = new WriteQueue(factory, KEYFRAME_SETS_STORE);
  }

  async readAll(): Promise<Map<string, unknown>> {
    const db = await openGlassforestDb(this.factory);
    const store = db.transaction(KEYFRAME_SETS_STORE, 'readonly').objectStore(KEYFRAME_SETS_STORE);
    const [keys, values] = await Promise.all([promised(store.getAllKeys()), promised(store.getAll())]);
    const out = new Map<string, unknown>();
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] === 'string') out.set(keys[i] as string, values[i]);
    return out;
  }

  put(set: StoredSet): Promise<void> {
    return this.run((s) => s.put(setRecord(set), set.name));
  }

  delete(name: string): Promise<void> {
    return this.run((s) => s.delete(name));
  }

  private run(fill: (store: IDBObjectStore) => void): Promise<void> {
    return this.writes.run(fill);
  }
}
