/**
 * Keyframe sets installed from show files: read from the browser's store at start, installed
 * when a show is imported, deleted by the performer. Each set's files become blob: URLs once (on
 * first use) so the decode worker, the panel's thumbnails and show export read them like a
 * bundled set's files; deleting a set revokes them.
 *
 * Installing a show's set follows one rule: a set already here under the same name with the same
 * manifest and the same bytes (for every image the show carries) is not installed again; a set
 * with the same name but other content is installed under the first free name `<name>-2`,
 * `<name>-3`, ... (or taken as that name when it is already installed there with the same content),
 * and the caller points the imported presets at the new name.
 */
import type { KeyframeManifest } from '../../engine/keyframes/manifest.ts';
import { readSetRecord, storageFailure, type KeyframeSetStoreLike, type StoredSet, type StoredSetFile } from '../show/keyframe-store.ts';
import { imageProblem } from './image-check.ts';

/** A set of a show being imported (as engine/presets/show.ts returns it). */
export interface IncomingSet {
  readonly name: string;
  readonly manifest: KeyframeManifest;
  /** The show's images of this set, by path. */
  readonly files: ReadonlyMap<string, { readonly mime: string; readonly bytes: Uint8Array }>;
}

/** A set already here, as the install rule compares it. */
export interface ExistingSet {
  readonly manifest: KeyframeManifest;
  /** The bytes of a file of the set, or null when it has none. */
  bytesOf(path: string): Promise<Uint8Array | null>;
}

export interface InstallReport {
  /** Sets installed now (new names). */
  readonly installed: string[];
  /** Sets of the show already here with the same content (their names here). */
  readonly present: string[];
  /** Show set name → the name it has here, when they differ. */
  readonly renamed: Map<string, string>;
  /** Installed for this page only: the browser's store refused them. */
  readonly sessionOnly: string[];
  /** What went wrong, each line naming the set (and file). */
  readonly problems: string[];
}

/** An installed set as the page uses it. */
export interface InstalledSet {
  readonly name: string;
  readonly manifest: KeyframeManifest;
  readonly installed: string;
  readonly show: string;
  readonly files: ReadonlyMap<string, Blob>;
  /** False when the store refused it (it is gone after a reload). */
  readonly persisted: boolean;
}

export interface UrlMaker {
  create(blob: Blob): string;
  revoke(url: string): void;
}

const BROWSER_URLS: UrlMaker = { create: (b) => URL.createObjectURL(b), revoke: (u) => URL.revokeObjectURL(u) };
const MAX_NAME = 64;

/** The `n`-th name for a set called `name` (1: the name itself), within the set-name length. */
export function suffixedName(name: string, n: number): string {
  if (n <= 1) return name;
  const tail = `-${n}`;
  return name.slice(0, MAX_NAME - tail.length) + tail;
}

