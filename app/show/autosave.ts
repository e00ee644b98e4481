/**
 * Nothing is lost on a reload: the working state (scene playing, every parameter value, the
 * keyframe set) is saved to IndexedDB as it changes and brought back when the page opens.
 *
 * Saving never runs in the frame loop: a timer compares the parameter values, the scene and the
 * set with what it saw last (a loop over the bank's value array, no allocation), and on a change
 * asks for an idle callback that builds the record (presets, JSON) and hands it to IndexedDB,
 * which writes asynchronously. A failed write is reported once; the show keeps running.
 */
import { describeError, report } from '../../engine/messages.ts';
import type { ParamBank, ParamValue } from '../../engine/params/index.ts';
import { HOLD_PATHS } from '../../engine/render/hold.ts';
import { readWorkingState, restoreScope, serializeWorkingState, workingStateEnabled } from './working-state.ts';
import { WorkingStore } from './working-store.ts';

/** How often the timer looks for changes. */
export const CHECK_MS = 500;
/** Longest wait for an idle moment before the write is built anyway. */
const IDLE_TIMEOUT_MS = 1000;
/** While values wait for their parameter (the flash guard registers when the output mounts): how often, and how long, to look quickly. */
const PENDING_MS = 100;
const PENDING_FOR_MS = 10_000;
/** Most problem lines named in the restore message. */
const MAX_NAMED = 8;
const FLASH_GUARD = '/engine/flash-guard';

/** The parts of the page's engine the autosave reads and restores. */
export interface AutosaveHost {
  readonly bank: ParamBank;
  readonly switcher: { readonly selected: string };
  switchScene(id: string): boolean;
  readonly keyframes: { readonly setName: string; status(): { readonly phase: string; readonly set: string } };
}

export interface RestoreOptions {
  /** `location.search` of the page. */
  readonly search: string;
  readonly fixtureMode: boolean;
  /** Scene ids a `?scene=` may name (then it wins over the saved scene). */
  readonly sceneIds: readonly string[];
  /** `?install`: the guard's start-up value belongs to the URL, not to the saved state. */
  readonly installation?: boolean;
}

export type AutosavePhase = 'off' | 'idle' | 'restoring' | 'running' | 'stopped';

type IdleHandle = { cancel: () => void };

function whenIdle(fn: () => void): IdleHandle {
  if (typeof requestIdleCallback === 'function') {
    const h = requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS });
    return { cancel: () => cancelIdleCallback(h) };
  }
  const h = setTimeout(fn, 0);
  return { cancel: () => clearTimeout(h) };
}

function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

export class Autosave {
  /** off: fixture mode or `?fresh`; idle: not started; restoring: reading; running: saving changes; stopped: `stop()`. */
  phase: AutosavePhase = 'idle';
  /** Changes the checks have seen: the working state's version. */
  version = 0;
  /** `version` as of the last write that completed (-1 before the first): equal to `version` when everything is saved. */
  savedVersion = -1;
  /** Checks run so far (tests wait for one after an edit). */
  checks = 0;
  /** Completed and failed writes. */
  writes = 0;
  failures = 0;
  /** A write is being built or is in IndexedDB's hands. */
  writing = false;
  /** What the restore did, for diagnostics and tests (null before, or when nothing was restored). */
  restored: { readonly scene: string | null; readonly set: string | null; readonly values: number; readonly saved: string | null } | null = null;
  /** The reason of the last failed read or write, or null. */
  lastError: string | null = null;

  /** Values of parameters not registered yet (an ISF file's inputs, the flash guard before it mounts): applied when they appear, kept in every save. */
  private readonly pending = new Map<string, ParamValue>();
  private pendingSeen = -1;
  private seenValues = new Float32Array(0);
  private seenBankVersion = -1;
  private seenScene = '';
  private seenSet = '';
  private timer: ReturnType<typeof setInterval> | null = null;
  private pendingTimer: ReturnType<typeof setInterval> | null = null;
  private idle: IdleHandle | null = null;
  private again = false;
  private reportedWriteFailure = false;
  private readonly onHide = (): void => {
    if (document.visibilityState === 'hidden') this.flush();
  };

  constructor(
    private readonly host: AutosaveHost,
    private readonly store: WorkingStore = new WorkingStore(),
  ) {}

