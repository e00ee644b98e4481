/**
 * The page's link to the Node bridge (`npm run bridge`): OSC control records in (queued as
 * they arrive, applied on the frame tick), parameter values out (for OSCQuery), features,
 * onsets and beats out as OSC, and hardware MIDI bytes in. Reconnects with backoff, so the
 * bridge may start before or after the page; the engine runs the same without it.
 */
import { ONSET_RING } from '../../engine/features/bus.ts';
import {
  FRAME_CONTROL,
  FRAME_MIDI,
  OscAddressSpace,
  OscApplier,
  OscFloatMessage,
  ValueReporter,
  cleanSlotAddresses,
  type UnknownArg,
} from '../../engine/control/osc/index.ts';
import type { BeatClock } from '../../engine/clock/index.ts';
import { FEATURE_DECLS, F } from '../../engine/features/layout.ts';
import type { ParamBank, ResolvedParam } from '../../engine/params/index.ts';
import { report } from '../../engine/messages.ts';
import { OscAliases } from './osc-aliases.ts';

export const DEFAULT_BRIDGE_PORT = 57130;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5000;
/** How often changed parameter values are reported to the bridge (OSCQuery VALUE and LISTEN). */
const VALUES_EVERY_MS = 100;
const utf8Out = new TextEncoder();
const utf8In = new TextDecoder();

export type BridgePhase = 'off' | 'connecting' | 'connected' | 'not running';

export interface BridgeStatus {
  phase: BridgePhase;
  url: string;
  /** What the bridge says about hardware MIDI, once connected. */
  midi: string;
  oscOut: string | null;
  /** Reconnection attempts since the last connection. */
  attempts: number;
  /** What an armed OSC learn is for (a parameter path, "slot 3"), '' when none is armed. */
  oscLearn: string;
  /** What the last OSC learn said (learned, or why an address was not taken). */
  oscLearnMessage: string;
}

/**
 * Takes an address the bridge could not resolve while an OSC learn is armed: returns null when
 * it took the address (the learn ends), else why not (the learn stays armed).
 */
export type OscLearnHandler = (address: string, arg: UnknownArg) => string | null;

/** Hardware MIDI from the bridge: same signature as the page's MIDI parser entry. */
export type MidiBytesSink = (portId: string, bytes: Uint8Array, timeMs: number) => void;

export interface FeaturesOutConfig {
  /** Feature names from the feature layout (e.g. 'loudness', 'bands3', 'centroid'), sent normalised 0..1 and smoothed. */
  features: string[];
  /** Messages per second for the features (onsets and beats go as they happen). */
  rateHz: number;
  onsets: boolean;
  beats: boolean;
  /** Address prefix, e.g. '/glassforest' gives /glassforest/feature/loudness. */
  prefix: string;
}

export const DEFAULT_FEATURES_OUT: FeaturesOutConfig = {
  features: ['loudness', 'bands3', 'centroid', 'flux', 'onsetStrength'],
  rateHz: 30,
  onsets: true,
  beats: true,
  prefix: '/glassforest',
};

