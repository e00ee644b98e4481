/**
 * The preset library on stage: presets saved from the working state, banks (ordered set lists of
 * slots), and firing a slot by click, key, MIDI note or OSC, now or on the next beat or bar of the
 * beat clock.
 *
 * A quantised trigger starts the scene switch at once with the same quantise, so the switcher
 * compiles and renders the incoming scene while the bar runs out and only the blend starts at the
 * bar. The frame check (`frame`) compares the frame's audio time with the due time and allocates
 * nothing; at the due frame the preset's values, routes and keyframe set are applied. If the
 * incoming scene is still compiling when the bar comes, everything moves to the following bar so
 * scene and values change together.
 *
 * Everything the performer makes is written to IndexedDB as it happens (asynchronously, outside
 * the frame); the library is read back when the page opens.
 */
import { report } from '../../engine/messages.ts';
import type { ParamBank, ParamValue } from '../../engine/params/index.ts';
import type { RouteSpec } from '../../engine/modulation/index.ts';
import { presetNameValue } from '../../engine/control/osc/coerce.ts';
import { addressProblem, engineAnswers, type UnknownArg } from '../../engine/control/osc/index.ts';
import type { MidiMapping } from '../../engine/control/midi/index.ts';
import type { OscMapping } from '../../engine/presets/format.ts';
import { TransitionPhase, type TransitionMachine } from '../../engine/render/transition.ts';
import {
  bankList,
  createPreset,
  duplicatePreset,
  exportShow,
  formatProblem,
  importShow,
  parsePreset,
  presetRouteSpecs,
  renamePreset,
  serializePreset,
  slotForKey,
  slotForNote,
  slotForOscValue,
  stepSlot,
  switchTime,
  validateBanks,
  type ArchiveStateKey,
  type BankEntry,
  type Preset,
  type PresetBank,
  type Problem,
  type QuantiseClock,
  type TriggerQuantize,
} from '../../engine/presets/index.ts';
import { randomId } from '../../engine/presets/ids.ts';
import { HOLD_PATHS } from '../../engine/render/hold.ts';
import { validateOutputsField } from '../output/output-store.ts';
import type { InstallReport } from '../keyframes/installed-sets.ts';
import type { ShowSets } from '../keyframes/keyframe-host.ts';
import { PresetStore, type PresetRecords } from './preset-store.ts';

/**
 * Never stored in or changed by a preset: the photosensitivity guard belongs to the venue, not
 * to a look; blackout and freeze are momentary show states (loading a look never blacks out).
 */
const KEEP_PATHS = new Set(['/engine/flash-guard', ...HOLD_PATHS]);

/** The bank's values without the ones a preset leaves alone. */
function lookValues(snapshot: Record<string, ParamValue>): Record<string, ParamValue> {
  for (const k of KEEP_PATHS) delete snapshot[k];
  return snapshot;
}
const SCENE_PREFIX = '/scene/';
/** Most problem lines named in one message. */
const MAX_NAMED = 8;

export type TriggerSource = 'click' | 'key' | 'midi' | 'osc' | 'api';

/** The parts of the page's engine a preset reads and sets. */
export interface PresetShowHost {
  readonly bank: ParamBank;
  readonly switcher: { readonly selected: string; readonly machine: TransitionMachine };
  switchScene(id: string, options?: { quantize?: TriggerQuantize }): boolean;
  readonly keyframes: {
    readonly setName: string;
    readonly sets: readonly { readonly name: string; readonly manifest: unknown; readonly urlOf: (file: string) => string }[];
    status(): { readonly phase: string; readonly set: string };
    load(name: string, opts?: { hold?: boolean }): Promise<boolean>;
    /** Let a set loaded with `hold` go on screen. */
    release(): void;
    /** Drop a set still loading or held. */
    cancelLoad(): void;
    /** Install the keyframe sets an imported show carries (absent: the show's images are not installed). */
    installShowSets?(show: ShowSets): Promise<InstallReport>;
  };
  readonly tick: { readonly clock: QuantiseClock & { readonly barPhase: number; readonly beatPhase: number }; readonly modulation: { setRoutes(specs: unknown): { ok: boolean; problems: readonly { field: string; message: string }[] }[]; specs(): RouteSpec[] } | null };
  readonly audio: { audioNow(): number };
  saveRoutes(): void;
  /** Where the incoming scene's routes are read from when its switch starts. */
  storeSceneRoutes?(sceneId: string, routes: readonly RouteSpec[]): void;
  /**
   * Projector outputs and their mapping: saved with every preset, but only put back on request
   * (`useOutputs`): a look fired from the bank never moves the projectors' corner pins.
   */
  readonly outputs?: { snapshot(): unknown; restore(settings: unknown): Problem[] };
  /**
   * MIDI mappings and OSC aliases: saved with every preset, but only put back on request
   * (`useMappings`): firing a preset never replaces the performer's mappings.
   */
  readonly midi?: { readonly mappings: readonly MidiMapping[]; setMappings(input: unknown): string[] };
  /** The bridge link: controller aliases, the bank's slot addresses, OSC learn. */
  readonly bridge?: {
    readonly aliases: { readonly list: readonly OscMapping[]; set(input: unknown, field?: string): string[] };
    setSlotAddresses(addresses: readonly (string | null)[]): void;
    armOscLearn(label: string, handler: (address: string, arg: UnknownArg) => string | null, onEnd?: () => void): void;
    cancelOscLearn(message?: string): void;
  };
}

