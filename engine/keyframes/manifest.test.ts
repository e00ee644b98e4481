import { describe, expect, it } from 'vitest';
import { ARCHIVE_STATES, MANIFEST_FILE, bytesForSet, formatBytes, parseManifest, pathProblem } from './manifest.ts';

function valid(): Record<string, unknown> {
  return {
    version: 1,
    name: 'glass-dusk',
    title: 'Glass dusk',
    description: 'Dusk through glass.',
    size: [512, 512],
    generator: 'procedural',
    keyframes: [
      {
        file: '01-dusk.webp',
        thumb: 'thumbs/01-dusk.webp',
        title: 'Dusk',
        prompt: 'a dusk sky through a window',
        generator: 'Stable Diffusion XL',
        state: 'nostalgia',
        tags: ['dusk', 'glass'],
        pad: [0.2, 0.8],
        signature: { loudness: 0.2, centroid: 0.4, onsetRate: 0.1, low: 0.5, pitchConfidence: 0.7 },
      },
      { file: 'sub/02-road.webp', title: 'Road', prompt: '', generator: '', state: 'loneliness', tags: [] },
    ],
  };
}

function errorsOf(json: unknown): string[] {
  const r = parseManifest(json);
  if (r.ok) throw new Error('expected the manifest to be refused');
  return r.errors;
}

