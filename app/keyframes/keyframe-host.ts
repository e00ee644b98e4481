/**
 * The page's keyframe sets: the sets under presets/ (bundled by Vite: manifests, images and
 * thumbnails) and the sets installed in this browser from show files (IndexedDB, see
 * installed-sets.ts), the GPU side that loads one while the show plays, and the deck that blends
 * it every frame. Scenes read the result through the standard uniforms (`uKeyframes`,
 * `uKeyLayer`, `uKeyWeight`, ...).
 *
 * Installed sets are read once at start; a load asked for before that read has finished waits
 * for it, so the working state restored at start finds an installed set too.
 */
import type { WebGLRenderer } from 'three';
import { report } from '../../engine/messages.ts';
import type { BeatClock } from '../../engine/clock/index.ts';
import type { ParamBank } from '../../engine/params/index.ts';
import type { StandardUniforms } from '../../engine/uniforms.ts';
import { KeyframeDeck } from '../../engine/keyframes/deck.ts';
import { KeyframeGpu, type GpuKeyframeSet, type KeyframeLoadStatus } from '../../engine/keyframes/gpu.ts';
import { parseManifest, type KeyframeManifest } from '../../engine/keyframes/manifest.ts';
import { KEYFRAME_TEXTURE } from '../../scenes/standard-uniforms.ts';
import { KeyframeSetStore } from '../show/keyframe-store.ts';
import { incomingSets, InstalledSets, type ExistingSet, type InstallReport } from './installed-sets.ts';
import DecodeWorker from '../../workers/keyframe-decode.worker.ts?worker';

const MANIFESTS = import.meta.glob<unknown>('../../presets/*/keyframes.json', { eager: true, import: 'default' });
const FILES = import.meta.glob<string>('../../presets/*/**/*.{webp,png,jpg,jpeg,avif}', { eager: true, query: '?url', import: 'default' });

/** Longest a load waits for the installed sets to be read (a store that never answers must not hold the show). */
const READY_WAIT_MS = 5000;

/** A keyframe set the page can load. */
export interface KeyframeSetEntry {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly count: number;
  readonly manifest: KeyframeManifest;
  /** URL of a file of the set, by its path in the manifest ('' when the bundle lacks it). */
  readonly urlOf: (file: string) => string;
  /** Shipped with the page (presets/), or installed in this browser from a show file. */
  readonly origin: 'bundled' | 'installed';
  /** Installed but not saved (the browser's storage refused it): gone after a reload. */
  readonly sessionOnly: boolean;
}

/** A show's keyframe sets and images, as engine/presets/show.ts imports them. */
export interface ShowSets {
  readonly name: string;
  readonly sets: readonly { readonly name: string; readonly manifest: KeyframeManifest }[];
  readonly images: readonly { readonly set: string; readonly path: string; readonly mime: string; readonly bytes: Uint8Array }[];
}