/** The last switch, for the panel and the tests. */
export interface SwitchRecord {
  readonly presetId: string;
  readonly name: string;
  readonly slot: number;
  readonly source: TriggerSource;
  readonly quantize: TriggerQuantize;
  readonly noTempo: boolean;
  /** Audio time of the trigger, of the due time (bar/beat start), and of the frame that applied it. */
  readonly triggeredAt: number;
  readonly dueAt: number;
  readonly appliedAt: number;
  /** Audio time of the frame before the applying one (NaN for a switch applied outside the frame): before `dueAt` when the switch took the first frame that reached it. */
  readonly prevFrameAt: number;
  /** The clock's bar and beat phase in the applying frame. */
  readonly barPhase: number;
  readonly beatPhase: number;
  /** Bars the switch waited beyond the first because the scene was still compiling. */
  readonly postponed: number;
  /** Problems applying (by field), empty when everything applied. */
  readonly problems: readonly string[];
}

export type LibraryPhase = 'loading' | 'ready' | 'failed';

type Listener = () => void;

export class PresetShow {
  phase: LibraryPhase = 'loading';
  readonly presets = new Map<string, Preset>();
  banks: PresetBank[] = [];
  bankIndex = 0;
  /** Slot playing in the bank on stage (-1: none), and its preset id. */
  playingSlot = -1;
  playingId = '';
  /** Slot armed for MIDI learn (-1: none). */
  learnSlot = -1;
  /** Slot armed for OSC learn of its address (-1: none). */
  oscLearnSlot = -1;
  /** The mappings `useMappings` replaced (one step back), or null. */
  previousMappings: { readonly midi: readonly MidiMapping[]; readonly osc: readonly OscMapping[]; readonly by: string } | null = null;
  /** `version` when the slot addresses were last handed to the bridge link. */
  private slotsSentVersion = -1;
  /** The last switch applied, or null. */
  last: SwitchRecord | null = null;
  /** What the panel says about the last trigger ("no tempo: switched now"). */
  notice = '';
  /** Bumped on every change the panel shows. */
  version = 0;
  /** Completed and failed IndexedDB writes (tests wait on these). */
  writes = 0;
  failures = 0;
  /**
   * The keyframe sets of the last imported show: installed in this browser now, already here with
   * the same content, renamed on the way (show name → name here; the imported presets use the new
   * name), and installed for this page only (the browser's storage refused them).
   */
  importedSets: { readonly installed: readonly string[]; readonly present: readonly string[]; readonly renamed: readonly (readonly [string, string])[]; readonly sessionOnly: readonly string[] } = { installed: [], present: [], renamed: [], sessionOnly: [] };
  /** Problems of the last import, formatted by field. */
  importProblems: readonly string[] = [];

  // ---- the pending switch (read by the frame check without allocation) ----
  /** Audio time the pending switch is due; NaN when none. */
  pendingAt = Number.NaN;
  pendingSlot = -1;
  private pendingPreset: Preset | null = null;
  private pendingScene = '';
  /** Keyframe set uploading ahead for the waiting preset, shown when it applies ('' for none). */
  private heldSet = '';
  private pendingQuantize: TriggerQuantize = 'none';
  private pendingSource: TriggerSource = 'api';
  private pendingTriggeredAt = 0;
  private pendingDueAt = 0;
  private pendingPostponed = 0;
  private lastFrameAt = Number.NaN;
  private prevFrameAt = Number.NaN;

  private readonly listeners = new Set<Listener>();
  private reportedWriteFailure = false;

  constructor(
    private readonly host: PresetShowHost,
    readonly store: PresetStore = new PresetStore(),
  ) {}

  // ------------------------------------------------------------------ UI store

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  get bank(): PresetBank | null {
    return this.banks[this.bankIndex] ?? null;
  }

  /** Whether a switch is waiting for its beat or bar. */
  get pending(): boolean {
    return this.pendingAt === this.pendingAt;
  }

  /** The pending switch's scene is still compiling. */
  get preparing(): boolean {
    const m = this.host.switcher.machine;
    return this.pending && this.pendingScene !== '' && m.to === this.pendingScene && m.phase === TransitionPhase.Preparing;
  }

  // ------------------------------------------------------------------ library: load and save

