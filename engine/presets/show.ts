/**
 * A show file: one JSON bundle that carries a performance to another machine: presets, banks,
 * the keyframe sets the presets name (their manifests) and those sets' images as base64, each
 * with its path inside the set and its MIME type. Export and import are pure: the caller passes
 * a function that returns the bytes of a set's file, and gets bytes back on import.
 *
 * ```jsonc
 * { "format": "glassforest-show", "version": 1, "name": "Night at the gallery", "exported": "2026-12-03T...",
 *   "presets": [ { ...preset } ], "banks": [ { ...bank } ],
 *   "sets": [ { "name": "glass-dusk", "manifest": { ...keyframes.json } } ],
 *   "images": [ { "set": "glass-dusk", "path": "01-dusk.webp", "mime": "image/webp", "data": "UklGR..." } ] }
 * ```
 */
import { parseManifest, pathProblem, type KeyframeManifest } from '../keyframes/manifest.ts';
import { readBanks, validateBanks, type PresetBank } from './banks.ts';
import { base64Length, decodeBase64, encodeBase64 } from '../base64.ts';
import { PRESET_FORMAT, SET_NAME_PATTERN, type Preset } from './format.ts';
import { hasOwn, isForbiddenKey, isRecord, own, parseJsonText, withinLimits, type Limits } from './guard.ts';
import { at, kindOf, ProblemList, show, type Problem } from './problems.ts';
import { readPresetValue, SHOW_FORMAT } from './read.ts';
import type { PresetReadOptions } from './validate.ts';

export { SHOW_FORMAT };
export const SHOW_VERSION = 1;
/** Largest image carried (decoded bytes). */
export const MAX_IMAGE_BYTES = 32 << 20;
/** Largest total of image bytes in one show. */
export const MAX_SHOW_IMAGE_BYTES = 160 << 20;
export const MAX_SHOW_PRESETS = 1000;
export const MAX_SHOW_SETS = 64;
/** Base64 grows bytes by 4/3; the rest of a show is small beside its images. */
export const SHOW_LIMITS: Limits = { maxBytes: Math.ceil((MAX_SHOW_IMAGE_BYTES * 4) / 3) + (16 << 20), maxDepth: 40, maxElements: 2_000_000 };

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/avif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** An image as a show file carries it. */
export interface ShowImageEntry {
  readonly set: string;
  /** Path inside the set folder, as the manifest names it. */
  readonly path: string;
  readonly mime: ImageType;
  /** Base64 of the file's bytes. */
  readonly data: string;
}

/** An image as import returns it. */
export interface ShowImage {
  readonly set: string;
  readonly path: string;
  readonly mime: ImageType;
  readonly bytes: Uint8Array;
}

export interface ShowSet {
  readonly name: string;
  readonly manifest: KeyframeManifest;
}

export interface ShowFile {
  readonly format: typeof SHOW_FORMAT;
  readonly version: typeof SHOW_VERSION;
  readonly name: string;
  readonly exported: string;
  readonly presets: readonly Preset[];
  readonly banks: readonly PresetBank[];
  readonly sets: readonly ShowSet[];
  readonly images: readonly ShowImageEntry[];
}

/** The MIME type the bytes' signature says, or null when none of the show's image types. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  const is = (at: number, s: string): boolean => {
    if (b.length < at + s.length) return false;
    for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
    return true;
  };
  if (is(0, '\x89PNG\r\n\x1a\n')) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (is(0, 'RIFF') && is(8, 'WEBP')) return 'image/webp';
  if (is(4, 'ftyp') && (is(8, 'avif') || is(8, 'avis'))) return 'image/avif';
  return null;
}

/** Files of a set the show carries: every keyframe image and its preview. */
function filesOf(manifest: KeyframeManifest): string[] {
  const files: string[] = [];
  for (const k of manifest.keyframes) {
    if (!files.includes(k.file)) files.push(k.file);
    if (k.thumb !== undefined && !files.includes(k.thumb)) files.push(k.thumb);
  }
  return files;
}

type MaybePromise<T> = T | Promise<T>;

/** Where export reads keyframe sets from (the app: bundled sets, IndexedDB; tests: maps). */
export interface ShowSource {
  /** The parsed `keyframes.json` of a set, or null when there is no such set. */
  manifest(set: string): MaybePromise<unknown>;
  /** The bytes of a file of a set, or null when missing. */
  image(set: string, path: string): MaybePromise<Uint8Array | null>;
}

