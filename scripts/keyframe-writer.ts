/**
 * Writes a keyframe set folder (`NN-<slug>.webp`, `thumbs/NN-<slug>.webp`, `keyframes.json`)
 * all or nothing: everything goes into a hidden temporary folder beside the destination, is
 * read back and checked, and only then renamed into place. A failure, an interrupt or an
 * abort removes the temporary folder, so a set folder is either complete or absent.
 * Used by the import CLI and by the generator of the shipped sets.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import {
  MANIFEST_FILE,
  MANIFEST_VERSION,
  parseManifest,
  type ArchiveState,
  type Keyframe,
  type KeyframeManifest,
  type KeyframeSignature,
} from '../engine/keyframes/manifest.ts';

export const THUMB_SIZE = 128;
export const THUMB_DIR = 'thumbs';

/** Pixels at the set's size: 8-bit sRGB, 3 channels (opaque) or 4 (with alpha), row-major. */
export interface Raster {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** What the writer needs to know of a keyframe besides its pixels; it derives `file` and `thumb`. */
export type FrameMeta = Omit<Keyframe, 'file' | 'thumb'> & {
  /** File-name part after the index, e.g. `dusk-window`; cleaned with `slugify`. */
  readonly slug: string;
};

export interface SetMeta {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly generator: string;
  /** 'circle': keyframes without a pad position get one evenly round a circle. */
  readonly padLayout?: 'circle';
}

export interface WriterOptions {
  /** WebP quality 1..100 for the keyframes (thumbnails use a fixed lower one). */
  readonly quality: number;
  /** Replace an existing set folder. */
  readonly force: boolean;
}

/** `Dusk Window (2).PNG` → `dusk-window-2`; never empty, at most 40 characters. */
export function slugify(s: string): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'image';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Every writer with a temporary folder on disk, so an interrupt can remove them all. */
const open = new Set<KeyframeSetWriter>();
let signalsHooked = false;
function onSignal(signal: NodeJS.Signals): void {
  for (const w of open) w.discard();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
function unhookSignals(): void {
  if (!signalsHooked || open.size > 0) return;
  signalsHooked = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

export class KeyframeSetWriter {
  private readonly keyframes: Keyframe[] = [];
  private done = false;

  private constructor(
    /** Final folder of the set. */
    readonly dest: string,
    /** Hidden sibling folder the set is built in. */
    readonly temp: string,
    readonly size: readonly [number, number],
    private readonly options: WriterOptions,
  ) {}

  /**
   * Start a set at `dest` (e.g. `presets/glass-dusk`). Throws when `dest` exists and `force` is
   * off, before anything is written.
   */
  static create(dest: string, size: readonly [number, number], options: WriterOptions): KeyframeSetWriter {
    if (existsSync(dest) && !options.force) throw new Error(`${dest} already exists (use --force to replace it)`);
    const parent = dirname(dest);
    mkdirSync(parent, { recursive: true });
    const temp = join(parent, `.${basename(dest)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(join(temp, THUMB_DIR), { recursive: true });
    const w = new KeyframeSetWriter(dest, temp, size, options);
    open.add(w);
    hookSignals();
    return w;
  }

  get count(): number {
    return this.keyframes.length;
  }

  /** Encode one keyframe and its thumbnail into the temporary folder; returns the file name. */
  async add(meta: FrameMeta, raster: Raster): Promise<string> {
    if (this.done) throw new Error('set already finished');
    const [w, h] = this.size;
    if (raster.width !== w || raster.height !== h) throw new Error(`keyframe is ${raster.width}x${raster.height}, the set is ${w}x${h}`);
    if (raster.data.length !== w * h * raster.channels) throw new Error('pixel buffer size does not match width x height x channels');
    const index = String(this.keyframes.length + 1).padStart(2, '0');
    const file = `${index}-${slugify(meta.slug)}.webp`;
    const thumb = `${THUMB_DIR}/${file}`;
    const raw = { raw: { width: w, height: h, channels: raster.channels } } as const;
    const q = Math.round(this.options.quality);
    const full = await sharp(raster.data, raw).webp({ quality: q, alphaQuality: q, smartSubsample: true, effort: 5 }).toBuffer();
    const small = await sharp(raster.data, raw)
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', kernel: 'lanczos3' })
      .webp({ quality: 75, alphaQuality: 75, effort: 5 })
      .toBuffer();
    writeFileSync(join(this.temp, file), full);
    writeFileSync(join(this.temp, thumb), small);
    this.keyframes.push({
      file,
      thumb,
      title: meta.title,
      prompt: meta.prompt,
      ...(meta.negativePrompt ? { negativePrompt: meta.negativePrompt } : {}),
      ...(meta.seed !== undefined ? { seed: meta.seed } : {}),
      generator: meta.generator,
      state: meta.state,
      tags: [...meta.tags],
      ...(meta.pad ? { pad: [meta.pad[0], meta.pad[1]] as const } : {}),
      ...(meta.signature ? { signature: { ...meta.signature } } : {}),
    });
    return file;
  }

  /**
   * Write the manifest, read everything back (manifest parses, every image decodes at the set's
   * size) and move the set into place, replacing an old one only with `force`. Any failure
   * discards the temporary folder and throws; the destination is then untouched.
   */
  async commit(set: SetMeta): Promise<{ manifest: KeyframeManifest; warnings: string[]; bytesOnDisk: number }> {
    if (this.done) throw new Error('set already finished');
    try {
      if (this.keyframes.length === 0) throw new Error('no keyframes to write');
      if (set.padLayout === 'circle') {
        const pads = circlePads(this.keyframes.length);
        this.keyframes.forEach((k, i) => {
          if (!k.pad) this.keyframes[i] = { ...k, pad: pads[i] };
        });
      }
      const manifest: KeyframeManifest = {
        version: MANIFEST_VERSION,
        name: set.name,
        title: set.title,
        description: set.description,
        size: [this.size[0], this.size[1]],
        generator: set.generator,
        keyframes: this.keyframes,
      };
      writeFileSync(join(this.temp, MANIFEST_FILE), manifestJson(manifest));
      const check = parseManifest(JSON.parse(readFileSync(join(this.temp, MANIFEST_FILE), 'utf8')));
      if (!check.ok) throw new Error(`the written manifest does not validate: ${check.errors.join('; ')}`);
      for (const k of check.manifest.keyframes) {
        for (const [path, w, h] of [
          [k.file, this.size[0], this.size[1]],
          [k.thumb!, 0, 0],
        ] as const) {
          const md = await sharp(readFileSync(join(this.temp, path)), { failOn: 'error' }).metadata();
          if (md.format !== 'webp') throw new Error(`${path} reads back as ${md.format}, not webp`);
          if (w > 0 && (md.width !== w || md.height !== h)) throw new Error(`${path} reads back as ${md.width}x${md.height}, not ${w}x${h}`);
        }
      }
      const bytesOnDisk = folderBytes(this.temp);
      this.moveIntoPlace();
      return { manifest: check.manifest, warnings: check.warnings, bytesOnDisk };
    } catch (e) {
      this.discard();
      throw e;
    } finally {
      this.finish();
    }
  }

  /** Remove the temporary folder (idempotent; safe from a signal handler). */
  discard(): void {
    rmSync(this.temp, { recursive: true, force: true });
    this.finish();
  }

  private finish(): void {
    this.done = true;
    open.delete(this);
    unhookSignals();
  }

  private moveIntoPlace(): void {
    if (!existsSync(this.dest)) {
      // rename refuses a non-empty target, so a set made meanwhile by someone else is not clobbered.
      renameSync(this.temp, this.dest);
      return;
    }
    if (!this.options.force) throw new Error(`${this.dest} already exists (use --force to replace it)`);
    const old = join(dirname(this.dest), `.${basename(this.dest)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
    renameSync(this.dest, old);
    try {
      renameSync(this.temp, this.dest);
    } catch (e) {
      renameSync(old, this.dest);
      throw new Error(`could not move the new set into place: ${errorText(e)}`);
    }
    rmSync(old, { recursive: true, force: true });
  }
}

/** Indented JSON with short flat lists (size, pad, tags) kept on one line. */
export function manifestJson(manifest: KeyframeManifest): string {
  const text = JSON.stringify(manifest, null, 2);
  return text.replace(/\[\n\s+((?:[^[\]{}\n]+,\n\s+)*[^[\]{}\n]+)\n\s+\]/g, (_, inner: string) => `[${inner.split(/,\n\s+/).join(', ')}]`) + '\n';
}

/** Total size of the files in a folder tree. */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

/**
 * Default pad positions for `n` keyframes: evenly round a circle (one keyframe: the centre),
 * rounded to 3 decimals so manifests stay readable.
 */
export function circlePads(n: number): [number, number][] {
  if (n <= 1) return Array.from({ length: n }, () => [0.5, 0.5]);
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  return Array.from({ length: n }, (_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [r3(0.5 + 0.4 * Math.cos(a)), r3(0.5 + 0.4 * Math.sin(a))];
  });
}
