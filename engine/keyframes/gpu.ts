/**
 * Keyframe sets on the GPU: one RGBA8 texture array per set. Images are decoded off the main
 * thread (workers/keyframe-decode.worker.ts) and uploaded one layer per frame (`pump`), so
 * loading a set while playing never stalls a frame on a whole set's upload. The set on screen
 * stays until every layer of the new one is in; then they swap in one frame. A layer whose image
 * is missing or broken is left out with a message; a set with no usable layer is refused and the
 * current set stays.
 */
import { ClampToEdgeWrapping, DataArrayTexture, LinearFilter, RGBAFormat, SRGBColorSpace, UnsignedByteType, type WebGLRenderer } from 'three';
import { chooseLayerSize, DEFAULT_BUDGET_BYTES } from './budget.ts';
import type { KeyframeSlot } from './blend.ts';
import type { DecodeReply, DecodeRequest } from './decode-protocol.ts';
import type { KeyframeManifest } from './manifest.ts';

/** Images decoded (or being decoded) ahead of the uploads while a set loads. */
const DECODE_AHEAD = 2;

export type ReportFn = (level: 'info' | 'warning' | 'error', message: string) => void;

/** A set whose layers are all on the GPU. */
export interface GpuKeyframeSet {
  readonly manifest: KeyframeManifest;
  readonly texture: DataArrayTexture;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** Keyframes that loaded, in manifest order: the blend's slots. */
  readonly slots: readonly KeyframeSlot[];
  /** Texture layer of each slot, which is also its keyframe's index in the manifest. */
  readonly layerOf: Int32Array;
  /** Keyframes left out, with the reason. */
  readonly failed: readonly { readonly index: number; readonly title: string; readonly message: string }[];
  /** performance.now() from the load request to the swap. */
  readonly loadMs: number;
}

export interface KeyframeLoadStatus {
  readonly phase: 'idle' | 'loading' | 'ready' | 'error';
  readonly set: string;
  readonly loaded: number;
  readonly total: number;
  readonly message: string;
}

interface Pending {
  readonly manifest: KeyframeManifest;
  readonly texture: DataArrayTexture;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly started: number;
  /** Decoded layers waiting for upload, in arrival order. */
  readonly ready: { index: number; pixels: Uint8Array }[];
  readonly ok: boolean[];
  readonly failed: { index: number; title: string; message: string }[];
  replies: number;
  uploaded: number;
  /** Next keyframe to ask the decoder for, and how many asks are unanswered. */
  nextRequest: number;
  inFlight: number;
  readonly urlOf: (file: string) => string;
  readonly resolve: (set: GpuKeyframeSet | null) => void;
  cancelled: boolean;
}

export interface KeyframeGpuOptions {
  /** GPU memory a set may take (bytes); larger sets load smaller. */
  budgetBytes?: number;
  /** Starts the decode worker (the page passes a Vite worker constructor; tests may pass another). */
  createWorker: () => Worker;
  report: ReportFn;
}

/** A 1×1×1 mid-grey array: what scenes sample before any set is loaded. */
function placeholderTexture(): DataArrayTexture {
  const t = new DataArrayTexture(new Uint8Array([96, 96, 104, 255]), 1, 1, 1);
  configure(t);
  t.needsUpdate = true;
  return t;
}

function configure(t: DataArrayTexture): void {
  t.format = RGBAFormat;
  t.type = UnsignedByteType;
  t.minFilter = LinearFilter;
  t.magFilter = LinearFilter;
  t.wrapS = ClampToEdgeWrapping;
  t.wrapT = ClampToEdgeWrapping;
  t.generateMipmaps = false;
  t.colorSpace = SRGBColorSpace;
  // Rows arrive top row first; shaders flip v (see shaders/lib/keyframes.glsl).
  t.flipY = false;
  t.unpackAlignment = 4;
}

export class KeyframeGpu {
  readonly placeholder = placeholderTexture();
  /** The set on screen (null before the first load). */
  current: GpuKeyframeSet | null = null;
  /** Called in `pump` on the frame a new set goes on screen. */
  onSwap: ((set: GpuKeyframeSet, previous: GpuKeyframeSet | null) => void) | null = null;
  /**
   * Layers uploaded per frame while a set loads. One keeps every frame's share of the upload
   * small. 0 uploads the whole set in one frame once every image is decoded: the naive way, which
   * the load benchmark compares against.
   */
  layersPerPump = 1;
  /**
   * While true, a set whose layers are all on the GPU waits instead of going on screen: a preset
   * triggered for the next bar uploads its set ahead and shows it on the bar (`release`).
   */
  holdSwap = false;
  /** Layer uploads of the newest pump that did upload (milliseconds), for the load benchmark. */
  lastUploadMs = 0;
  private pending: Pending | null = null;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly requests = new Map<number, { pending: Pending; index: number }>();
  private retired: DataArrayTexture | null = null;
  private statusValue: KeyframeLoadStatus = { phase: 'idle', set: '', loaded: 0, total: 0, message: 'no keyframe set loaded' };
  private readonly budget: number;

