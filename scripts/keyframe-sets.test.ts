/**
 * Every keyframe set shipped under presets/ loads: its manifest parses without warnings, every
 * image it names exists at the manifest's size, and so does every thumbnail.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, parseManifest } from '../engine/keyframes/manifest.ts';
import { ROOT } from './cli-test-kit.ts';
import { THUMB_SIZE } from './keyframe-writer.ts';

const PRESETS = join(ROOT, 'presets');
const sets = readdirSync(PRESETS).filter((n) => !n.startsWith('.') && existsSync(join(PRESETS, n, MANIFEST_FILE)));

describe('shipped keyframe sets', () => {
  it('includes the default sets', () => {
    expect(sets).toEqual(expect.arrayContaining(['glass-dusk', 'archive-haze']));
  });

  it.each(sets)('%s: manifest parses and every image and thumbnail exists at the right size', async (name) => {
    const dir = join(PRESETS, name);
    const r = parseManifest(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.warnings).toEqual([]);
    const m = r.manifest;
    expect(m.name).toBe(name);
    const [w, h] = m.size;
    for (const k of m.keyframes) {
      expect(existsSync(join(dir, k.file)), k.file).toBe(true);
      const md = await sharp(readFileSync(join(dir, k.file))).metadata();
      expect([md.width, md.height, md.space, md.depth], k.file).toEqual([w, h, 'srgb', 'uchar']);
      expect(k.thumb, `${k.file} has no thumbnail`).toBeDefined();
      expect(existsSync(join(dir, k.thumb!)), k.thumb).toBe(true);
      const tm = await sharp(readFileSync(join(dir, k.thumb!))).metadata();
      expect(Math.max(tm.width ?? 0, tm.height ?? 0), k.thumb).toBeLessThanOrEqual(THUMB_SIZE);
    }
  });

  it('the procedural sets say so, carry a state, a pad position and a full sound signature', () => {
    let bytes = 0;
    for (const name of ['glass-dusk', 'archive-haze']) {
      const dir = join(PRESETS, name);
      const r = parseManifest(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')));
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.manifest.keyframes).toHaveLength(7);
      expect(r.manifest.size).toEqual([512, 512]);
      for (const k of r.manifest.keyframes) {
        expect(k.generator).toMatch(/^procedural .*not an image model/);
        expect(k.prompt.length).toBeGreaterThan(40);
        expect(k.state).not.toBe('none');
        expect(k.pad).toBeDefined();
        expect(Object.keys(k.signature ?? {}).sort()).toEqual(['centroid', 'loudness', 'low', 'onsetRate', 'pitchConfidence']);
        bytes += statSync(join(dir, k.file)).size + statSync(join(dir, k.thumb!)).size;
      }
    }
    // Every archive state is present across the two sets.
    const states = new Set(
      ['glass-dusk', 'archive-haze'].flatMap((n) => {
        const r = parseManifest(JSON.parse(readFileSync(join(PRESETS, n, MANIFEST_FILE), 'utf8')));
        return r.ok ? r.manifest.keyframes.map((k) => k.state) : [];
      }),
    );
    expect([...states].sort()).toEqual(['anticipation', 'intimacy', 'loneliness', 'nostalgia']);
    expect(bytes).toBeLessThan(1.5e6);
  });
});
