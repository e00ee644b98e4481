/**
 * The page side of OSC control: records from the bridge are copied into a preallocated queue
 * as they arrive and applied to the parameter bank and beat clock on the frame tick, so every
 * change lands in a frame and nothing allocates on the way.
 */
import type { BeatClock } from '../../clock/index.ts';
import type { ParamBank } from '../../params/index.ts';
import type { ExternalSlotSink } from '../midi/mod-slots.ts';
import { COMMANDS, Command, EntryKind, type OscAddressSpace } from './address-space.ts';
import { MAX_OSC_EXT, isExtName } from './ext.ts';
import { FRAME_CONTROL, RECORD_BYTES, RECORDS_HEADER, recordCount } from './wire.ts';

const QUEUE = 4096;
const LOG = 256;

export class OscApplier {
  /** Records applied since start. */
  applied = 0;
  /** Records dropped because the queue was full (the frame loop stalled) or pointed nowhere. */
  dropped = 0;
  /** Frames from the bridge that were not well-formed records frames. */
  badFrames = 0;
  /** The newest `/engine/keyframe/blend` value (0..1); it moves the keyframe crossfader (`/keyframes/fader`). */
  keyframeBlend = 0;
  /** Bank id of `/keyframes/fader`, -1 when the bank has no keyframe deck. */
  private faderId = -1;
  /** Scene chosen by OSC: called at most once per frame, with the scene index. */
  onScene: ((index: number) => void) | null = null;
  /** `/engine/preset`: called at most once per frame with the value (slot index >= 0, or `presetNameValue(name)` < 0). */
  onPreset: ((value: number) => void) | null = null;
  /** `/engine/preset/next` (+1) and `/prev` (-1): called at most once per frame with the sum of steps. */
  onPresetStep: ((steps: number) => void) | null = null;
  /** Entry index, value and time (ms, the host's clock) of the newest applied records: for tests and the latency bench. */
  readonly logEntry = new Int32Array(LOG);
  readonly logValue = new Float64Array(LOG);
  readonly logAtMs = new Float64Array(LOG);
  logCount = 0;

  private readonly qEntry = new Int32Array(QUEUE);
  private readonly qN = new Uint8Array(QUEUE);
  private readonly qVal = new Float64Array(QUEUE * 3);
  private head = 0;
  private tail = 0;
  /** Bank id of each address-space param (-1 when the bank does not have it). */
  private bankIds: Int32Array = new Int32Array(0);
  private space: OscAddressSpace | null = null;
  /** Matrix slot of each OSC ext slot the bridge announced (-1: none yet), and their names. */
  private readonly extSlots = new Int32Array(MAX_OSC_EXT).fill(-1);
  private readonly extNames: (string | undefined)[] = [];
  private sink: ExternalSlotSink | null = null;

  /** Write `/ext/<name>` values into the slots of `matrix` (the engine's `tick.modulation`), or stop with null. */
  setModulation(matrix: ExternalSlotSink | null): void {
    this.sink = matrix;
    for (let k = 0; k < MAX_OSC_EXT; k++) {
      const name = this.extNames[k];
      this.extSlots[k] = name !== undefined && matrix !== null ? matrix.externalSlot(name) : -1;
    }
  }

