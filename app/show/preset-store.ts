/**
 * The preset library in IndexedDB: database "glassforest" (shared with the working state, see
 * working-store.ts), object store "presets". Each preset is one record under its id (the preset's
 * JSON text); the banks (set lists) are one record under BANKS_KEY and the bank on stage under
 * STAGE_KEY. Keys with a colon can never be preset ids (ids are [A-Za-z0-9_-]).
 *
 * Writes run one after another in the order asked (a rename right after a save lands after it);
 * each resolves once its transaction has committed, and rejects with the browser's reason.
 */
import { openGlassforestDb, promised, PRESETS_STORE, WriteQueue } from './working-store.ts';

export const BANKS_KEY = ':banks';
export const STAGE_KEY = ':stage';

export interface PresetRecords {
  /** Preset records (JSON text or objects from an older writer), by id. */
  readonly presets: ReadonlyMap<string, unknown>;
  /** The bank list record, or undefined when none was saved. */
  readonly banks: unknown;
  /** Which bank is on stage, or undefined. */
  readonly stage: unknown;
}

export class PresetStore {
  private readonly writes: WriteQueue;

  constructor(private readonly factory: IDBFactory | null = typeof indexedDB === 'undefined' ? null : indexedDB) {
    this.writes = new WriteQueue(factory, PRESETS_STORE);
  }

  /** Everything saved. */
  async readAll(): Promise<PresetRecords> {
    const db = await openGlassforestDb(this.factory);
    const store = db.transaction(PRESETS_STORE, 'readonly').objectStore(PRESETS_STORE);
    const [keys, values] = await Promise.all([promised(store.getAllKeys()), promised(store.getAll())]);
    const presets = new Map<string, unknown>();
    let banks: unknown;
    let stage: unknown;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === BANKS_KEY) banks = values[i];
      else if (k === STAGE_KEY) stage = values[i];
      else if (typeof k === 'string') presets.set(k, values[i]);
    }
    return { presets, banks, stage };
  }

  putPreset(id: string, text: string): Promise<void> {
    return this.run((s) => s.put(text, id));
  }

  deletePreset(id: string): Promise<void> {
    return this.run((s) => s.delete(id));
  }

  putBanks(text: string): Promise<void> {
    return this.run((s) => s.put(text, BANKS_KEY));
  }

  putStage(text: string): Promise<void> {
    return this.run((s) => s.put(text, STAGE_KEY));
  }

  /** Several changes in one transaction (an import: presets and banks land together or not at all). */
  putMany(presets: readonly { id: string; text: string }[], banksText: string | null): Promise<void> {
    return this.run((s) => {
      for (const p of presets) s.put(p.text, p.id);
      if (banksText !== null) s.put(banksText, BANKS_KEY);
    });
  }

  /** Writes settled so far (tests wait on this). */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  private run(fill: (store: IDBObjectStore) => void): Promise<void> {
    return this.writes.run(fill);
  }
}