describe('parseManifest', () => {
  it('accepts a full manifest and keeps every field', () => {
    const r = parseManifest(valid());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.manifest.size).toEqual([512, 512]);
    expect(r.manifest.keyframes[0]).toEqual((valid().keyframes as unknown[])[0]);
    expect(r.manifest.keyframes[1].pad).toBeUndefined();
    expect(MANIFEST_FILE).toBe('keyframes.json');
  });

  it('fills defaults for a minimal hand-written manifest', () => {
    const r = parseManifest({ version: 1, name: 'mine', size: [64, 32], keyframes: [{ file: 'a/b.png' }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.manifest.title).toBe('mine');
    expect(r.manifest.keyframes[0]).toEqual({ file: 'a/b.png', title: 'b', prompt: '', generator: '', state: 'none', tags: [] });
  });

  it('warns about unknown fields instead of failing', () => {
    const m = valid();
    m.license = 'CC0';
    (m.keyframes as Record<string, unknown>[])[1].mood = 'blue';
    (m.keyframes as Record<string, unknown>[])[0].signature = { loudness: 0.5, brightness: 0.3 };
    const r = parseManifest(m);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings.join('\n')).toMatch(/^license: unknown field/m);
    expect(r.warnings.join('\n')).toMatch(/keyframes\[1\] \(sub\/02-road\.webp\)\.mood: unknown field/);
    expect(r.warnings.join('\n')).toMatch(/keyframes\[0\] \(01-dusk\.webp\)\.signature\.brightness: unknown feature/);
    expect(r.manifest.keyframes[0].signature).toEqual({ loudness: 0.5 });
  });

  it('refuses what is not a manifest, naming the fields that are missing or wrong', () => {
    expect(errorsOf(null)[0]).toMatch(/must be a JSON object/);
    expect(errorsOf([])[0]).toMatch(/must be a JSON object/);
    const errs = errorsOf({});
    expect(errs.some((e) => e.startsWith('version: must be 1 (required)'))).toBe(true);
    expect(errs.some((e) => e.startsWith('name:'))).toBe(true);
    expect(errs.some((e) => e.startsWith('size:') && e.includes('(required)'))).toBe(true);
    expect(errs.some((e) => e.startsWith('keyframes:') && e.includes('(required)'))).toBe(true);
  });

  it.each([
    ['version', 2, /^version: 2 is newer/],
    ['version', '1', /^version: must be 1, got "1"/],
    ['name', 'Glass Dusk', /^name: must be the set's folder name/],
    ['name', '../up', /^name:/],
    ['title', 5, /^title: must be text, got 5/],
    ['size', [512], /^size: must be \[width, height\]/],
    ['size', [512, 0], /^size:/],
    ['size', [512.5, 512], /^size:/],
    ['size', [9000, 512], /^size:.*1\.\.8192/],
    ['keyframes', [], /^keyframes: must be a list of at least one/],
    ['keyframes', 'a.webp', /^keyframes: must be a list/],
  ])('refuses top-level %s = %j', (field, value, message) => {
    const m = valid();
    m[field] = value;
    expect(errorsOf(m).some((e) => message.test(e))).toBe(true);
  });

  it.each([
    ['file', undefined, /^keyframes\[0\]\.file: must be a relative file path/],
    ['file', 42, /^keyframes\[0\]\.file:/],
    ['title', ['x'], /^keyframes\[0\] \(01-dusk\.webp\)\.title: must be text/],
    ['prompt', null, /\.prompt: must be text, got null/],
    ['state', 'melancholy', /\.state: must be one of nostalgia, loneliness, anticipation, intimacy, none, got "melancholy"/],
    ['tags', 'dusk', /\.tags: must be a list/],
    ['tags', ['dusk', 3], /\.tags:/],
    ['pad', [0.5], /\.pad: must be \[x, y\]/],
    ['pad', [0.5, 1.2], /\.pad: must be \[x, y\] with each within 0\.\.1, got \[0\.5,1\.2\]/],
    ['pad', [-0.1, 0.5], /\.pad:/],
    ['signature', [0.1], /\.signature: must be an object/],
    ['signature', { loudness: 1.5 }, /\.signature\.loudness: must be a number within 0\.\.1, got 1\.5/],
    ['signature', { onsetRate: -0.2 }, /\.signature\.onsetRate:/],
    ['signature', { centroid: Number.NaN }, /\.signature\.centroid:/],
    ['seed', { n: 1 }, /\.seed: must be a number or short text/],
  ])('refuses keyframe %s = %j, naming the keyframe and field', (field, value, message) => {
    const m = valid();
    const k = (m.keyframes as Record<string, unknown>[])[0];
    if (value === undefined) delete k[field];
    else k[field] = value;
    const errs = errorsOf(m);
    expect(errs.some((e) => message.test(e)), errs.join('\n')).toBe(true);
  });

  it.each(['../secret.webp', 'a/../../b.webp', '/etc/passwd', 'C:/img.webp', 'C:\\img.webp', 'a\\b.webp', 'https://example.invalid/x.webp', 'file:x.webp', './a.webp', 'a//b.webp', 'a/', '', 'a\nb.webp'])(
    'refuses the unsafe path %j for file and thumb',
    (p) => {
      expect(pathProblem(p)).not.toBeNull();
      const m = valid();
      (m.keyframes as Record<string, unknown>[])[1].file = p;
      (m.keyframes as Record<string, unknown>[])[0].thumb = p;
      const errs = errorsOf(m);
      expect(errs.some((e) => /^keyframes\[1\].*\.file:/.test(e))).toBe(true);
      expect(errs.some((e) => /^keyframes\[0\] \(01-dusk\.webp\)\.thumb:/.test(e))).toBe(true);
    },
  );

  it('accepts safe relative paths, including dots inside names', () => {
    for (const p of ['a.webp', 'thumbs/01-a.webp', 'x/y/z..webp', '.hidden.webp']) expect(pathProblem(p)).toBeNull();
  });

  it('reports every problem at once, and warns (not fails) about a duplicate image or a large size', () => {
    const m = valid();
    const ks = m.keyframes as Record<string, unknown>[];
    ks[0].state = 'x';
    ks[1].pad = [2, 2];
    expect(errorsOf(m)).toHaveLength(2);
    const d = valid();
    (d.keyframes as Record<string, unknown>[])[1].file = '01-dusk.webp';
    d.size = [4096, 4096];
    const r = parseManifest(d);
    expect(r.ok && r.warnings.length).toBe(2);
  });

  it('knows the five archive-state ids', () => {
    expect([...ARCHIVE_STATES]).toEqual(['nostalgia', 'loneliness', 'anticipation', 'intimacy', 'none']);
  });
});

describe('bytesForSet', () => {
  it('counts RGBA8 layers, and about a third more with a full mip chain', () => {
    expect(bytesForSet(1, 1024, 1024, false)).toBe(4 * 1024 * 1024);
    expect(bytesForSet(7, 512, 512, false)).toBe(7 * 512 * 512 * 4);
    const mip = bytesForSet(10, 1024, 1024, true);
    const base = bytesForSet(10, 1024, 1024, false);
    expect(mip / base).toBeGreaterThan(1.333);
    expect(mip / base).toBeLessThanOrEqual(4 / 3);
    // 4x2 → 2x1 → 1x1: 8 + 2 + 1 texels.
    expect(bytesForSet(1, 4, 2, true)).toBe(11 * 4);
    expect(bytesForSet(0, 1024, 1024, true)).toBe(0);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(28 * 1024 * 1024)).toBe('28.0 MiB');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(12)).toBe('12 B');
  });
});