  /** Read the saved library; never rejects (a failure is reported and the library starts empty). */
  async load(): Promise<void> {
    let rec: PresetRecords;
    try {
      rec = await this.store.readAll();
    } catch (err) {
      this.phase = 'failed';
      report('warning', `The preset library could not be read (${err instanceof Error ? err.message : String(err)}); presets made now may not be saved.`);
      this.ensureBank();
      this.changed();
      return;
    }
    const problems: string[] = [];
    for (const [id, raw] of rec.presets) {
      const r = parsePreset(raw, { validateOutputs: validateOutputsField });
      if (!r.ok) {
        problems.push(...r.problems.map((p) => `preset ${id}: ${formatProblem(p)}`));
        continue;
      }
      for (const p of r.problems) problems.push(`preset ${id}: ${formatProblem(p)}`);
      this.presets.set(r.preset.id, r.preset);
    }
    if (rec.banks !== undefined) {
      const b = validateBanks(rec.banks, { presetIds: this.presets.keys() });
      this.banks = b.banks;
      for (const p of b.problems) problems.push(`banks: ${formatProblem(p)}`);
    }
    this.ensureBank();
    if (typeof rec.stage === 'string') {
      const i = this.banks.findIndex((b) => b.id === rec.stage);
      if (i >= 0) this.bankIndex = i;
    }
    this.phase = 'ready';
    if (problems.length > 0) reportLines('The preset library loaded except for', problems);
    this.changed();
  }

  private ensureBank(): void {
    if (this.banks.length === 0) this.banks = [{ id: randomId('b'), name: 'Bank 1', entries: [] }];
    if (this.bankIndex >= this.banks.length) this.bankIndex = 0;
  }

  private persist(p: Promise<void>): Promise<void> {
    return p.then(
      () => {
        this.writes++;
      },
      (err) => {
        this.failures++;
        if (!this.reportedWriteFailure) {
          this.reportedWriteFailure = true;
          report('warning', `The preset library could not be saved (${err instanceof Error ? err.message : String(err)}); the show goes on, but a reload would lose the latest changes.`);
        }
      },
    );
  }

  private saveBanks(): Promise<void> {
    return this.persist(this.store.putBanks(JSON.stringify(bankList(this.banks))));
  }

  private savePreset(p: Preset): Promise<void> {
    return this.persist(this.store.putPreset(p.id, serializePreset(p)));
  }

  private setEntries(bankIndex: number, entries: BankEntry[]): void {
    const b = this.banks[bankIndex];
    this.banks = this.banks.map((x, i) => (i === bankIndex ? { ...b, entries } : x));
  }

  // ------------------------------------------------------------------ editing

  /** Save the working state as a new preset at the end of the bank on stage. */
  saveCurrent(name: string, archiveState: ArchiveStateKey = 'none', annotation = '', quantize: TriggerQuantize = 'bar'): Preset {
    const h = this.host;
    const set = this.currentSet();
    const { preset, problems } = createPreset(
      {
        sceneId: h.switcher.selected || null,
        params: lookValues(h.bank.snapshot()),
        routes: h.tick.modulation?.specs() ?? [],
        keyframeSet: set || null,
        midi: h.midi?.mappings ?? [],
        osc: h.bridge?.aliases.list ?? [],
        outputs: (h.outputs?.snapshot() ?? {}) as Record<string, unknown>,
        archiveState,
        annotation,
      },
      { name: name.trim() === '' ? `Preset ${this.presets.size + 1}` : name, makeId: () => freshPresetId(this.presets) },
    );
    if (problems.length > 0) reportLines(`Preset "${preset.name}" was saved without`, problems.map(formatProblem));
    this.presets.set(preset.id, preset);
    this.ensureBank();
    const entries = [...this.banks[this.bankIndex].entries, { preset: preset.id, trigger: { key: null, midi: null, osc: null, quantize } }];
    this.setEntries(this.bankIndex, entries);
    void this.savePreset(preset).then(() => this.saveBanks());
    this.changed();
    return preset;
  }

  /** Copy a slot's preset into the slot after it. */
  duplicate(slot: number): Preset | null {
    const bank = this.bank;
    const e = bank?.entries[slot];
    const p = e ? this.presets.get(e.preset) : undefined;
    if (!bank || !e || !p) return null;
    const names = new Set<string>();
    for (const x of this.presets.values()) names.add(x.name);
    const copy = duplicatePreset(p, { takenIds: new Set(this.presets.keys()), takenNames: names });
    this.presets.set(copy.id, copy);
    const entries = [...bank.entries];
    // Triggers stay unique: the copy gets the quantise only.
    entries.splice(slot + 1, 0, { preset: copy.id, trigger: { key: null, midi: null, osc: null, quantize: e.trigger.quantize } });
    this.setEntries(this.bankIndex, entries);
    void this.savePreset(copy).then(() => this.saveBanks());
    this.changed();
    return copy;
  }

  rename(slot: number, name: string): boolean {
    const e = this.bank?.entries[slot];
    const p = e ? this.presets.get(e.preset) : undefined;
    if (!p) return false;
    const r = renamePreset(p, name);
    if (!r.ok) {
      report('warning', `Preset not renamed: ${r.problems.map(formatProblem).join('; ')}`);
      return false;
    }
    this.presets.set(p.id, r.preset);
    void this.savePreset(r.preset);
    this.changed();
    return true;
  }