export interface ExportOptions {
  readonly now?: number;
  readonly maxImageBytes?: number;
  readonly maxTotalBytes?: number;
}

/**
 * Bundle presets and banks with the keyframe sets they use. Missing sets, missing or oversized
 * images are left out and reported; the presets and banks always go in.
 */
export async function exportShow(
  content: { readonly name?: string; readonly presets: readonly Preset[]; readonly banks?: readonly PresetBank[] },
  source: ShowSource,
  opts: ExportOptions = {},
): Promise<{ show: ShowFile; text: string; problems: Problem[] }> {
  const problems = new ProblemList();
  const maxImage = opts.maxImageBytes ?? MAX_IMAGE_BYTES;
  const maxTotal = opts.maxTotalBytes ?? MAX_SHOW_IMAGE_BYTES;
  const presetIds = content.presets.map((p) => p.id);
  const banks = validateBanks(content.banks ?? [], { presetIds });
  problems.addAll('banks', banks.problems);
  const setNames: string[] = [];
  for (const p of content.presets) if (p.keyframes.set !== null && !setNames.includes(p.keyframes.set)) setNames.push(p.keyframes.set);
  const sets: ShowSet[] = [];
  const images: ShowImageEntry[] = [];
  let total = 0;
  for (const name of setNames) {
    const where = `sets[${JSON.stringify(name)}]`;
    let raw: unknown;
    try {
      raw = await source.manifest(name);
    } catch (err) {
      problems.add(where, `the set could not be read (${err instanceof Error ? err.message : String(err)}); left out`);
      continue;
    }
    if (raw === null || raw === undefined) {
      problems.add(where, 'no such keyframe set; left out (presets using it will keep their current keyframes)');
      continue;
    }
    const m = parseManifest(raw);
    if (!m.ok) {
      for (const e of m.errors) problems.add(where, `manifest: ${e}`);
      continue;
    }
    sets.push({ name, manifest: m.manifest });
    for (const path of filesOf(m.manifest)) {
      const iw = `${where}.${JSON.stringify(path)}`;
      let bytes: Uint8Array | null;
      try {
        bytes = await source.image(name, path);
      } catch (err) {
        problems.add(iw, `could not be read (${err instanceof Error ? err.message : String(err)}); left out`);
        continue;
      }
      if (!(bytes instanceof Uint8Array)) {
        problems.add(iw, 'missing; left out');
        continue;
      }
      if (bytes.length > maxImage) {
        problems.add(iw, `${bytes.length} bytes, more than the ${maxImage} an image may have in a show; left out`);
        continue;
      }
      if (total + bytes.length > maxTotal) {
        problems.add(iw, `the show's images would pass ${maxTotal} bytes; left out`);
        continue;
      }
      const mime = sniffImageType(bytes);
      if (mime === null) {
        problems.add(iw, 'not a PNG, JPEG, WebP or AVIF image; left out');
        continue;
      }
      total += bytes.length;
      images.push({ set: name, path, mime, data: encodeBase64(bytes) });
    }
  }
  const show: ShowFile = {
    format: SHOW_FORMAT,
    version: SHOW_VERSION,
    name: content.name ?? '',
    exported: new Date(opts.now ?? Date.now()).toISOString(),
    presets: content.presets,
    banks: banks.banks,
    sets,
    images,
  };
  return { show, text: JSON.stringify(show), problems: problems.list() };
}

export interface ImportResult {
  /** False when the file could not be read at all (then everything else is empty). */
  readonly ok: boolean;
  readonly name: string;
  readonly presets: Preset[];
  readonly banks: PresetBank[];
  readonly sets: ShowSet[];
  readonly images: ShowImage[];
  readonly problems: Problem[];
}

export interface ImportOptions extends PresetReadOptions {
  readonly limits?: Limits;
  readonly maxImageBytes?: number;
  readonly maxTotalBytes?: number;
}

const SHOW_FIELDS = ['format', 'version', 'name', 'exported', 'presets', 'banks', 'sets', 'images'];
const SET_FIELDS = ['name', 'manifest'];
const IMAGE_FIELDS = ['set', 'path', 'mime', 'data'];

function unknownFields(o: Record<string, unknown>, known: readonly string[], path: string, problems: ProblemList): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    if (isForbiddenKey(k)) problems.add(at(path, k), `the key ${show(k)} is not allowed; dropped`);
    else problems.warn(at(path, k), 'unknown field; dropped');
  }
}

