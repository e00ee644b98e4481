/**
 * The outputs' saved settings (resolution, screen, mapping): one JSON value in localStorage,
 * read back through `validateMappingSettings` so a damaged or hostile entry loads what is usable
 * and names the rest. Pure apart from the Storage object it is handed.
 */
import { validateMappingSettings, type MappingSettings } from '../../engine/mapping/index.ts';
import type { OutputsValidator, Problem } from '../../engine/presets/index.ts';

export const OUTPUTS_STORAGE_KEY = 'glassforest.outputs';
export const OUTPUTS_VERSION = 1;
/** More projectors than a laptop can feed; a cap so a hostile file cannot make thousands. */
export const MAX_OUTPUTS = 8;
const ID_RE = /^[a-z0-9-]{1,32}$/;
/** Longest stored text (a file that is megabytes long is not ours). */
const MAX_STORED_CHARS = 2_000_000;

export interface OutputConfig {
  id: string;
  name: string;
  /** Label of the chosen screen ('' = wherever the browser puts the window). */
  screen: string;
  /** Resolution lives in settings.output. */
  settings: MappingSettings;
}

export interface OutputsSnapshot {
  version: number;
  outputs: OutputConfig[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a snapshot (parsed JSON or text). Never throws; what cannot be used is listed by path. */
export function readOutputs(input: unknown): { outputs: OutputConfig[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const outputs: OutputConfig[] = [];
  let root = input;
  try {
    if (typeof input === 'string') {
      if (input.length > MAX_STORED_CHARS) {
        problems.push({ path: '', message: `${input.length} characters is too long for output settings; ignored`, level: 'error' });
        return { outputs, problems };
      }
      root = JSON.parse(input);
    }
  } catch {
    problems.push({ path: '', message: 'output settings are not valid JSON; ignored', level: 'error' });
    return { outputs, problems };
  }
  if (!isRecord(root)) {
    problems.push({ path: '', message: 'output settings: expected an object; ignored', level: 'error' });
    return { outputs, problems };
  }
  const version = root.version;
  if (version !== undefined && version !== OUTPUTS_VERSION) {
    problems.push({ path: 'version', message: `${String(version).slice(0, 20)} is not a version this build knows (${OUTPUTS_VERSION}); reading what it can`, level: 'warning' });
  }
  const list = root.outputs;
  if (!Array.isArray(list)) {
    if (list !== undefined) problems.push({ path: 'outputs', message: 'expected an array; no outputs', level: 'error' });
    return { outputs, problems };
  }
  if (list.length > MAX_OUTPUTS) problems.push({ path: 'outputs', message: `${list.length} outputs, at most ${MAX_OUTPUTS}; the rest dropped`, level: 'warning' });
  const n = Math.min(list.length, MAX_OUTPUTS);
  for (let i = 0; i < n; i++) {
    const path = `outputs[${i}]`;
    const o = list[i];
    if (!isRecord(o)) {
      problems.push({ path, message: 'expected an object; dropped', level: 'error' });
      continue;
    }
    const id = o.id;
    if (typeof id !== 'string' || !ID_RE.test(id) || outputs.some((x) => x.id === id)) {
      problems.push({ path: `${path}.id`, message: 'missing, malformed or repeated id; output dropped', level: 'error' });
      continue;
    }
    const name = typeof o.name === 'string' ? o.name.slice(0, 64) : `Output ${i + 1}`;
    const screen = typeof o.screen === 'string' ? o.screen.slice(0, 128) : '';
    const v = validateMappingSettings(o.settings);
    for (const line of v.problems) {
      const colon = line.indexOf(': ');
      const field = colon > 0 ? line.slice(0, colon) : '';
      problems.push({ path: `${path}.settings${field && field !== '(root)' ? `.${field}` : ''}`, message: colon > 0 ? line.slice(colon + 2) : line, level: 'warning' });
    }
    outputs.push({ id, name, screen, settings: v.settings });
  }
  return { outputs, problems };
}

/** A JSON-safe deep copy of the configs (for presets and storage). */
export function snapshotOutputs(outputs: readonly OutputConfig[]): OutputsSnapshot {
  return JSON.parse(JSON.stringify({ version: OUTPUTS_VERSION, outputs })) as OutputsSnapshot;
}

/** Storage the store can use (localStorage, or a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadOutputs(storage: KeyValueStorage | null): { outputs: OutputConfig[]; problems: Problem[] } {
  if (!storage) return { outputs: [], problems: [] };
  let text: string | null = null;
  try {
    text = storage.getItem(OUTPUTS_STORAGE_KEY);
  } catch {
    return { outputs: [], problems: [{ path: '', message: 'the browser refused to read the saved output settings', level: 'warning' }] };
  }
  return text === null ? { outputs: [], problems: [] } : readOutputs(text);
}

/** Saves; returns an error message when the browser refused (quota, private mode), else null. */
export function saveOutputs(storage: KeyValueStorage | null, outputs: readonly OutputConfig[]): string | null {
  if (!storage) return 'no storage in this browser';
  try {
    storage.setItem(OUTPUTS_STORAGE_KEY, JSON.stringify(snapshotOutputs(outputs)));
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** A fresh id not used by `taken`. */
export function newOutputId(taken: readonly string[]): string {
  for (let i = 1; ; i++) {
    const id = `out-${i}`;
    if (!taken.includes(id)) return id;
  }
}

/**
 * The presets' check of their `outputs` field: a preset saved with no outputs keeps `{}`;
 * otherwise the usable outputs are kept (each mapping through `validateMappingSettings`) and the
 * rest is named by field, relative to `outputs`.
 */
export const validateOutputsField: OutputsValidator = (value) => {
  if (Object.keys(value).length === 0) return { value: {}, problems: [] };
  const { outputs, problems } = readOutputs(value);
  return { value: snapshotOutputs(outputs) as unknown as Record<string, unknown>, problems };
};
