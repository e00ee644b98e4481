import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest, type KeyframeManifest } from '../../engine/keyframes/manifest.ts';
import { readSetRecord, setRecord, storageFailure, SET_RECORD_FORMAT, type StoredSet } from './keyframe-store.ts';

const dir = new URL('../../presets/glass-dusk/', import.meta.url);

function manifest(): KeyframeManifest {
  const r = parseManifest(JSON.parse(readFileSync(new URL('keyframes.json', dir), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.manifest;
}

function storedSet(): StoredSet {
  const m = manifest();
  const files = m.keyframes.map((k) => ({ path: k.file, mime: 'image/webp', data: new Blob([readFileSync(new URL(k.file, dir))], { type: 'image/webp' }) }));
  return { name: m.name, manifest: m, installed: '2026-12-03T14:00:00.000Z', show: 'Night at the gallery', files };
}

describe('installed keyframe set records', () => {
  it('a record written by setRecord reads back with the same manifest and bytes', async () => {
    const set = storedSet();
    // What IndexedDB stores and gives back is a structured clone of the record.
    const r = readSetRecord(set.name, structuredClone(setRecord(set)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.set.manifest).toEqual(set.manifest);
    expect(r.set.show).toBe('Night at the gallery');
    expect(r.set.files.map((f) => f.path)).toEqual(set.manifest.keyframes.map((k) => k.file));
    const first = new Uint8Array(await r.set.files[0].data.arrayBuffer());
    expect(Buffer.from(first).equals(readFileSync(new URL(set.manifest.keyframes[0].file, dir)))).toBe(true);
  });

  it('refuses records that are not sets, are newer, or whose key and name differ', () => {
    const rec = setRecord(storedSet());
    expect(readSetRecord('glass-dusk', 'text')).toEqual({ ok: false, reason: 'the record is not an object' });
    expect(readSetRecord('glass-dusk', { ...rec, format: 'glassforest-preset' })).toMatchObject({ ok: false, reason: expect.stringContaining('not a keyframe set record') });
    expect(readSetRecord('glass-dusk', { ...rec, version: 9 })).toMatchObject({ ok: false, reason: expect.stringContaining('newer than this Glassforest reads') });
    expect(readSetRecord('other', rec)).toMatchObject({ ok: false, reason: expect.stringContaining('differ') });
    expect(readSetRecord('glass-dusk', { ...rec, manifest: { version: 1 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/^manifest: /) });
    expect(SET_RECORD_FORMAT).toBe('glassforest-keyframe-set');
  });

  it('leaves out files the manifest does not name, unsafe paths, copies and files without bytes', () => {
    const rec = setRecord(storedSet());
    const files = rec.files as { path: string; mime: string; data: unknown }[];
    const bad = [...files, { path: 'extra.webp', mime: 'image/webp', data: new Blob(['x']) }, { path: '../secret', mime: 'image/webp', data: new Blob(['x']) }, { ...files[0] }, 'junk'];
    bad[1] = { ...files[1], data: 'not bytes' };
    const r = readSetRecord('glass-dusk', { ...rec, files: bad });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.set.files.map((f) => f.path)).toEqual(files.filter((_, i) => i !== 1).map((f) => f.path));
    const w = r.warnings.join('\n');
    expect(w).toContain(`files[1] ("${files[1].path}"): no image data; left out`);
    expect(w).toContain('"extra.webp" is not named by the manifest');
    expect(w).toContain('must stay inside the set folder');
    expect(w).toContain(`a second copy of "${files[0].path}"`);
    expect(w).toContain('not an object');
  });

  it('describes quota and blocked failures so a performer can act', () => {
    expect(storageFailure(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toMatch(/storage for this page is full \(QuotaExceededError\)/);
    expect(storageFailure(new Error('IndexedDB is blocked by another tab'))).toBe('IndexedDB is blocked by another tab: close the other Glassforest tabs and try again');
    expect(storageFailure(new Error('disk on fire'))).toBe('disk on fire');
  });
});
