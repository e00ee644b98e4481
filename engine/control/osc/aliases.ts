/**
 * OSC aliases: addresses of the performer's own controller layout (a TouchOSC fader at
 * `/1/fader3`, a Max patch's `/mix/a`) that drive a parameter, natively or normalised 0..1
 * through the parameter's curve exactly as its `/norm` address does. Aliases and the bank's
 * per-slot preset addresses become entries of the address space (after the commands), so the
 * bridge resolves them with the same single Map lookup and the page applies their records like
 * any other.
 *
 * OSC learn: while a learn is armed the bridge tells the page about addresses it could not
 * resolve (each distinct address once per arming, at most LEARN_REPORTS of them); the first
 * usable one becomes the alias.
 */
import { show } from '../../params/sanitize.ts';
import type { ParamType } from '../../params/types.ts';
import { EXT_PREFIX } from './ext.ts';

/** A controller address that drives a parameter; presets store these as their `osc` field (engine/presets/format.ts). */
export interface OscAlias {
  readonly address: string;
  readonly param: string;
  readonly normalized: boolean;
}

export const MAX_OSC_ALIASES = 512;
/** Longest alias or slot address (the preset format's limit). */
export const MAX_ALIAS_ADDRESS = 256;
/** Slot addresses the page may send (a bank's entries). */
export const MAX_SLOT_ADDRESSES = 128;
/** Unknown addresses the bridge reports per armed learn. */
export const LEARN_REPORTS = 32;
/** A plain OSC address: no spaces, no pattern characters, no empty segments. */
export const OSC_ALIAS_ADDRESS = /^(\/[^\s#*,?[\]{}/]+)+$/;

/** What the first argument of an unknown message was (bridge -> page, during learn). */
export type UnknownArg = 'number' | 'bool' | 'bang' | 'string' | 'other';

/** Bridge -> page while learn is armed: a message reached an address nothing answers. */
export interface UnknownAddressMessage {
  type: 'unknown';
  address: string;
  arg: UnknownArg;
  /** The address was longer than MAX_ALIAS_ADDRESS (and is cut). */
  tooLong: boolean;
}

/** Why `address` cannot be an alias or slot address, or null when it can. */
export function addressProblem(address: unknown): string | null {
  if (typeof address !== 'string') return `expected an OSC address like "/1/fader3", got ${show(address)}`;
  if (address.length > MAX_ALIAS_ADDRESS) return `the address is ${address.length} characters long; at most ${MAX_ALIAS_ADDRESS}`;
  if (!OSC_ALIAS_ADDRESS.test(address)) return `${show(address)} is not a plain OSC address like "/1/fader3" (starts with "/", no spaces, no # * , ? [ ] { }, no empty parts)`;
  if (address.startsWith(EXT_PREFIX)) return `${show(address)} is under ${EXT_PREFIX}, which feeds modulation sources`;
  return null;
}

/** What validation needs to know about the parameters and addresses of the engine. */
export interface AliasContext {
  /** The type of the parameter at `path`, or undefined when there is none. */
  paramType(path: string): ParamType | undefined;
  /** True when the engine already answers `address` (a parameter, its /norm twin, a command). */
  taken(address: string): boolean;
}

/**
 * Check a list of aliases (`[{address, param, normalized}]` or `{version: 1, aliases: [...]}`).
 * Never throws: unusable entries are skipped and every decision is named by field
 * (`osc[2].param: ...`). With `ctx`, aliases to parameters that do not exist and addresses the
 * engine already answers are skipped too. The later of two aliases with one address wins.
 */
export function validateOscAliases(input: unknown, ctx?: AliasContext, field = 'osc'): { aliases: OscAlias[]; problems: string[] } {
  const problems: string[] = [];
  let list: unknown = input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) list = (input as { aliases?: unknown }).aliases;
  if (!Array.isArray(list)) {
    problems.push(`${field}: expected a list of {address, param, normalized}, got ${show(input)}`);
    return { aliases: [], problems };
  }
  if (list.length > MAX_OSC_ALIASES) problems.push(`${field}: more than ${MAX_OSC_ALIASES} aliases; the rest are skipped`);
  const byAddress = new Map<string, OscAlias>();
  for (let i = 0; i < list.length && i < MAX_OSC_ALIASES; i++) {
    const where = `${field}[${i}]`;
    const m: unknown = list[i];
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      problems.push(`${where}: expected {address, param, normalized}, got ${show(m)}; skipped`);
      continue;
    }
    const o = m as Record<string, unknown>;
    const bad = addressProblem(o.address);
    if (bad !== null) {
      problems.push(`${where}.address: ${bad}; skipped`);
      continue;
    }
    const address = o.address as string;
    if (typeof o.param !== 'string' || !o.param.startsWith('/')) {
      problems.push(`${where}.param: expected a parameter path like "/post/bloom", got ${show(o.param)}; skipped`);
      continue;
    }
    let normalized = false;
    if (o.normalized !== undefined) {
      if (typeof o.normalized === 'boolean') normalized = o.normalized;
      else problems.push(`${where}.normalized: expected true or false, got ${show(o.normalized)}; false is used`);
    }
    if (ctx) {
      const type = ctx.paramType(o.param);
      if (type === undefined) {
        problems.push(`${where}.param: no parameter ${show(o.param)} here; skipped`);
        continue;
      }
      if (normalized && type === 'color') {
        problems.push(`${where}.normalized: a colour has no 0..1 position (it takes r g b); skipped`);
        continue;
      }
      if (ctx.taken(address)) {
        problems.push(`${where}.address: ${show(address)} is already an address of the engine; skipped`);
        continue;
      }
    }
    if (byAddress.has(address)) {
      problems.push(`${where}.address: ${show(address)} is also an earlier alias; this later one is kept`);
      byAddress.delete(address);
    }
    byAddress.set(address, { address, param: o.param, normalized });
  }
  return { aliases: [...byAddress.values()], problems };
}

