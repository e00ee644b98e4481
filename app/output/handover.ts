/**
 * Frame handover: projector outputs keep playing while the control view's window is hidden,
 * minimised or covered.
 *
 * The browser stops delivering requestAnimationFrame callbacks to a window it does not show, so
 * the engine (driven by the control view's R3F loop) stops and every output would freeze. Each
 * output window runs its own requestAnimationFrame loop (it is on the projector, so it keeps
 * running) and calls `tick` once per output vsync. An output that sees no frame of the control
 * view's own loop for a while takes over: it becomes the driver and runs one engine frame per
 * vsync itself (`drive`, which calls R3F's `advance` in the control view's realm, so the whole
 * frame runs: tick, render, after-effects, presenting to every output). When the control view's
 * own loop comes back (a native frame is seen), the driver lets go at its next tick.
 *
 * Everything is counted in frames, never compared as timestamps (the windows' performance clocks
 * have different origins): `nativeFrames` counts frames the control view's loop ran,
 * `drivenFrames` the frames an output drove; both go up in `frameDone`, called by the engine's
 * last after-effect.
 *
 * - Staleness: an output engages when it has seen no native frame for `staleTicks` of its own
 *   ticks: at least STALE_TICKS (about two of its frames), or twice the control view's recent
 *   native frame interval in output ticks (a control view drawing at 30 Hz next to a 60 Hz
 *   output is slow, not stopped), at most STALE_MAX_TICKS. When the control view reports itself
 *   hidden (`controlHidden`, from visibilitychange), one tick without a native frame is enough.
 * - One engine frame per output vsync: only the driver drives; another output takes over only
 *   when no frame at all (native or driven) appeared for STALE_TICKS of its ticks (the driver's
 *   own window was hidden or closed without saying so).
 *
 * Pure (no DOM): the manager owns one, the tests drive it with counters. `tick` and `frameDone`
 * allocate nothing.
 */

/** Output ticks without a native frame before an output takes over (about two of its frames). */
export const STALE_TICKS = 2;
/** Upper bound of the adaptive threshold (a very slow control view still hands over quickly). */
export const STALE_MAX_TICKS = 8;

export type HandoverReason = '' | 'hidden' | 'stalled';

/** One output window's view of the control view's frames (made by `watch`, kept by the output's link). */
export class HandoverWatch {
  /** Native frame count at this output's previous tick. */
  seenNative = 0;
  /** Total (native + driven) frame count at this output's previous tick. */
  seenTotal = 0;
  /** Ticks since this output last saw a new native frame. */
  gap = 0;
  /** Recent interval between native frames, in this output's ticks (1 = every vsync). */
  every = 1;
  /** Ticks since this output last saw any new frame (while another output drives). */
  stale = 0;
  /** Ticks of this output's loop. */
  ticks = 0;
  constructor(readonly id: string, seenNative: number, seenTotal: number) {
    this.seenNative = seenNative;
    this.seenTotal = seenTotal;
  }
}

export class Handover {
  /** Engine frames run by the control view's own requestAnimationFrame loop. */
  nativeFrames = 0;
  /** Engine frames driven by an output window. */
  drivenFrames = 0;
  /** Times an output took over. */
  handovers = 0;
  /** The control view says its page is hidden (visibilitychange). */
  controlHidden = false;
  /** The output driving the engine now, or null (the control view's own loop does). */
  driver: HandoverWatch | null = null;
  /** Why the driver drives ('' while nobody does). */
  reason: HandoverReason = '';
  private driving = false;

  /**
   * `drive` runs one whole engine frame (it must end in `frameDone` through the presenting
   * after-effect); `onState` hears about a driver change (rare: allocating there is fine).
   */
  constructor(
    private drive: (() => void) | null,
    private readonly onState: () => void = () => {},
  ) {}

  /** Sets (or clears) the function that runs one engine frame. */
  setDrive(drive: (() => void) | null): void {
    this.drive = drive;
    if (!drive && this.driver) this.release();
  }

  /** A watch for a newly attached output. */
  watch(id: string): HandoverWatch {
    return new HandoverWatch(id, this.nativeFrames, this.nativeFrames + this.drivenFrames);
  }

  /** An output went away: if it was driving, nobody is until the next stale tick. */
  drop(w: HandoverWatch): void {
    if (this.driver === w) this.release();
  }

  /** The engine finished a frame (called from its last after-effect). Allocates nothing. */
  frameDone(): void {
    if (this.driving) this.drivenFrames++;
    else this.nativeFrames++;
  }

  /** Whether an output is driving the engine. */
  get active(): boolean {
    return this.driver !== null;
  }

  /** Ticks without a native frame after which output `w` takes over. */
  staleTicks(w: HandoverWatch): number {
    if (this.controlHidden) return 1;
    const t = 2 * w.every;
    return t < STALE_TICKS ? STALE_TICKS : t > STALE_MAX_TICKS ? STALE_MAX_TICKS : t;
  }

  /** One vsync of output `w`'s own requestAnimationFrame loop. Allocates nothing. */
  tick(w: HandoverWatch): void {
    w.ticks++;
    w.gap++;
    const native = this.nativeFrames;
    if (native !== w.seenNative) {
      // The control view's own loop ran since this output's last tick.
      if (w.gap <= STALE_MAX_TICKS) w.every = w.gap;
      w.gap = 0;
      w.stale = 0;
      w.seenNative = native;
      w.seenTotal = native + this.drivenFrames;
      if (this.driver !== null) this.release();
      return;
    }
    const driver = this.driver;
    if (driver === w) {
      this.run();
      w.seenTotal = this.nativeFrames + this.drivenFrames;
      return;
    }
    const total = native + this.drivenFrames;
    if (driver !== null) {
      // Another output drives: take over only when its frames stopped too.
      if (total !== w.seenTotal) {
        w.seenTotal = total;
        w.stale = 0;
        return;
      }
      if (++w.stale < STALE_TICKS) return;
    } else if (w.gap < this.staleTicks(w) || this.drive === null) {
      // Fresh enough, or no engine to drive (its Canvas is gone).
      w.seenTotal = total;
      return;
    }
    this.engage(w);
    this.run();
    w.seenTotal = this.nativeFrames + this.drivenFrames;
  }

  private engage(w: HandoverWatch): void {
    this.driver = w;
    w.stale = 0;
    this.reason = this.controlHidden ? 'hidden' : 'stalled';
    this.handovers++;
    this.onState();
  }

  private release(): void {
    this.driver = null;
    this.reason = '';
    this.onState();
  }

  private run(): void {
    const d = this.drive;
    if (d === null) return;
    this.driving = true;
    try {
      d();
    } finally {
      this.driving = false;
    }
  }

  /** The control view's visibility changed (visibilitychange). */
  setControlHidden(hidden: boolean): void {
    if (this.controlHidden === hidden) return;
    this.controlHidden = hidden;
    // Shown again but still without frames of its own (covered, or the browser is slow to resume).
    if (this.driver !== null) this.reason = hidden ? 'hidden' : 'stalled';
    this.onState();
  }
}

/** The handover as one line for the performer ('' while the control view draws by itself). */
export function describeHandover(driverName: string, reason: HandoverReason): string {
  if (driverName === '') return '';
  return `driven by ${driverName}: ${reason === 'hidden' ? 'control view hidden' : 'control view not drawing'}`;
}