/** Read a show file (text or parsed value). Never throws; keeps every usable preset, bank, set and image. */
export function importShow(input: unknown, opts: ImportOptions = {}): ImportResult {
  const problems = new ProblemList();
  const result = { ok: false, name: '', presets: [] as Preset[], banks: [] as PresetBank[], sets: [] as ShowSet[], images: [] as ShowImage[] };
  const done = (ok: boolean): ImportResult => ({ ...result, ok, problems: problems.list() });
  try {
    const limits = opts.limits ?? SHOW_LIMITS;
    let value = input;
    if (typeof input === 'string') {
      const parsed = parseJsonText(input, limits, 'the show file', problems);
      if (!parsed.ok) return done(false);
      value = parsed.value;
    }
    if (!withinLimits(value, limits, 'the show', problems)) return done(false);
    if (!isRecord(value)) {
      problems.add('', `a show file must be a JSON object, got ${kindOf(value)} ${show(value)}`);
      return done(false);
    }
    const format = own(value, 'format');
    if (format !== SHOW_FORMAT) {
      problems.add('format', format === PRESET_FORMAT ? 'this is a single preset, not a show: open it as a preset' : `expected ${show(SHOW_FORMAT)}, got ${show(format)}: not a Glassforest show`);
      return done(false);
    }
    const version = own(value, 'version');
    if (typeof version === 'number' && Number.isInteger(version) && version > SHOW_VERSION) {
      problems.add('version', `this show is version ${version}, newer than this Glassforest reads (up to ${SHOW_VERSION}); update Glassforest to open it`);
      return done(false);
    }
    if (version !== SHOW_VERSION) {
      problems.add('version', `expected ${SHOW_VERSION}, got ${show(version)}`);
      return done(false);
    }
    unknownFields(value, SHOW_FIELDS, '', problems);
    const name = own(value, 'name');
    if (typeof name === 'string') result.name = name.slice(0, 200);
    else if (name !== undefined) problems.warn('name', `expected text, got ${show(name)}`);

    readPresets(own(value, 'presets'), opts, problems, result.presets);
    const bankProblems = new ProblemList();
    if (hasOwn(value, 'banks')) readBanks(own(value, 'banks'), { presetIds: result.presets.map((p) => p.id) }, bankProblems, result.banks);
    problems.addAll('banks', bankProblems.list());
    readSets(own(value, 'sets'), problems, result.sets);
    readImages(own(value, 'images'), opts, problems, result.sets, result.images);

    for (const s of result.sets) {
      for (const f of filesOf(s.manifest)) {
        if (!result.images.some((im) => im.set === s.name && im.path === f)) problems.warn(`sets[${JSON.stringify(s.name)}]`, `image ${show(f)} is not in the show`);
      }
    }
    for (let i = 0; i < result.presets.length; i++) {
      const set = result.presets[i].keyframes.set;
      if (set !== null && !result.sets.some((s) => s.name === set)) problems.warn(`presets[${JSON.stringify(result.presets[i].id)}].keyframes.set`, `the set ${show(set)} is not in the show; it must be installed where the show plays`);
    }
    return done(true);
  } catch (err) {
    problems.add('', `the show could not be read (${err instanceof Error ? err.message : String(err)})`);
    return { ok: false, name: '', presets: [], banks: [], sets: [], images: [], problems: problems.list() };
  }
}

function readPresets(raw: unknown, opts: PresetReadOptions, problems: ProblemList, out: Preset[]): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw)) {
    problems.add('presets', `expected a list of presets, got ${kindOf(raw)} ${show(raw)}`);
    return;
  }
  if (raw.length > MAX_SHOW_PRESETS) problems.add('presets', `more than ${MAX_SHOW_PRESETS} presets; the rest are dropped`);
  const ids = new Set<string>();
  for (let i = 0; i < raw.length && i < MAX_SHOW_PRESETS; i++) {
    const sub = new ProblemList();
    const p = readPresetValue(raw[i], opts, sub);
    problems.addAll(at('presets', i), sub.list());
    if (p === null) continue;
    if (ids.has(p.id)) {
      problems.add(at(at('presets', i), 'id'), `duplicate preset id ${show(p.id)}; this preset is dropped (banks name presets by id)`);
      continue;
    }
    ids.add(p.id);
    out.push(p);
  }
}

