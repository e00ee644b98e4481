/**
 * `npm run keyframes -- import` as a user runs it: a real subprocess (tsx) on a folder of real
 * image files made with sharp, plus the broken and unwanted files a real folder holds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, parseManifest, type KeyframeManifest } from '../engine/keyframes/manifest.ts';
import { ROOT, runTs, type CliRun } from './cli-test-kit.ts';
import { KeyframeSetWriter } from './keyframe-writer.ts';
import { parseArgs } from './keyframes.ts';
import { encodePngTextChunk, insertPngChunks } from './png-text.ts';

const A1111 = 'a glass forest floating in the air, wind on a window\nNegative prompt: people, text\nSteps: 25, Sampler: Euler a, CFG scale: 7, Seed: 31337, Size: 1024x1024, Model: sd_xl_base_1.0';

/** A gradient, so resizing and cropping have something to work on. */
function gradient(width: number, height: number, channels: 3 | 4): { data: Uint8Array; raw: { width: number; height: number; channels: 3 | 4 } } {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128;
      if (channels === 4) data[i + 3] = x < width / 2 ? 64 : 255;
    }
  }
  return { data, raw: { width, height, channels } };
}

function img(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  const g = gradient(width, height, channels);
  return sharp(g.data, { raw: g.raw });
}

const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = (args: string[]): Promise<CliRun> => runTs('scripts/keyframes.ts', args);