  /** Put back the projector outputs and mapping saved with a slot's preset. Returns false when it has none. */
  useOutputs(slot: number): boolean {
    const e = this.bank?.entries[slot];
    const p = e ? this.presets.get(e.preset) : undefined;
    if (!p || !this.host.outputs || Object.keys(p.outputs).length === 0) return false;
    const problems = this.host.outputs.restore(p.outputs);
    if (problems.length > 0) reportLines(`The outputs of "${p.name}" were put back without`, problems.map(formatProblem));
    else report('info', `Outputs and mapping of "${p.name}" put back.`);
    return true;
  }

  /**
   * Use the MIDI mappings and OSC aliases saved with a slot's preset instead of the current ones,
   * which are kept for one step back (`restorePreviousMappings`). Mappings to parameters that do
   * not exist here are skipped and reported by field. False when the preset has none.
   */
  useMappings(slot: number): { ok: boolean; problems: string[] } {
    const e = this.bank?.entries[slot];
    const p = e ? this.presets.get(e.preset) : undefined;
    const h = this.host;
    if (!p || (!h.midi && !h.bridge) || p.midi.length + p.osc.length === 0) return { ok: false, problems: [] };
    this.previousMappings = { midi: [...(h.midi?.mappings ?? [])], osc: [...(h.bridge?.aliases.list ?? [])], by: p.name };
    const problems = this.putMappings(p.midi, p.osc);
    if (problems.length > 0) reportLines(`The mappings of "${p.name}" are in use except for`, problems);
    else report('info', `The mappings of "${p.name}" are in use (${p.midi.length} MIDI, ${p.osc.length} OSC); "restore previous mappings" puts the earlier ones back.`);
    this.changed();
    return { ok: true, problems };
  }

  /** Put back the mappings the last `useMappings` replaced (one step). False when there are none. */
  restorePreviousMappings(): boolean {
    const prev = this.previousMappings;
    if (prev === null) return false;
    this.previousMappings = null;
    const problems = this.putMappings(prev.midi, prev.osc);
    if (problems.length > 0) reportLines('The previous mappings are back except for', problems);
    else report('info', `The mappings in use before "${prev.by}" are back (${prev.midi.length} MIDI, ${prev.osc.length} OSC).`);
    this.changed();
    return true;
  }

  /**
   * After a show import: when this profile has no MIDI mappings and no OSC aliases of its own,
   * take those of the first of `presets` (the show's, in order) that has any, and say so.
   * Returns the preset used, or null (mappings of the profile are never replaced here).
   */
  adoptShowMappings(presets: readonly Preset[]): Preset | null {
    const h = this.host;
    if (!h.midi && !h.bridge) return null;
    if ((h.midi?.mappings.length ?? 0) + (h.bridge?.aliases.list.length ?? 0) > 0) return null;
    const p = presets.find((x) => x.midi.length + x.osc.length > 0);
    if (!p) return null;
    const problems = this.putMappings(p.midi, p.osc);
    const what = `${h.midi ? `${h.midi.mappings.length} MIDI mapping${h.midi.mappings.length === 1 ? '' : 's'}` : ''}${h.midi && h.bridge ? ' and ' : ''}${h.bridge ? `${h.bridge.aliases.list.length} OSC alias${h.bridge.aliases.list.length === 1 ? '' : 'es'}` : ''}`;
    report('info', `This profile had no MIDI or OSC mappings: it now uses those of "${p.name}" from the show (${what}).`);
    if (problems.length > 0) reportLines(`The mappings of "${p.name}" were taken except for`, problems);
    this.changed();
    return p;
  }

  /** Replace the MIDI mappings and OSC aliases; problems by field (`midi[2].param: ...`). */
  private putMappings(midi: readonly MidiMapping[], osc: readonly OscMapping[]): string[] {
    const h = this.host;
    const problems: string[] = [];
    if (h.midi) {
      const kept: MidiMapping[] = [];
      midi.forEach((m, i) => {
        if (h.bank.has(m.param)) kept.push(m);
        else problems.push(`midi[${i}].param: no parameter ${JSON.stringify(m.param)} here; skipped`);
      });
      for (const p of h.midi.setMappings(kept)) problems.push(`midi: ${p}`);
    } else if (midi.length > 0) problems.push(`midi: no MIDI here; ${midi.length} mapping(s) not used`);
    if (h.bridge) problems.push(...h.bridge.aliases.set(osc, 'osc'));
    else if (osc.length > 0) problems.push(`osc: no bridge link here; ${osc.length} alias(es) not used`);
    return problems;
  }

  /** Change a slot's archive state and annotation. */
  annotate(slot: number, state: ArchiveStateKey, annotation: string): boolean {
    const e = this.bank?.entries[slot];
    const p = e ? this.presets.get(e.preset) : undefined;
    if (!p) return false;
    const r = parsePreset({ ...p, archive: { state, annotation }, modified: new Date().toISOString() });
    if (!r.ok) return false;
    this.presets.set(p.id, r.preset);
    void this.savePreset(r.preset);
    this.changed();
    return true;
  }

