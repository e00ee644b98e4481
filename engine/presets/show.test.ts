import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createPreset,
  decodeBase64,
  duplicatePreset,
  encodeBase64,
  exportShow,
  formatProblem,
  importShow,
  serializePreset,
  sniffImageType,
  type PresetBank,
  type Problem,
  type ShowSource,
} from './index.ts';
import { CATALOGUE, counterIds, NOW, runningState, SCENE_IDS } from './test-kit.ts';

const lines = (problems: readonly Problem[]): string[] => problems.map(formatProblem);
const setDir = (set: string): URL => new URL(`../../presets/${set}/`, import.meta.url);

/** Reads keyframe sets from the repository's presets/ folder, as the app's bundled sets. */
const disk: ShowSource = {
  manifest: (set) => {
    const f = new URL('keyframes.json', setDir(set));
    return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
  },
  image: async (set, path) => {
    const f = new URL(path, setDir(set));
    return existsSync(f) ? new Uint8Array(readFileSync(f)) : null;
  },
};

function presets() {
  const opts = { catalogue: CATALOGUE, now: NOW, makeId: counterIds() };
  const dusk = createPreset(runningState(), { ...opts, name: 'Dusk', id: 'p-dusk' }).preset;
  const veil = createPreset({ sceneId: 'spectral-veil', params: { '/scene/spectral-veil/hue': 0.5 }, archiveState: 'intimacy' }, { ...opts, name: 'Veil', id: 'p-veil' }).preset;
  const copy = duplicatePreset(dusk, { now: NOW, makeId: () => 'p-dusk-2' });
  return [dusk, veil, copy];
}

const BANKS: PresetBank[] = [
  { id: 'b-1', name: 'Opening', entries: [{ preset: 'p-dusk', trigger: { key: '1', midi: { channel: 9, note: 36 }, osc: '/set/dusk', quantize: 'bar' } }, { preset: 'p-veil', trigger: { key: '2', midi: null, osc: null, quantize: 'none' } }] },
];

