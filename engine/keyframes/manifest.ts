/**
 * The keyframe-set manifest (`presets/<set>/keyframes.json`): types, a validator that names
 * the keyframe and field of every problem, and the GPU memory a set costs. Pure: no fs, no
 * DOM, so the browser, the import CLI and the tests share it.
 */

export const MANIFEST_FILE = 'keyframes.json';
export const MANIFEST_VERSION = 1;

/** The archive states keyframes can be sorted by (see the project's origin notes), or none. */
export const ARCHIVE_STATES = ['nostalgia', 'loneliness', 'anticipation', 'intimacy', 'none'] as const;
export type ArchiveState = (typeof ARCHIVE_STATES)[number];
export const ARCHIVE_STATE_LABELS: Readonly<Record<ArchiveState, string>> = {
  nostalgia: 'nostalgia without memory',
  loneliness: 'loneliness in public space',
  anticipation: 'anticipation without outcome',
  intimacy: 'intimacy without contact',
  none: 'no archive state',
};

/** Sound features a keyframe "sounds like", each 0..1; the blend may steer towards the closest. */
export const SIGNATURE_KEYS = ['loudness', 'centroid', 'onsetRate', 'low', 'pitchConfidence'] as const;
export type SignatureKey = (typeof SIGNATURE_KEYS)[number];
export type KeyframeSignature = Partial<Record<SignatureKey, number>>;

export interface Keyframe {
  /** Image path relative to the set folder, `/`-separated. */
  readonly file: string;
  /** Small preview image, relative to the set folder (absent in hand-written sets without previews). */
  readonly thumb?: string;
  readonly title: string;
  /** What the image generator was asked for; may be empty. */
  readonly prompt: string;
  readonly negativePrompt?: string;
  readonly seed?: number | string;
  /** Free text: the model or tool that made the image. */
  readonly generator: string;
  readonly state: ArchiveState;
  readonly tags: readonly string[];
  /** Position on the performer's XY blend pad, each 0..1. */
  readonly pad?: readonly [number, number];
  readonly signature?: KeyframeSignature;
}

export interface KeyframeManifest {
  readonly version: typeof MANIFEST_VERSION;
  /** Folder name of the set: lower-case letters, digits, `-`, `_`, `.`. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Width and height every image of the set has (one texture array). */
  readonly size: readonly [number, number];
  /** Free text about how the set was made. */
  readonly generator: string;
  readonly keyframes: readonly Keyframe[];
}

export type ManifestResult =
  | { readonly ok: true; readonly manifest: KeyframeManifest; readonly warnings: string[] }
  | { readonly ok: false; readonly errors: string[] };

/** WebGL2 guarantees 256 array layers and 2048 texels a side; larger needs a bigger GPU. */
export const MAX_KEYFRAMES = 256;
export const MAX_SIDE = 8192;
export const SAFE_SIDE = 2048;
const MAX_TEXT = 20_000;
const SET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const TOP_FIELDS = ['version', 'name', 'title', 'description', 'size', 'generator', 'keyframes'];
const KEYFRAME_FIELDS = ['file', 'thumb', 'title', 'prompt', 'negativePrompt', 'seed', 'generator', 'state', 'tags', 'pad', 'signature'];

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof v;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Why `p` is not a safe relative path inside the set folder, or null when it is. Only `/`
 * separators; no absolute paths, drive letters, URLs, `..` or `.` segments, control characters.
 */
export function pathProblem(p: unknown): string | null {
  if (typeof p !== 'string' || p.length === 0) return `must be a relative file path like "01-dusk.webp", got ${show(p)}`;
  if (p.length > 255) return 'is longer than 255 characters';
  if (/[\u0000-\u001f\u007f]/.test(p)) return `contains a control character: ${show(p)}`;
  if (p.includes('\\')) return `must use / as separator, not \\: ${show(p)}`;
  if (p.startsWith('/')) return `must be relative to the set folder, not absolute: ${show(p)}`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(p)) return `must be a plain relative path, not a drive or URL: ${show(p)}`;
  for (const seg of p.split('/')) {
    if (seg === '..') return `must stay inside the set folder (no ".."): ${show(p)}`;
    if (seg === '' || seg === '.') return `has an empty or "." segment: ${show(p)}`;
  }
  return null;
}

