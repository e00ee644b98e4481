/**
 * Projector outputs, owned by the control view.
 *
 * Mechanism: an output window is this app's own page opened with `?output=<id>`; it runs no engine
 * of its own, only a canvas, and attaches to `window.opener.glassforestOutputs` (this manager).
 * Every frame, after the engine's last after-effect, the control view uploads its finished canvas
 * into each output window's small WebGL2 context and draws it once through that output's mapping
 * (presenter.ts). So every output shows the very frame the control view just rendered, with no
 * second engine, no extra frame of latency and no shared state to keep in sync; opening, closing or
 * reloading an output touches only its own context, never the engine's. The cost is one texture
 * upload of the engine canvas per output per frame (measured in bench/outputs.bench.ts).
 *
 * While any output is attached, the engine renders at the largest attached output's resolution
 * (render-lock.ts) so the projectors get full-resolution pixels instead of the adaptive preview's.
 *
 * When the control view's window is hidden, minimised or covered, the browser stops its animation
 * frames and so the engine; the output windows then drive the engine's frames from their own
 * animation frames (handover.ts): each output ticks `link.tick()` once per vsync.
 */
import { report, reportOnce } from '../../engine/messages.ts';
import { defaultMappingSettings, validateMappingSettings, type MappingSettings } from '../../engine/mapping/index.ts';
import type { Problem } from '../../engine/presets/index.ts';
import { describeHandover, Handover, type HandoverWatch } from './handover.ts';
import { OutputPresenter } from './presenter.ts';
import { loadOutputs, MAX_OUTPUTS, newOutputId, readOutputs, saveOutputs, snapshotOutputs, type KeyValueStorage, type OutputConfig } from './output-store.ts';

/** What an output window gets when it attaches. */
export interface OutputLink {
  id: string;
  /** The current settings (a copy). */
  settings(): MappingSettings;
  /** Changes the settings: `mutate` edits a copy, which is validated and applied. Returns the problems ('' lines) found. */
  update(mutate: (s: MappingSettings) => void): string[];
  /** Called (with a copy) whenever the settings change from anywhere. Returns unsubscribe. */
  onChange(l: (s: MappingSettings) => void): () => void;
  /** The chosen screen's label ('' for none). */
  screen(): string;
  /** The output window is going away (reload or close). */
  detach(): void;
  /**
   * Once per animation frame of the output window: drives one engine frame when the control
   * view's own frames have stopped (handover.ts). Allocates nothing.
   */
  tick(): void;
}

interface Live {
  id: string;
  win: Window;
  presenter: OutputPresenter;
  listeners: Set<(s: MappingSettings) => void>;
  watch: HandoverWatch;
}

export type OutputState = 'closed' | 'opening' | 'open' | 'lost';

export interface OutputView {
  id: string;
  name: string;
  screen: string;
  state: OutputState;
  settings: MappingSettings;
}

const SAVE_DELAY_MS = 250;

