/**
 * The OSC address space: every parameter at its path (native units), the same parameter
 * normalised 0..1 at `<path>/norm`, and the engine's commands. Built once from the pure
 * parameter declarations; lookups go through one prebuilt Map from address to entry index, and
 * everything after that is numeric.
 */
import type { ResolvedParam } from '../../params/index.ts';
import type { OscAlias } from './aliases.ts';

/** Suffix of the normalised (0..1, through the parameter's curve) address of a parameter. */
export const NORM_SUFFIX = '/norm';

/** Param and Norm entries also stand for aliases (their path is the alias address); Slot fires a bank slot. */
export const EntryKind = { Param: 0, Norm: 1, Command: 2, Slot: 3 } as const;
export type EntryKindId = (typeof EntryKind)[keyof typeof EntryKind];

/** Engine commands (numeric ids carried to the page). */
export const Command = {
  Scene: 0,
  Tap: 1,
  Bpm: 2,
  Nudge: 3,
  ClockTempo: 4,
  ClockPhase: 5,
  ClockBar: 6,
  KeyframeBlend: 7,
  Double: 8,
  Half: 9,
  ResetPhase: 10,
  Preset: 11,
  PresetNext: 12,
  PresetPrev: 13,
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

/** How a command's arguments are read. */
export type CommandArg = 'scene' | 'bang' | 'number' | 'preset';

export interface CommandDecl {
  readonly path: string;
  readonly command: CommandId;
  readonly arg: CommandArg;
  /** Range advertised in OSCQuery (numbers only). */
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  readonly description: string;
}

export const MIN_OSC_BPM = 20;
export const MAX_OSC_BPM = 400;

/** The engine's OSC commands, in command id order (COMMANDS[id].command === id). */
export const COMMANDS: readonly CommandDecl[] = [
  { path: '/engine/scene', command: Command.Scene, arg: 'scene', description: 'Switch scene: its id as a string, or its index as a number' },
  { path: '/engine/tap', command: Command.Tap, arg: 'bang', description: 'Tap tempo (one tap per message; F or 0 is ignored)' },
  { path: '/engine/bpm', command: Command.Bpm, arg: 'number', min: MIN_OSC_BPM, max: MAX_OSC_BPM, unit: 'bpm', description: 'Set the tempo (an OSC tempo source; phase carries on)' },
  { path: '/engine/nudge', command: Command.Nudge, arg: 'number', min: -1, max: 1, unit: 'beats', description: 'Shift the beat by a fraction of a beat (positive: earlier)' },
  { path: '/engine/clock/tempo', command: Command.ClockTempo, arg: 'number', min: MIN_OSC_BPM, max: MAX_OSC_BPM, unit: 'bpm', description: 'Beat clock: tempo from another clock (send regularly; it leads while it keeps coming)' },
  { path: '/engine/clock/phase', command: Command.ClockPhase, arg: 'number', min: 0, max: 1, description: 'Beat clock: beat phase 0..1 now' },
  { path: '/engine/clock/bar', command: Command.ClockBar, arg: 'number', min: 0, max: 1, description: 'Beat clock: bar phase 0..1 now (sets where bars start)' },
  { path: '/engine/keyframe/blend', command: Command.KeyframeBlend, arg: 'number', min: 0, max: 1, description: 'Keyframe crossfader 0..1 (the same as /keyframes/fader)' },
  { path: '/engine/clock/double', command: Command.Double, arg: 'bang', description: 'Double the tempo' },
  { path: '/engine/clock/half', command: Command.Half, arg: 'bang', description: 'Halve the tempo' },
  { path: '/engine/clock/reset', command: Command.ResetPhase, arg: 'bang', description: 'Beat one now: the next frame starts a bar' },
  // Preset bank (app/show/preset-show.ts): a slot of the current bank by index (0-based), or a preset by name.
  { path: '/engine/preset', command: Command.Preset, arg: 'preset', description: 'Trigger a preset: a slot index (0-based) of the current bank, or a preset name' },
  { path: '/engine/preset/next', command: Command.PresetNext, arg: 'bang', description: 'Trigger the next slot of the set list' },
  { path: '/engine/preset/prev', command: Command.PresetPrev, arg: 'bang', description: 'Trigger the previous slot of the set list' },
];

/**
 * True when the engine answers `address` itself: a parameter's path (`hasParam`), its `/norm`
 * twin, or a command. Such an address cannot be a controller alias or a preset slot's address.
 */
export function engineAnswers(address: string, hasParam: (path: string) => boolean): boolean {
  if (hasParam(address)) return true;
  if (address.endsWith(NORM_SUFFIX) && hasParam(address.slice(0, -NORM_SUFFIX.length))) return true;
  return COMMANDS.some((c) => c.path === address);
}

export interface OscEntry {
  readonly path: string;
  readonly kind: EntryKindId;
  /** Index into `space.params` (Param and Norm), else -1. */
  readonly param: number;
  /** Command id (Command kind), slot index (Slot kind), else -1. */
  readonly command: number;
}

/** What the page adds to the declared addresses: its controller aliases and the bank's slot addresses. */
export interface SpaceExtras {
  readonly aliases?: readonly OscAlias[];
  /** Per slot of the bank on stage: its own OSC address, or null. */
  readonly slots?: readonly (string | null)[];
}

/** A stable fingerprint of an address space, so two processes can check they built the same one. */
export function spaceHash(paths: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const p of paths) {
    for (let i = 0; i < p.length; i++) {
      h ^= p.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x0a;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class OscAddressSpace {
  readonly entries: readonly OscEntry[];
  readonly hash: number;
  /** Hash of the declared part only (parameters, commands, scenes): changes when parameters do. */
  readonly baseHash: number;
  /** Entries before the aliases and slot addresses. */
  readonly baseCount: number;
  /** The aliases in use (in entry order) and the slot addresses in use, by slot. */
  readonly aliases: readonly OscAlias[];
  readonly slots: readonly (string | null)[];
  /** Aliases and slot addresses that were left out, and why. */
  readonly skipped: readonly string[];
  private readonly byAddress: Map<string, number>;

  /**
   * `params` in the order the engine's bank registered them (index = bank id on the page);
   * `sceneIds` in the order of the scene list (index = what `/engine/scene i` selects).
   */
  constructor(
    readonly params: readonly ResolvedParam[],
    readonly sceneIds: readonly string[],
    extras: SpaceExtras = {},
  ) {
    const entries: OscEntry[] = [];
    for (let i = 0; i < params.length; i++) {
      entries.push({ path: params[i].path, kind: EntryKind.Param, param: i, command: -1 });
      entries.push({ path: params[i].path + NORM_SUFFIX, kind: EntryKind.Norm, param: i, command: -1 });
    }
    for (const c of COMMANDS) entries.push({ path: c.path, kind: EntryKind.Command, param: -1, command: c.command });
    this.baseCount = entries.length;
    this.byAddress = new Map();
    // first declaration wins: a parameter path never shadows a command or vice versa silently
    for (let i = 0; i < entries.length; i++) if (!this.byAddress.has(entries[i].path)) this.byAddress.set(entries[i].path, i);
    const base = [...entries.map((e) => e.path), ...sceneIds];
    this.baseHash = spaceHash(base);
    // Aliases and slot addresses come after: they never move a declared entry's index.
    const skipped: string[] = [];
    const aliases: OscAlias[] = [];
    const slots: (string | null)[] = [];
    const extra: string[] = [];
    const paramIndex = new Map<string, number>();
    for (let i = 0; i < params.length; i++) if (!paramIndex.has(params[i].path)) paramIndex.set(params[i].path, i);
    for (const a of extras.aliases ?? []) {
      const i = paramIndex.get(a.param);
      if (i === undefined) skipped.push(`alias ${a.address}: no parameter ${a.param}`);
      else if (a.normalized && params[i].type === 'color') skipped.push(`alias ${a.address}: a colour has no 0..1 position`);
      else if (this.byAddress.has(a.address)) skipped.push(`alias ${a.address}: the address is already in use`);
      else {
        this.byAddress.set(a.address, entries.length);
        entries.push({ path: a.address, kind: a.normalized ? EntryKind.Norm : EntryKind.Param, param: i, command: -1 });
        aliases.push(a);
        extra.push(`${a.address}\u0001${a.normalized ? 'n' : 'v'}\u0001${a.param}`);
      }
    }
    const given = extras.slots ?? [];
    for (let k = 0; k < given.length; k++) {
      const a = given[k];
      if (a === null || a === undefined || a === '') {
        slots.push(null);
        continue;
      }
      if (this.byAddress.has(a)) {
        skipped.push(`slot ${k + 1} address ${a}: the address is already in use`);
        slots.push(null);
        continue;
      }
      this.byAddress.set(a, entries.length);
      entries.push({ path: a, kind: EntryKind.Slot, param: -1, command: k });
      slots.push(a);
      extra.push(`${a}\u0001s\u0001${k}`);
    }
    this.entries = entries;
    this.aliases = aliases;
    this.slots = slots;
    this.skipped = skipped;
    this.hash = extra.length === 0 ? this.baseHash : spaceHash([...base, ...extra]);
  }

  /** Entry index of an address, or -1. */
  resolve(address: string): number {
    const i = this.byAddress.get(address);
    return i === undefined ? -1 : i;
  }

  /** Entry index of a parameter's native address by param index. */
  paramEntry(param: number): number {
    return param * 2;
  }

  commandDecl(command: number): CommandDecl | undefined {
    for (const c of COMMANDS) if (c.command === command) return c;
    return undefined;
  }
}
