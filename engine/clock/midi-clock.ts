/**
 * MIDI clock follower: a pure handler of the raw byte stream (0xF8 clock at 24 ppqn, 0xFA start,
 * 0xFB continue, 0xFC stop, 0xF2 song position pointer), each byte stamped with audio-clock time.
 * Tempo and phase come from a least-squares line through the last ticks, which averages out the
 * millisecond jitter of USB/driver delivery instead of trusting any single tick.
 */
import type { Bpm, Seconds, Unit01 } from '../features/layout.ts';

export const MIDI_PPQN = 24;
const WINDOW = 48;

export class MidiClock {
  /** Tempo from the fitted tick period; 0 until two ticks have arrived. */
  bpm: Bpm = 0;
  /** Transport is playing and at least one tick has arrived since start/continue. */
  running = false;
  /** Song position in beats at `anchorTime` (meaningful while running). */
  anchorPos = 0;
  anchorTime: Seconds = 0;
  /** Time of the newest clock byte; -Infinity before any. */
  lastTick: Seconds = -Infinity;
  /** Grows with each start/continue/relocation: the follower should jump, not slew, to the new position. */
  relocations = 0;
  /** How many ticks the tempo fit rests on, as 0..1. */
  confidence: Unit01 = 0;
  /** Clock bytes seen in total. */
  ticks = 0;

  private readonly tk = new Float64Array(WINDOW);
  private readonly tt = new Float64Array(WINDOW);
  private readonly sk = new Float64Array(8);
  private readonly st = new Float64Array(8);
  private fill = 0;
  private head = 0;
  /** Waiting for the first tick after start/continue. */
  private armed = false;
  /** Song position (in ticks) of the next clock byte that plays. */
  private songTick = 0;
  /** Song tick of the tick with absolute number `startK`. */
  private baseSong = 0;
  private startK = 0;
  /** Running status and data bytes of a pending song position pointer. */
  private status = 0;
  private data0 = -1;
  private bad = 0;
  private period = 0;

  /** Bytes that were not understood (stray data bytes, truncated messages) since creation. */
  get ignoredBytes(): number {
    return this.bad;
  }

  /** Feed `length` bytes of `data` from `offset`, all received at time `t`. */
  bytes(data: Uint8Array, t: Seconds, offset = 0, length = data.length - offset): void {
    const end = offset + length;
    for (let i = offset; i < end; i++) this.byte(data[i], t);
  }

  /** Feed one byte received at audio time `t`. */
  byte(b: number, t: Seconds): void {
    if (b >= 0xf8) {
      // Real-time bytes may arrive anywhere, even inside another message, and leave its parsing intact.
      if (b === 0xf8) this.tick(t);
      else if (b === 0xfa) this.start(0);
      else if (b === 0xfb) this.start(this.songTick);
      else if (b === 0xfc) this.stop();
      return;
    }
    if (b >= 0x80) {
      this.status = b;
      this.data0 = -1;
      return;
    }
    if (this.status !== 0xf2) {
      // Data of other messages (notes, CC, SysEx) is not ours; with no status at all it is stray.
      if (this.status === 0) this.bad++;
      return;
    }
    if (this.data0 < 0) {
      this.data0 = b;
      return;
    }
    const sixteenths = this.data0 | (b << 7);
    this.status = 0;
    this.data0 = -1;
    // Song position counts sixteenths (6 ticks each); the next tick plays from there.
    this.songTick = sixteenths * 6;
    if (this.running || this.armed) this.armAt(this.songTick);
  }

  private start(fromTick: number): void {
    this.songTick = fromTick;
    this.armAt(fromTick);
  }

  private armAt(songTick: number): void {
    this.armed = true;
    this.running = false;
    this.songTick = songTick;
  }

  private stop(): void {
    this.running = false;
    this.armed = false;
  }

  private tick(t: Seconds): void {
    if (!Number.isFinite(t)) return;
    // A long gap (cable unplugged, transport restarted at another tempo) makes old ticks worthless.
    if (this.fill > 0 && (t - this.lastTick > Math.max(0.25, 4 * this.period) || t < this.lastTick)) this.fill = 0;
    const k = this.ticks++;
    this.tk[this.head] = k;
    this.tt[this.head] = t;
    this.head = (this.head + 1) % WINDOW;
    if (this.fill < WINDOW) this.fill++;
    this.lastTick = t;
    if (this.armed) {
      this.armed = false;
      this.running = true;
      this.startK = k;
      this.baseSong = this.songTick;
      this.relocations++;
    }
    if (this.running) this.songTick = this.baseSong + (k - this.startK) + 1;
    this.refit(k, t);
  }

  private refit(k: number, t: Seconds): void {
    const n = this.fill;
    if (n < 2) {
      this.anchorTime = t;
      this.anchorPos = this.running ? (this.baseSong + k - this.startK) / MIDI_PPQN : 0;
      this.confidence = 0;
      return;
    }
    // Regression of time on tick number, relative to the newest tick for precision.
    let mk = 0;
    let mt = 0;
    for (let i = 0; i < n; i++) {
      mk += this.tk[i] - k;
      mt += this.tt[i] - t;
    }
    mk /= n;
    mt /= n;
    let skk = 0;
    let skt = 0;
    for (let i = 0; i < n; i++) {
      const dk = this.tk[i] - k - mk;
      skk += dk * dk;
      skt += dk * (this.tt[i] - t - mt);
    }
    const period = skt / skk;
    if (!(period > 0)) return;
    // A tempo jump leaves the newest tick far off the old line: restart the fit from the last few.
    const predicted = t + mt + (0 - mk) * period;
    const resid = t - predicted;
    if (n > 8 && Math.abs(resid) > Math.max(0.004, 0.35 * period)) {
      this.keepNewest(4);
      this.refit(k, t);
      return;
    }
    this.period = period;
    this.bpm = 60 / (period * MIDI_PPQN);
    // Anchor on the fitted line at the newest tick, not the jittery tick itself.
    this.anchorTime = predicted;
    this.anchorPos = this.running ? (this.baseSong + k - this.startK) / MIDI_PPQN : 0;
    this.confidence = Math.min(1, n / 24);
  }

  private keepNewest(m: number): void {
    const n = Math.min(m, this.fill);
    // Through a scratch: the newest ticks may sit where they are copied to.
    for (let j = 0; j < n; j++) {
      const src = (this.head - n + j + WINDOW) % WINDOW;
      this.sk[j] = this.tk[src];
      this.st[j] = this.tt[src];
    }
    for (let j = 0; j < n; j++) {
      this.tk[j] = this.sk[j];
      this.tt[j] = this.st[j];
    }
    this.fill = n;
    this.head = n % WINDOW;
  }
}
