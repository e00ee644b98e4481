/**
 * Web MIDI in the page: every input port feeds the engine's MIDI router (one parser per port),
 * clock bytes reach the beat clock on the audio clock, mappings apply on the frame tick and
 * persist to localStorage as they change. Hardware MIDI from the Node bridge enters through the
 * same `feedMidiBytes`. Feedback (LEDs, rings, motor faders) goes back to the output port with
 * the input's name.
 */
import type { Seconds } from '../../engine/features/layout.ts';
import type { MidiClockSink, MidiMapping } from '../../engine/control/midi/index.ts';
import { MidiRouter } from '../../engine/control/midi/index.ts';
import { describeError, report } from '../../engine/messages.ts';
import type { ParamBank } from '../../engine/params/index.ts';

export const MAPPINGS_STORAGE_KEY = 'glassforest.midi.mappings';

export type MidiAccessState = 'off' | 'requesting' | 'ready' | 'unsupported' | 'refused';

export interface MidiInputStatus {
  readonly state: MidiAccessState;
  /** For the performer: what is going on, and what to do about it. */
  readonly message: string;
  readonly inputs: readonly { id: string; name: string; state: string }[];
  readonly outputs: readonly { id: string; name: string }[];
  /** Armed parameter path ('' when learn is not armed). */
  readonly armed: string;
  readonly mappingsVersion: number;
}

/** Sends bytes to a port outside Web MIDI (the bridge's hardware outputs); returns false when it cannot. */
export type ExternalMidiOut = (portName: string, bytes: Uint8Array) => boolean;

type Listener = () => void;

export class MidiInput {
  readonly router: MidiRouter;
  private access: MIDIAccess | null = null;
  private status: MidiInputStatus = { state: 'off', message: 'MIDI not started', inputs: [], outputs: [], armed: '', mappingsVersion: 0 };
  private readonly listeners = new Set<Listener>();
  private readonly outBuf = new Uint8Array(512);
  private external: ExternalMidiOut | null = null;
  /** Ports that reached us from outside Web MIDI (the bridge), by name. */
  private readonly externalPorts = new Set<string>();
  private lastArmed = '';

  constructor(
    bank: ParamBank,
    clock: MidiClockSink | null,
    /** Audio-clock time (s) of a performance.now() time stamp (ms). */
    private readonly audioTimeOf: (perfMs: number) => Seconds,
    private readonly storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage,
  ) {
    this.router = new MidiRouter(bank, clock);
    this.restore();
    this.router.onMappingsChanged = (m) => {
      this.save(m);
      this.publish({});
    };
  }

  // ------------------------------------------------------------ store for the UI

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  getStatus(): MidiInputStatus {
    return this.status;
  }

  private publish(patch: Partial<MidiInputStatus>): void {
    this.status = { ...this.status, ...patch, armed: this.router.learn.param, mappingsVersion: this.router.mapper.version };
    for (const l of this.listeners) l();
  }

  // ------------------------------------------------------------ persistence

  private restore(): void {
    if (!this.storage) return;
    let text: string | null = null;
    try {
      text = this.storage.getItem(MAPPINGS_STORAGE_KEY);
    } catch {
      return; // storage blocked: mappings live for this session only
    }
    if (!text) return;
    try {
      const problems = this.router.mapper.setMappings(JSON.parse(text));
      if (problems.length > 0) report('warning', `Saved MIDI mappings: ${problems.length} problem(s) — ${problems.slice(0, 3).join('; ')}`);
    } catch (err) {
      report('warning', `Saved MIDI mappings could not be read (${describeError(err)}); starting with none.`);
    }
  }

  private save(mappings: readonly MidiMapping[]): void {
    if (!this.storage) return;
    try {
      this.storage.setItem(MAPPINGS_STORAGE_KEY, JSON.stringify({ version: 1, mappings }));
    } catch (err) {
      report('warning', `MIDI mappings could not be saved (${describeError(err)}); they last until reload.`);
    }
  }

  // ------------------------------------------------------------ Web MIDI

  /** Ask for Web MIDI. Never throws; the status says what happened and what to do. */
  async start(): Promise<void> {
    const nav = typeof navigator === 'undefined' ? null : (navigator as Navigator & { requestMIDIAccess?: Navigator['requestMIDIAccess'] });
    if (!nav || typeof nav.requestMIDIAccess !== 'function') {
      this.publish({
        state: 'unsupported',
        message: 'This browser has no Web MIDI. Use Chrome, Edge or Opera, or start the bridge (npm run bridge) for hardware MIDI.',
      });
      return;
    }
    this.publish({ state: 'requesting', message: 'Asking for MIDI access…' });
    try {
      const access = await nav.requestMIDIAccess({ sysex: false });
      this.access = access;
      access.onstatechange = () => this.syncPorts();
      this.syncPorts();
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const message =
        name === 'SecurityError' || name === 'NotAllowedError'
          ? 'MIDI access was refused. Allow MIDI for this page in the browser’s site settings, then press Retry.'
          : `No MIDI system is available (${describeError(err)}). Controllers can still reach the engine through the bridge (npm run bridge).`;
      this.publish({ state: 'refused', message });
    }
  }

