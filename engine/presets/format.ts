/**
 * The preset format: one JSON object that brings a performance state back. Version 2 is current;
 * version 1 (the earlier, flat shape) is described in migrate.ts and read through migration.
 *
 * ```jsonc
 * {
 *   "format": "glassforest-preset",
 *   "version": 2,
 *   "id": "p-k3v9x2",                      // [A-Za-z0-9_-]{1,64}, unique within a show
 *   "name": "Dusk over the glass",
 *   "scene": { "id": "glass-forest",
 *              "params": { "/scene/glass-forest/sway": 0.3, "/scene/glass-forest/sky": "aurora" } },
 *   "params": { "/post/bloom": 0.4, "/engine/transition/duration": 2 },   // every other parameter but /keyframes
 *   "routes": [ { "id": "r1", "source": "onset", "target": "/scene/glass-forest/flash", "amount": 0.8, ... } ],
 *   "keyframes": { "set": "glass-dusk", "blend": { "/keyframes/mode": "pad", "/keyframes/pad-x": 0.2 } },
 *   "midi": [ { "control": { "kind": "cc", "channel": 0, "number": 74 }, "param": "/post/bloom" } ],
 *   "osc": [ { "address": "/fader/1", "param": "/post/bloom", "normalized": true } ],
 *   "outputs": { ... },                    // output windows and projection mapping (opaque here)
 *   "archive": { "state": "nostalgia", "annotation": "Have you heard this sound?" },
 *   "created": "2026-12-03T14:00:00.000Z",
 *   "modified": "2026-12-03T14:05:00.000Z"
 * }
 * ```
 *
 * Parameter values are native (as `ParamBank.snapshot()` gives them): numbers in the
 * parameter's own units, booleans, enum option names, colours as [r, g, b] in 0..1.
 * Triggers are momentary and never stored.
 */
import type { ARCHIVE_STATES } from '../keyframes/index.ts';
import type { MidiMapping } from '../control/midi/index.ts';
import type { OscAlias } from '../control/osc/aliases.ts';
import type { ResolvedRoute } from '../modulation/index.ts';
import type { ParamValue } from '../params/index.ts';

export const PRESET_FORMAT = 'glassforest-preset';
/** The version this engine writes; older versions are migrated on read, newer ones refused. */
export const PRESET_VERSION = 2;

/** Archive states (short keys, as keyframe manifests carry them; 'none' for no state). */
export type ArchiveStateKey = (typeof ARCHIVE_STATES)[number];

/**
 * A route with every field filled in (`steps` only for curve 'steps') and an id that stays with
 * it when routes are reordered. `presetRouteSpecs` gives the specs the modulation matrix takes.
 */
export type PresetRoute = Omit<ResolvedRoute, 'steps'> & { readonly steps?: number; readonly id: string };

/**
 * An OSC address of the performer's controller (TouchOSC fader, Max patch...) that drives a
 * parameter: in native units, or 0..1 through the parameter's curve when `normalized`.
 * (Parameter paths themselves are OSC addresses already; these are aliases for other layouts.)
 * The same record the bridge resolves at run time (engine/control/osc/aliases.ts).
 */
export type OscMapping = OscAlias;

export interface PresetArchive {
  readonly state: ArchiveStateKey;
  /** The human-written note shown beside the picture (a ghost annotation); may be empty. */
  readonly annotation: string;
}

export interface PresetKeyframes {
  /** Keyframe set folder name (`presets/<set>/`), or null for none. */
  readonly set: string | null;
  /** Values of the `/keyframes/*` parameters: the blend mode, pad, fader, sequencer, sound-follow. */
  readonly blend: Readonly<Record<string, ParamValue>>;
}

export interface Preset {
  readonly format: typeof PRESET_FORMAT;
  readonly version: typeof PRESET_VERSION;
  readonly id: string;
  readonly name: string;
  /** The scene and its own `/scene/<id>/*` values; id null: the preset leaves the playing scene as it is. */
  readonly scene: { readonly id: string | null; readonly params: Readonly<Record<string, ParamValue>> };
  /** Every other parameter (`/post`, `/engine/...`), except the scene's and `/keyframes`. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly routes: readonly PresetRoute[];
  readonly keyframes: PresetKeyframes;
  readonly midi: readonly MidiMapping[];
  readonly osc: readonly OscMapping[];
  /** Output windows and projection mapping: a plain JSON object, checked by the outputs hook. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly archive: PresetArchive;
  /** ISO 8601 times (UTC). */
  readonly created: string;
  readonly modified: string;
}

/** Field names of a version 2 preset, in the order they are written. */
export const PRESET_FIELDS = ['format', 'version', 'id', 'name', 'scene', 'params', 'routes', 'keyframes', 'midi', 'osc', 'outputs', 'archive', 'created', 'modified'] as const;

/** Caps on lists inside one preset. */
export const MAX_ROUTES = 512;
export const MAX_MAPPINGS = 1024;
export const MAX_PARAMS = 4096;
export const MAX_NAME = 120;
export const MAX_ANNOTATION = 10_000;

/** Limits of a preset file: generous for real presets, small enough to refuse a hostile one quickly. */
export const PRESET_LIMITS = { maxBytes: 4 << 20, maxDepth: 32, maxElements: 100_000 } as const;

/** Preset and route ids: safe in URLs, file names and OSC addresses. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Keyframe set names: the folder-name rule of keyframe manifests. */
export const SET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
