/**
 * Reading and writing preset files: text or an already parsed value in, a checked current-version
 * preset and its problems out. Never throws: a file that cannot be used at all gives `ok: false`
 * with the reason; otherwise every usable part loads and the rest is listed by field path.
 */
import { PRESET_FORMAT, PRESET_LIMITS, PRESET_VERSION, type Preset } from './format.ts';
import { isRecord, own, parseJsonText, withinLimits, type Limits } from './guard.ts';
import { migrate } from './migrate.ts';
import { kindOf, ProblemList, show, type Problem } from './problems.ts';
import { readPresetV2, type PresetReadOptions } from './validate.ts';

export type PresetResult =
  | { readonly ok: true; readonly preset: Preset; readonly problems: Problem[] }
  | { readonly ok: false; readonly problems: Problem[] };

export interface ParseOptions extends PresetReadOptions {
  /** Override the size, depth and element caps (tests, the show reader). */
  readonly limits?: Limits;
}

export const SHOW_FORMAT = 'glassforest-show';

/** The version of a raw preset object, or a refusal (added to problems). */
function versionOf(o: Record<string, unknown>, problems: ProblemList): number | null {
  const format = own(o, 'format');
  const version = own(o, 'version');
  if (format === SHOW_FORMAT) {
    problems.add('format', 'this is a show file (presets, banks and images), not a single preset: import it as a show');
    return null;
  }
  if (format !== undefined && format !== PRESET_FORMAT) {
    problems.add('format', `expected ${show(PRESET_FORMAT)}, got ${show(format)}: not a Glassforest preset`);
    return null;
  }
  if (version === undefined) {
    problems.warn('version', 'missing; read as version 1');
    return 1;
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    problems.add('version', `expected a whole number from 1, got ${kindOf(version)} ${show(version)}`);
    return null;
  }
  if (version > PRESET_VERSION) {
    problems.add('version', `this preset is version ${version}, newer than this Glassforest reads (up to ${PRESET_VERSION}); update Glassforest to open it`);
    return null;
  }
  if (format === undefined && version >= 2) problems.warn('format', `missing; read as ${show(PRESET_FORMAT)}`);
  return version;
}

/**
 * Read one preset from a parsed value into `problems` (paths relative to the preset). Returns null
 * when the value cannot be a preset at all. Assumes limits were checked by the caller.
 */
export function readPresetValue(value: unknown, opts: PresetReadOptions, problems: ProblemList): Preset | null {
  if (!isRecord(value)) {
    problems.add('', `a preset must be a JSON object, got ${kindOf(value)} ${show(value)}`);
    return null;
  }
  const version = versionOf(value, problems);
  if (version === null) return null;
  const current = version < PRESET_VERSION ? migrate(value, version, problems) : value;
  return readPresetV2(current, opts, problems);
}

/** Parse preset JSON text, or check an already parsed value (e.g. from IndexedDB). Never throws. */
export function parsePreset(input: unknown, opts: ParseOptions = {}): PresetResult {
  const problems = new ProblemList();
  const limits = opts.limits ?? PRESET_LIMITS;
  try {
    let value = input;
    if (typeof input === 'string') {
      const parsed = parseJsonText(input, limits, 'the preset file', problems);
      if (!parsed.ok) return { ok: false, problems: problems.list() };
      value = parsed.value;
    }
    if (!withinLimits(value, limits, 'the preset', problems)) return { ok: false, problems: problems.list() };
    const preset = readPresetValue(value, opts, problems);
    return preset === null ? { ok: false, problems: problems.list() } : { ok: true, preset, problems: problems.list() };
  } catch (err) {
    // Getters or proxies in a value handed in directly; JSON text never gets here.
    problems.add('', `the preset could not be read (${err instanceof Error ? err.message : String(err)})`);
    return { ok: false, problems: problems.list() };
  }
}

/** The preset as JSON text (fields in a fixed order, two-space indent, trailing newline). */
export function serializePreset(preset: Preset): string {
  return `${JSON.stringify(preset, null, 2)}\n`;
}
