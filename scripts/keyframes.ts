/**
 * `npm run keyframes -- import <folder> --set <name> [--size 1024x1024] [--fit cover|contain]
 *   [--quality 90] [--force]`
 *
 * Turns a folder of images from any image generator into a keyframe set the engine can load:
 * same-size sRGB WebP files, thumbnails and a `keyframes.json` with the prompts found beside or
 * inside the images. Files that cannot be used are named with the reason and skipped; the set is
 * written all at once or not at all.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';
import { ARCHIVE_STATES, MAX_KEYFRAMES, MAX_SIDE, bytesForSet, formatBytes, type ArchiveState } from '../engine/keyframes/manifest.ts';
import { DEFAULT_BUDGET_BYTES } from '../engine/keyframes/budget.ts';
import { KeyframeSetWriter, THUMB_SIZE, type Raster } from './keyframe-writer.ts';
import { mergePromptInfo, parseA1111, parsePromptJson, promptFromPngText, readPngText, type PromptInfo } from './png-text.ts';

/** Larger inputs are refused before decoding (a 100 MP RGBA image is 400 MB of pixels). */
export const PIXEL_LIMIT = 100_000_000;
/** Files larger than this are not read at all. */
const FILE_LIMIT = 256 << 20;
const SIDECAR_EXTS = ['.txt', '.json'];
const ACCEPTED = 'PNG, JPEG, WebP, AVIF';

export const USAGE = `usage: npm run keyframes -- import <folder> --set <name> [options]
  Imports every image in <folder> (sorted by name; PNG, JPEG, WebP or AVIF, judged by content)
  as a keyframe set in <presets>/<name>/: NN-<name>.webp at one common size, thumbs/ with
  ${THUMB_SIZE}px previews, and keyframes.json. Prompts come from <image>.txt or <image>.json beside
  the image (keys prompt, negative_prompt, generator or model, seed) or from text embedded in
  PNGs (Automatic1111/Forge "parameters", ComfyUI "prompt", Description, Comment, Software).
  --set <name>        set name = folder name (lower-case letters, digits, - _ .)
  --size <w>x<h>      size of every keyframe (default 1024x1024; at most ${MAX_SIDE})
  --fit cover|contain cover: fill and crop the centre (default); contain: fit whole, pad black
  --quality <1-100>   WebP quality (default 90)
  --state <id>        archive state for every keyframe: ${ARCHIVE_STATES.join(', ')} (default none)
  --generator <text>  generator note for images that carry none (default "unknown")
  --out <folder>      where sets live (default presets)
  --force             replace an existing set of that name
  -h, --help          show this help
Exit code: 0 when the set was written, 1 when no image was usable or writing failed,
2 on bad arguments.`;

export type Fit = 'cover' | 'contain';

export interface ImportOptions {
  readonly folder: string;
  readonly set: string;
  readonly size: readonly [number, number];
  readonly fit: Fit;
  readonly quality: number;
  readonly force: boolean;
  readonly outDir: string;
  readonly state: ArchiveState;
  readonly generator: string;
}

/** Parse argv (after the script name). Returns options, 'help', or an error message. */
export function parseArgs(argv: readonly string[]): ImportOptions | 'help' | { error: string } {
  if (argv.includes('-h') || argv.includes('--help')) return 'help';
  const [command, ...rest] = argv;
  if (command === undefined) return { error: 'no command (the command is: import)' };
  if (command !== 'import') return { error: `unknown command '${command}' (the command is: import)` };
  let folder: string | undefined;
  let set: string | undefined;
  let size: [number, number] = [1024, 1024];
  let fit: Fit = 'cover';
  let quality = 90;
  let force = false;
  let outDir = 'presets';
  let state: ArchiveState = 'none';
  let generator = 'unknown';
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string | { error: string } => {
      const v = rest[++i];
      return v === undefined || v.startsWith('--') ? { error: `${a} needs a value` } : v;
    };
    if (a === '--force') {
      force = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const v = value();
      if (typeof v !== 'string') return v;
      if (a === '--set') {
        if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(v)) return { error: `--set needs a folder-safe name (lower-case letters, digits, - _ .), got '${v}'` };
        set = v;
      } else if (a === '--size') {
        const m = /^(\d+)x(\d+)$/.exec(v);
        const w = m ? Number(m[1]) : 0;
        const h = m ? Number(m[2]) : 0;
        if (!m || w < 16 || h < 16 || w > MAX_SIDE || h > MAX_SIDE) return { error: `--size needs <width>x<height> within 16..${MAX_SIDE}, got '${v}'` };
        size = [w, h];
      } else if (a === '--fit') {
        if (v !== 'cover' && v !== 'contain') return { error: `--fit is cover or contain, got '${v}'` };
        fit = v;
      } else if (a === '--quality') {
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100) return { error: `--quality needs a whole number within 1..100, got '${v}'` };
        quality = Number(v);
      } else if (a === '--state') {
        if (!(ARCHIVE_STATES as readonly string[]).includes(v)) return { error: `--state is one of ${ARCHIVE_STATES.join(', ')}, got '${v}'` };
        state = v as ArchiveState;
      } else if (a === '--generator') {
        generator = v;
      } else if (a === '--out') {
        outDir = v;
      } else return { error: `unknown option '${a}'` };
    } else if (folder === undefined) {
      folder = a;
    } else return { error: `one folder only (got '${folder}' and '${a}')` };
  }
  if (folder === undefined) return { error: 'no image folder given' };
  if (set === undefined) return { error: '--set <name> is required' };
  return { folder, set, size, fit, quality, force, outDir, state, generator };
}