  constructor(private readonly opts: KeyframeGpuOptions) {
    this.budget = opts.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  }

  /** The texture scenes should sample this frame. */
  get texture(): DataArrayTexture {
    return this.current?.texture ?? this.placeholder;
  }

  status(): KeyframeLoadStatus {
    return this.statusValue;
  }

  /** A load refused before it reached the GPU (e.g. an unknown set name): the status says why; the current set stays. */
  refuse(set: string, message: string): void {
    this.opts.report('error', message);
    this.statusValue = { phase: 'error', set, loaded: 0, total: 0, message };
  }

  /**
   * Start loading `manifest`, its files at `urlOf(file)`. Resolves with the set once it is on
   * screen, or null when it was refused, had no usable image, or a newer load replaced it.
   */
  load(manifest: KeyframeManifest, urlOf: (file: string) => string, maxEdge = 16384, maxLayers = 256): Promise<GpuKeyframeSet | null> {
    const n = manifest.keyframes.length;
    const choice = chooseLayerSize(n, manifest.size[0], manifest.size[1], this.budget, maxEdge, maxLayers);
    if (!choice.ok) {
      const message = `Keyframe set "${manifest.title}" not loaded: ${choice.message}. The current set stays.`;
      this.opts.report('error', message);
      this.statusValue = { phase: 'error', set: manifest.name, loaded: 0, total: n, message };
      return Promise.resolve(null);
    }
    if (choice.scaled) this.opts.report('warning', `Keyframe set "${manifest.title}": ${choice.message}.`);
    this.cancelPending();
    const { width, height } = choice;
    const texture = new DataArrayTexture(new Uint8Array(width * height * 4 * n), width, height, n);
    configure(texture);
    return new Promise((resolve) => {
      const p: Pending = {
        manifest,
        texture,
        width,
        height,
        bytes: choice.bytes,
        started: performance.now(),
        ready: [],
        ok: new Array<boolean>(n).fill(false),
        failed: [],
        replies: 0,
        uploaded: 0,
        nextRequest: 0,
        inFlight: 0,
        urlOf,
        resolve,
        cancelled: false,
      };
      this.pending = p;
      this.statusValue = { phase: 'loading', set: manifest.name, loaded: 0, total: n, message: `loading "${manifest.title}" (${choice.message})` };
      this.requestMore(p);
    });
  }

  /**
   * Once per frame, before rendering: upload at most one decoded layer, and swap the new set in
   * when all of its layers are done. Returns true on the frame a new set went on screen.
   */
  pump(gl: WebGLRenderer): boolean {
    if (this.retired) {
      // The previous set's texture is no longer bound by any material drawn after the swap.
      this.retired.dispose();
      this.retired = null;
    }
    const p = this.pending;
    if (!p) return false;
    const whole = this.layersPerPump <= 0;
    if (p.ready.length > 0 && (!whole || p.replies === p.manifest.keyframes.length)) {
      const t0 = performance.now();
      const layerBytes = p.width * p.height * 4;
      for (let k = 0; (whole || k < this.layersPerPump) && p.ready.length > 0; k++) {
        const next = p.ready.shift()!;
        (p.texture.image.data as Uint8Array).set(next.pixels, next.index * layerBytes);
        p.texture.addLayerUpdate(next.index);
        p.ok[next.index] = true;
        p.uploaded++;
      }
      p.texture.needsUpdate = true;
      gl.initTexture(p.texture);
      this.lastUploadMs = performance.now() - t0;
      this.statusValue = { ...this.statusValue, loaded: p.uploaded };
      this.requestMore(p);
      return false;
    }
    if (p.replies < p.manifest.keyframes.length) return false;
    if (this.holdSwap) return false;
    // every image answered and every good one is on the GPU
    this.pending = null;
    if (p.uploaded === 0) {
      p.texture.dispose();
      const message = `Keyframe set "${p.manifest.title}" not loaded: none of its ${p.manifest.keyframes.length} images could be used (${p.failed[0]?.message ?? 'no images'}). The current set stays.`;
      this.opts.report('error', message);
      this.statusValue = { phase: 'error', set: p.manifest.name, loaded: 0, total: p.manifest.keyframes.length, message };
      p.resolve(null);
      return false;
    }
    const slots: KeyframeSlot[] = [];
    const layers: number[] = [];
    p.manifest.keyframes.forEach((k, i) => {
      if (!p.ok[i]) return;
      slots.push({ pad: k.pad, signature: k.signature });
      layers.push(i);
    });
    const set: GpuKeyframeSet = {
      manifest: p.manifest,
      texture: p.texture,
      width: p.width,
      height: p.height,
      bytes: p.bytes,
      slots,
      layerOf: Int32Array.from(layers),
      failed: p.failed,
      loadMs: performance.now() - p.started,
    };
    const previous = this.current;
    this.current = set;
    this.retired = previous?.texture ?? null;
    const missing = p.failed.length ? `; left out ${p.failed.length}: ${p.failed.map((f) => `"${f.title}" (${f.message})`).join(', ')}` : '';
    this.statusValue = {
      phase: 'ready',
      set: p.manifest.name,
      loaded: p.uploaded,
      total: p.manifest.keyframes.length,
      message: `"${p.manifest.title}": ${p.uploaded} keyframes at ${p.width}×${p.height} in ${set.loadMs.toFixed(0)} ms${missing}`,
    };
    this.onSwap?.(set, previous);
    p.resolve(set);
    return true;
  }