/** Manifests equal except for the name (a set installed under another name keeps everything else). */
export function sameManifest(a: KeyframeManifest, b: KeyframeManifest): boolean {
  return JSON.stringify({ ...a, name: '' }) === JSON.stringify({ ...b, name: '' });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `existing` has the manifest of `incoming` and the same bytes for every file `incoming` carries. */
export async function sameContent(incoming: IncomingSet, existing: ExistingSet): Promise<boolean> {
  if (!sameManifest(incoming.manifest, existing.manifest)) return false;
  for (const [path, f] of incoming.files) {
    const here = await existing.bytesOf(path);
    if (here === null || !sameBytes(here, f.bytes)) return false;
  }
  return true;
}

/**
 * Where a show's set goes: the first of `<name>`, `<name>-2`, ... that is either free (`install`)
 * or holds the same content (`present`).
 */
export async function placeSet(incoming: IncomingSet, lookup: (name: string) => ExistingSet | null): Promise<{ name: string; install: boolean }> {
  for (let n = 1; ; n++) {
    const name = suffixedName(incoming.name, n);
    const here = lookup(name);
    if (here === null) return { name, install: true };
    if (await sameContent(incoming, here)) return { name, install: false };
  }
}

async function blobBytes(b: Blob): Promise<Uint8Array> {
  return new Uint8Array(await b.arrayBuffer());
}

export class InstalledSets {
  /** Installed sets by name (the map is replaced on every change). */
  sets: ReadonlyMap<string, InstalledSet> = new Map();
  private readonly urls = new Map<string, Map<string, string>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyframeSetStoreLike,
    private readonly urlMaker: UrlMaker = BROWSER_URLS,
  ) {}

  /** Read the store. Returns the problems (a record that cannot be used is skipped and kept in the store). */
  async readAll(): Promise<string[]> {
    let records: Map<string, unknown>;
    try {
      records = await this.store.readAll();
    } catch (err) {
      return [`the installed keyframe sets could not be read (${storageFailure(err)}); only the bundled sets are available`];
    }
    const problems: string[] = [];
    const next = new Map(this.sets);
    for (const [key, raw] of records) {
      const r = readSetRecord(key, raw);
      if (!r.ok) {
        problems.push(`installed keyframe set ${JSON.stringify(key)}: ${r.reason}; skipped`);
        continue;
      }
      for (const w of r.warnings) problems.push(`installed keyframe set "${key}": ${w}`);
      next.set(r.set.name, toInstalled(r.set, true));
    }
    this.sets = next;
    return problems;
  }

  /** The URL of a file of an installed set ('' when it has none). The set's URLs are made on first use and kept until it is deleted. */
  urlOf(name: string, file: string): string {
    let urls = this.urls.get(name);
    if (!urls) {
      const set = this.sets.get(name);
      if (!set) return '';
      urls = new Map();
      for (const [path, blob] of set.files) urls.set(path, this.urlMaker.create(blob));
      this.urls.set(name, urls);
    }
    return urls.get(file) ?? '';
  }

  /** The bytes of a file of an installed set, or null. */
  async bytesOf(name: string, file: string): Promise<Uint8Array | null> {
    const blob = this.sets.get(name)?.files.get(file);
    return blob ? blobBytes(blob) : null;
  }

  /**
   * Install the sets a show carries (one install at a time). `bundled` answers for the sets the
   * page ships with. Never rejects: every failure is a problem line naming the set and file.
   */
  install(show: { readonly name: string; readonly sets: readonly IncomingSet[] }, bundled: (name: string) => ExistingSet | null): Promise<InstallReport> {
    const next = this.queue.then(() => this.installNow(show, bundled));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async installNow(show: { readonly name: string; readonly sets: readonly IncomingSet[] }, bundled: (name: string) => ExistingSet | null): Promise<InstallReport> {
    const report: InstallReport = { installed: [], present: [], renamed: new Map(), sessionOnly: [], problems: [] };
    const lookup = (name: string): ExistingSet | null => {
      const b = bundled(name);
      if (b) return b;
      const i = this.sets.get(name);
      return i ? { manifest: i.manifest, bytesOf: (path) => this.bytesOf(name, path) } : null;
    };
    for (const incoming of show.sets) {
      const label = `keyframe set "${incoming.name}"`;
      // Only complete images go in; the rest are named and left out.
      const good = new Map<string, { mime: string; bytes: Uint8Array }>();
      for (const [path, f] of incoming.files) {
        const bad = imageProblem(f.bytes, f.mime);
        if (bad !== null) report.problems.push(`${label}: image "${path}" is ${bad}; left out`);
        else good.set(path, f);
      }
      const keyframesWithImage = incoming.manifest.keyframes.filter((k) => good.has(k.file)).length;
      if (keyframesWithImage === 0) {
        report.problems.push(`${label}: none of its ${incoming.manifest.keyframes.length} images came through whole; not installed (presets using it keep the current keyframes)`);
        continue;
      }
      const checked: IncomingSet = { name: incoming.name, manifest: incoming.manifest, files: good };
      let place: { name: string; install: boolean };
      try {
        place = await placeSet(checked, lookup);
      } catch (err) {
        report.problems.push(`${label}: could not be compared with the set of that name here (${err instanceof Error ? err.message : String(err)}); not installed`);
        continue;
      }
      if (place.name !== incoming.name) report.renamed.set(incoming.name, place.name);
      if (!place.install) {
        report.present.push(place.name);
        continue;
      }
      const files: StoredSetFile[] = [];
      for (const [path, f] of good) files.push({ path, mime: f.mime, data: new Blob([f.bytes as BlobPart], { type: f.mime }) });
      const stored: StoredSet = { name: place.name, manifest: { ...incoming.manifest, name: place.name }, installed: new Date().toISOString(), show: show.name, files };
      let persisted = true;
      try {
        await this.store.put(stored);
      } catch (err) {
        persisted = false;
        report.sessionOnly.push(place.name);
        report.problems.push(`${label}: could not be saved in this browser (${storageFailure(err)}); it plays until the page is reloaded, then the show must be imported again`);
      }
      const m = new Map(this.sets);
      m.set(place.name, toInstalled(stored, persisted));
      this.sets = m;
      report.installed.push(place.name);
    }
    return report;
  }

  /** Delete an installed set from the store and the page; its URLs are revoked. Rejects with the storage failure. */
  async remove(name: string): Promise<void> {
    const set = this.sets.get(name);
    if (!set) return;
    if (set.persisted) {
      try {
        await this.store.delete(name);
      } catch (err) {
        throw new Error(`keyframe set "${name}" could not be deleted (${storageFailure(err)})`);
      }
    }
    const m = new Map(this.sets);
    m.delete(name);
    this.sets = m;
    const urls = this.urls.get(name);
    this.urls.delete(name);
    if (urls) for (const u of urls.values()) this.urlMaker.revoke(u);
  }
}

function toInstalled(s: StoredSet, persisted: boolean): InstalledSet {
  const files = new Map<string, Blob>();
  for (const f of s.files) files.set(f.path, f.data);
  return { name: s.name, manifest: s.manifest, installed: s.installed, show: s.show, files, persisted };
}

/** The show's sets with their images, as `install` takes them. */
export function incomingSets(sets: readonly { readonly name: string; readonly manifest: KeyframeManifest }[], images: readonly { readonly set: string; readonly path: string; readonly mime: string; readonly bytes: Uint8Array }[]): IncomingSet[] {
  return sets.map((s) => {
    const files = new Map<string, { mime: string; bytes: Uint8Array }>();
    for (const im of images) if (im.set === s.name) files.set(im.path, { mime: im.mime, bytes: im.bytes });
    return { name: s.name, manifest: s.manifest, files };
  });
}