const FORMAT_NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', avif: 'AVIF' };

export type Prepared =
  | { readonly ok: true; readonly raster: Raster; readonly format: string; readonly width: number; readonly height: number; readonly pngText: PromptInfo }
  | { readonly ok: false; readonly reason: string };

/** Decode one file, refuse it with a plain reason, or resize it to the set's size as 8-bit sRGB. */
export async function prepareImage(bytes: Uint8Array, size: readonly [number, number], fit: Fit): Promise<Prepared> {
  let md: Metadata;
  try {
    // Header only (no decode), so the pixel limit below can give a plain reason.
    md = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: `not an image (accepted: ${ACCEPTED})` };
  }
  const format = md.format === 'heif' ? (md.compression === 'av1' ? 'avif' : 'heic') : md.format;
  if (!FORMAT_NAMES[format]) return { ok: false, reason: `${String(format).toUpperCase()} is not accepted (accepted: ${ACCEPTED})` };
  const w = md.width ?? 0;
  const h = md.height ?? 0;
  if (w * h > PIXEL_LIMIT) return { ok: false, reason: `too large: ${w}x${h} is ${(w * h / 1e6).toFixed(0)} megapixels (the limit is ${PIXEL_LIMIT / 1e6})` };
  const hasAlpha = md.hasAlpha === true;
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(bytes, { limitInputPixels: PIXEL_LIMIT, failOn: 'error', autoOrient: true })
      .resize(size[0], size[1], { fit, position: 'centre', background: hasAlpha ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 0, g: 0, b: 0, alpha: 1 } })
      .toColourspace('srgb')
      [hasAlpha ? 'ensureAlpha' : 'removeAlpha']()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: `damaged or unreadable ${FORMAT_NAMES[format]} (${msg.split('\n')[0]})` };
  }
  const { data, info } = out;
  if (info.width !== size[0] || info.height !== size[1] || (info.channels !== 3 && info.channels !== 4)) {
    return { ok: false, reason: `decoded to an unexpected ${info.width}x${info.height}x${info.channels}` };
  }
  let raster: Raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
  if (raster.channels === 4 && isOpaque(raster.data)) raster = dropAlpha(raster);
  const pngText = format === 'png' ? promptFromPngText(readPngText(bytes)) : {};
  return { ok: true, raster, format: FORMAT_NAMES[format], width: w, height: h, pngText };
}

function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

function dropAlpha(r: Raster): Raster {
  const n = r.width * r.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = r.data[i * 4];
    rgb[i * 3 + 1] = r.data[i * 4 + 1];
    rgb[i * 3 + 2] = r.data[i * 4 + 2];
  }
  return { data: rgb, width: r.width, height: r.height, channels: 3 };
}