describe('show files', () => {
  it('export → import gives the same presets and banks, and the images byte for byte', async () => {
    const ps = presets();
    const out = await exportShow({ name: 'Night at the gallery', presets: ps, banks: BANKS }, disk, { now: NOW });
    expect(out.problems).toEqual([]);
    const manifest = JSON.parse(readFileSync(new URL('keyframes.json', setDir('glass-dusk')), 'utf8'));
    const expectedFiles: string[] = manifest.keyframes.flatMap((k: { file: string; thumb?: string }) => (k.thumb ? [k.file, k.thumb] : [k.file]));
    expect(out.show.images.map((i) => i.path)).toEqual(expectedFiles);
    expect(out.show.images.every((i) => i.mime === 'image/webp')).toBe(true);

    const back = importShow(out.text, { catalogue: CATALOGUE, sceneIds: SCENE_IDS, now: NOW });
    expect(back.ok).toBe(true);
    expect(lines(back.problems)).toEqual([]);
    expect(back.name).toBe('Night at the gallery');
    expect(back.presets).toEqual(ps);
    expect(back.presets.map(serializePreset)).toEqual(ps.map(serializePreset));
    expect(back.banks).toEqual(BANKS);
    expect(back.sets.map((s) => s.name)).toEqual(['glass-dusk']);
    expect(back.images).toHaveLength(expectedFiles.length);
    for (const im of back.images) {
      const original = new Uint8Array(readFileSync(new URL(im.path, setDir('glass-dusk'))));
      expect(im.set).toBe('glass-dusk');
      expect(im.mime).toBe('image/webp');
      expect(im.bytes.length).toBe(original.length);
      expect(Buffer.from(im.bytes).equals(Buffer.from(original))).toBe(true);
    }
  });

  it('leaves out missing sets and images, oversized images, and says so', async () => {
    const ps = presets();
    const withMissing = { ...ps[1], keyframes: { set: 'no-such-set', blend: {} } };
    const source: ShowSource = {
      manifest: disk.manifest,
      image: (set, path) => (path.startsWith('thumbs/') ? null : path === '02-refracted-light.webp' ? new Uint8Array(2048).fill(1) : disk.image(set, path)),
    };
    const banks = [...BANKS, { id: 'b-2', name: 'Gone', entries: [{ preset: 'p-gone', trigger: { key: null, midi: null, osc: null, quantize: 'none' as const } }] }];
    const out = await exportShow({ presets: [ps[0], withMissing], banks }, source, { now: NOW, maxImageBytes: 1 << 20 });
    const text = lines(out.problems);
    expect(text).toContain('banks[1].entries[0].preset: no preset "p-gone"; entry dropped');
    expect(text).toContain('sets["glass-dusk"]."thumbs/01-glass-forest-dusk.webp": missing; left out');
    expect(text).toContain('sets["glass-dusk"]."02-refracted-light.webp": not a PNG, JPEG, WebP or AVIF image; left out');
    expect(text).toContain('sets["no-such-set"]: no such keyframe set; left out (presets using it will keep their current keyframes)');
    expect(out.show.presets).toHaveLength(2);
    expect(out.show.images.map((i) => i.path)).not.toContain('02-refracted-light.webp');
    const small = await exportShow({ presets: [ps[0]] }, disk, { maxImageBytes: 1000 });
    expect(small.show.images.map((i) => i.path)).not.toContain('01-glass-forest-dusk.webp');
    expect(small.show.images.every((i) => (decodeBase64(i.data) as { bytes: Uint8Array }).bytes.length <= 1000)).toBe(true);
    expect(lines(small.problems)[0]).toMatch(/^sets\["glass-dusk"\]\."01-glass-forest-dusk.webp": \d+ bytes, more than the 1000 an image may have in a show; left out$/);
    // The importer says which images the show lacks.
    const back = importShow(out.text);
    expect(lines(back.problems)).toContain('sets["glass-dusk"]: image "thumbs/01-glass-forest-dusk.webp" is not in the show');
    expect(lines(back.problems)).toContain('presets["p-veil"].keyframes.set: the set "no-such-set" is not in the show; it must be installed where the show plays');
  });

  it('keeps the good parts of a tampered show and reports the rest by path', async () => {
    const ps = presets();
    const out = await exportShow({ presets: ps, banks: BANKS }, disk, { now: NOW });
    const show = JSON.parse(out.text);
    show.presets.push(JSON.parse(JSON.stringify(show.presets[0]))); // duplicate id
    show.presets.push({ format: 'glassforest-preset', version: 9 });
    show.images[0].data = 'not base64!';
    show.images[1].path = '../../../etc/passwd';
    show.images[2].mime = 'image/png';
    show.images[3].set = 'elsewhere';
    show.images.push({ ...show.images[4] });
    show.images.push({ set: 'glass-dusk', path: 'extra.webp', mime: 'image/webp', data: show.images[4].data });
    show.sets.push({ name: 'Bad Name', manifest: {} });
    show.sets.push({ name: 'broken', manifest: { version: 1 } });
    show.banks[0].entries.push({ preset: 'p-nowhere' });
    const r = importShow(show);
    expect(r.ok).toBe(true);
    const text = lines(r.problems);
    expect(text).toContain('presets[3].id: duplicate preset id "p-dusk"; this preset is dropped (banks name presets by id)');
    expect(text).toContain('presets[4].version: this preset is version 9, newer than this Glassforest reads (up to 2); update Glassforest to open it');
    expect(text).toContain('banks[0].entries[2].preset: no preset "p-nowhere"; entry dropped');
    expect(text).toContain('sets[1].name: expected a keyframe set name like "glass-dusk", got "Bad Name"; set dropped');
    expect(text.some((l) => l.startsWith('sets[2].manifest: ') && l.endsWith('(set dropped)'))).toBe(true);
    expect(text).toContain('images[0].data: base64 length 11 is not a multiple of 4; image dropped');
    expect(text).toContain('images[1].path: must stay inside the set folder (no ".."): "../../../etc/passwd"; image dropped');
    expect(text).toContain('images[2].mime: "image/png" but the bytes are image/webp; image/webp is used');
    expect(text).toContain('images[3].set: "elsewhere" is not a set of this show; image dropped');
    expect(text).toContain(`images[${show.images.length - 2}]: a second image for "glass-dusk"/${JSON.stringify(show.images[4].path)}; dropped`);
    expect(text).toContain(`images[${show.images.length - 1}].path: "extra.webp" is not named by the manifest of "glass-dusk"; image dropped`);
    expect(r.presets.map((p) => p.id)).toEqual(['p-dusk', 'p-veil', 'p-dusk-2']);
    expect(r.images.map((i) => i.path)).toEqual(out.show.images.slice(2).filter((_, i) => i !== 1).map((i) => i.path));
  });

  it('refuses images over the size cap before decoding them', async () => {
    const out = await exportShow({ presets: presets() }, disk, { now: NOW });
    const sizes = out.show.images.map((i) => (decodeBase64(i.data) as { bytes: Uint8Array }).bytes.length);
    const limit = Math.round((Math.min(...sizes) + Math.max(...sizes)) / 2);
    const r = importShow(out.text, { maxImageBytes: limit });
    expect(r.images.map((i) => i.bytes.length)).toEqual(sizes.filter((n) => n <= limit));
    expect(r.problems.filter((p) => p.message.endsWith(`more than the ${limit} an image may have; image dropped`))).toHaveLength(sizes.filter((n) => n > limit).length);
    expect(sizes.filter((n) => n > limit).length).toBeGreaterThan(0);
  });

  it('refuses what is not a show, and newer shows', () => {
    expect(lines(importShow({ format: 'glassforest-show', version: 2 }).problems)).toEqual(['version: this show is version 2, newer than this Glassforest reads (up to 1); update Glassforest to open it']);
    expect(lines(importShow({ format: 'glassforest-preset', version: 2 }).problems)).toEqual(['format: this is a single preset, not a show: open it as a preset']);
    expect(importShow('[]').ok).toBe(false);
    expect(importShow(`"${'x'.repeat(100)}"`, { limits: { maxBytes: 50, maxDepth: 4, maxElements: 10 } }).problems[0].message).toMatch(/larger than/);
  });
});

describe('base64 and image types', () => {
  it('round-trips every byte value and every tail length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 37 + n) & 255;
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      const back = decodeBase64(text);
      expect(back.ok && Array.from(back.bytes)).toEqual(Array.from(bytes));
    }
    const all = Uint8Array.from({ length: 256 * 300 }, (_, i) => i & 255);
    const back = decodeBase64(encodeBase64(all));
    expect(back.ok && Buffer.from(back.bytes).equals(Buffer.from(all))).toBe(true);
  });

  it('refuses malformed base64', () => {
    for (const bad of ['abc', 'ab=c', '====', 'a===', 'ab\u00e9c', 'ab c']) expect(decodeBase64(bad).ok).toBe(false);
  });

  it('tells PNG, JPEG, WebP and AVIF from their first bytes', () => {
    const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
    expect(sniffImageType(b('\x89PNG\r\n\x1a\n....'))).toBe('image/png');
    expect(sniffImageType(b('\xff\xd8\xff\xe0'))).toBe('image/jpeg');
    expect(sniffImageType(b('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(b('\0\0\0\x1cftypavif'))).toBe('image/avif');
    expect(sniffImageType(b('GIF89a'))).toBeNull();
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
  });
});
