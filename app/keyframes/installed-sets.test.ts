import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest, type KeyframeManifest } from '../../engine/keyframes/manifest.ts';
import { createPreset, exportShow, type ShowSource } from '../../engine/presets/index.ts';
import { CATALOGUE, counterIds, NOW, runningState } from '../../engine/presets/test-kit.ts';
import { readSetRecord, setRecord, type KeyframeSetStoreLike, type StoredSet } from '../show/keyframe-store.ts';
import { PresetShow, type PresetShowHost } from '../show/preset-show.ts';
import type { PresetStore } from '../show/preset-store.ts';
import { imageProblem } from './image-check.ts';
import { incomingSets, InstalledSets, placeSet, suffixedName, type ExistingSet, type IncomingSet } from './installed-sets.ts';

const dir = (set: string) => new URL(`../../presets/${set}/`, import.meta.url);
const read = (set: string, file: string) => new Uint8Array(readFileSync(new URL(file, dir(set))));

function manifestOf(set: string): KeyframeManifest {
  const r = parseManifest(JSON.parse(readFileSync(new URL('keyframes.json', dir(set)), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.manifest;
}

/** The set as a show carries it: every keyframe image and thumbnail, from presets/<set>/. */
function incoming(set: string, name = set, edit?: (path: string, bytes: Uint8Array) => Uint8Array | null): IncomingSet {
  const m = manifestOf(set);
  const files = new Map<string, { mime: string; bytes: Uint8Array }>();
  for (const k of m.keyframes) {
    for (const path of k.thumb ? [k.file, k.thumb] : [k.file]) {
      const bytes = edit ? edit(path, read(set, path)) : read(set, path);
      if (bytes) files.set(path, { mime: 'image/webp', bytes });
    }
  }
  return { name, manifest: { ...m, name }, files };
}

/** The bundled sets as the page compares against them: the repository's presets/ folder. */
function bundled(name: string): ExistingSet | null {
  if (name !== 'glass-dusk' && name !== 'archive-haze') return null;
  return { manifest: manifestOf(name), bytesOf: async (path) => read(name, path) };
}

/** The IndexedDB store in memory: records go through a structured clone, as IndexedDB's do. */
class MemorySetStore implements KeyframeSetStoreLike {
  readonly records = new Map<string, unknown>();
  failPut: Error | null = null;
  async readAll() {
    return new Map(this.records);
  }
  async put(set: StoredSet) {
    if (this.failPut) throw this.failPut;
    this.records.set(set.name, structuredClone(setRecord(set)));
  }
  async delete(name: string) {
    this.records.delete(name);
  }
}

function urlCounter() {
  const live = new Set<string>();
  let n = 0;
  return {
    live,
    made: () => n,
    maker: {
      create: () => {
        const u = `blob:test/${++n}`;
        live.add(u);
        return u;
      },
      revoke: (u: string) => void live.delete(u),
    },
  };
}

describe('image completeness check', () => {
  it('passes every image shipped in presets/', () => {
    for (const set of ['glass-dusk', 'archive-haze']) {
      for (const f of readdirSync(dir(set), { recursive: true }) as string[]) {
        if (!f.endsWith('.webp')) continue;
        expect(imageProblem(read(set, f), 'image/webp'), `${set}/${f}`).toBeNull();
      }
    }
  });

  it('names a truncated WebP, PNG, JPEG and AVIF', () => {
    const webp = read('glass-dusk', '01-glass-forest-dusk.webp');
    expect(imageProblem(webp.subarray(0, webp.length - 100), 'image/webp')).toBe(`truncated WebP (${webp.length - 100} of ${webp.length} bytes)`);

    const chunk = (type: string, data: number[]) => [0, 0, 0, data.length, ...[...type].map((c) => c.charCodeAt(0)), ...data, 1, 2, 3, 4];
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', new Array(13).fill(1)), ...chunk('IDAT', [9, 9, 9]), 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
    expect(imageProblem(png, 'image/png')).toBeNull();
    expect(imageProblem(png.subarray(0, png.length - 5), 'image/png')).toMatch(/^truncated or corrupt PNG/);

    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xda, 0, 2, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd9]);
    expect(imageProblem(jpeg, 'image/jpeg')).toBeNull();
    expect(imageProblem(jpeg.subarray(0, jpeg.length - 2), 'image/jpeg')).toBe('truncated JPEG (16 bytes, no end marker)');

    const box = (type: string, body: number) => [0, 0, 0, 8 + body, ...[...type].map((c) => c.charCodeAt(0)), ...new Array(body).fill(7)];
    const avif = Uint8Array.from([...box('ftyp', 8), ...box('meta', 4), ...box('mdat', 20)]);
    expect(imageProblem(avif, 'image/avif')).toBeNull();
    expect(imageProblem(avif.subarray(0, avif.length - 1), 'image/avif')).toMatch(/^truncated AVIF .*box "mdat"/);
  });
});

describe('set names on conflict', () => {
  it('suffixes within the 64-character set-name limit', () => {
    expect(suffixedName('dusk', 1)).toBe('dusk');
    expect(suffixedName('dusk', 2)).toBe('dusk-2');
    const long = 'a'.repeat(64);
    expect(suffixedName(long, 12)).toBe(`${'a'.repeat(61)}-12`);
    expect(suffixedName(long, 12)).toHaveLength(64);
  });

  it('same name and content: nothing installed; other content: the first free <name>-N; same content there: taken', async () => {
    const here = new Map<string, ExistingSet>([['glass-dusk', bundled('glass-dusk')!]]);
    const lookup = (n: string) => here.get(n) ?? null;
    expect(await placeSet(incoming('glass-dusk'), lookup)).toEqual({ name: 'glass-dusk', install: false });
    // A show that lost an image still matches: missing images are not differences.
    expect(await placeSet(incoming('glass-dusk', 'glass-dusk', (p, b) => (p.startsWith('thumbs/') ? null : b)), lookup)).toEqual({ name: 'glass-dusk', install: false });
    // Other bytes under the same name.
    const other = incoming('glass-dusk', 'glass-dusk', (p, b) => (p === '03-mist-field.webp' ? read('archive-haze', manifestOf('archive-haze').keyframes[0].file) : b));
    expect(await placeSet(other, lookup)).toEqual({ name: 'glass-dusk-2', install: true });
    here.set('glass-dusk-2', { manifest: other.manifest, bytesOf: async (p) => other.files.get(p)?.bytes ?? null });
    expect(await placeSet(other, lookup)).toEqual({ name: 'glass-dusk-2', install: false });
    // Another manifest (a title changed) under the same name: the next free name.
    const retitled: IncomingSet = { ...incoming('glass-dusk'), manifest: { ...manifestOf('glass-dusk'), title: 'Dusk, edited' } };
    expect(await placeSet(retitled, lookup)).toEqual({ name: 'glass-dusk-3', install: true });
  });
});

describe('installed keyframe sets', () => {
  it('installs a new set, reads it back after a "reload" byte for byte, and makes its URLs once', async () => {
    const store = new MemorySetStore();
    const urls = urlCounter();
    const sets = new InstalledSets(store, urls.maker);
    const r = await sets.install({ name: 'Gallery', sets: [incoming('archive-haze', 'haze-from-show')] }, bundled);
    expect(r).toEqual({ installed: ['haze-from-show'], present: [], renamed: new Map(), sessionOnly: [], problems: [] });
    const rec = readSetRecord('haze-from-show', store.records.get('haze-from-show'));
    expect(rec.ok && rec.set.manifest.name).toBe('haze-from-show');

    const again = new InstalledSets(store, urls.maker);
    expect(await again.readAll()).toEqual([]);
    const set = again.sets.get('haze-from-show')!;
    expect(set.persisted).toBe(true);
    expect(set.show).toBe('Gallery');
    for (const k of manifestOf('archive-haze').keyframes) expect(Buffer.from((await again.bytesOf('haze-from-show', k.file))!).equals(Buffer.from(read('archive-haze', k.file))), k.file).toBe(true);

    const first = again.urlOf('haze-from-show', manifestOf('archive-haze').keyframes[0].file);
    expect(first).toMatch(/^blob:test\//);
    const made = urls.made();
    expect(made).toBe(set.files.size); // one URL per file, all made on the first call
    for (const k of manifestOf('archive-haze').keyframes) again.urlOf('haze-from-show', k.file);
    expect(urls.made()).toBe(made);
    expect(again.urlOf('haze-from-show', 'nope.webp')).toBe('');

    // Importing the same show again installs nothing.
    const twice = await again.install({ name: 'Gallery', sets: [incoming('archive-haze', 'haze-from-show')] }, bundled);
    expect(twice.installed).toEqual([]);
    expect(twice.present).toEqual(['haze-from-show']);

    await again.remove('haze-from-show');
    expect(again.sets.has('haze-from-show')).toBe(false);
    expect(store.records.has('haze-from-show')).toBe(false);
    expect(urls.live.size).toBe(0);
  });

  it('a set like a bundled one is not installed; one that differs goes in as <name>-2', async () => {
    const store = new MemorySetStore();
    const sets = new InstalledSets(store, urlCounter().maker);
    const changed = incoming('glass-dusk', 'glass-dusk', (p, b) => (p === '01-glass-forest-dusk.webp' ? read('glass-dusk', '02-refracted-light.webp') : b));
    const r = await sets.install({ name: 'Show', sets: [incoming('glass-dusk'), changed] }, bundled);
    expect(r.present).toEqual(['glass-dusk']);
    expect(r.installed).toEqual(['glass-dusk-2']);
    expect(r.renamed).toEqual(new Map([['glass-dusk', 'glass-dusk-2']]));
    expect([...store.records.keys()]).toEqual(['glass-dusk-2']);
  });

  it('a truncated image is left out and named; a set with no whole image is not installed', async () => {
    const store = new MemorySetStore();
    const sets = new InstalledSets(store, urlCounter().maker);
    const cut = incoming('archive-haze', 'haze-cut', (p, b) => (p === manifestOf('archive-haze').keyframes[1].file ? b.subarray(0, 200) : b));
    const none = incoming('glass-dusk', 'dusk-broken', (_, b) => b.subarray(0, 100));
    const r = await sets.install({ name: 'Show', sets: [cut, none] }, bundled);
    expect(r.installed).toEqual(['haze-cut']);
    const bad = manifestOf('archive-haze').keyframes[1].file;
    expect(r.problems[0]).toBe(`keyframe set "haze-cut": image "${bad}" is truncated WebP (200 of ${read('archive-haze', bad).length} bytes); left out`);
    expect(r.problems.at(-1)).toMatch(/^keyframe set "dusk-broken": none of its 7 images came through whole; not installed/);
    expect(sets.sets.get('haze-cut')!.files.has(bad)).toBe(false);
    expect(sets.sets.get('haze-cut')!.files.size).toBe(cut.files.size - 1);
    expect(store.records.has('dusk-broken')).toBe(false);
  });

  it('a storage failure keeps the set for this page only and says so, naming the set', async () => {
    const store = new MemorySetStore();
    store.failPut = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const sets = new InstalledSets(store, urlCounter().maker);
    const r = await sets.install({ name: 'Show', sets: [incoming('archive-haze', 'haze-big')] }, bundled);
    expect(r.installed).toEqual(['haze-big']);
    expect(r.sessionOnly).toEqual(['haze-big']);
    expect(r.problems).toEqual([`keyframe set "haze-big": could not be saved in this browser (the browser's storage for this page is full (QuotaExceededError); free space or delete installed keyframe sets); it plays until the page is reloaded, then the show must be imported again`]);
    expect(sets.sets.get('haze-big')!.persisted).toBe(false);
    expect(store.records.size).toBe(0);
    // Removing a set that was never saved does not touch the store.
    await sets.remove('haze-big');
    expect(sets.sets.size).toBe(0);
  });

  it('a blocked upgrade names the set on install and leaves the bundled sets at start', async () => {
    const store = new MemorySetStore();
    store.failPut = new Error('IndexedDB is blocked by another tab');
    const sets = new InstalledSets(store, urlCounter().maker);
    const r = await sets.install({ name: 'Show', sets: [incoming('archive-haze', 'haze-blocked')] }, bundled);
    expect(r.problems).toEqual(['keyframe set "haze-blocked": could not be saved in this browser (IndexedDB is blocked by another tab: close the other Glassforest tabs and try again); it plays until the page is reloaded, then the show must be imported again']);
    expect(r.sessionOnly).toEqual(['haze-blocked']);
    const unreadable: KeyframeSetStoreLike = { readAll: () => Promise.reject(new Error('IndexedDB is blocked by another tab')), put: async () => {}, delete: async () => {} };
    const start = new InstalledSets(unreadable, urlCounter().maker);
    expect(await start.readAll()).toEqual(['the installed keyframe sets could not be read (IndexedDB is blocked by another tab: close the other Glassforest tabs and try again); only the bundled sets are available']);
    expect(start.sets.size).toBe(0);
  });

  it('a broken record is skipped and named at start; the others load', async () => {
    const store = new MemorySetStore();
    await new InstalledSets(store, urlCounter().maker).install({ name: 'Show', sets: [incoming('archive-haze', 'haze-ok')] }, bundled);
    store.records.set('junk', { format: 'glassforest-keyframe-set', version: 1, name: 'junk', manifest: {} });
    const sets = new InstalledSets(store, urlCounter().maker);
    const problems = await sets.readAll();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^installed keyframe set "junk": manifest: .*; skipped$/);
    expect([...sets.sets.keys()]).toEqual(['haze-ok']);
    expect(store.records.has('junk')).toBe(true); // nothing is deleted behind the performer's back
  });
});

describe('importing a show installs its keyframe sets', () => {
  /** The preset library in memory. */
  class MemoryPresets {
    readonly records = new Map<string, unknown>();
    async readAll() {
      return { presets: new Map([...this.records].filter(([k]) => !k.startsWith(':'))), banks: this.records.get(':banks'), stage: this.records.get(':stage') };
    }
    async putMany(p: { id: string; text: string }[], banks: string | null) {
      for (const x of p) this.records.set(x.id, x.text);
      if (banks !== null) this.records.set(':banks', banks);
    }
    async putStage(text: string) {
      this.records.set(':stage', text);
    }
    async idle() {}
  }

  /** A show with two presets on glass-dusk, whose first image is replaced by other bytes (so it differs from the bundled set). */
  async function showText(edit?: (path: string, bytes: Uint8Array) => Uint8Array): Promise<string> {
    const opts = { catalogue: CATALOGUE, now: NOW, makeId: counterIds() };
    const a = createPreset(runningState(), { ...opts, name: 'Dusk', id: 'p-a' }).preset;
    const b = createPreset({ ...runningState(), keyframeSet: null }, { ...opts, name: 'Plain', id: 'p-b' }).preset;
    const source: ShowSource = {
      manifest: (set) => (set === 'glass-dusk' ? JSON.parse(readFileSync(new URL('keyframes.json', dir(set)), 'utf8')) : null),
      image: (set, path) => {
        const bytes = path === '01-glass-forest-dusk.webp' ? read(set, '02-refracted-light.webp') : read(set, path);
        return edit ? edit(path, bytes) : bytes;
      },
    };
    return (await exportShow({ name: 'Elsewhere', presets: [a, b] }, source, { now: NOW })).text;
  }

  function page(store: MemorySetStore) {
    const installed = new InstalledSets(store, urlCounter().maker);
    const keyframes = {
      setName: '',
      sets: [],
      status: () => ({ phase: 'idle', set: '' }),
      load: async () => true,
      release() {},
      cancelLoad() {},
      installShowSets: (show: { name: string; sets: readonly { name: string; manifest: KeyframeManifest }[]; images: readonly { set: string; path: string; mime: string; bytes: Uint8Array }[] }) => installed.install({ name: show.name, sets: incomingSets(show.sets, show.images) }, bundled),
    };
    const presets = new MemoryPresets();
    const show = new PresetShow({ keyframes } as unknown as PresetShowHost, presets as unknown as PresetStore);
    return { show, presets, installed };
  }

  it('a set that differs from the bundled one of that name is installed as <name>-2 and its presets point to it', async () => {
    const store = new MemorySetStore();
    const { show, presets, installed } = page(store);
    const r = await show.importShow(await showText());
    expect(r.ok).toBe(true);
    expect(show.importedSets).toEqual({ installed: ['glass-dusk-2'], present: [], renamed: [['glass-dusk', 'glass-dusk-2']], sessionOnly: [] });
    expect(show.presets.get('p-a')!.keyframes.set).toBe('glass-dusk-2');
    expect(show.presets.get('p-b')!.keyframes.set).toBeNull();
    expect(JSON.parse(presets.records.get('p-a') as string).keyframes.set).toBe('glass-dusk-2');
    expect(await installed.bytesOf('glass-dusk-2', '01-glass-forest-dusk.webp')).toEqual(read('glass-dusk', '02-refracted-light.webp'));
    // The same show again: already here, the presets still point at the installed copy.
    const again = await show.importShow(await showText());
    expect(again.ok).toBe(true);
    expect(show.importedSets.installed).toEqual([]);
    expect(show.importedSets.present).toEqual(['glass-dusk-2']);
    expect(show.presets.get('p-a')!.keyframes.set).toBe('glass-dusk-2');
    expect(store.records.size).toBe(1);
  });

  it('a truncated image and a full store are reported by set and file; every preset still imports', async () => {
    const store = new MemorySetStore();
    store.failPut = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const { show, presets } = page(store);
    const r = await show.importShow(await showText((path, b) => (path === '05-night-road.webp' ? b.subarray(0, b.length - 10) : b)));
    expect(r.ok).toBe(true);
    expect(r.presets).toBe(2);
    expect(presets.records.has('p-a') && presets.records.has('p-b')).toBe(true);
    expect(show.importProblems.join('\n')).toContain('keyframe set "glass-dusk": image "05-night-road.webp" is truncated WebP');
    expect(show.importProblems.join('\n')).toContain(`keyframe set "glass-dusk": could not be saved in this browser (the browser's storage for this page is full`);
    expect(show.importedSets.sessionOnly).toEqual(['glass-dusk-2']);
    expect(show.presets.get('p-a')!.keyframes.set).toBe('glass-dusk-2');
  });
});