  /** Remove a slot; its preset goes too when no other bank uses it. */
  remove(slot: number): boolean {
    const bank = this.bank;
    const e = bank?.entries[slot];
    if (!bank || !e) return false;
    this.setEntries(
      this.bankIndex,
      bank.entries.filter((_, i) => i !== slot),
    );
    if (this.playingSlot === slot) {
      this.playingSlot = -1;
    } else if (this.playingSlot > slot) this.playingSlot--;
    if (this.pendingSlot === slot) this.cancelPending();
    const used = this.banks.some((b) => b.entries.some((x) => x.preset === e.preset));
    const saved = this.saveBanks();
    if (!used) {
      this.presets.delete(e.preset);
      void saved.then(() => this.persist(this.store.deletePreset(e.preset)));
    }
    this.changed();
    return true;
  }

  setQuantize(slot: number, quantize: TriggerQuantize): void {
    this.updateTrigger(slot, { quantize });
  }

  /** Set or clear (null) the MIDI note of a slot; another slot holding the note loses it. */
  setNote(slot: number, midi: { channel: number; note: number } | null): void {
    const bank = this.bank;
    if (!bank || !bank.entries[slot]) return;
    if (midi !== null) {
      const other = slotForNote(bank, midi.channel, midi.note);
      if (other >= 0 && other !== slot) this.updateTrigger(other, { midi: null }, false);
    }
    this.updateTrigger(slot, { midi });
  }

  private updateTrigger(slot: number, patch: Partial<BankEntry['trigger']>, save = true): void {
    const bank = this.bank;
    if (!bank || !bank.entries[slot]) return;
    const entries = bank.entries.map((e, i) => (i === slot ? { ...e, trigger: { ...e.trigger, ...patch } } : e));
    this.setEntries(this.bankIndex, entries);
    if (save) void this.saveBanks();
    this.changed();
  }

  /** Arm (slot) or cancel (-1) MIDI learn of a slot's note: the next note-on is taken. */
  learn(slot: number): void {
    this.learnSlot = this.learnSlot === slot ? -1 : slot;
    this.changed();
  }

  addBank(name = `Bank ${this.banks.length + 1}`): void {
    this.banks = [...this.banks, { id: freshBankId(this.banks), name, entries: [] }];
    this.selectBank(this.banks.length - 1);
    void this.saveBanks();
  }

  selectBank(i: number): void {
    if (i < 0 || i >= this.banks.length || i === this.bankIndex) return;
    this.bankIndex = i;
    this.playingSlot = this.bank?.entries.findIndex((e) => e.preset === this.playingId) ?? -1;
    void this.persist(this.store.putStage(this.banks[i].id));
    this.changed();
  }

  // ------------------------------------------------------------------ triggers

  /** A key pressed (1–9: slot of the bank on stage, or an entry's own key); true when it fired a slot. */
  key(key: string): boolean {
    const slot = slotForKey(this.bank, key);
    return slot >= 0 && this.trigger(slot, 'key');
  }

  /** A MIDI note-on (channel 0..15). Called on the frame by the MIDI router. */
  noteOn(channel: number, note: number): void {
    if (this.learnSlot >= 0) {
      const slot = this.learnSlot;
      this.learnSlot = -1;
      this.setNote(slot, { channel, note });
      return;
    }
    const slot = slotForNote(this.bank, channel, note);
    if (slot >= 0) this.trigger(slot, 'midi');
  }

  /** `/engine/preset`: a slot index, or a preset name's code. */
  oscPreset(value: number): void {
    const slot = slotForOscValue(this.bank, value, (id) => this.presets.get(id)?.name, presetNameValue);
    if (slot >= 0) this.trigger(slot, 'osc');
    else report('warning', `OSC /engine/preset: ${value >= 0 ? `no slot ${value} in bank "${this.bank?.name ?? ''}"` : 'no preset of that name in the bank on stage'}.`);
  }

  /** The OSC addresses of the bank on stage's slots (null: none), index = slot. */
  slotAddresses(): (string | null)[] {
    return (this.bank?.entries ?? []).map((e) => e.trigger.osc);
  }

  /** Hand the bank on stage's slot addresses to the bridge link (it resends only when they changed). */
  private syncSlotAddresses(): void {
    this.slotsSentVersion = this.version;
    this.host.bridge?.setSlotAddresses(this.slotAddresses());
  }