describe('npm run keyframes -- import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gf-keyframes-'));
  const src = join(dir, 'generated');
  const out = join(dir, 'presets');
  const dest = join(out, 'night-test');
  let first: CliRun;
  let manifest: KeyframeManifest;

  beforeAll(async () => {
    mkdirSync(src);
    const pngBytes = new Uint8Array(await img(300, 200).png().toBuffer());
    writeFileSync(join(src, 'a-forest.png'), insertPngChunks(pngBytes, [encodePngTextChunk('parameters', A1111)]));
    await img(200, 300, 4).png().toFile(join(src, 'b-alpha.png'));
    await img(640, 480).jpeg({ quality: 80 }).withMetadata({ orientation: 1 }).toFile(join(src, 'c-window.jpg'));
    writeFileSync(join(src, 'c-window.txt'), 'warm breath fog on a night window\n');
    await img(256, 256).webp().toFile(join(src, 'd-road.webp'));
    writeFileSync(join(src, 'd-road.json'), JSON.stringify({ prompt: 'a night road, unreadable billboards', negative_prompt: 'letters', model: 'FLUX.1 [dev]', seed: 'abc-7' }));
    // AVIF under a misleading extension: the format is judged by content.
    await img(320, 240).avif({ quality: 50, effort: 0 }).toFile(join(src, 'e-hall.png'));
    writeFileSync(join(src, 'f-broken.png'), pngBytes.subarray(0, Math.floor(pngBytes.length * 0.6)));
    // A real PNG whose header claims 20000x20000 (400 MP): refused from the header, never decoded.
    const huge = Buffer.from(pngBytes);
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    huge.writeUInt32BE(crc32(huge.subarray(12, 29)) >>> 0, 29);
    writeFileSync(join(src, 'g-huge.png'), huge);
    writeFileSync(join(src, 'h-notes.md'), '# not an image\n');
    writeFileSync(join(src, 'i-readme.txt'), 'a text file with no image beside it');
    await img(64, 64).gif().toFile(join(src, 'j-anim.gif'));
    writeFileSync(join(src, '.DS_Store'), 'x');
    first = await run(['import', src, '--set', 'night-test', '--size', '256x192', '--out', out, '--state', 'loneliness']);
    if (first.code === 0) manifest = JSON.parse(readFileSync(join(dest, MANIFEST_FILE), 'utf8')) as KeyframeManifest;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the usable images and reports every skipped file with a plain reason', () => {
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const o = first.stdout;
    for (const f of ['a-forest.png', 'b-alpha.png', 'c-window.jpg', 'd-road.webp', 'e-hall.png']) expect(o).toMatch(new RegExp(`used +${f.replace('.', '\\.')} → `));
    expect(o).toMatch(/e-hall\.png → 05-e-hall\.webp \(AVIF 320x240/);
    expect(o).toMatch(/skipped f-broken\.png: damaged or unreadable PNG/);
    expect(o).toMatch(/skipped g-huge\.png: too large: 20000x20000 is 400 megapixels \(the limit is 100\)/);
    expect(o).toMatch(/skipped h-notes\.md: not an image/);
    expect(o).toMatch(/skipped i-readme\.txt: not an image/);
    expect(o).toMatch(/skipped j-anim\.gif: GIF is not accepted/);
    expect(o).not.toMatch(/c-window\.txt|d-road\.json|DS_Store/);
    expect(o).toMatch(/wrote 5 keyframes \(5 skipped\)/);
    // 5 x 256 x 192 x 4 bytes = 960 KiB
    expect(o).toMatch(/GPU memory 960 KiB at 256x192 \(one texture array without mipmaps/);
  });

  it('writes a manifest that parses, with the prompts from sidecars and embedded PNG text', () => {
    const r = parseManifest(manifest);
    expect(r.ok && r.warnings).toEqual([]);
    expect(manifest.size).toEqual([256, 192]);
    const ks = manifest.keyframes;
    expect(ks.map((k) => k.file)).toEqual(['01-a-forest.webp', '02-b-alpha.webp', '03-c-window.webp', '04-d-road.webp', '05-e-hall.webp']);
    expect(ks[0]).toMatchObject({ prompt: 'a glass forest floating in the air, wind on a window', negativePrompt: 'people, text', seed: 31337, state: 'loneliness' });
    expect(ks[0].generator).toContain('sd_xl_base_1.0');
    expect(ks[2]).toMatchObject({ prompt: 'warm breath fog on a night window', generator: 'unknown', title: 'c window' });
    expect(ks[3]).toMatchObject({ prompt: 'a night road, unreadable billboards', negativePrompt: 'letters', generator: 'FLUX.1 [dev]', seed: 'abc-7' });
    expect(ks[4].prompt).toBe('');
    for (const k of ks) {
      expect(k.pad![0]).toBeGreaterThanOrEqual(0);
      expect(k.pad![1]).toBeLessThanOrEqual(1);
      expect(k.thumb).toBe(`thumbs/${k.file}`);
    }
  });

  it('writes same-size 8-bit sRGB WebP files without metadata, alpha only where the source had it, and thumbnails', async () => {
    for (const k of manifest.keyframes) {
      const md = await sharp(readFileSync(join(dest, k.file))).metadata();
      expect([md.format, md.width, md.height, md.space, md.depth], k.file).toEqual(['webp', 256, 192, 'srgb', 'uchar']);
      expect(md.hasAlpha, k.file).toBe(k.file === '02-b-alpha.webp');
      expect(md.exif ?? md.icc ?? md.xmp).toBeUndefined();
      const tm = await sharp(readFileSync(join(dest, k.thumb!))).metadata();
      expect([tm.format, tm.width, tm.height]).toEqual(['webp', 128, 96]);
    }
    // Cover crop keeps the centre: the middle pixel of the 300x200 gradient stays mid-grey-ish red.
    const { data } = await sharp(readFileSync(join(dest, '01-a-forest.webp'))).raw().toBuffer({ resolveWithObject: true });
    const mid = (96 * 256 + 128) * 3;
    expect(Math.abs(data[mid] - 128)).toBeLessThan(20);
    expect(readdirSync(out)).toEqual(['night-test']);
  });

  it('refuses to overwrite an existing set without --force, and replaces it with --force', async () => {
    const before = statSync(join(dest, MANIFEST_FILE)).mtimeMs;
    const again = await run(['import', src, '--set', 'night-test', '--size', '256x192', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(use --force/);
    expect(statSync(join(dest, MANIFEST_FILE)).mtimeMs).toBe(before);
    const forced = await run(['import', src, '--set', 'night-test', '--size', '128x128', '--fit', 'contain', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dest, MANIFEST_FILE), 'utf8')) as KeyframeManifest;
    expect(m.size).toEqual([128, 128]);
    expect((await sharp(readFileSync(join(dest, m.keyframes[2].file))).metadata()).width).toBe(128);
    expect(readdirSync(out)).toEqual(['night-test']);
  });

  it('writes nothing and exits 1 when no file is usable', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'x.png'), 'not really a png');
    writeFileSync(join(bad, 'y.txt'), 'hello');
    const r = await run(['import', bad, '--set', 'empty', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/skipped x\.png: not an image/);
    expect(r.stderr).toMatch(/no usable image .* nothing written/);
    expect(existsSync(join(out, 'empty'))).toBe(false);
    expect(readdirSync(out)).toEqual(['night-test']);
  });

  it('leaves neither the set nor its temporary folder behind when interrupted mid-import', async () => {
    const many = join(dir, 'many');
    mkdirSync(many);
    const big = await img(1200, 900).png({ compressionLevel: 1 }).toBuffer();
    for (let i = 0; i < 12; i++) writeFileSync(join(many, `frame-${i}.png`), big);
    const target = join(dir, 'interrupted');
    const child = spawn(process.execPath, [TSX, join(ROOT, 'scripts/keyframes.ts'), 'import', many, '--set', 'cut', '--out', target], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Interrupt as soon as the temporary folder exists.
    const deadline = Date.now() + 20_000;
    const started = (): boolean => existsSync(target) && readdirSync(target).some((n) => n.startsWith('.cut.partial-'));
    while (Date.now() < deadline && !started()) await new Promise((r) => setTimeout(r, 10));
    expect(started()).toBe(true);
    child.kill('SIGINT');
    const code = await exited;
    expect(code).not.toBe(0);
    expect(readdirSync(target)).toEqual([]);
  }, 30_000);

  it('exits 2 with the usage on bad arguments', async () => {
    const r = await run(['import', src, '--size', '12x12', '--set', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--size needs <width>x<height>/);
    expect(r.stderr).toMatch(/usage: npm run keyframes/);
    expect(parseArgs(['import', 'f'])).toEqual({ error: '--set <name> is required' });
    expect(parseArgs(['import', 'f', '--set', 'Bad Name'])).toHaveProperty('error');
    expect(parseArgs(['export', 'f'])).toHaveProperty('error');
    expect(parseArgs(['import', 'f', '--set', 'ok'])).toMatchObject({ size: [1024, 1024], fit: 'cover', quality: 90, force: false, outDir: 'presets' });
  });
});

describe('KeyframeSetWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gf-kwriter-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const raster = { data: new Uint8Array(32 * 16 * 3).fill(90), width: 32, height: 16, channels: 3 as const };
  const meta = { slug: 'grey', title: 'Grey', prompt: '', generator: 'test', state: 'none' as const, tags: [] };

  it('leaves no trace when a set is abandoned or fails its final check', async () => {
    const a = KeyframeSetWriter.create(join(dir, 'abandoned'), [32, 16], { quality: 80, force: false });
    await a.add(meta, raster);
    expect(existsSync(a.temp)).toBe(true);
    a.discard();
    // An invalid set name makes the written manifest fail its read-back check.
    const b = KeyframeSetWriter.create(join(dir, 'Bad Name'), [32, 16], { quality: 80, force: false });
    await b.add(meta, raster);
    await expect(b.commit({ name: 'Bad Name', title: '', description: '', generator: '' })).rejects.toThrow(/does not validate/);
    const c = KeyframeSetWriter.create(join(dir, 'wrong-size'), [32, 16], { quality: 80, force: false });
    await expect(c.add(meta, { ...raster, width: 16, data: new Uint8Array(16 * 16 * 3) })).rejects.toThrow(/16x16, the set is 32x16/);
    c.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