/** Read `?bridge=` (off, a port, or a ws:// URL) and `?bridgeToken=`. */
export function bridgeUrlFromLocation(search: string, hostname: string): string | null {
  const q = new URLSearchParams(search);
  const b = q.get('bridge');
  if (b === 'off') return null;
  let url: string;
  if (b && /^\d+$/.test(b)) url = `ws://${hostname || '127.0.0.1'}:${b}`;
  else if (b && /^wss?:\/\//.test(b)) url = b;
  else url = `ws://${hostname || '127.0.0.1'}:${DEFAULT_BRIDGE_PORT}`;
  const token = q.get('bridgeToken');
  return token ? `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : url;
}

interface FeatureSlot {
  msg: OscFloatMessage;
  offset: number;
  size: number;
}

export class BridgeClient {
  readonly applier = new OscApplier();
  /** The performer's controller aliases (sent to the bridge with the address space). */
  readonly aliases: OscAliases;
  /** Control frames dropped because they were built before the bridge took our newest address space. */
  staleFrames = 0;
  /** OSC messages sent to the bridge (features, onsets, beats). */
  sentOsc = 0;
  /** MIDI messages received from the bridge's hardware ports. */
  midiIn = 0;
  /** performance.now() when the newest control frames arrived (ring of 256, for the latency bench). */
  readonly arrivalMs = new Float64Array(256);
  arrivalCount = 0;
  private space: OscAddressSpace | null = null;
  private readonly reporter = new ValueReporter();
  private ws: WebSocket | null = null;
  private status: BridgeStatus;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private backoff = BACKOFF_MIN_MS;
  private stopped = true;
  private bankVersion = -1;
  private lastValuesMs = 0;
  private featureSlots: FeatureSlot[] = [];
  private featuresEveryMs = 1000 / 30;
  private lastFeaturesMs = 0;
  private onsetMsg: OscFloatMessage;
  private beatMsg: OscFloatMessage;
  private config: FeaturesOutConfig = DEFAULT_FEATURES_OUT;
  private lastOnsetCount = -1;
  /** The page's MIDI parser entry (the host sets it to the one Web MIDI feeds). */
  private midiSink: MidiBytesSink | null = null;
  private sceneHandler: ((sceneId: string) => void) | null = null;
  /** The bank on stage's slot addresses (null: none), as last sent. */
  private slotAddresses: (string | null)[] = [];
  /** A hello went out and the bridge has not answered `ready` yet: frames until then use the old space. */
  private awaitingReady = false;
  private learnHandler: OscLearnHandler | null = null;
  private learnEnd: (() => void) | null = null;
  private aliasesVersion = -1;

  constructor(
    private readonly bank: ParamBank,
    private readonly sceneIds: readonly string[],
    readonly url: string | null,
  ) {
    this.status = { phase: url ? 'connecting' : 'off', url: url ?? '', midi: '', oscOut: null, attempts: 0, oscLearn: '', oscLearnMessage: '' };
    this.aliases = new OscAliases(bank);
    this.aliases.otherAddresses = () => this.slotAddresses;
    this.aliases.subscribe(() => {
      // New aliases: the bridge resolves them once it has the new address space.
      if (this.aliases.version !== this.aliasesVersion && this.connected) this.sendHello();
    });
    this.onsetMsg = new OscFloatMessage(`${this.config.prefix}/onset`, 1);
    this.beatMsg = new OscFloatMessage(`${this.config.prefix}/beat`, 2);
    this.setFeaturesOut(DEFAULT_FEATURES_OUT);
    this.applier.onScene = (i) => {
      const id = this.sceneIds[i];
      if (id !== undefined) this.sceneHandler?.(id);
    };
  }

  // ------------------------------------------------------------------ status (UI)

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getStatus = (): BridgeStatus => this.status;

  /** The OSC address of an address-space entry (the applier's log holds entry indexes), '' when unknown. */
  addressOf(entry: number): string {
    return this.space?.entries[entry]?.path ?? '';
  }

  private setStatus(patch: Partial<BridgeStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  /**
   * The bank on stage's slot addresses (`trigger.osc`, null for none), index = slot. The bridge
   * fires a slot when its address arrives; resent only when they change.
   */
  setSlotAddresses(addresses: readonly (string | null)[]): void {
    const next = cleanSlotAddresses(addresses);
    const same = next.length === this.slotAddresses.length && next.every((a, i) => a === this.slotAddresses[i]);
    if (same) return;
    this.slotAddresses = next;
    if (this.connected) this.sendHello();
  }

  /** The slot addresses the bridge was (or will be) told. */
  get slotAddressList(): readonly (string | null)[] {
    return this.slotAddresses;
  }

  /**
   * Arm an OSC learn: the bridge reports addresses it cannot resolve and `handler` takes or
   * refuses each; `label` says what for (the panels show it). Replaces a learn already armed
   * (its `onEnd` is called). `onEnd` runs when this learn completes or is cancelled.
   */
  armOscLearn(label: string, handler: OscLearnHandler, onEnd?: () => void): void {
    const before = this.learnEnd;
    this.learnEnd = null;
    before?.();
    this.learnHandler = handler;
    this.learnEnd = onEnd ?? null;
    this.sendLearn(true);
    this.setStatus({ oscLearn: label, oscLearnMessage: this.connected ? '' : 'The bridge is not connected: OSC learn starts when it is (npm run bridge).' });
  }

  cancelOscLearn(message = ''): void {
    if (this.learnHandler === null) return;
    this.learnHandler = null;
    this.sendLearn(false);
    const end = this.learnEnd;
    this.learnEnd = null;
    end?.();
    this.setStatus({ oscLearn: '', oscLearnMessage: message });
  }

  /** Arm OSC learn for a parameter: the next address the bridge does not know becomes its alias. */
  learnAlias(path: string): void {
    this.armOscLearn(path, (address, arg) => {
      const r = this.aliases.learn(path, address, arg);
      return 'problem' in r ? r.problem : null;
    });
  }

  private sendLearn(on: boolean): void {
    if (this.connected) this.ws!.send(JSON.stringify({ type: 'learn', on }));
  }

  private onUnknown(address: unknown, arg: unknown, tooLong: unknown): void {
    const handler = this.learnHandler;
    if (handler === null || typeof address !== 'string') return;
    if (tooLong === true) {
      this.setStatus({ oscLearnMessage: `An address longer than 256 characters (${address.slice(0, 40)}…) was not taken; still listening.` });
      return;
    }
    const kind: UnknownArg = arg === 'number' || arg === 'bool' || arg === 'bang' || arg === 'string' ? arg : 'other';
    let problem: string | null;
    try {
      problem = handler(address, kind);
    } catch (err) {
      problem = (err as Error).message;
    }
    if (problem === null) this.cancelOscLearn(`Learned ${address} for ${this.status.oscLearn}.`);
    else this.setStatus({ oscLearnMessage: `${problem}; still listening.` });
  }

  /** Where scene switches from OSC go (the app's scene selector). */
  onSceneRequest(handler: ((sceneId: string) => void) | null): void {
    this.sceneHandler = handler;
  }

  /** Where hardware MIDI bytes from the bridge go (the page's MIDI parser). */
  setMidiSink(sink: MidiBytesSink | null): void {
    this.midiSink = sink;
  }

  /** Send MIDI bytes to a hardware output port of the bridge (feedback: LEDs, motor faders). */
  sendMidi(portId: string, bytes: Uint8Array): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    const name = utf8Out.encode(portId).subarray(0, 255);
    const frame = new Uint8Array(16 + name.length + bytes.length);
    frame[0] = FRAME_MIDI;
    frame[1] = name.length;
    frame.set(name, 16);
    frame.set(bytes, 16 + name.length);
    ws.send(frame);
    return true;
  }

  /** Choose what goes out as OSC (set-up time: builds the messages once). */
  setFeaturesOut(config: Partial<FeaturesOutConfig>): string[] {
    const c: FeaturesOutConfig = { ...this.config, ...config };
    const problems: string[] = [];
    if (typeof c.prefix !== 'string' || !/^(\/[A-Za-z0-9_-]+)+$/.test(c.prefix)) {
      problems.push(`prefix ${JSON.stringify(c.prefix)} is not an OSC path like /glassforest; using ${DEFAULT_FEATURES_OUT.prefix}`);
      c.prefix = DEFAULT_FEATURES_OUT.prefix;
    }
    const slots: FeatureSlot[] = [];
    for (const name of c.features) {
      const d = FEATURE_DECLS.find((x) => x.name === name);
      if (!d) {
        problems.push(`unknown feature "${name}"`);
        continue;
      }
      slots.push({ msg: new OscFloatMessage(`${c.prefix}/feature/${name}`, d.size), offset: F[d.name], size: d.size });
    }
    const rate = Number.isFinite(c.rateHz) ? Math.min(240, Math.max(0, c.rateHz)) : 30;
    if (rate !== c.rateHz) problems.push(`rate ${c.rateHz} Hz is outside 0..240; using ${rate}`);
    this.config = { ...c, rateHz: rate };
    this.featureSlots = slots;
    this.featuresEveryMs = rate > 0 ? 1000 / rate : Infinity;
    this.onsetMsg = new OscFloatMessage(`${c.prefix}/onset`, 1);
    this.beatMsg = new OscFloatMessage(`${c.prefix}/beat`, 2);
    if (problems.length > 0) report('warning', `Features out: ${problems.join('; ')}`);
    return problems;
  }

  get featuresOut(): FeaturesOutConfig {
    return this.config;
  }

  // ------------------------------------------------------------------ connection

  start(): void {
    if (!this.url || !this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ws?.close();
    this.ws = null;
    this.setStatus({ phase: this.url ? 'not running' : 'off' });
  }

  get connected(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  private connect(): void {
    if (this.stopped || !this.url) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this.setStatus({ phase: 'not running' });
      report('warning', `Bridge address ${this.url} is not usable: ${(err as Error).message}`);
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = BACKOFF_MIN_MS;
      this.setStatus({ phase: 'connected', attempts: 0 });
      this.sendHello();
      if (this.learnHandler !== null) {
        this.sendLearn(true);
        this.setStatus({ oscLearnMessage: '' });
      }
      this.reporter.resend();
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws === ws) this.ws = null;
      if (this.stopped) return;
      const was = this.status.phase;
      this.setStatus({ phase: 'not running', attempts: this.status.attempts + 1 });
      if (was === 'connected') report('warning', 'The bridge went away; OSC and hardware MIDI paused. Reconnecting…');
      this.timer = setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(BACKOFF_MAX_MS, this.backoff * 2);
    };
    ws.onerror = () => {
      // a refused connection: onclose follows and retries
    };
  }

  private sendHello(): void {
    const bank = this.bank;
    const params: ResolvedParam[] = [];
    for (let id = 0; id < bank.count; id++) params.push(bank.declOf(id)!);
    const aliases = this.aliases.list;
    this.space = new OscAddressSpace(params, this.sceneIds, { aliases, slots: this.slotAddresses });
    this.applier.bind(this.space, bank);
    this.bankVersion = bank.version;
    this.aliasesVersion = this.aliases.version;
    this.awaitingReady = true;
    this.ws?.send(JSON.stringify({ type: 'hello', role: 'engine', params, sceneIds: this.sceneIds, hash: this.space.hash, aliases, slots: this.slotAddresses }));
  }

  private onMessage(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      if (data.byteLength === 0) return;
      const view = new DataView(data);
      const type = view.getUint8(0);
      if (type === FRAME_CONTROL) {
        this.arrivalMs[this.arrivalCount++ & 255] = performance.now();
        // Built on the address space before our newest hello: entry numbers may differ.
        if (this.awaitingReady) this.staleFrames++;
        else this.applier.enqueue(view);
      }
      else if (type === FRAME_MIDI && data.byteLength >= 16) {
        const len = view.getUint8(1);
        const bytes = new Uint8Array(data, 16 + len);
        this.midiIn++;
        try {
          this.midiSink?.(utf8In.decode(new Uint8Array(data, 16, len)), bytes, performance.now());
        } catch (err) {
          report('warning', `MIDI from the bridge could not be handled: ${(err as Error).message}`);
        }
      } else this.applier.badFrames++;
      return;
    }
    if (typeof data === 'string') {
      try {
        const m = JSON.parse(data) as { type?: string; midi?: string; oscOut?: string | null; message?: string; slot?: unknown; name?: unknown; hash?: unknown; address?: unknown; arg?: unknown; tooLong?: unknown };
        if (m.type === 'ext') this.applier.bindExt(m.slot, m.name);
        else if (m.type === 'unknown') this.onUnknown(m.address, m.arg, m.tooLong);
        else if (m.type === 'ready') {
          this.awaitingReady = false;
          if (this.space !== null && m.hash !== this.space.hash) report('warning', `The bridge built another OSC address space (hash ${String(m.hash)}, the page's ${this.space.hash}); OSC may reach the wrong parameters. Restart the bridge and reload the page.`);
        }
        else if (m.type === 'status') {
          this.applier.clearExt(); // a new connection: the bridge announces its /ext/ names again
          this.setStatus({ midi: m.midi ?? '', oscOut: m.oscOut ?? null });
          if (m.midi?.startsWith('no MIDI system')) report('info', `Bridge connected; ${m.midi}`);
        } else if (m.type === 'error') report('warning', `Bridge: ${m.message}`);
      } catch {
        // not ours
      }
    }
  }

  // ------------------------------------------------------------------ per frame

  /** Before the tick: apply OSC that arrived since the last frame. Allocates nothing. */
  applyInput(clock: BeatClock, audioNow: number, nowMs: number): void {
    if (this.bank.version !== this.bankVersion && this.connected) this.sendHello();
    this.applier.applyQueued(this.bank, clock, audioNow, nowMs);
  }

  /**
   * After the tick: features out at the chosen rate, onsets and beats as they happen, and
   * changed values for OSCQuery a few times a second.
   */
  sendOutput(nowMs: number, smoothed: Float32Array, onsetCount: number, onsetStrength: number, clock: BeatClock): void {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WebSocket.OPEN) {
      this.lastOnsetCount = onsetCount;
      return;
    }
    const c = this.config;
    if (nowMs - this.lastFeaturesMs >= this.featuresEveryMs) {
      this.lastFeaturesMs = nowMs;
      const slots = this.featureSlots;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i];
        for (let k = 0; k < s.size; k++) s.msg.set(k, smoothed[s.offset + k]);
        ws.send(s.msg.bytes);
        this.sentOsc++;
      }
    }
    if (c.onsets && this.lastOnsetCount >= 0 && onsetCount !== this.lastOnsetCount) {
      // One message per onset since the last frame (a slow frame can span several), as far as the
      // bus still holds them.
      const n = Math.min(Math.max(onsetCount - this.lastOnsetCount, 1), ONSET_RING);
      this.onsetMsg.set(0, onsetStrength);
      for (let i = 0; i < n; i++) {
        ws.send(this.onsetMsg.bytes);
        this.sentOsc++;
      }
    }
    this.lastOnsetCount = onsetCount;
    if (c.beats && clock.beatsCrossed > 0 && !clock.freeRunning) {
      this.beatMsg.set(0, clock.beatCount);
      this.beatMsg.set(1, clock.bpm);
      ws.send(this.beatMsg.bytes);
      this.sentOsc++;
    }
    if (nowMs - this.lastValuesMs >= VALUES_EVERY_MS) {
      this.lastValuesMs = nowMs;
      const frame = this.reporter.collect(this.bank);
      if (frame !== null) ws.send(frame);
    }
  }
}