  /**
   * Set (or clear, null) a slot's own OSC address: a message to it fires the slot like
   * `/engine/preset <slot>`. Another slot holding the address loses it. Returns why the address
   * cannot be used, or null.
   */
  setSlotAddress(slot: number, address: string | null): string | null {
    const bank = this.bank;
    if (!bank || !bank.entries[slot]) return `no slot ${slot + 1} in the bank on stage`;
    if (address !== null) {
      address = address.trim();
      if (address === '') address = null;
    }
    if (address !== null) {
      const bad = addressProblem(address);
      if (bad !== null) return bad;
      const h = this.host;
      if (engineAnswers(address, (path) => h.bank.has(path))) return `${address} is already an address of the engine`;
      if (h.bridge?.aliases.list.some((a) => a.address === address)) return `${address} is already a controller alias (remove it in the MIDI / OSC panel first)`;
      const other = bank.entries.findIndex((e, i) => i !== slot && e.trigger.osc === address);
      if (other >= 0) this.updateTrigger(other, { osc: null }, false);
    }
    this.updateTrigger(slot, { osc: address });
    return null;
  }

  /** Arm (or cancel) OSC learn of a slot's address: the next address the bridge does not know becomes it. */
  learnSlotAddress(slot: number): boolean {
    const bridge = this.host.bridge;
    if (!bridge) return false;
    if (this.oscLearnSlot === slot) {
      bridge.cancelOscLearn();
      return false;
    }
    if (!this.bank?.entries[slot]) return false;
    bridge.armOscLearn(
      `slot ${slot + 1}`,
      (address, arg) => {
        if (arg === 'string' || arg === 'other') return `${address} sent ${arg === 'string' ? 'a string' : 'an argument of another type'}; a slot fires on a bare message or a number (press a button)`;
        return this.setSlotAddress(slot, address);
      },
      () => {
        this.oscLearnSlot = -1;
        this.changed();
      },
    );
    this.oscLearnSlot = slot;
    this.changed();
    return true;
  }

  /** Previous/next in the set list (`steps` -1 / +1), from the slot playing or pending. */
  step(steps: number, source: TriggerSource = 'key'): boolean {
    const from = this.pending ? this.pendingSlot : this.playingSlot;
    const slot = stepSlot(from, steps, this.bank?.entries.length ?? 0);
    return slot >= 0 && slot !== from && this.trigger(slot, source);
  }

  /**
   * Fire a slot of the bank on stage. With a quantise and a tempo, the scene starts preparing now
   * and the rest waits for the beat or bar; without a tempo it all happens now (and the notice
   * says so). Returns false when the slot is empty.
   */
  trigger(slot: number, source: TriggerSource = 'api'): boolean {
    const e = this.bank?.entries[slot];
    const preset = e ? this.presets.get(e.preset) : undefined;
    if (!e || !preset) return false;
    const h = this.host;
    const now = h.audio.audioNow();
    const when = switchTime(e.trigger.quantize, h.tick.clock, now);
    this.notice = when.noTempo ? `No tempo: "${preset.name}" switched now instead of on the next ${e.trigger.quantize}.` : '';
    // A new trigger replaces one that is still waiting.
    this.pendingAt = Number.NaN;
    this.pendingPreset = preset;
    this.pendingSlot = slot;
    this.pendingQuantize = when.quantize;
    this.pendingSource = source;
    this.pendingTriggeredAt = now;
    this.pendingDueAt = when.at;
    this.pendingPostponed = 0;
    this.pendingScene = '';
    this.dropHeldSet();
    const scene = preset.scene.id;
    if (scene !== null && scene !== h.switcher.selected) {
      // The incoming scene's routes are read when its switch starts: hand them over first.
      h.storeSceneRoutes?.(scene, presetRouteSpecs(preset).filter((r) => r.target.startsWith(`${SCENE_PREFIX}${scene}/`)));
      if (h.switchScene(scene, { quantize: when.quantize })) this.pendingScene = scene;
    }
    const set = preset.keyframes.set;
    if (when.quantize !== 'none' && set !== null && set !== this.currentSet() && h.keyframes.sets.some((s) => s.name === set)) {
      // Decode and upload the set now, off screen; it goes on screen with the rest on the bar.
      void h.keyframes.load(set, { hold: true });
      this.heldSet = set;
    }
    if (when.quantize === 'none') {
      this.prevFrameAt = Number.NaN;
      this.apply(when.noTempo, now);
    } else {
      this.pendingAt = when.at;
      this.changed();
    }
    return true;
  }

  /** The keyframe set on screen, or the one loading (a held one included). */
  private currentSet(): string {
    const k = this.host.keyframes.status();
    return k.phase === 'loading' ? k.set : this.host.keyframes.setName;
  }

  /** Forget a set uploading ahead for a switch that will not happen. */
  private dropHeldSet(): void {
    if (this.heldSet === '') return;
    this.heldSet = '';
    this.host.keyframes.cancelLoad();
  }

  /** Drop a waiting switch (its scene switch too, when it has not started blending). */
  cancelPending(): void {
    if (!this.pending) return;
    this.dropHeldSet();
    const m = this.host.switcher.machine;
    if (this.pendingScene !== '' && m.to === this.pendingScene && m.phase !== TransitionPhase.Blending) m.cancel();
    this.pendingAt = Number.NaN;
    this.pendingPreset = null;
    this.pendingSlot = -1;
    this.changed();
  }