function readSets(raw: unknown, problems: ProblemList, out: ShowSet[]): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw)) {
    problems.add('sets', `expected a list of keyframe sets, got ${kindOf(raw)} ${show(raw)}`);
    return;
  }
  if (raw.length > MAX_SHOW_SETS) problems.add('sets', `more than ${MAX_SHOW_SETS} sets; the rest are dropped`);
  for (let i = 0; i < raw.length && i < MAX_SHOW_SETS; i++) {
    const where = at('sets', i);
    const s: unknown = raw[i];
    if (!isRecord(s)) {
      problems.add(where, `expected {name, manifest}, got ${kindOf(s)} ${show(s)}; dropped`);
      continue;
    }
    unknownFields(s, SET_FIELDS, where, problems);
    const name = own(s, 'name');
    if (typeof name !== 'string' || !SET_NAME_PATTERN.test(name)) {
      problems.add(at(where, 'name'), `expected a keyframe set name like "glass-dusk", got ${show(name)}; set dropped`);
      continue;
    }
    if (out.some((x) => x.name === name)) {
      problems.add(at(where, 'name'), `a second set named ${show(name)}; dropped`);
      continue;
    }
    const m = parseManifest(own(s, 'manifest'));
    if (!m.ok) {
      for (const e of m.errors) problems.add(at(where, 'manifest'), `${e} (set dropped)`);
      continue;
    }
    for (const w of m.warnings) problems.warn(at(where, 'manifest'), w);
    out.push({ name, manifest: m.manifest });
  }
}

function readImages(raw: unknown, opts: ImportOptions, problems: ProblemList, sets: readonly ShowSet[], out: ShowImage[]): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw)) {
    problems.add('images', `expected a list of images, got ${kindOf(raw)} ${show(raw)}`);
    return;
  }
  const maxImage = opts.maxImageBytes ?? MAX_IMAGE_BYTES;
  const maxTotal = opts.maxTotalBytes ?? MAX_SHOW_IMAGE_BYTES;
  let total = 0;
  for (let i = 0; i < raw.length; i++) {
    const where = at('images', i);
    const im: unknown = raw[i];
    if (!isRecord(im)) {
      problems.add(where, `expected {set, path, mime, data}, got ${kindOf(im)} ${show(im)}; dropped`);
      continue;
    }
    unknownFields(im, IMAGE_FIELDS, where, problems);
    const set = own(im, 'set');
    const path = own(im, 'path');
    const mime = own(im, 'mime');
    const data = own(im, 'data');
    const owner = typeof set === 'string' ? sets.find((s) => s.name === set) : undefined;
    if (owner === undefined) {
      problems.add(at(where, 'set'), `${show(set)} is not a set of this show; image dropped`);
      continue;
    }
    const bad = pathProblem(path);
    if (bad !== null) {
      problems.add(at(where, 'path'), `${bad}; image dropped`);
      continue;
    }
    if (!filesOf(owner.manifest).includes(path as string)) {
      problems.warn(at(where, 'path'), `${show(path)} is not named by the manifest of ${show(set)}; image dropped`);
      continue;
    }
    if (out.some((x) => x.set === set && x.path === path)) {
      problems.add(where, `a second image for ${show(set)}/${show(path)}; dropped`);
      continue;
    }
    if (typeof data !== 'string') {
      problems.add(at(where, 'data'), `expected base64 text, got ${kindOf(data)}; image dropped`);
      continue;
    }
    // Size first, from the text's length: a hostile entry is refused before any decoding.
    const size = data.length % 4 === 0 ? base64Length(data) : Math.floor((data.length * 3) / 4);
    if (size > maxImage) {
      problems.add(at(where, 'data'), `${size} bytes, more than the ${maxImage} an image may have; image dropped`);
      continue;
    }
    if (total + size > maxTotal) {
      problems.add(at(where, 'data'), `the show's images pass ${maxTotal} bytes; image dropped`);
      continue;
    }
    const decoded = decodeBase64(data);
    if (!decoded.ok) {
      problems.add(at(where, 'data'), `${decoded.message}; image dropped`);
      continue;
    }
    const sniffed = sniffImageType(decoded.bytes);
    if (sniffed === null) {
      problems.add(at(where, 'data'), 'not a PNG, JPEG, WebP or AVIF image; dropped');
      continue;
    }
    if (mime !== sniffed) problems.warn(at(where, 'mime'), `${show(mime)} but the bytes are ${sniffed}; ${sniffed} is used`);
    total += decoded.bytes.length;
    out.push({ set: owner.name, path: path as string, mime: sniffed, bytes: decoded.bytes });
  }
}