  /** Attach new ports, drop vanished ones (hot-plug). */
  private syncPorts(): void {
    const access = this.access;
    if (!access) return;
    const inputs: { id: string; name: string; state: string }[] = [];
    const seen = new Set<string>();
    access.inputs.forEach((input) => {
      const name = input.name || input.id;
      seen.add(input.id);
      inputs.push({ id: input.id, name, state: input.state });
      if (input.state === 'disconnected') {
        this.router.removePort(input.id);
        return;
      }
      const known = this.router.port(input.id);
      if (!known) this.router.addPort(input.id, name);
      if (!known || input.onmidimessage === null) {
        const id = input.id;
        input.onmidimessage = (e: MIDIMessageEvent) => {
          if (e.data) this.feedMidiBytes(id, e.data, e.timeStamp);
        };
      }
    });
    for (const p of this.router.portList()) if (!seen.has(p.id) && !this.externalPorts.has(p.name)) this.router.removePort(p.id);
    const outputs: { id: string; name: string }[] = [];
    access.outputs.forEach((o) => {
      if (o.state !== 'disconnected') outputs.push({ id: o.id, name: o.name || o.id });
    });
    // A controller that (re)appeared shows nothing yet: send it the whole state.
    this.router.feedback.resend();
    const n = inputs.filter((i) => i.state !== 'disconnected').length;
    this.publish({
      state: 'ready',
      message: n === 0 ? 'MIDI ready. No controller connected: plug one in (it appears here).' : `MIDI ready: ${n} input${n === 1 ? '' : 's'}.`,
      inputs,
      outputs,
    });
  }

  /**
   * Raw MIDI bytes from port `portId` received at `timeMs` (performance.now() time base, as
   * Web MIDI stamps them). The Node bridge client calls this too. Allocates nothing for a known port.
   */
  feedMidiBytes(portId: string, bytes: Uint8Array, timeMs: number): void {
    if (!(bytes instanceof Uint8Array)) return;
    const t = Number.isFinite(timeMs) ? this.audioTimeOf(timeMs) : this.audioTimeOf(performance.now());
    if (!this.router.port(portId)) {
      this.externalPorts.add(portId);
      this.router.addPort(portId, portId);
    }
    this.router.feed(portId, bytes, t);
  }

  /** Where feedback for ports outside Web MIDI (the bridge) goes. */
  setExternalOutput(out: ExternalMidiOut | null): void {
    this.external = out;
  }

  // ------------------------------------------------------------ per frame

  /** Apply queued MIDI to the parameters and send feedback. Call once per frame, before the tick. */
  frame(nowMs: number): void {
    this.router.drain();
    const learn = this.router.learn;
    if (learn.param !== this.lastArmed) {
      this.lastArmed = learn.param; // edge: the UI shows the armed parameter
      this.publish({});
    }
    this.sendFeedback(nowMs);
  }

  private sendFeedback(nowMs: number): void {
    const access = this.access;
    const out = this.outBuf;
    if (access) {
      access.outputs.forEach((o) => {
        if (o.state === 'disconnected') return;
        const n = this.router.collectFeedback(o.name || o.id, nowMs, out);
        if (n > 0) {
          try {
            o.send(out.slice(0, n));
          } catch {
            /* port vanished between listing and sending: next statechange drops it */
          }
        }
      });
    }
    if (this.external) {
      for (const name of this.externalPorts) {
        const n = this.router.collectFeedback(name, nowMs, out);
        if (n > 0) this.external(name, out.slice(0, n));
      }
    }
  }

  // ------------------------------------------------------------ learn and edits (UI)

  arm(path: string): void {
    const id = this.router.bank.idOf(path);
    const decl = this.router.bank.declOf(id);
    this.router.learn.arm(path, decl?.type ?? 'number');
    this.lastArmed = path;
    this.publish({});
  }

  cancelLearn(): void {
    this.router.learn.cancel();
    this.lastArmed = '';
    this.publish({});
  }

  removeMapping(index: number): void {
    this.router.removeMapping(index);
  }

  /** Replace every mapping (a preset's); returns the validator's problems. Saved like any change. */
  setMappings(input: unknown): string[] {
    return this.router.setMappings(input);
  }

  updateMapping(index: number, patch: Partial<MidiMapping>): void {
    const problems = this.router.updateMapping(index, patch);
    if (problems.length > 0) report('warning', `MIDI mapping not changed: ${problems.join('; ')}`);
  }

  get mappings(): readonly MidiMapping[] {
    return this.router.mapper.mappings;
  }
}

let active: MidiInput | null = null;

/** Make `input` the target of `feedMidiBytes` (the page's engine host does this once). */
export function setActiveMidiInput(input: MidiInput | null): void {
  active = input;
}

/**
 * Raw MIDI bytes from port `portId` (a Web MIDI port id or a bridge port name) received at
 * `timeMs` on the performance.now() clock. For the bridge client and tests; never throws.
 */
export function feedMidiBytes(portId: string, bytes: Uint8Array, timeMs: number): void {
  active?.feedMidiBytes(portId, bytes, timeMs);
}