  /**
   * Once per frame, after the tick, with the frame's audio time: apply a pending switch whose due
   * time this frame reached. Allocates nothing until then.
   */
  frame(audioNow: number): void {
    if (this.slotsSentVersion !== this.version) this.syncSlotAddresses();
    this.prevFrameAt = this.lastFrameAt;
    this.lastFrameAt = audioNow;
    const at = this.pendingAt;
    if (at !== at || audioNow < at) return;
    if (this.preparing) {
      // The scene missed this bar: scene and values change together on the next one.
      const clock = this.host.tick.clock;
      this.pendingAt = this.pendingQuantize === 'bar' ? clock.nextBarTime(audioNow) : clock.nextBeatTime(audioNow);
      this.pendingDueAt = this.pendingAt;
      this.pendingPostponed++;
      return;
    }
    this.pendingAt = Number.NaN;
    this.apply(false, audioNow);
  }

  /** Apply the pending preset now: values, routes, keyframe set (the scene switch is already asked for). */
  private apply(noTempo: boolean, audioNow: number): void {
    const preset = this.pendingPreset;
    if (preset === null) return;
    const h = this.host;
    const problems: string[] = [];
    const values: Record<string, ParamValue> = {};
    const take = (rec: Readonly<Record<string, ParamValue>>): void => {
      for (const k of Object.keys(rec)) if (!KEEP_PATHS.has(k)) values[k] = rec[k];
    };
    take(preset.params);
    take(preset.keyframes.blend);
    take(preset.scene.params);
    const rep = h.bank.restore(values);
    for (const p of rep.problems) problems.push(p.path === '' ? p.message : `${p.path}: ${p.message}`);
    for (const k of rep.unknown) problems.push(`${k}: no such parameter here; skipped`);
    const m = h.tick.modulation;
    if (m) {
      const specs = presetRouteSpecs(preset);
      // During a scene switch the incoming scene's routes came from storage; the preset's global routes replace the running ones.
      const list = this.pendingScene !== '' ? [...m.specs().filter((r) => r.target.startsWith(SCENE_PREFIX)), ...specs.filter((r) => !r.target.startsWith(SCENE_PREFIX))] : specs;
      const offset = this.pendingScene !== '' ? list.length - specs.filter((r) => !r.target.startsWith(SCENE_PREFIX)).length : 0;
      const results = m.setRoutes(list);
      for (let i = offset; i < results.length; i++) {
        const r = results[i];
        if (!r.ok) problems.push(`routes[${i - offset}]: ${r.problems.map((q) => (q.field ? `${q.field}: ${q.message}` : q.message)).join(', ')}`);
      }
      h.saveRoutes();
    }
    const set = preset.keyframes.set;
    if (this.heldSet !== '' && this.heldSet === set) {
      h.keyframes.release();
      this.heldSet = '';
    } else this.dropHeldSet();
    if (set !== null) {
      const current = this.currentSet();
      if (set !== current) {
        if (h.keyframes.sets.some((s) => s.name === set)) void h.keyframes.load(set);
        else problems.push(`keyframes.set: the set "${set}" is not installed here; the current set stays`);
      }
    }
    const clock = h.tick.clock;
    this.last = {
      presetId: preset.id,
      name: preset.name,
      slot: this.pendingSlot,
      source: this.pendingSource,
      quantize: this.pendingQuantize,
      noTempo,
      triggeredAt: this.pendingTriggeredAt,
      dueAt: this.pendingDueAt,
      appliedAt: audioNow,
      prevFrameAt: this.prevFrameAt,
      barPhase: clock.barPhase,
      beatPhase: clock.beatPhase,
      postponed: this.pendingPostponed,
      problems,
    };
    this.playingSlot = this.pendingSlot;
    this.playingId = preset.id;
    this.pendingPreset = null;
    this.pendingSlot = -1;
    if (problems.length > 0) reportLines(`Preset "${preset.name}" applied except for`, problems);
    this.changed();
  }

  // ------------------------------------------------------------------ show files

  /** The library as a show file (every bank and every preset, with the keyframe images they use). */
  async exportShow(name = 'Glassforest show'): Promise<{ text: string; problems: string[] }> {
    const sets = this.host.keyframes.sets;
    const r = await exportShow(
      { name, presets: [...this.presets.values()], banks: this.banks },
      {
        manifest: (set) => sets.find((s) => s.name === set)?.manifest ?? null,
        image: async (set, path) => {
          const entry = sets.find((s) => s.name === set);
          const url = entry?.urlOf(path);
          if (!url) return null;
          const res = await fetch(url);
          if (!res.ok) return null;
          return new Uint8Array(await res.arrayBuffer());
        },
      },
    );
    const problems = r.problems.map(formatProblem);
    if (problems.length > 0) reportLines('The show was exported without', problems);
    return { text: r.text, problems };
  }