  /** The bridge numbered an /ext/ name (edge: a text message); false when the announcement is unusable. */
  bindExt(slot: unknown, name: unknown): boolean {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= MAX_OSC_EXT || !isExtName(name)) return false;
    this.extNames[slot] = name;
    this.extSlots[slot] = this.sink !== null ? this.sink.externalSlot(name) : -1;
    return true;
  }

  /** Forget the bridge's numbering (a new connection announces its own). */
  clearExt(): void {
    this.extNames.length = 0;
    this.extSlots.fill(-1);
  }

  /** /ext/ names announced so far (for source pickers). */
  get extNameList(): string[] {
    return this.extNames.filter((n): n is string => n !== undefined);
  }

  /** Use `space` against `bank` (call again when the bank's parameter set changes). */
  bind(space: OscAddressSpace, bank: ParamBank): void {
    this.space = space;
    this.bankIds = new Int32Array(space.params.length);
    for (let i = 0; i < space.params.length; i++) this.bankIds[i] = bank.idOf(space.params[i].path);
    this.faderId = bank.has('/keyframes/fader') ? bank.idOf('/keyframes/fader') : -1;
    this.head = this.tail = 0;
  }

  get queued(): number {
    return this.tail - this.head;
  }

  /** Copy a control frame's records into the queue (call from the socket's message handler). */
  enqueue(view: DataView): number {
    const n = recordCount(view, FRAME_CONTROL);
    if (n < 0) {
      this.badFrames++;
      return 0;
    }
    if (this.head === this.tail) this.head = this.tail = 0;
    for (let i = 0; i < n; i++) {
      if (this.tail - this.head >= QUEUE) {
        this.dropped += n - i;
        break;
      }
      if (this.tail >= QUEUE) this.compact();
      const at = RECORDS_HEADER + i * RECORD_BYTES;
      const k = this.tail++;
      this.qEntry[k] = view.getUint32(at, true);
      this.qN[k] = view.getUint32(at + 4, true);
      this.qVal[k * 3] = view.getFloat64(at + 8, true);
      this.qVal[k * 3 + 1] = view.getFloat64(at + 16, true);
      this.qVal[k * 3 + 2] = view.getFloat64(at + 24, true);
    }
    return n;
  }

  private compact(): void {
    const n = this.tail - this.head;
    this.qEntry.copyWithin(0, this.head, this.tail);
    this.qN.copyWithin(0, this.head, this.tail);
    this.qVal.copyWithin(0, this.head * 3, this.tail * 3);
    this.head = 0;
    this.tail = n;
  }

  /**
   * Apply everything queued: parameters into `bank`, tempo commands into `clock` at audio time
   * `audioNow`. `nowMs` stamps the log. Call once per frame before the tick.
   */
  applyQueued(bank: ParamBank, clock: BeatClock, audioNow: number, nowMs: number): void {
    const space = this.space;
    if (space === null) {
      this.head = this.tail = 0;
      return;
    }
    let scene = -1;
    let preset = Number.NaN;
    let presetSteps = 0;
    const entries = space.entries;
    for (let k = this.head; k < this.tail; k++) {
      const e = entries[this.qEntry[k]];
      const v0 = this.qVal[k * 3];
      if (e === undefined) {
        // Past the address space: an /ext/ modulation slot, when the bridge announced it.
        const x = this.qEntry[k] - entries.length;
        const ext = x >= 0 && x < MAX_OSC_EXT ? this.extSlots[x] : -1;
        if (ext < 0 || this.sink === null || !(v0 - v0 === 0)) {
          this.dropped++;
          continue;
        }
        this.sink.external[ext] = v0;
      } else if (e.kind === EntryKind.Slot) {
        // A slot's own address: fires it through the same path as `/engine/preset <slot>`.
        if (v0 > 0) preset = e.command;
      } else if (e.kind === EntryKind.Command) {
        switch (COMMANDS[e.command].command) {
          case Command.Scene:
            scene = v0;
            break;
          case Command.Preset:
            preset = v0;
            break;
          case Command.PresetNext:
            if (v0 > 0) presetSteps++;
            break;
          case Command.PresetPrev:
            if (v0 > 0) presetSteps--;
            break;
          case Command.Tap:
            if (v0 > 0) clock.tap(audioNow);
            break;
          case Command.Bpm:
          case Command.ClockTempo:
            clock.setTempo(v0, audioNow);
            break;
          case Command.ClockPhase:
            clock.setPhase(v0, audioNow);
            break;
          case Command.ClockBar:
            clock.setBar(v0, audioNow);
            break;
          case Command.Nudge:
            clock.nudgeBeats(v0);
            break;
          case Command.Double:
            if (v0 > 0) clock.double();
            break;
          case Command.Half:
            if (v0 > 0) clock.half();
            break;
          case Command.ResetPhase:
            if (v0 > 0) clock.resetPhase();
            break;
          case Command.KeyframeBlend:
            this.keyframeBlend = v0 < 0 ? 0 : v0 > 1 ? 1 : v0;
            if (this.faderId >= 0) bank.setNormalized(this.faderId, this.keyframeBlend);
            break;
        }
      } else {
        const id = this.bankIds[e.param];
        if (id < 0) {
          this.dropped++;
          continue;
        }
        if (e.kind === EntryKind.Norm) bank.setNormalized(id, v0 < 0 ? 0 : v0 > 1 ? 1 : v0);
        else if (this.qN[k] === 3) bank.setColor(id, this.qVal[k * 3], this.qVal[k * 3 + 1], this.qVal[k * 3 + 2]);
        else bank.set(id, v0);
      }
      const slot = this.logCount % LOG;
      this.logEntry[slot] = this.qEntry[k];
      this.logValue[slot] = v0;
      this.logAtMs[slot] = nowMs;
      this.logCount++;
      this.applied++;
    }
    this.head = this.tail = 0;
    if (scene >= 0 && this.onScene !== null) this.onScene(scene);
    if (preset === preset && this.onPreset !== null) this.onPreset(preset);
    if (presetSteps !== 0 && this.onPresetStep !== null) this.onPresetStep(presetSteps);
  }
}