/** Prompt info from `<stem>.json` / `<stem>.txt` beside an image; the JSON wins where both say something. */
export function readSidecars(jsonText: string | undefined, txtText: string | undefined): { info: PromptInfo; problems: string[] } {
  const problems: string[] = [];
  let info: PromptInfo = {};
  if (jsonText !== undefined) {
    try {
      info = parsePromptJson(JSON.parse(jsonText));
    } catch (e) {
      problems.push(`sidecar JSON ignored: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (txtText !== undefined && txtText.trim()) {
    // A1111 can save its parameters text as the sidecar too; a plain prompt has no "Steps:" line.
    const fromTxt = /(^|\n)\s*Steps:\s*\d/.test(txtText) ? parseA1111(txtText) : { prompt: txtText.trim() };
    info = mergePromptInfo(info, fromTxt);
  }
  return { info, problems };
}

/** `dusk_window-02` → `dusk window 02`. */
function titleFrom(stem: string): string {
  return stem.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim() || stem;
}

/** Run the import; resolves to the exit code. */
export async function runImport(opts: ImportOptions, log: (s: string) => void = console.log, warn: (s: string) => void = console.error): Promise<number> {
  const folder = resolve(opts.folder);
  let names: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    names = readdirSync(folder).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (e) {
    warn(`keyframes: cannot read ${opts.folder}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const dest = resolve(opts.outDir, opts.set);
  let writer: KeyframeSetWriter;
  try {
    writer = KeyframeSetWriter.create(dest, opts.size, { quality: opts.quality, force: opts.force });
  } catch (e) {
    warn(`keyframes: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const stems = new Map<string, string[]>();
  for (const n of names) {
    const stem = basename(n, extname(n));
    stems.set(stem, [...(stems.get(stem) ?? []), n]);
  }
  const isSidecar = (n: string): boolean =>
    SIDECAR_EXTS.includes(extname(n).toLowerCase()) && (stems.get(basename(n, extname(n))) ?? []).some((o) => o !== n && !SIDECAR_EXTS.includes(extname(o).toLowerCase()));
  let used = 0;
  let skipped = 0;
  const skip = (file: string, reason: string): void => {
    skipped++;
    log(`  skipped ${file}: ${reason}`);
  };
  try {
    log(`keyframes: importing ${opts.folder} → ${opts.outDir}/${opts.set} at ${opts.size[0]}x${opts.size[1]} (${opts.fit})`);
    for (const name of names) {
      if (name.startsWith('.') || isSidecar(name)) continue;
      const path = join(folder, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        skip(name, 'a folder (folders are not searched)');
        continue;
      }
      if (st.size > FILE_LIMIT) {
        skip(name, `file over ${formatBytes(FILE_LIMIT)}`);
        continue;
      }
      if (writer.count >= MAX_KEYFRAMES) {
        skip(name, `a set holds at most ${MAX_KEYFRAMES} keyframes`);
        continue;
      }
      const prepared = await prepareImage(readFileSync(path), opts.size, opts.fit);
      if (!prepared.ok) {
        skip(name, prepared.reason);
        continue;
      }
      const stem = basename(name, extname(name));
      const side = (ext: string): string | undefined => {
        const found = (stems.get(stem) ?? []).find((n) => extname(n).toLowerCase() === ext);
        return found ? readFileSync(join(folder, found), 'utf8') : undefined;
      };
      const sidecar = readSidecars(side('.json'), side('.txt'));
      const info = mergePromptInfo(sidecar.info, prepared.pngText);
      const from = sidecar.info.prompt ? 'sidecar' : prepared.pngText.prompt ? 'embedded PNG text' : 'none found';
      // Encoded at once, so only one decoded image is held at a time.
      const out = await writer.add(
        {
          slug: stem,
          title: titleFrom(stem),
          prompt: info.prompt ?? '',
          ...(info.negativePrompt ? { negativePrompt: info.negativePrompt } : {}),
          ...(info.seed !== undefined ? { seed: info.seed } : {}),
          generator: info.generator ?? opts.generator,
          state: opts.state,
          tags: [],
        },
        prepared.raster,
      );
      const notes = [`${prepared.format} ${prepared.width}x${prepared.height}${prepared.raster.channels === 4 ? ' with alpha' : ''}`, `prompt: ${from}`, ...sidecar.problems];
      used++;
      log(`  used    ${name} → ${out} (${notes.join('; ')})`);
    }
    if (used === 0) {
      writer.discard();
      warn(`keyframes: no usable image in ${opts.folder}; nothing written`);
      return 1;
    }
    const result = await writer.commit({
      name: opts.set,
      title: opts.set,
      description: `${used} images imported from "${basename(folder)}"`,
      generator: 'imported with scripts/keyframes.ts',
      padLayout: 'circle',
    });
    for (const w of result.warnings) warn(`  warning: ${w}`);
    const [w, h] = opts.size;
    const n = result.manifest.keyframes.length;
    log(
      `keyframes: wrote ${n} keyframe${n === 1 ? '' : 's'} (${skipped} skipped) to ${opts.outDir}/${opts.set}: ` +
        `${formatBytes(result.bytesOnDisk)} on disk; GPU memory ${formatBytes(bytesForSet(n, w, h, false))} at ${w}x${h} ` +
        `(one texture array without mipmaps; sets over ${formatBytes(DEFAULT_BUDGET_BYTES)} load smaller)`,
    );
    return 0;
  } catch (e) {
    writer.discard();
    warn(`keyframes: failed, nothing written: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts === 'help') {
    console.log(USAGE);
    return 0;
  }
  if ('error' in opts) {
    console.error(`keyframes: ${opts.error}\n${USAGE}`);
    return 2;
  }
  return runImport(opts);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`keyframes: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