/**
 * Slot addresses as the page sends them (`null` for a slot without one): anything that is not a
 * usable address becomes null, duplicates keep the first slot, at most MAX_SLOT_ADDRESSES.
 */
export function cleanSlotAddresses(input: unknown): (string | null)[] {
  if (!Array.isArray(input)) return [];
  const seen = new Set<string>();
  const out: (string | null)[] = [];
  for (let i = 0; i < input.length && i < MAX_SLOT_ADDRESSES; i++) {
    const a: unknown = input[i];
    if (a === null || addressProblem(a) !== null || seen.has(a as string)) out.push(null);
    else {
      seen.add(a as string);
      out.push(a as string);
    }
  }
  return out;
}

/** The kind of an OSC type tag (the first argument's), for learn. */
export function argKindOf(argc: number, tag: number): UnknownArg {
  if (argc === 0) return 'bang';
  switch (tag) {
    case 0x69: // i
    case 0x66: // f
    case 0x64: // d
    case 0x68: // h
      return 'number';
    case 0x54: // T
    case 0x46: // F
      return 'bool';
    case 0x4e: // N
    case 0x49: // I
      return 'bang';
    case 0x73: // s
    case 0x53: // S
      return 'string';
    default:
      return 'other';
  }
}

/**
 * The alias a learn makes: `address`, which sent an `arg`, for the armed parameter of `type`.
 * Faders send numbers, taken as 0..1 through the parameter's curve (TouchOSC, Lemur and most
 * layouts send 0..1); a trigger takes the message as a bang; T/F drive booleans natively.
 * Returns the reason instead when the message cannot drive the parameter.
 */
export function learnedAlias(param: string, type: ParamType, address: string, arg: UnknownArg): { alias: OscAlias } | { problem: string } {
  const bad = addressProblem(address);
  if (bad !== null) return { problem: `${bad}; not learned` };
  if (type === 'color') return { problem: `${param} is a colour (three numbers r g b): type its alias instead of learning it` };
  if (arg === 'string' || arg === 'other') return { problem: `${address} sent ${arg === 'string' ? 'a string' : 'an argument of another type'}; an alias takes numbers (a fader) or a bare message (a button). Move a fader or press a button` };
  if (type === 'trigger') return { alias: { address, param, normalized: false } };
  if (arg === 'bang') return { problem: `${address} sent no value; ${param} needs a number (move a fader)` };
  if (arg === 'bool') return type === 'boolean' ? { alias: { address, param, normalized: false } } : { problem: `${address} sent true/false; ${param} needs a number (move a fader)` };
  return { alias: { address, param, normalized: true } };
}
