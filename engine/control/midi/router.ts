/**
 * Where MIDI bytes from every source (Web MIDI ports in the page, the Node bridge) meet the
 * engine: one parser per port, clock and transport bytes to the beat clock at once (they carry
 * their own time stamps), everything else queued and applied to the parameter bank when the
 * frame drains it, so parameters change at one place in the frame. MIDI learn completes on the
 * drain too. Pure: no DOM, no Web MIDI; the page and the bridge client call `feed`.
 */
import type { Seconds } from '../../features/layout.ts';
import type { ParamBank } from '../../params/bank.ts';
import { MidiFeedback } from './feedback.ts';
import { MidiLearn } from './learn.ts';
import { MidiMapper, type MidiMapping } from './mapping.ts';
import { MidiModulationSlots, type ExternalSlotSink } from './mod-slots.ts';
import { MidiParser, MidiEventType, type MidiEvent } from './parser.ts';
import { MidiEventQueue } from './queue.ts';

/** The part of the beat clock MIDI clock needs (BeatClock satisfies it). */
export interface MidiClockSink {
  midiBytes(data: Uint8Array, t: Seconds, offset?: number, length?: number): void;
}

export interface MidiPortState {
  readonly id: string;
  readonly name: string;
  /** The mapper's slot for this port name (stamped on its events). */
  readonly slot: number;
  readonly parser: MidiParser;
  /** Messages received since the port appeared. */
  messages: number;
  /** Audio-clock time of the newest bytes. */
  lastTime: Seconds;
}

export interface MidiRouterOptions {
  queueCapacity?: number;
  sysexCapacity?: number;
  feedbackIntervalMs?: number;
}

export class MidiRouter {
  readonly mapper: MidiMapper;
  readonly learn = new MidiLearn();
  /** Every CC, note, bend and pressure also feeds a modulation slot (`ext:midi:<ch>:cc:<n>`...). */
  readonly modulation = new MidiModulationSlots();
  readonly feedback: MidiFeedback;
  readonly queue: MidiEventQueue;
  /** Called (outside the hot path) when a learn completes or mappings change through the router. */
  onMappingsChanged: ((mappings: readonly MidiMapping[]) => void) | null = null;
  /** Called when a learn completes, with the new mapping. */
  onLearned: ((m: MidiMapping) => void) | null = null;
  /** Every note-on (velocity > 0) as it is applied: the preset bank fires slots by note. Called on the frame, before mappings. */
  onNoteOn: ((channel: number, note: number, time: number) => void) | null = null;
  /** Packets with clock/transport bytes handed to the beat clock. */
  clockBytes = 0;

  private readonly ports = new Map<string, MidiPortState>();
  private readonly sysexCapacity: number;
  private readonly apply = (e: MidiEvent): void => this.applyOne(e);

  constructor(
    readonly bank: ParamBank,
    private readonly clock: MidiClockSink | null,
    opts: MidiRouterOptions = {},
  ) {
    this.mapper = new MidiMapper(bank);
    this.feedback = new MidiFeedback(this.mapper, { minIntervalMs: opts.feedbackIntervalMs });
    this.queue = new MidiEventQueue(opts.queueCapacity ?? 2048);
    this.sysexCapacity = opts.sysexCapacity ?? 1024;
  }

  /** Register an input port (Web MIDI id or bridge port name); its name binds port-specific mappings. */
  addPort(id: string, name = id): MidiPortState {
    const old = this.ports.get(id);
    if (old && old.name === name) {
      old.parser.reset();
      return old;
    }
    const slot = this.mapper.portSlotOf(name);
    const queue = this.queue;
    const parser = new MidiParser((e) => queue.push(e), { port: slot, sysexCapacity: this.sysexCapacity });
    const st: MidiPortState = { id, name, slot, parser, messages: 0, lastTime: 0 };
    this.ports.set(id, st);
    return st;
  }

  removePort(id: string): void {
    this.ports.delete(id);
  }

  port(id: string): MidiPortState | undefined {
    return this.ports.get(id);
  }

  portList(): MidiPortState[] {
    return [...this.ports.values()];
  }

  /**
   * Bytes from port `portId` received at audio-clock time `time` (seconds). Clock bytes reach the
   * beat clock now; other messages wait in the queue for `drain`. Unknown ports are added.
   * Allocates nothing for a known port.
   */
  feed(portId: string, bytes: Uint8Array, time: Seconds, offset = 0, length = bytes.length - offset): void {
    let st = this.ports.get(portId);
    if (st === undefined) st = this.addPort(portId);
    const end = offset + length;
    let clocky = false;
    for (let i = offset; i < end; i++) {
      const b = bytes[i];
      if (b === 0xf8 || b === 0xfa || b === 0xfb || b === 0xfc || b === 0xf2) clocky = true;
    }
    // The clock follower keeps its own running status (song position spans bytes), so it sees every byte.
    if (this.clock !== null) this.clock.midiBytes(bytes, time, offset, length);
    if (clocky) this.clockBytes++;
    const before = st.parser.stats.messages;
    st.parser.feed(bytes, time, offset, length);
    st.messages += st.parser.stats.messages - before;
    st.lastTime = time;
  }

  /** Feed modulation slots of `matrix` (the engine's `tick.modulation`), or stop with null. */
  setModulation(matrix: ExternalSlotSink | null): void {
    this.modulation.attach(matrix);
  }

  /** Apply queued events to the bank (and to an armed learn). Call once per frame; returns events applied. */
  drain(): number {
    return this.queue.drain(this.apply);
  }

  private applyOne(e: MidiEvent): void {
    const t = e.type;
    if (t >= MidiEventType.SysEx) return; // system messages: clock went to the beat clock already
    // Modulation slots follow every control, mapped or not, also while a learn is armed.
    this.modulation.handle(e);
    if (t === MidiEventType.NoteOn && e.value > 0 && this.onNoteOn !== null) this.onNoteOn(e.channel, e.number, e.time);
    if (this.learn.state === 'armed') {
      const m = this.learn.offer(e, this.mapper.portName(e.port));
      if (m !== null) {
        this.mapper.setMapping(m);
        this.onLearned?.(m);
        this.onMappingsChanged?.(this.mapper.mappings);
        return;
      }
    }
    // Other controls keep working while a learn is armed: the show goes on.
    this.mapper.handle(e);
  }

  /** Replace every mapping (autosave, preset); returns the validator's problems. */
  setMappings(input: unknown): string[] {
    const problems = this.mapper.setMappings(input);
    this.onMappingsChanged?.(this.mapper.mappings);
    return problems;
  }

  removeMapping(index: number): void {
    this.mapper.remove(index);
    this.onMappingsChanged?.(this.mapper.mappings);
  }

  updateMapping(index: number, patch: Partial<MidiMapping>): string[] {
    const problems = this.mapper.update(index, patch);
    this.onMappingsChanged?.(this.mapper.mappings);
    return problems;
  }

  /** Feedback bytes for the output port named `portName` (see MidiFeedback.collect). */
  collectFeedback(portName: string, nowMs: number, out: Uint8Array): number {
    const slot = this.mapper.portSlotOf(portName);
    return this.feedback.collect(slot, nowMs, out);
  }
}