/** Check a parsed `keyframes.json` and fill in defaults. Unknown fields are warnings (later versions may add some). */
export function parseManifest(json: unknown): ManifestResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!isObject(json)) return { ok: false, errors: [`a keyframe manifest must be a JSON object with version, name, size and keyframes, got ${show(json)}`] };
  const o = json;

  if (o.version !== MANIFEST_VERSION) {
    if (typeof o.version === 'number' && Number.isInteger(o.version) && o.version > MANIFEST_VERSION) {
      errors.push(`version: ${o.version} is newer than this engine reads (${MANIFEST_VERSION}); update Glassforest`);
    } else errors.push(`version: must be ${MANIFEST_VERSION}${o.version === undefined ? ' (required)' : `, got ${show(o.version)}`}`);
  }

  // Optional free text: undefined gives the default, anything else must be a string.
  const text = (obj: Record<string, unknown>, where: string, field: string, dflt: string): string => {
    const v = obj[field];
    if (v === undefined) return dflt;
    if (typeof v !== 'string') {
      errors.push(`${where}${field}: must be text, got ${show(v)}`);
      return dflt;
    }
    if (v.length > MAX_TEXT) errors.push(`${where}${field}: longer than ${MAX_TEXT} characters`);
    return v;
  };

  let name = '';
  if (typeof o.name === 'string' && SET_NAME.test(o.name)) name = o.name;
  else errors.push(`name: must be the set's folder name (lower-case letters, digits, - _ .; at most 64), got ${show(o.name)}`);
  const title = text(o, '', 'title', name);
  const description = text(o, '', 'description', '');
  const generator = text(o, '', 'generator', '');

  let size: [number, number] = [0, 0];
  const side = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_SIDE;
  if (Array.isArray(o.size) && o.size.length === 2 && side(o.size[0]) && side(o.size[1])) {
    size = [o.size[0], o.size[1]];
    if (size[0] > SAFE_SIDE || size[1] > SAFE_SIDE) warnings.push(`size: ${size[0]}x${size[1]} is over ${SAFE_SIDE} a side, which some GPUs cannot load`);
  } else errors.push(`size: must be [width, height] in whole pixels within 1..${MAX_SIDE}${o.size === undefined ? ' (required)' : `, got ${show(o.size)}`}`);

  const keyframes: Keyframe[] = [];
  if (!Array.isArray(o.keyframes) || o.keyframes.length === 0) {
    errors.push(`keyframes: must be a list of at least one keyframe${o.keyframes === undefined ? ' (required)' : `, got ${show(o.keyframes)}`}`);
  } else if (o.keyframes.length > MAX_KEYFRAMES) {
    errors.push(`keyframes: ${o.keyframes.length} keyframes, at most ${MAX_KEYFRAMES} fit one texture array`);
  } else {
    const seen = new Map<string, number>();
    o.keyframes.forEach((k: unknown, i: number) => {
      const at = `keyframes[${i}]`;
      if (!isObject(k)) {
        errors.push(`${at}: must be an object like {"file": "01-dusk.webp", ...}, got ${show(k)}`);
        return;
      }
      const label = typeof k.file === 'string' && k.file ? `${at} (${JSON.stringify(k.file.slice(0, 60)).slice(1, -1)})` : at;
      const where = `${label}.`;
      const before = errors.length;
      const fileProblem = pathProblem(k.file);
      if (fileProblem) errors.push(`${where}file: ${fileProblem}`);
      const file = fileProblem ? '' : (k.file as string);
      if (file) {
        const prev = seen.get(file);
        if (prev !== undefined) warnings.push(`${where}file: the same image as keyframes[${prev}]`);
        else seen.set(file, i);
      }
      let thumb: string | undefined;
      if (k.thumb !== undefined) {
        const p = pathProblem(k.thumb);
        if (p) errors.push(`${where}thumb: ${p}`);
        else thumb = k.thumb as string;
      }
      const stem = file.split('/').pop()?.replace(/\.[^.]*$/, '') ?? '';
      const kTitle = text(k, where, 'title', stem);
      const prompt = text(k, where, 'prompt', '');
      const kGenerator = text(k, where, 'generator', '');
      let negativePrompt: string | undefined;
      if (k.negativePrompt !== undefined) negativePrompt = text(k, where, 'negativePrompt', '');
      let seed: number | string | undefined;
      if (k.seed !== undefined) {
        if ((typeof k.seed === 'number' && Number.isFinite(k.seed)) || (typeof k.seed === 'string' && k.seed.length <= 100)) seed = k.seed;
        else errors.push(`${where}seed: must be a number or short text, got ${show(k.seed)}`);
      }
      let state: ArchiveState = 'none';
      if (k.state !== undefined) {
        if (typeof k.state === 'string' && (ARCHIVE_STATES as readonly string[]).includes(k.state)) state = k.state as ArchiveState;
        else errors.push(`${where}state: must be one of ${ARCHIVE_STATES.join(', ')}, got ${show(k.state)}`);
      }
      let tags: string[] = [];
      if (k.tags !== undefined) {
        if (Array.isArray(k.tags) && k.tags.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 100)) tags = [...(k.tags as string[])];
        else errors.push(`${where}tags: must be a list of short non-empty texts, got ${show(k.tags)}`);
      }
      let pad: [number, number] | undefined;
      if (k.pad !== undefined) {
        const unit = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
        if (Array.isArray(k.pad) && k.pad.length === 2 && unit(k.pad[0]) && unit(k.pad[1])) pad = [k.pad[0], k.pad[1]];
        else errors.push(`${where}pad: must be [x, y] with each within 0..1, got ${show(k.pad)}`);
      }
      let signature: KeyframeSignature | undefined;
      if (k.signature !== undefined) {
        if (!isObject(k.signature)) errors.push(`${where}signature: must be an object like {"loudness": 0.3}, got ${show(k.signature)}`);
        else {
          const sig: KeyframeSignature = {};
          for (const [key, v] of Object.entries(k.signature)) {
            if (!(SIGNATURE_KEYS as readonly string[]).includes(key)) {
              warnings.push(`${where}signature.${key}: unknown feature ignored (features: ${SIGNATURE_KEYS.join(', ')})`);
            } else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
              errors.push(`${where}signature.${key}: must be a number within 0..1, got ${show(v)}`);
            } else sig[key as SignatureKey] = v;
          }
          signature = sig;
        }
      }
      for (const key of Object.keys(k)) {
        if (!KEYFRAME_FIELDS.includes(key)) warnings.push(`${where}${key}: unknown field ignored (fields: ${KEYFRAME_FIELDS.join(', ')})`);
      }
      if (errors.length > before) return;
      keyframes.push({
        file,
        ...(thumb !== undefined ? { thumb } : {}),
        title: kTitle,
        prompt,
        ...(negativePrompt !== undefined ? { negativePrompt } : {}),
        ...(seed !== undefined ? { seed } : {}),
        generator: kGenerator,
        state,
        tags,
        ...(pad ? { pad } : {}),
        ...(signature ? { signature } : {}),
      });
    });
  }
  for (const key of Object.keys(o)) {
    if (!TOP_FIELDS.includes(key)) warnings.push(`${key}: unknown field ignored (fields: ${TOP_FIELDS.join(', ')})`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, manifest: { version: MANIFEST_VERSION, name, title, description, size, generator, keyframes }, warnings };
}

/** Bytes of one RGBA8 layer with its mip chain (each level halves, down to 1x1). */
function layerBytes(w: number, h: number, mipmaps: boolean): number {
  let texels = w * h;
  if (mipmaps) {
    for (let lw = w, lh = h; lw > 1 || lh > 1; ) {
      lw = Math.max(1, lw >> 1);
      lh = Math.max(1, lh >> 1);
      texels += lw * lh;
    }
  }
  return texels * 4;
}

/**
 * GPU memory of `n` images of `w`x`h` in one RGBA8 texture array; a full mip chain adds about
 * a third (counted level by level, so slightly under 4/3 of the base).
 */
export function bytesForSet(n: number, w: number, h: number, mipmaps: boolean): number {
  if (!(n >= 0 && w >= 0 && h >= 0)) return 0;
  if (n === 0 || w === 0 || h === 0) return 0;
  return n * layerBytes(Math.floor(w), Math.floor(h), mipmaps);
}

/** `12.0 MiB`, `512 KiB`, `900 B`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}