function storage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class OutputManager {
  private configs: OutputConfig[] = [];
  private readonly live = new Map<string, Live>();
  /** Attached outputs as an array, for the allocation-free per-frame loop. */
  private liveList: Live[] = [];
  private readonly opening = new Map<string, Window>();
  private readonly lostIds = new Set<string>();
  /** Windows that detached themselves (reload or close): watched until they come back or are closed. */
  private readonly departed = new Map<string, Window>();
  private readonly listeners = new Set<() => void>();
  private view: readonly OutputView[] = [];
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Engine render size while outputs are attached (0 = follow the preview). */
  lockW = 0;
  lockH = 0;
  /** Frames presented (all outputs) since start. */
  presented = 0;
  /** Who drives the engine's frames: the control view's own loop, or an output window while it is hidden. */
  readonly handover = new Handover(null, () => this.handoverChanged());
  private handoverText = '';

  constructor(private readonly store: KeyValueStorage | null = storage()) {
    const { outputs, problems } = loadOutputs(store);
    this.configs = outputs;
    if (problems.length > 0) report('warning', `Saved output settings had problems (${problems.length}); usable parts restored: ${problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
    this.refresh();
  }

  // ------------------------------------------------------------ the control view's side

  /** Every configured output (stable between changes, for React). */
  list = (): readonly OutputView[] => this.view;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Adds an output (defaults: 1920×1080, no screen) and returns its id, or null when there are MAX_OUTPUTS already. */
  add(): string | null {
    if (this.configs.length >= MAX_OUTPUTS) {
      report('warning', `At most ${MAX_OUTPUTS} outputs.`);
      return null;
    }
    const id = newOutputId(this.configs.map((c) => c.id));
    this.configs.push({ id, name: `Output ${id.slice(4)}`, screen: '', settings: defaultMappingSettings() });
    this.changed();
    return id;
  }

  /**
   * Opens output `id`'s window (adding an output when no id is given). Must run inside a user
   * gesture (click or key), or the browser blocks the popup.
   */
  open(id?: string, placement?: { left: number; top: number; width: number; height: number }): string | null {
    const oid = id ?? this.add();
    if (oid === null) return null;
    const cfg = this.configs.find((c) => c.id === oid);
    if (!cfg) return null;
    const existing = this.live.get(oid)?.win ?? this.opening.get(oid);
    if (existing && !existing.closed) {
      existing.focus();
      return oid;
    }
    const w = placement ?? { left: 40, top: 40, width: 640, height: 360 };
    const features = `popup,left=${Math.round(w.left)},top=${Math.round(w.top)},width=${Math.round(w.width)},height=${Math.round(w.height)}`;
    const url = `${location.pathname}?output=${encodeURIComponent(oid)}`;
    const win = window.open(url, `glassforest-output-${oid}`, features);
    if (!win) {
      report('error', 'The browser blocked the output window. Allow pop-ups for this page, then click "Open output" again.');
      return null;
    }
    this.opening.set(oid, win);
    this.changed();
    return oid;
  }

  /** Closes output `id`'s window (its settings stay). */
  close(id: string): void {
    const l = this.live.get(id);
    const win = l?.win ?? this.opening.get(id);
    this.detachLive(id, null);
    this.opening.delete(id);
    this.departed.delete(id);
    try {
      win?.close();
    } catch {
      /* already gone */
    }
    this.changed();
  }

  /** Removes output `id` and its settings. */
  remove(id: string): void {
    this.close(id);
    this.configs = this.configs.filter((c) => c.id !== id);
    this.changed();
  }

  rename(id: string, name: string): void {
    const c = this.configs.find((x) => x.id === id);
    if (!c) return;
    c.name = name.slice(0, 64);
    this.changed();
  }

  setScreen(id: string, label: string): void {
    const c = this.configs.find((x) => x.id === id);
    if (!c) return;
    c.screen = label.slice(0, 128);
    this.changed();
  }

  /** Validated settings change; problems are reported to the performer and returned. */
  update(id: string, mutate: (s: MappingSettings) => void): string[] {
    const c = this.configs.find((x) => x.id === id);
    if (!c) return [`no output ${id}`];
    const next = clone(c.settings);
    try {
      mutate(next);
    } catch (err) {
      return [String(err)];
    }
    return this.setSettings(id, next);
  }

  /** Replaces output `id`'s settings with `input` (anything: validated). */
  setSettings(id: string, input: unknown): string[] {
    const c = this.configs.find((x) => x.id === id);
    if (!c) return [`no output ${id}`];
    const v = validateMappingSettings(input);
    if (v.problems.length > 0) report('warning', `${c.name}: mapping corrected: ${v.problems.slice(0, 3).join('; ')}`);
    c.settings = v.settings;
    this.updateLock();
    const l = this.live.get(id);
    if (l) {
      l.presenter.setSettings(v.settings);
      for (const cb of l.listeners) {
        try {
          cb(clone(v.settings));
        } catch {
          /* a listener in a window that is closing */
        }
      }
    }
    this.changed();
    return v.problems;
  }

  settingsOf(id: string): MappingSettings | null {
    const c = this.configs.find((x) => x.id === id);
    return c ? clone(c.settings) : null;
  }

  /** Everything the outputs are configured with, for presets (JSON-safe). */
  snapshot(): unknown {
    return snapshotOutputs(this.configs);
  }

  /**
   * Takes outputs' settings from a preset: usable parts replace the current configuration (open
   * windows stay open when their id is kept), the rest is listed by field.
   */
  restore(settings: unknown): Problem[] {
    const { outputs, problems } = readOutputs(settings);
    for (const id of [...this.live.keys(), ...this.opening.keys()]) if (!outputs.some((o) => o.id === id)) this.close(id);
    this.configs = outputs;
    for (const o of outputs) {
      const l = this.live.get(o.id);
      if (!l) continue;
      l.presenter.setSettings(o.settings);
      this.updateLock();
      for (const cb of l.listeners) {
        try {
          cb(clone(o.settings));
        } catch {
          /* a listener in a window that is closing */
        }
      }
    }
    this.changed();
    return problems;
  }

  // ------------------------------------------------------------ the output window's side

  /**
   * An output window (re)attaches with its canvas. Returns its link, or an error text when the id
   * is unknown or WebGL2 is unavailable there.
   */
  attach(id: string, win: Window, canvas: HTMLCanvasElement): OutputLink | string {
    const cfg = this.configs.find((c) => c.id === id);
    if (!cfg) return `The control view has no output "${id}" (removed?). Close this window.`;
    this.detachLive(id, null);
    let presenter: OutputPresenter;
    try {
      presenter = new OutputPresenter(canvas, (lost) => this.onContextLost(id, lost));
    } catch (err) {
      report('error', `${cfg.name}: cannot draw (${err instanceof Error ? err.message : String(err)}); the other outputs and the show continue.`);
      return `This output cannot draw: ${err instanceof Error ? err.message : String(err)}`;
    }
    presenter.setSettings(cfg.settings);
    const l: Live = { id, win, presenter, listeners: new Set(), watch: this.handover.watch(id) };
    this.live.set(id, l);
    this.opening.delete(id);
    this.departed.delete(id);
    this.lostIds.delete(id);
    this.liveList = [...this.live.values()];
    this.updateLock();
    this.changed();
    return {
      id,
      settings: () => this.settingsOf(id) ?? defaultMappingSettings(),
      update: (mutate) => this.update(id, mutate),
      onChange: (cb) => {
        l.listeners.add(cb);
        return () => l.listeners.delete(cb);
      },
      screen: () => this.configs.find((c) => c.id === id)?.screen ?? '',
      detach: () => {
        if (this.live.get(id) !== l) return;
        this.detachLive(id, null);
        this.departed.set(id, win);
        this.changed();
      },
      tick: () => this.outputTick(l),
    };
  }

  /** One animation frame of output `l`'s window (see OutputLink.tick). */
  private outputTick(l: Live): void {
    if (this.live.get(l.id) !== l) return;
    try {
      this.handover.tick(l.watch);
    } catch (err) {
      reportOnce('outputs: frame handover', err);
    }
  }

  /** Sets the function that runs one whole engine frame (R3F's advance), or null when the engine's Canvas is gone. */
  setDrive(drive: (() => void) | null): void {
    this.handover.setDrive(drive);
  }

  /** The control view's page was hidden or shown again (visibilitychange). */
  setControlHidden(hidden: boolean): void {
    this.handover.setControlHidden(hidden);
  }

  /** Who drives the frames, for the performer: '' while the control view does, else e.g. "driven by Output 1: control view hidden". */
  handoverLine = (): string => this.handoverText;

  private handoverChanged(): void {
    const d = this.handover.driver;
    const name = d ? (this.configs.find((c) => c.id === d.id)?.name ?? d.id) : '';
    const text = describeHandover(name, this.handover.reason);
    if (text === this.handoverText) return;
    this.handoverText = text;
    // Not a settings change: nothing to save, only the panel to tell.
    for (const cb of this.listeners) cb();
  }

  private onContextLost(id: string, lost: boolean): void {
    const name = this.configs.find((c) => c.id === id)?.name ?? id;
    const l = this.live.get(id);
    if (lost) {
      // A window being closed or reloaded loses its context first: only a loss in a window that
      // stays is news for the performer.
      setTimeout(() => {
        if (this.live.get(id) !== l || !l || l.win.closed || !l.presenter.lost) return;
        this.lostIds.add(id);
        report('error', `${name}: its graphics context was lost; waiting for it to come back. The show and the other outputs continue.`);
        this.changed();
      }, 300);
    } else if (this.lostIds.delete(id)) {
      report('info', `${name}: graphics context restored.`);
      this.changed();
    }
  }

  private detachLive(id: string, why: string | null): void {
    const l = this.live.get(id);
    if (!l) return;
    this.live.delete(id);
    this.lostIds.delete(id);
    this.liveList = [...this.live.values()];
    this.handover.drop(l.watch);
    l.presenter.dispose();
    this.updateLock();
    if (why) report('info', why);
  }

  private updateLock(): void {
    let w = 0;
    let h = 0;
    for (const l of this.live.values()) {
      const s = this.configs.find((c) => c.id === l.id)?.settings.output;
      if (s && s.width * s.height > w * h) {
        w = s.width;
        h = s.height;
      }
    }
    this.lockW = w;
    this.lockH = h;
  }

  // ------------------------------------------------------------ per frame

  /** Draws the engine's finished frame into every attached output. Allocates nothing while nothing changes. */
  present(src: HTMLCanvasElement): void {
    this.handover.frameDone();
    const list = this.liveList;
    for (let i = 0; i < list.length; i++) {
      const l = list[i];
      if (l.win.closed) {
        // liveList is replaced, never mutated, so this frame's loop goes on over its own copy:
        // the other outputs do not miss a frame.
        this.closedByOs(l.id);
        continue;
      }
      try {
        l.presenter.draw(src);
      } catch (err) {
        this.detachLive(l.id, null);
        report('error', `An output stopped drawing (${err instanceof Error ? err.message : String(err)}); the show and the other outputs continue. Reload that output window to retry.`);
        this.changed();
      }
    }
    if (list.length > 0) this.presented++;
    if (this.opening.size > 0) this.checkOpening();
    if (this.departed.size > 0) this.checkDeparted();
  }

  private checkDeparted(): void {
    for (const [id, w] of this.departed) {
      if (w.closed) {
        this.departed.delete(id);
        this.closedByOs(id);
        return;
      }
    }
  }

  private closedByOs(id: string): void {
    const name = this.configs.find((c) => c.id === id)?.name ?? id;
    this.departed.delete(id);
    this.detachLive(id, null);
    report('info', `${name}: its window was closed. Its settings are kept; open it again from the Outputs panel.`);
    this.changed();
  }

  private checkOpening(): void {
    for (const [id, w] of this.opening) {
      if (w.closed) {
        this.opening.delete(id);
        this.changed();
        return;
      }
    }
  }

  /** Frames drawn by output `id` since it attached (-1 when not attached). */
  frames(id: string): number {
    return this.live.get(id)?.presenter.frames ?? -1;
  }

  /** Reads output `id`'s next drawn frame (tests and diagnostics): RGBA rows from the bottom, base64. */
  capture(id: string): Promise<{ width: number; height: number; rgba: string }> {
    const l = this.live.get(id);
    if (!l) return Promise.reject(new Error(`output ${id} is not attached`));
    return new Promise((resolve) => {
      l.presenter.requestCapture((px, width, height) => {
        let s = '';
        for (let i = 0; i < px.length; i += 0x8000) s += String.fromCharCode.apply(null, px.subarray(i, i + 0x8000) as unknown as number[]);
        resolve({ width, height, rgba: btoa(s) });
      });
    });
  }

  // ------------------------------------------------------------ bookkeeping

  private changed(): void {
    this.refresh();
    this.scheduleSave();
    for (const l of this.listeners) l();
  }

  private refresh(): void {
    this.view = this.configs.map((c) => ({
      id: c.id,
      name: c.name,
      screen: c.screen,
      settings: c.settings,
      state: this.lostIds.has(c.id) ? 'lost' : this.live.has(c.id) ? 'open' : this.opening.has(c.id) ? 'opening' : 'closed',
    }));
  }

  private scheduleSave(): void {
    if (this.saveTimer !== null) return;
    // Off the frame and batched: a drag saves a few times a second, not per mouse move.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, SAVE_DELAY_MS);
  }

  saveNow(): void {
    if (!this.store) return;
    const err = saveOutputs(this.store, this.configs);
    if (err) report('warning', `Output settings could not be saved (${err}); they last until the page closes.`);
  }

  /** Lists the outputs as JSON text, as saved (for tests). */
  stored(): string | null {
    try {
      return this.store?.getItem('glassforest.outputs') ?? null;
    } catch {
      return null;
    }
  }
}

let manager: OutputManager | null = null;

/** The control view's output manager (made on first use; reachable from output windows as `opener.glassforestOutputs`). */
export function getOutputManager(): OutputManager {
  if (!manager) {
    // `?fresh` starts from the defaults without touching what is saved (as the working state does).
    manager = new OutputManager(new URLSearchParams(location.search).has('fresh') ? null : storage());
    (globalThis as unknown as { glassforestOutputs: OutputManager }).glassforestOutputs = manager;
    window.addEventListener('pagehide', () => manager?.saveNow());
  }
  return manager;
}

/** The manager if the control view made one (the render-size hook must not create it). */
export function currentOutputManager(): OutputManager | null {
  return manager;
}