  /**
   * Read a show file: its presets join the library (a preset with the same id is replaced: the
   * show is newer), its banks are added (same id: replaced) and the first becomes the bank on
   * stage. Problems are listed by field and reported. False when nothing could be read.
   */
  async importShow(text: string): Promise<{ ok: boolean; problems: string[]; presets: number; banks: number }> {
    const r = importShow(text);
    const problems = r.problems.map(formatProblem);
    if (!r.ok) {
      this.importProblems = problems;
      report('error', `The show could not be imported: ${problems.slice(0, MAX_NAMED).join('; ')}`);
      this.changed();
      return { ok: false, problems, presets: 0, banks: 0 };
    }
    // The show's keyframe sets are installed in this browser first (or found here already), so a
    // set that had to take another name is renamed in the presets before they are stored.
    let imported = r.presets;
    this.importedSets = { installed: [], present: [], renamed: [], sessionOnly: [] };
    const kf = this.host.keyframes;
    if (r.sets.length > 0 && kf.installShowSets) {
      const sets = await kf.installShowSets({ name: r.name, sets: r.sets, images: r.images }).catch((err: unknown): InstallReport => ({
        installed: [],
        present: [],
        renamed: new Map<string, string>(),
        sessionOnly: [],
        problems: [`keyframe sets ${r.sets.map((x) => `"${x.name}"`).join(', ')}: not installed (${err instanceof Error ? err.message : String(err)})`],
      }));
      if (sets.renamed.size > 0) {
        imported = imported.map((p) => {
          const to = p.keyframes.set === null ? undefined : sets.renamed.get(p.keyframes.set);
          return to === undefined ? p : { ...p, keyframes: { ...p.keyframes, set: to } };
        });
      }
      this.importedSets = { installed: sets.installed, present: sets.present, renamed: [...sets.renamed], sessionOnly: sets.sessionOnly };
      problems.push(...sets.problems);
      for (const [from, to] of sets.renamed) {
        const users = imported.filter((p) => p.keyframes.set === to).map((p) => `"${p.name}"`);
        report('info', `Keyframe set "${from}" of the show differs from the set of that name here: it is installed as "${to}"${users.length > 0 ? `, and ${users.join(', ')} use${users.length === 1 ? 's' : ''} it` : ''}.`);
      }
    }
    for (const p of imported) this.presets.set(p.id, p);
    let banks = r.banks as PresetBank[];
    if (banks.length === 0 && r.presets.length > 0) {
      banks = [{ id: freshBankId(this.banks), name: r.name || 'Imported', entries: r.presets.map((p) => ({ preset: p.id, trigger: { key: null, midi: null, osc: null, quantize: 'bar' as const } })) }];
    }
    const ids = new Set(banks.map((b) => b.id));
    // Empty banks (a fresh library's "Bank 1") make way for the show's.
    const kept = this.banks.filter((b) => !ids.has(b.id) && b.entries.length > 0);
    this.banks = [...kept, ...banks];
    this.ensureBank();
    if (banks.length > 0) {
      this.bankIndex = this.banks.indexOf(banks[0]);
      this.playingSlot = -1;
    }
    await this.persist(this.store.putMany(imported.map((p) => ({ id: p.id, text: serializePreset(p) })), JSON.stringify(bankList(this.banks))));
    void this.persist(this.store.putStage(this.banks[this.bankIndex].id));
    // The report shows with the presets, not while the sets are still being installed.
    this.importProblems = problems;
    const installed = this.importedSets.installed.length > 0 ? `; keyframe set${this.importedSets.installed.length === 1 ? '' : 's'} installed: ${this.importedSets.installed.join(', ')}` : '';
    if (problems.length > 0) reportLines(`Show "${r.name}" imported (${r.presets.length} presets${installed}) except for`, problems);
    else report('info', `Show "${r.name}" imported: ${r.presets.length} presets, ${banks.length} bank${banks.length === 1 ? '' : 's'}${installed}.`);
    // A profile without mappings of its own takes the show's (never replaces the performer's).
    this.adoptShowMappings(imported);
    this.changed();
    return { ok: true, problems, presets: r.presets.length, banks: banks.length };
  }

  /** The problems of a preset as read (for the panel's import report). */
  static describe(problems: readonly Problem[]): string[] {
    return problems.map(formatProblem);
  }
}

function reportLines(lead: string, lines: readonly string[]): void {
  const named = lines.slice(0, MAX_NAMED).join('; ');
  const more = lines.length > MAX_NAMED ? ` (and ${lines.length - MAX_NAMED} more)` : '';
  report('warning', `${lead} ${lines.length} problem${lines.length === 1 ? '' : 's'}: ${named}${more}.`);
}

function freshPresetId(taken: ReadonlyMap<string, unknown>): string {
  for (;;) {
    const id = randomId('p');
    if (!taken.has(id)) return id;
  }
}

function freshBankId(banks: readonly PresetBank[]): string {
  for (;;) {
    const id = randomId('b');
    if (!banks.some((b) => b.id === id)) return id;
  }
}