  /** Stop the worker and free the textures (page unload, tests). */
  dispose(): void {
    this.cancelPending();
    this.worker?.terminate();
    this.worker = null;
    this.current?.texture.dispose();
    this.current = null;
    this.retired?.dispose();
    this.retired = null;
    this.placeholder.dispose();
  }

  /** Drop a set still loading (or held); the set on screen stays. */
  cancelLoad(): void {
    if (!this.pending) return;
    this.cancelPending();
    const c = this.current;
    this.statusValue = c
      ? { phase: 'ready', set: c.manifest.name, loaded: c.slots.length, total: c.manifest.keyframes.length, message: `"${c.manifest.title}" stays (the load that was waiting was dropped)` }
      : { phase: 'idle', set: '', loaded: 0, total: 0, message: 'no keyframe set loaded' };
  }

  /** Whether a set is loading or waiting to be shown. */
  get loading(): boolean {
    return this.pending !== null;
  }

  private cancelPending(): void {
    const p = this.pending;
    if (!p) return;
    p.cancelled = true;
    this.pending = null;
    p.texture.dispose();
    p.resolve(null);
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const w = this.opts.createWorker();
      w.onmessage = (ev: MessageEvent<DecodeReply>) => this.onReply(ev.data);
      w.onerror = (ev) => {
        ev.preventDefault();
        this.workerFailed(`the image decoder stopped (${ev.message || 'worker error'})`);
      };
      this.worker = w;
      return w;
    } catch (e) {
      this.workerFailed(`the image decoder could not start (${e instanceof Error ? e.message : String(e)})`);
      return null;
    }
  }

  /** The decoder died: every image still out counts as failed; a fresh worker serves the next load. */
  private workerFailed(why: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.opts.report('error', `Keyframes: ${why}.`);
    for (const [id, r] of this.requests) {
      this.requests.delete(id);
      r.pending.inFlight--;
      this.fail(r.pending, r.index, why);
    }
  }

  /**
   * Keep the decoder just ahead of the uploads: at most `DECODE_AHEAD` images decoded or being
   * decoded and not yet on the GPU, so decoding spreads over the frames of the load instead of
   * taking the CPU from the renderer in one burst (software GL renders on the same cores).
   * Uploading a whole set at once (the benchmark's peer) asks for every image immediately.
   */
  private requestMore(p: Pending): void {
    const n = p.manifest.keyframes.length;
    const ahead = this.layersPerPump <= 0 ? n : DECODE_AHEAD;
    while (!p.cancelled && p.nextRequest < n && p.inFlight + p.ready.length < ahead) {
      const w = this.ensureWorker();
      if (!w) return;
      const i = p.nextRequest++;
      const id = this.nextId++;
      this.requests.set(id, { pending: p, index: i });
      p.inFlight++;
      const req: DecodeRequest = { id, url: p.urlOf(p.manifest.keyframes[i].file), width: p.width, height: p.height };
      w.postMessage(req);
    }
  }

  private onReply(r: DecodeReply): void {
    const req = this.requests.get(r.id);
    if (!req) return;
    this.requests.delete(r.id);
    const p = req.pending;
    p.inFlight--;
    if (p.cancelled) return;
    if (!r.ok) {
      this.fail(p, req.index, r.message);
      return;
    }
    if (r.width !== p.width || r.height !== p.height || r.pixels.byteLength !== p.width * p.height * 4) {
      this.fail(p, req.index, `decoded to the wrong size (${r.width}×${r.height})`);
      return;
    }
    p.replies++;
    p.ready.push({ index: req.index, pixels: new Uint8Array(r.pixels) });
  }

  private fail(p: Pending, index: number, message: string): void {
    if (p.cancelled || p.failed.some((f) => f.index === index)) return;
    p.replies++;
    const title = p.manifest.keyframes[index]?.title ?? `#${index}`;
    p.failed.push({ index, title, message });
    this.opts.report('warning', `Keyframe "${title}" of set "${p.manifest.title}" left out: ${message}.`);
    this.requestMore(p);
  }
}
