/**
 * Where the working state lives between page loads: IndexedDB database "glassforest", object
 * store "working", key "current" (the record's JSON text). Every call is asynchronous and
 * rejects with the browser's reason (no IndexedDB, private mode, quota) instead of throwing.
 *
 * The same database holds the preset library (store "presets", app/show/preset-store.ts).
 * Version 1 had only "working"; the upgrade to 2 adds "presets" and keeps every store there is.
 */

export const WORKING_DB = 'glassforest';
export const WORKING_DB_VERSION = 2;
export const WORKING_STORE = 'working';
export const WORKING_KEY = 'current';
export const PRESETS_STORE = 'presets';
/** Every object store of the current database version. */
export const DB_STORES = [WORKING_STORE, PRESETS_STORE] as const;

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
  async write(text: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(WORKING_STORE, 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
    done.catch(() => undefined); // handled below, also when put() throws first
    tx.objectStore(WORKING_STORE).put(text, WORKING_KEY);
    await done;
  }
}