  /**
   * Read the saved working state and apply it: parameter values (problems reported as one
   * warning naming the fields), then the scene unless the URL names one. Resolves with the
   * keyframe set to load (null: none saved, or the URL chose); never rejects.
   */
  async restore(opts: RestoreOptions): Promise<string | null> {
    if (!workingStateEnabled(opts.search, opts.fixtureMode)) {
      this.phase = 'off';
      return null;
    }
    this.phase = 'restoring';
    let raw: unknown;
    try {
      raw = await this.store.read();
    } catch (err) {
      this.lastError = describeError(err);
      // One message for an unusable store: a failing write afterwards is not reported again.
      this.reportedWriteFailure = true;
      report('warning', `The saved working state could not be read (${this.lastError}); starting from defaults, and changes may not be saved either.`);
      return null;
    }
    if (raw === undefined) return null; // nothing saved yet
    const r = readWorkingState(raw);
    if (!r.ok) {
      this.lastError = r.reason;
      report('warning', `The saved working state could not be used (${r.reason}); starting from defaults.`);
      return null;
    }
    const values: Record<string, ParamValue> = {};
    for (const k of Object.keys(r.state.params)) if (!(opts.installation && k === FLASH_GUARD) && !HOLD_PATHS.includes(k)) values[k] = r.state.params[k];
    const bank = this.host.bank;
    const rep = bank.restore(values);
    for (const k of rep.unknown) this.pending.set(k, values[k]);
    this.pendingSeen = bank.version;
    const problems = [...r.problems, ...rep.problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`))];
    const scope = restoreScope(opts.search, opts.sceneIds);
    let scene: string | null = null;
    if (scope.scene && r.state.sceneId !== null && r.state.sceneId !== this.host.switcher.selected) {
      if (this.host.switchScene(r.state.sceneId)) scene = r.state.sceneId;
    }
    const set = scope.keyframes ? r.state.keyframeSet : null;
    this.restored = { scene, set, values: rep.applied, saved: r.saved };
    if (problems.length > 0) {
      const named = problems.slice(0, MAX_NAMED).join('; ');
      const more = problems.length > MAX_NAMED ? ` (and ${problems.length - MAX_NAMED} more)` : '';
      report('warning', `The saved working state was restored except for ${problems.length} value${problems.length === 1 ? '' : 's'}, which keep their defaults: ${named}${more}.`);
    }
    return set;
  }

  /** Start watching for changes (after the restore); the state as it is now counts as saved. */
  start(): void {
    if (this.phase === 'off' || this.timer !== null) return;
    this.phase = 'running';
    this.changed(); // baseline: only later changes are written
    this.timer = setInterval(() => this.check(), CHECK_MS);
    if (this.pending.size > 0) {
      const until = Date.now() + PENDING_FOR_MS;
      this.pendingTimer = setInterval(() => {
        if (this.pending.size > 0 && this.host.bank.version !== this.pendingSeen) this.applyPending();
        if ((this.pending.size === 0 || Date.now() > until) && this.pendingTimer !== null) {
          clearInterval(this.pendingTimer);
          this.pendingTimer = null;
        }
      }, PENDING_MS);
    }
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onHide);
  }

  /** Stop saving (tests; a page that hands over to another). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    if (this.pendingTimer !== null) clearInterval(this.pendingTimer);
    this.timer = null;
    this.pendingTimer = null;
    this.idle?.cancel();
    this.idle = null;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onHide);
    if (this.phase !== 'off') this.phase = 'stopped';
  }

  /** One look for changes (the timer's job); a change schedules a write in an idle moment. */
  check(): void {
    this.checks++;
    if (this.pending.size > 0 && this.host.bank.version !== this.pendingSeen) this.applyPending();
    if (this.changed()) {
      this.version++;
      this.schedule();
    }
  }

  /** Save now if anything changed (the page is being hidden: there may be no idle moment left). */
  flush(): void {
    if (this.phase !== 'running') return;
    this.checks++;
    if (this.changed()) this.version++;
    if (this.savedVersion === this.version) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.idle?.cancel();
    this.idle = null;
    this.write();
  }

  /** The set on screen, or the one loading to replace it. */
  private currentSet(): string {
    const k = this.host.keyframes;
    const s = k.status();
    return s.phase === 'loading' ? s.set : k.setName;
  }

  /** Compare with what the last call saw (and remember the new state). No allocation unless the bank grew. */
  private changed(): boolean {
    const bank = this.host.bank;
    let changed = false;
    const values = bank.values;
    if (this.seenValues.length !== values.length) {
      this.seenValues = new Float32Array(values.length);
      this.seenValues.set(values);
      changed = true;
    } else {
      const seen = this.seenValues;
      for (let i = 0; i < values.length; i++) {
        if (!same(seen[i], values[i])) {
          seen[i] = values[i];
          changed = true;
        }
      }
    }
    if (bank.version !== this.seenBankVersion) {
      this.seenBankVersion = bank.version;
      changed = true;
    }
    const scene = this.host.switcher.selected;
    if (scene !== this.seenScene) {
      this.seenScene = scene;
      changed = true;
    }
    const set = this.currentSet();
    if (set !== this.seenSet) {
      this.seenSet = set;
      changed = true;
    }
    return changed;
  }

  /** Values waiting for their parameter: apply those whose parameter is registered now. */
  private applyPending(): void {
    const bank = this.host.bank;
    this.pendingSeen = bank.version;
    let values: Record<string, ParamValue> | null = null;
    for (const [k, v] of this.pending) {
      if (!bank.has(k)) continue;
      (values ??= {})[k] = v;
      this.pending.delete(k);
    }
    if (values === null) return;
    const rep = bank.restore(values);
    if (rep.problems.length > 0) {
      report('warning', `Saved values could not all be restored, defaults kept: ${rep.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`);
    }
  }

  private schedule(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    if (this.idle) return;
    this.idle = whenIdle(() => {
      this.idle = null;
      this.write();
    });
  }

  /** Build the record and hand it to IndexedDB (an idle callback, or a page being hidden). */
  private write(): void {
    const version = this.version;
    this.writing = true;
    this.again = false;
    let text: string;
    try {
      const params: Record<string, ParamValue> = {};
      for (const [k, v] of this.pending) params[k] = v;
      const snap = this.host.bank.snapshot();
      for (const k of Object.keys(snap)) if (!HOLD_PATHS.includes(k)) params[k] = snap[k];
      text = serializeWorkingState({ sceneId: this.host.switcher.selected || null, params, keyframeSet: this.currentSet() || null });
    } catch (err) {
      this.failed(err);
      return;
    }
    this.store.write(text).then(
      () => {
        this.savedVersion = version;
        this.writes++;
        this.done();
      },
      (err) => this.failed(err),
    );
  }

  private failed(err: unknown): void {
    this.failures++;
    this.lastError = describeError(err);
    if (!this.reportedWriteFailure) {
      this.reportedWriteFailure = true;
      report('warning', `The working state could not be saved (${this.lastError}); the show goes on, but a reload would start from the last saved state.`);
    }
    this.done();
  }

  private done(): void {
    this.writing = false;
    if (this.again && this.phase === 'running') this.schedule();
  }
}
