import { describe, expect, it } from 'vitest';
import { DB_STORES, PRESETS_STORE, upgradeStores, WORKING_DB_VERSION, WORKING_STORE } from './working-store.ts';

/** Object store names of a database, as IndexedDB's DOMStringList answers `contains`. */
function names(list: string[]) {
  return { contains: (n: string) => list.includes(n), list };
}

describe('database upgrade', () => {
  it('from version 1 (working only) adds the presets store and keeps the working store', () => {
    const db = names([WORKING_STORE]);
    const made = upgradeStores(db, (n) => db.list.push(n));
    expect(made).toEqual([PRESETS_STORE]);
    expect(db.list).toEqual([WORKING_STORE, PRESETS_STORE]);
  });

  it('creates every store in a new database, and nothing in a current one', () => {
    const fresh = names([]);
    expect(upgradeStores(fresh, (n) => fresh.list.push(n))).toEqual([...DB_STORES]);
    const current = names([...DB_STORES]);
    expect(upgradeStores(current, () => {
      throw new Error('must not create');
    })).toEqual([]);
    expect(WORKING_DB_VERSION).toBe(2);
  });
});
