/**
 * PNG text chunks on real PNG bytes (made by sharp, chunks inserted by hand) and the prompt
 * formats of common image generators.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePngTextChunk, insertPngChunks, parseA1111, parseComfyPrompt, promptFromPngText, readPngText } from './png-text.ts';

const A1111 = [
  'glass forest floating at dusk, (mist:1.2), cinematic',
  'soft light',
  'Negative prompt: text, watermark, people',
  'Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234567890, Size: 1024x1024, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Lora hashes: "a: 1, b: 2", Version: v1.10.1',
].join('\n');

const COMFY = JSON.stringify({
  '3': { class_type: 'KSampler', inputs: { seed: 42, steps: 20, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] } },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'dreamshaper_8.safetensors' } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'an empty subway platform, fluorescent hum', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
});

async function png(): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width: 16, height: 8, channels: 3, background: '#224466' } }).png().toBuffer());
}

describe('readPngText', () => {
  it('reads tEXt, zTXt and iTXt chunks inserted into a real PNG, which still decodes', async () => {
    const bytes = insertPngChunks(await png(), [
      encodePngTextChunk('parameters', A1111, 'tEXt'),
      encodePngTextChunk('Comment', 'zipped café note', 'zTXt'),
      encodePngTextChunk('Description', '霧の窓 — breath on glass', 'iTXt'),
    ]);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 16, 8]);
    const chunks = readPngText(bytes);
    expect(chunks).toEqual([
      { type: 'tEXt', keyword: 'parameters', text: A1111 },
      { type: 'zTXt', keyword: 'Comment', text: 'zipped café note' },
      { type: 'iTXt', keyword: 'Description', text: '霧の窓 — breath on glass' },
    ]);
  });

  it('reads UTF-8 put in a tEXt chunk (common, though the spec says Latin-1)', async () => {
    const body = new TextEncoder().encode('parameters\u0000über fog');
    const { crc32 } = await import('node:zlib');
    const typed = new Uint8Array([...new TextEncoder().encode('tEXt'), ...body]);
    const raw = new Uint8Array(12 + body.length);
    const v = new DataView(raw.buffer);
    v.setUint32(0, body.length);
    raw.set(typed, 4);
    v.setUint32(8 + body.length, crc32(typed) >>> 0);
    expect(readPngText(insertPngChunks(await png(), [raw]))[0].text).toBe('über fog');
  });

  it('skips a chunk with a bad CRC, stops cleanly on truncation, and returns [] for non-PNG bytes', async () => {
    const bad = encodePngTextChunk('Comment', 'tampered');
    bad[bad.length - 1] ^= 0xff;
    const good = encodePngTextChunk('Software', 'Forge');
    const bytes = insertPngChunks(await png(), [bad, good]);
    expect(readPngText(bytes).map((c) => c.keyword)).toEqual(['Software']);
    expect(readPngText(bytes.subarray(0, 40))).toEqual([]);
    expect(readPngText(new TextEncoder().encode('just some text, not a png'))).toEqual([]);
    expect(readPngText(new Uint8Array(0))).toEqual([]);
  });
});

describe('generator prompt formats', () => {
  it('splits Automatic1111/Forge parameters into prompt, negative prompt, seed and model', () => {
    const info = parseA1111(A1111);
    expect(info.prompt).toBe('glass forest floating at dusk, (mist:1.2), cinematic\nsoft light');
    expect(info.negativePrompt).toBe('text, watermark, people');
    expect(info.seed).toBe(1234567890);
    expect(info.generator).toContain('model sd_xl_base_1.0');
    expect(info.generator).toContain('Automatic1111');
    expect(parseA1111('just a prompt')).toEqual({ prompt: 'just a prompt' });
  });

  it('follows a ComfyUI graph from the sampler to its positive and negative text', () => {
    const info = parseComfyPrompt(COMFY);
    expect(info).toEqual({ prompt: 'an empty subway platform, fluorescent hum', negativePrompt: 'blurry', seed: 42, generator: 'ComfyUI, model dreamshaper_8.safetensors' });
    expect(parseComfyPrompt('{not json')).toEqual({});
  });

  it('picks the most specific source among the chunks of one image', () => {
    expect(promptFromPngText([{ type: 'tEXt', keyword: 'prompt', text: COMFY }, { type: 'tEXt', keyword: 'workflow', text: '{}' }]).prompt).toBe('an empty subway platform, fluorescent hum');
    expect(promptFromPngText([{ type: 'iTXt', keyword: 'Description', text: 'a lit window at night' }, { type: 'tEXt', keyword: 'Software', text: 'NovelAI' }])).toEqual({
      prompt: 'a lit window at night',
      generator: 'NovelAI',
    });
    expect(promptFromPngText([{ type: 'tEXt', keyword: 'Comment', text: '{"prompt": "rain on glass", "uc": "text", "seed": 7}' }])).toEqual({
      prompt: 'rain on glass',
      negativePrompt: 'text',
      seed: 7,
    });
    expect(promptFromPngText([])).toEqual({});
  });
});
