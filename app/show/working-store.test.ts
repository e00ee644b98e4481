import { describe, expect, it } from 'vitest';
import { DB_STORES, KEYFRAME_SETS_STORE, PRESETS_STORE, upgradeStores, WORKING_DB_VERSION, WORKING_STORE } from './working-store.ts';

/** Object store names of a database, as IndexedDB's DOMStringList answers `contains`. */
function names(list: string[]) {
  return { contains: (n: string) => list.includes(n), list };
}

describe('database upgrade', () => {
  it('from version 1 (working only) adds the presets and keyframe-sets stores and keeps the working store', () => {
    const db = names([WORKING_STORE]);
    const made = upgradeStores(db, (n) => db.list.push(n));
    expect(made).toEqual([PRESETS_STORE, KEYFRAME_SETS_STORE]);
    expect(db.list).toEqual([WORKING_STORE, PRESETS_STORE, KEYFRAME_SETS_STORE]);
  });

  it('from version 2 (working and presets) adds only the keyframe-sets store', () => {
    const db = names([WORKING_STORE, PRESETS_STORE]);
    const made = upgradeStores(db, (n) => {
      if (n !== KEYFRAME_SETS_STORE) throw new Error(`must not recreate ${n}`);
      db.list.push(n);
    });
    expect(made).toEqual([KEYFRAME_SETS_STORE]);
    expect(db.list).toEqual([WORKING_STORE, PRESETS_STORE, KEYFRAME_SETS_STORE]);
  });

  it('creates every store in a new database, and nothing in a current one', () => {
    const fresh = names([]);
    expect(upgradeStores(fresh, (n) => fresh.list.push(n))).toEqual([...DB_STORES]);
    const current = names([...DB_STORES]);
    expect(upgradeStores(current, () => {
      throw new Error('must not create');
    })).toEqual([]);
    expect(WORKING_DB_VERSION).toBe(3);
    expect(DB_STORES).toEqual([WORKING_STORE, PRESETS_STORE, KEYFRAME_SETS_STORE]);
  });
});