function bundledSets(): KeyframeSetEntry[] {
  const out: KeyframeSetEntry[] = [];
  for (const [key, json] of Object.entries(MANIFESTS)) {
    const folder = key.slice(0, key.length - 'keyframes.json'.length);
    const r = parseManifest(json);
    if (!r.ok) {
      report('error', `Keyframe set ${folder.split('/').at(-2)} is broken and was skipped: ${r.errors.slice(0, 3).join('; ')}`);
      continue;
    }
    const m = r.manifest;
    out.push({
      name: m.name,
      title: m.title,
      description: m.description,
      count: m.keyframes.length,
      manifest: m,
      // A missing image is reported by the decoder when it fails to fetch it.
      urlOf: (file) => FILES[folder + file] ?? `${folder.replace('../../', '/')}${file}`,
      origin: 'bundled',
      sessionOnly: false,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Set to load at start: `?keyframes=<name>` or `none`; by default the first shipped set (none in fixture mode). */
export function requestedSet(search: string, fixtureMode: boolean, sets: readonly KeyframeSetEntry[]): string {
  const q = new URLSearchParams(search).get('keyframes');
  if (q !== null) return q === 'none' ? '' : q;
  if (fixtureMode) return '';
  return sets.find((s) => s.name === 'glass-dusk')?.name ?? sets[0]?.name ?? '';
}

export class KeyframeHost {
  private readonly bundled: readonly KeyframeSetEntry[] = bundledSets();
  private list: readonly KeyframeSetEntry[] = this.bundled;
  readonly installed: InstalledSets;
  /** Settles once the installed sets have been read (never rejects). */
  readonly ready: Promise<void>;
  private isReady = false;
  readonly gpu: KeyframeGpu;
  readonly deck: KeyframeDeck;
  /** The set on screen ('' before the first). */
  setName = '';
  /** Bumped whenever the set on screen or the load status changes (the panel re-reads). */
  version = 0;

  constructor(bank: ParamBank, store = new KeyframeSetStore()) {
    this.installed = new InstalledSets(store);
    this.ready = this.installed.readAll().then((problems) => {
      this.isReady = true;
      this.rebuild();
      if (problems.length > 0) report('warning', `Installed keyframe sets: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? ` (and ${problems.length - 8} more)` : ''}.`);
    });
    this.deck = new KeyframeDeck(bank);
    this.gpu = new KeyframeGpu({
      createWorker: () => new DecodeWorker({ name: 'glassforest-keyframes' }),
      report: (level, message) => report(level, message),
    });
    this.gpu.onSwap = (set) => this.swapped(set);
  }

  /**
   * Load a set by name while the show plays; resolves true once it is on screen. With `hold`, the
   * set uploads but waits off screen until `release()` (a preset waiting for its bar).
   */
  async load(name: string, opts: { hold?: boolean } = {}): Promise<boolean> {
    this.gpu.holdSwap = opts.hold === true;
    // An installed set may be asked for before the store has answered (the restored working state).
    if (!this.isReady && !this.list.some((s) => s.name === name)) await Promise.race([this.ready, new Promise((r) => setTimeout(r, READY_WAIT_MS))]);
    const entry = this.list.find((s) => s.name === name);
    if (!entry) {
      this.gpu.refuse(name, `No keyframe set "${name}"; sets: ${this.sets.map((s) => s.name).join(', ') || 'none'}. The current set stays.`);
      this.version++;
      return false;
    }
    this.version++;
    const set = await this.gpu.load(entry.manifest, entry.urlOf);
    this.version++;
    return set !== null;
  }

  /** Every set the page can load: the bundled ones, then the installed ones (a new array only when the list changes). */
  get sets(): readonly KeyframeSetEntry[] {
    return this.list;
  }

  status(): KeyframeLoadStatus {
    return this.gpu.status();
  }

  /**
   * Install the keyframe sets a show carries (see installed-sets.ts for the rule: same content is
   * not installed twice, other content under the same name goes in as `<name>-2`). Never rejects.
   */
  async installShowSets(show: ShowSets): Promise<InstallReport> {
    await this.ready;
    const r = await this.installed.install({ name: show.name, sets: incomingSets(show.sets, show.images) }, (name) => this.bundledSet(name));
    this.rebuild();
    return r;
  }

  /** Delete an installed set. Refused (rejects with the reason) for a bundled set and for the set on screen or loading. */
  async deleteInstalled(name: string): Promise<void> {
    const entry = this.list.find((s) => s.name === name);
    if (!entry || entry.origin !== 'installed') throw new Error(`"${name}" is not an installed keyframe set`);
    const st = this.gpu.status();
    if (this.setName === name || (st.phase === 'loading' && st.set === name)) throw new Error(`keyframe set "${name}" is on screen; load another set first`);
    await this.installed.remove(name);
    this.rebuild();
  }

  private bundledSet(name: string): ExistingSet | null {
    const b = this.bundled.find((s) => s.name === name);
    if (!b) return null;
    return {
      manifest: b.manifest,
      bytesOf: async (path) => {
        const url = b.urlOf(path);
        if (!url) return null;
        const res = await fetch(url);
        return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
      },
    };
  }

  /** The set list after the installed sets changed. */
  private rebuild(): void {
    const out: KeyframeSetEntry[] = [...this.bundled];
    const taken = new Set(out.map((s) => s.name));
    const names = [...this.installed.sets.keys()].sort((a, b) => a.localeCompare(b));
    for (const name of names) {
      const s = this.installed.sets.get(name)!;
      // A bundled set keeps its name (an install never takes a bundled name).
      if (taken.has(name)) continue;
      const m = s.manifest;
      out.push({ name, title: m.title, description: m.description, count: m.keyframes.length, manifest: m, urlOf: (file) => this.installed.urlOf(name, file), origin: 'installed', sessionOnly: !s.persisted });
    }
    this.list = out;
    this.version++;
  }

  /** Let a held set go on screen (at once if it is all uploaded, else as soon as it is). */
  release(): void {
    this.gpu.holdSwap = false;
  }

  /** Drop a set still loading or held; the set on screen stays. */
  cancelLoad(): void {
    this.gpu.holdSwap = false;
    this.gpu.cancelLoad();
    this.version++;
  }

  /** The entry of the set on screen, or null. */
  currentEntry(): KeyframeSetEntry | null {
    return this.list.find((s) => s.name === this.setName) ?? null;
  }

  /** Once per frame, before rendering: upload at most one layer of a loading set. */
  pump(gl: WebGLRenderer): void {
    this.gpu.pump(gl);
  }

  /** Once per frame, after the tick: blend and write the keyframe uniforms. */
  frame(u: StandardUniforms, clock: BeatClock, onsetCount: number, smoothed: Float32Array): void {
    this.deck.frame(u.dt, u, clock, onsetCount, smoothed);
  }

  private swapped(set: GpuKeyframeSet): void {
    KEYFRAME_TEXTURE.value = set.texture;
    for (const w of this.deck.setKeyframes(set.slots, set.layerOf, set.width / set.height)) report('warning', `Keyframe set "${set.manifest.title}": ${w}`);
    this.setName = set.manifest.name;
    this.version++;
    report('info', `Keyframes: ${this.gpu.status().message}`);
  }
}
