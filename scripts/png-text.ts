/**
 * PNG text chunks (tEXt, zTXt, iTXt) and the prompts image generators leave in them:
 * Automatic1111/Forge write a `parameters` chunk, ComfyUI a `prompt` (and `workflow`) graph
 * as JSON, others `Description`, `Comment`, `Software`. Pure functions over bytes.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export interface PngText {
  readonly type: 'tEXt' | 'zTXt' | 'iTXt';
  readonly keyword: string;
  readonly text: string;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Decompressed text beyond this is dropped (a zip bomb in a chunk must not take the importer down). */
const MAX_TEXT_BYTES = 8 << 20;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** tEXt is Latin-1 by the spec, but many tools put UTF-8 there: take UTF-8 when it decodes cleanly. */
function decodeLoose(b: Uint8Array): string {
  try {
    return strictUtf8.decode(b);
  } catch {
    return latin1.decode(b);
  }
}

function inflate(b: Uint8Array): Uint8Array | null {
  try {
    return inflateSync(b, { maxOutputLength: MAX_TEXT_BYTES });
  } catch {
    return null;
  }
}

/**
 * Every readable text chunk, in file order. Chunks with a bad CRC or undecodable content are
 * skipped; a truncated file yields the chunks before the damage. Non-PNG input gives [].
 */
export function readPngText(bytes: Uint8Array): PngText[] {
  const out: PngText[] = [];
  if (!isPng(bytes)) return out;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  while (pos + 12 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const start = pos + 8;
    const end = start + len;
    if (end + 4 > bytes.length) break;
    const data = bytes.subarray(start, end);
    pos = end + 4;
    if (type === 'IEND') break;
    if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') continue;
    if (crc32(bytes.subarray(start - 4, end)) >>> 0 !== view.getUint32(end)) continue;
    const kwEnd = data.indexOf(0);
    if (kwEnd < 1 || kwEnd > 79) continue;
    const keyword = latin1.decode(data.subarray(0, kwEnd));
    if (type === 'tEXt') {
      out.push({ type, keyword, text: decodeLoose(data.subarray(kwEnd + 1)) });
    } else if (type === 'zTXt') {
      if (data[kwEnd + 1] !== 0) continue;
      const raw = inflate(data.subarray(kwEnd + 2));
      if (raw) out.push({ type, keyword, text: decodeLoose(raw) });
    } else {
      const compressed = data[kwEnd + 1] === 1;
      if (compressed && data[kwEnd + 2] !== 0) continue;
      const langEnd = data.indexOf(0, kwEnd + 3);
      if (langEnd < 0) continue;
      const transEnd = data.indexOf(0, langEnd + 1);
      if (transEnd < 0) continue;
      const body = data.subarray(transEnd + 1);
      const raw = compressed ? inflate(body) : body;
      if (raw) out.push({ type, keyword, text: utf8.decode(raw) });
    }
  }
  return out;
}

/** One encoded text chunk (length, type, data, CRC): Latin-1 keywords; iTXt for anything else. */
export function encodePngTextChunk(keyword: string, text: string, type: 'tEXt' | 'zTXt' | 'iTXt' = 'tEXt'): Uint8Array {
  const enc = new TextEncoder();
  const kw = Uint8Array.from(keyword, (c) => c.charCodeAt(0) & 0xff);
  let data: Uint8Array;
  if (type === 'tEXt') data = concat([kw, [0], Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)]);
  else if (type === 'zTXt') data = concat([kw, [0, 0], deflateSync(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff))]);
  else data = concat([kw, [0, 1, 0, 0, 0], deflateSync(enc.encode(text))]);
  const typed = concat([enc.encode(type), data]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(typed, 4);
  view.setUint32(8 + data.length, crc32(typed) >>> 0);
  return chunk;
}

