/**
 * Where the working state lives between page loads: IndexedDB database "glassforest", object
 * store "working", key "current" (the record's JSON text). Every call is asynchronous and
 * rejects with the browser's reason (no IndexedDB, private mode, quota) instead of throwing.
 *
 * The same database holds the preset library (store "presets", app/show/preset-store.ts) and the
 * keyframe sets installed from show files (store "keyframe-sets", app/show/keyframe-store.ts).
 * Version 1 had only "working"; 2 added "presets"; 3 adds "keyframe-sets". Every upgrade only
 * creates the stores that are missing and keeps every store and record there is.
 */

export const WORKING_DB = 'glassforest';
export const WORKING_DB_VERSION = 3;
export const WORKING_STORE = 'working';
export const WORKING_KEY = 'current';
export const PRESETS_STORE = 'presets';
export const KEYFRAME_SETS_STORE = 'keyframe-sets';
/** Every object store of the current database version. */
export const DB_STORES = [WORKING_STORE, PRESETS_STORE, KEYFRAME_SETS_STORE] as const;

/**
 * The upgrade step: create the stores this version needs that are not there yet. It never
 * deletes or clears a store, so an upgrade from any earlier version keeps what was saved.
 * Returns the stores it created.
 */
export function upgradeStores(existing: { contains(name: string): boolean }, create: (name: string) => void): string[] {
  const made: string[] = [];
  for (const name of DB_STORES) {
    if (existing.contains(name)) continue;
    create(name);
    made.push(name);
  }
  return made;
}

const shared = new Map<IDBFactory, Promise<IDBDatabase>>();

/**
 * Open (once per factory) the page's database at the current version. Both stores share one
 * connection so an upgrade never waits for a second connection of the same page.
 */
export function openGlassforestDb(factory: IDBFactory | null): Promise<IDBDatabase> {
  if (!factory) return Promise.reject(new Error('this browser offers no IndexedDB'));
  const open = shared.get(factory);
  if (open) return open;
  const opening = new Promise<IDBDatabase>((resolve, reject) => {
    const req = factory.open(WORKING_DB, WORKING_DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      upgradeStores(db.objectStoreNames, (name) => db.createObjectStore(name));
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the database: step aside, reopen on the next call.
      db.onversionchange = () => {
        db.close();
        if (shared.get(factory) === opening) shared.delete(factory);
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  shared.set(factory, opening);
  // A failed open is retried on the next call (the browser may allow it later).
  opening.catch(() => {
    if (shared.get(factory) === opening) shared.delete(factory);
  });
  return opening;
}

export function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export class WorkingStore {
  constructor(private readonly factory: IDBFactory | null = typeof indexedDB === 'undefined' ? null : indexedDB) {}

  private open(): Promise<IDBDatabase> {
    return openGlassforestDb(this.factory);
  }

  /** The stored record, or undefined when there is none. */
  async read(): Promise<unknown> {
    const db = await this.open();
    return promised(db.transaction(WORKING_STORE, 'readonly').objectStore(WORKING_STORE).get(WORKING_KEY));
  }

  /** Store `text` as the record; resolves once the transaction has committed. */
  write(text: string): Promise<void> {
    return writeTransaction(this.factory, WORKING_STORE, (store) => store.put(text, WORKING_KEY));
  }
}

/**
 * One readwrite transaction on `storeName`: `fill` puts or deletes; resolves once the
 * transaction has committed, rejects with the browser's reason (also when `fill` throws).
 */
export async function writeTransaction(factory: IDBFactory | null, storeName: string, fill: (store: IDBObjectStore) => void): Promise<void> {
  const db = await openGlassforestDb(factory);
  const tx = db.transaction(storeName, 'readwrite');
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
  done.catch(() => undefined); // handled by the caller, also when fill() throws first
  fill(tx.objectStore(storeName));
  await done;
}

/** Writes to one object store that run one after another in the order asked (a rename right after a save lands after it). */
export class WriteQueue {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly factory: IDBFactory | null,
    private readonly storeName: string,
  ) {}

  /** Queue one transaction; resolves once it has committed, rejects with the browser's reason. */
  run(fill: (store: IDBObjectStore) => void): Promise<void> {
    const write = () => writeTransaction(this.factory, this.storeName, fill);
    const next = this.queue.then(write, write);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Writes settled so far (tests wait on this). */
  idle(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }
}
