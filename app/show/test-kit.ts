/** Test helpers for the preset show (not shipped). */

/** Keeps writes in memory (the IndexedDB side is tested in e2e/presets.e2e.ts). */
export class MemoryPresetStore {
  readonly records = new Map<string, unknown>();
  async readAll() {
    return { presets: new Map([...this.records].filter(([k]) => !k.startsWith(':'))), banks: this.records.get(':banks'), stage: this.records.get(':stage') };
  }
  async putPreset(id: string, text: string) {
    this.records.set(id, text);
  }
  async deletePreset(id: string) {
    this.records.delete(id);
  }
  async putBanks(text: string) {
    this.records.set(':banks', text);
  }
  async putStage(text: string) {
    this.records.set(':stage', text);
  }
  async putMany(p: { id: string; text: string }[], banks: string | null) {
    for (const x of p) this.records.set(x.id, x.text);
    if (banks !== null) this.records.set(':banks', banks);
  }
  async idle() {}
}
