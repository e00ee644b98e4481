/**
 * Where the working state lives between page loads: IndexedDB database "glassforest", object
 * store "working", key "current" (the record's JSON text). Every call is asynchronous and
 * rejects with the browser's reason (no IndexedDB, private mode, quota) instead of throwing.
 */

export const WORKING_DB = 'glassforest';
export const WORKING_DB_VERSION = 1;
export const WORKING_STORE = 'working';
export const WORKING_KEY = 'current';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export class WorkingStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory | null = typeof indexedDB === 'undefined' ? null : indexedDB) {}

  private open(): Promise<IDBDatabase> {
    if (this.db) return this.db;
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      if (!this.factory) throw new Error('this browser offers no IndexedDB');
      const req = this.factory.open(WORKING_DB, WORKING_DB_VERSION);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(WORKING_STORE)) req.result.createObjectStore(WORKING_STORE);
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another tab upgrading the database: step aside, reopen on the next call.
        db.onversionchange = () => {
          db.close();
          this.db = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    // A failed open is retried on the next call (the browser may allow it later).
    this.db = opening;
    opening.catch(() => {
      if (this.db === opening) this.db = null;
    });
    return opening;
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
