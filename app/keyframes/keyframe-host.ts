/**
 * The page's keyframe sets: the sets under presets/ (bundled by Vite: manifests, images and
 * thumbnails), the GPU side that loads one while the show plays, and the deck that blends it
 * every frame. Scenes read the result through the standard uniforms (`uKeyframes`, `uKeyLayer`,
 * `uKeyWeight`, ...).
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
import DecodeWorker from '../../workers/keyframe-decode.worker.ts?worker';

const MANIFESTS = import.meta.glob<unknown>('../../presets/*/keyframes.json', { eager: true, import: 'default' });
const FILES = import.meta.glob<string>('../../presets/*/**/*.{webp,png,jpg,jpeg,avif}', { eager: true, query: '?url', import: 'default' });

/** A keyframe set the page can load. */
export interface KeyframeSetEntry {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly count: number;
  readonly manifest: KeyframeManifest;
  /** URL of a file of the set, by its path in the manifest ('' when the bundle lacks it). */
  readonly urlOf: (file: string) => string;
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
  readonly sets: readonly KeyframeSetEntry[] = bundledSets();
  readonly gpu: KeyframeGpu;
  readonly deck: KeyframeDeck;
  /** The set on screen ('' before the first). */
  setName = '';
  /** Bumped whenever the set on screen or the load status changes (the panel re-reads). */
  version = 0;

  constructor(bank: ParamBank) {
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
    const entry = this.sets.find((s) => s.name === name);
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

  status(): KeyframeLoadStatus {
    return this.gpu.status();
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
    return this.sets.find((s) => s.name === this.setName) ?? null;
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