/** A copy of `png` with `chunks` inserted right after IHDR (where generators put their text). */
export function insertPngChunks(png: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  if (!isPng(png)) throw new Error('not a PNG');
  const ihdrEnd = 8 + 12 + new DataView(png.buffer, png.byteOffset).getUint32(8);
  return concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

function concat(parts: readonly ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** What an image says about how it was made. Every field may be missing. */
export interface PromptInfo {
  prompt?: string;
  negativePrompt?: string;
  generator?: string;
  seed?: number | string;
}

/**
 * Automatic1111/Forge `parameters` text: prompt lines, an optional `Negative prompt:` part,
 * and a last line of `Key: value, ...` settings (Steps, Sampler, Seed, Model, ...).
 */
export function parseA1111(text: string): PromptInfo {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let settings = '';
  let last = lines.length - 1;
  while (last >= 0 && !/^\s*Steps:\s*\d/.test(lines[last])) last--;
  if (last >= 0) settings = lines.splice(last).join(', ');
  const body = lines.join('\n');
  const neg = body.search(/(^|\n)Negative prompt:/);
  const info: PromptInfo = {};
  if (neg >= 0) {
    info.prompt = body.slice(0, neg).trim();
    info.negativePrompt = body
      .slice(neg)
      .replace(/^\n?Negative prompt:/, '')
      .trim();
  } else info.prompt = body.trim();
  const field = (key: string): string | undefined => {
    const m = new RegExp(`(?:^|,)\\s*${key}:\\s*("(?:[^"\\\\]|\\\\.)*"|[^,]*)`).exec(settings);
    return m ? m[1].trim().replace(/^"(.*)"$/, '$1') : undefined;
  };
  const seed = field('Seed');
  if (seed) info.seed = /^\d+$/.test(seed) && Number.isSafeInteger(Number(seed)) ? Number(seed) : seed;
  const model = field('Model');
  const version = field('Version');
  if (settings) info.generator = `Stable Diffusion (Automatic1111/Forge parameters${version ? `, ${version}` : ''})${model ? `, model ${model}` : ''}`;
  return info;
}

/** Text of an input that may be a literal string or a link to another ComfyUI node that holds one. */
function comfyText(graph: Record<string, { class_type?: unknown; inputs?: Record<string, unknown> }>, ref: unknown, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (typeof ref === 'string') return ref;
  if (!Array.isArray(ref) || (typeof ref[0] !== 'string' && typeof ref[0] !== 'number')) return undefined;
  const node = graph[String(ref[0])];
  const inputs = node?.inputs;
  if (!inputs) return undefined;
  for (const key of ['text', 'text_g', 'prompt', 'positive', 'conditioning', 'string', 'value']) {
    if (inputs[key] !== undefined) {
      const t = comfyText(graph, inputs[key], depth + 1);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** ComfyUI `prompt` chunk: the executed node graph as JSON. Finds the sampler's positive and negative text. */
export function parseComfyPrompt(json: string): PromptInfo {
  let graph: unknown;
  try {
    graph = JSON.parse(json);
  } catch {
    return {};
  }
  if (graph === null || typeof graph !== 'object' || Array.isArray(graph)) return {};
  const g = graph as Record<string, { class_type?: unknown; inputs?: Record<string, unknown> }>;
  const info: PromptInfo = {};
  const nodes = Object.values(g).filter((n) => n && typeof n === 'object' && n.inputs && typeof n.inputs === 'object');
  const sampler = nodes.find((n) => n.inputs!.positive !== undefined);
  if (sampler) {
    const pos = comfyText(g, sampler.inputs!.positive);
    const neg = comfyText(g, sampler.inputs!.negative);
    if (pos !== undefined) info.prompt = pos.trim();
    if (neg !== undefined && neg.trim()) info.negativePrompt = neg.trim();
    const seed = sampler.inputs!.seed ?? sampler.inputs!.noise_seed;
    if (typeof seed === 'number' || typeof seed === 'string') info.seed = seed;
  }
  if (info.prompt === undefined) {
    const texts = nodes.filter((n) => typeof n.class_type === 'string' && n.class_type.includes('TextEncode') && typeof n.inputs!.text === 'string');
    if (texts.length > 0) info.prompt = (texts[0].inputs!.text as string).trim();
  }
  const ckpt = nodes.map((n) => n.inputs!.ckpt_name ?? n.inputs!.unet_name ?? n.inputs!.model_name).find((v) => typeof v === 'string');
  info.generator = `ComfyUI${typeof ckpt === 'string' ? `, model ${ckpt}` : ''}`;
  return info;
}

/** A JSON object with the usual sidecar/comment keys (`prompt`, `negative_prompt`, `generator`/`model`, `seed`). */
export function parsePromptJson(value: unknown): PromptInfo {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const o = value as Record<string, unknown>;
  const str = (...keys: string[]): string | undefined => {
    for (const k of keys) if (typeof o[k] === 'string' && (o[k] as string).trim()) return (o[k] as string).trim();
    return undefined;
  };
  const info: PromptInfo = {};
  const prompt = str('prompt', 'positive_prompt', 'description');
  if (prompt !== undefined) info.prompt = prompt;
  const neg = str('negative_prompt', 'negativePrompt', 'uc');
  if (neg !== undefined) info.negativePrompt = neg;
  const gen = str('generator', 'model', 'software');
  if (gen !== undefined) info.generator = gen;
  if ((typeof o.seed === 'number' && Number.isFinite(o.seed)) || (typeof o.seed === 'string' && o.seed.trim())) info.seed = o.seed as number | string;
  return info;
}

/** Fields of `a`, with the gaps filled from `b`. */
export function mergePromptInfo(a: PromptInfo, b: PromptInfo): PromptInfo {
  const out: PromptInfo = { ...b };
  for (const [k, v] of Object.entries(a) as [keyof PromptInfo, PromptInfo[keyof PromptInfo]][]) if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Prompt information from a PNG's text chunks, the most specific source first. */
export function promptFromPngText(chunks: readonly PngText[]): PromptInfo {
  const get = (kw: string): string | undefined => chunks.find((c) => c.keyword.toLowerCase() === kw.toLowerCase())?.text;
  let info: PromptInfo = {};
  const params = get('parameters');
  if (params) info = mergePromptInfo(info, parseA1111(params));
  const comfy = get('prompt');
  if (comfy) {
    const trimmed = comfy.trim();
    info = mergePromptInfo(info, trimmed.startsWith('{') ? parseComfyPrompt(trimmed) : { prompt: trimmed });
  }
  if (!info.prompt && get('workflow')) info = mergePromptInfo(info, { generator: 'ComfyUI' });
  const comment = get('Comment');
  if (comment) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(comment);
    } catch {
      parsed = undefined;
    }
    info = mergePromptInfo(info, parsed !== undefined ? parsePromptJson(parsed) : {});
  }
  const description = get('Description') ?? get('Title');
  if (description) info = mergePromptInfo(info, { prompt: description.trim() });
  if (comment && !info.prompt) info = mergePromptInfo(info, { prompt: comment.trim() });
  const software = get('Software');
  if (software && !info.generator) info.generator = software.trim();
  return info;
}
