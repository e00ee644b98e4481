/**
 * Preset banks and set lists: ordered banks of preset ids, each entry with how the performer
 * fires it (a computer key, a MIDI note, an OSC address) and when it takes over (at once, on the
 * next beat or on the next bar: the transition's quantise choices).
 *
 * ```jsonc
 * { "format": "glassforest-banks", "version": 1,
 *   "banks": [ { "id": "b-opening", "name": "Opening",
 *                "entries": [ { "preset": "p-dusk", "trigger": { "key": "1", "midi": { "channel": 9, "note": 36 },
 *                                                                  "osc": "/set/dusk", "quantize": "bar" } } ] } ] }
 * ```
 */
import { noteName } from '../control/midi/index.ts';
import { MAX_ALIAS_ADDRESS, OSC_ALIAS_ADDRESS } from '../control/osc/aliases.ts';
import { QUANTIZE_NAMES } from '../render/transition.ts';
import { hasOwn, isForbiddenKey, isRecord, own, parseJsonText, withinLimits, type Limits } from './guard.ts';
import { freshId, isId, randomId } from './ids.ts';
import { at, kindOf, ProblemList, show, type Problem } from './problems.ts';
import { cleanName } from './validate.ts';

export const BANKS_FORMAT = 'glassforest-banks';
export const BANKS_VERSION = 1;
export const MAX_BANKS = 64;
export const MAX_BANK_ENTRIES = 128;
export const BANK_LIMITS: Limits = { maxBytes: 1 << 20, maxDepth: 16, maxElements: 50_000 };

export type TriggerQuantize = (typeof QUANTIZE_NAMES)[number];

export interface BankTrigger {
  /** `KeyboardEvent.key` of a computer key ("1", "q", "F5", " "), or null. */
  readonly key: string | null;
  /** A MIDI note: channel 0..15 (shown as 1..16), note 0..127; or null. */
  readonly midi: { readonly channel: number; readonly note: number } | null;
  /** An OSC address that fires the entry, or null. */
  readonly osc: string | null;
  readonly quantize: TriggerQuantize;
}

export interface BankEntry {
  /** Preset id. */
  readonly preset: string;
  readonly trigger: BankTrigger;
}

export interface PresetBank {
  readonly id: string;
  readonly name: string;
  readonly entries: readonly BankEntry[];
}

export interface BankList {
  readonly format: typeof BANKS_FORMAT;
  readonly version: typeof BANKS_VERSION;
  readonly banks: readonly PresetBank[];
}

export interface BankOptions {
  /** The presets that exist: entries naming others are dropped. Unchecked when absent. */
  readonly presetIds?: Iterable<string>;
  readonly makeId?: () => string;
  readonly limits?: Limits;
}

const KEY = /^[^\u0000-\u001f\u007f]{1,24}$/;
const BANK_FIELDS = ['id', 'name', 'entries'];
const ENTRY_FIELDS = ['preset', 'trigger'];
const TRIGGER_FIELDS = ['key', 'midi', 'osc', 'quantize'];
const LIST_FIELDS = ['format', 'version', 'banks'];

function unknownFields(o: Record<string, unknown>, known: readonly string[], path: string, problems: ProblemList): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    if (isForbiddenKey(k)) problems.add(at(path, k), `the key ${show(k)} is not allowed; dropped`);
    else problems.warn(at(path, k), 'unknown field; dropped');
  }
}

function isInt(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

/** Where each trigger is already used, so a second use can be named. */
interface TriggerUse {
  readonly keys: Map<string, string>;
  readonly notes: Map<number, string>;
  readonly addresses: Map<string, string>;
}

function readTrigger(raw: unknown, path: string, problems: ProblemList, used: TriggerUse): BankTrigger {
  let key: string | null = null;
  let midi: BankTrigger['midi'] = null;
  let osc: string | null = null;
  let quantize: TriggerQuantize = 'none';
  if (raw === undefined || raw === null) return { key, midi, osc, quantize };
  if (!isRecord(raw)) {
    problems.add(path, `expected {key, midi, osc, quantize}, got ${kindOf(raw)} ${show(raw)}; no trigger`);
    return { key, midi, osc, quantize };
  }
  unknownFields(raw, TRIGGER_FIELDS, path, problems);
  const k = own(raw, 'key');
  if (k !== undefined && k !== null) {
    if (typeof k === 'string' && KEY.test(k)) {
      const prev = used.keys.get(k);
      if (prev !== undefined) problems.warn(at(path, 'key'), `key ${show(k)} already fires ${prev}; removed here`);
      else {
        key = k;
        used.keys.set(k, path.replace(/\.trigger$/, ''));
      }
    } else problems.add(at(path, 'key'), `expected a key name like "1", "q" or "F5", got ${show(k)}; removed`);
  }
  const m = own(raw, 'midi');
  if (m !== undefined && m !== null) {
    const ch = isRecord(m) ? own(m, 'channel') : undefined;
    const note = isRecord(m) ? own(m, 'note') : undefined;
    if (isRecord(m)) unknownFields(m, ['channel', 'note'], at(path, 'midi'), problems);
    if (!isRecord(m) || !isInt(ch, 0, 15) || !isInt(note, 0, 127)) {
      problems.add(at(path, 'midi'), `expected {channel: 0..15, note: 0..127}, got ${show(m)}; removed`);
    } else {
      const code = ch * 128 + note;
      const prev = used.notes.get(code);
      if (prev !== undefined) problems.warn(at(path, 'midi'), `note ${noteName(note)} ch ${ch + 1} already fires ${prev}; removed here`);
      else {
        midi = { channel: ch, note };
        used.notes.set(code, path.replace(/\.trigger$/, ''));
      }
    }
  }
  const o = own(raw, 'osc');
  if (o !== undefined && o !== null) {
    if (typeof o === 'string' && o.length <= MAX_ALIAS_ADDRESS && OSC_ALIAS_ADDRESS.test(o)) {
      const prev = used.addresses.get(o);
      if (prev !== undefined) problems.warn(at(path, 'osc'), `address ${show(o)} already fires ${prev}; removed here`);
      else {
        osc = o;
        used.addresses.set(o, path.replace(/\.trigger$/, ''));
      }
    } else problems.add(at(path, 'osc'), `expected an OSC address like "/set/dusk", got ${show(o)}; removed`);
  }
  const q = own(raw, 'quantize');
  if (q !== undefined) {
    if ((QUANTIZE_NAMES as readonly unknown[]).includes(q)) quantize = q as TriggerQuantize;
    else problems.add(at(path, 'quantize'), `expected one of ${QUANTIZE_NAMES.join(', ')}, got ${show(q)}; none is used`);
  }
  return { key, midi, osc, quantize };
}

/** Check loaded banks (a bank list object or a bare list of banks). Never throws; keeps what is valid. */
export function validateBanks(input: unknown, opts: BankOptions = {}): { banks: PresetBank[]; problems: Problem[] } {
  const problems = new ProblemList();
  const banks: PresetBank[] = [];
  try {
    let value = input;
    const limits = opts.limits ?? BANK_LIMITS;
    if (typeof input === 'string') {
      const parsed = parseJsonText(input, limits, 'the bank list', problems);
      if (!parsed.ok) return { banks, problems: problems.list() };
      value = parsed.value;
    }
    if (!withinLimits(value, limits, 'the bank list', problems)) return { banks, problems: problems.list() };
    readBanks(value, opts, problems, banks);
  } catch (err) {
    problems.add('', `the bank list could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
  return { banks, problems: problems.list() };
}

/** Read banks into `out`; paths relative to the bank list. Assumes limits were checked. */
export function readBanks(value: unknown, opts: BankOptions, problems: ProblemList, out: PresetBank[]): void {
  let list = value;
  let base = '';
  if (isRecord(value)) {
    unknownFields(value, LIST_FIELDS, '', problems);
    const format = own(value, 'format');
    const version = own(value, 'version');
    if (format !== undefined && format !== BANKS_FORMAT) {
      problems.add('format', `expected ${show(BANKS_FORMAT)}, got ${show(format)}: not a Glassforest bank list`);
      return;
    }
    if (version !== undefined && version !== BANKS_VERSION) {
      if (isInt(version, BANKS_VERSION + 1, Number.MAX_SAFE_INTEGER)) problems.add('version', `this bank list is version ${version}, newer than this Glassforest reads (up to ${BANKS_VERSION}); update Glassforest to open it`);
      else problems.add('version', `expected ${BANKS_VERSION}, got ${show(version)}`);
      return;
    }
    list = own(value, 'banks');
    base = 'banks';
  }
  if (!Array.isArray(list)) {
    problems.add(base, `expected a list of banks, got ${kindOf(list)} ${show(list)}`);
    return;
  }
  if (list.length > MAX_BANKS) problems.add(base, `more than ${MAX_BANKS} banks; the rest are dropped`);
  const presets = opts.presetIds ? new Set(opts.presetIds) : null;
  const makeId = opts.makeId ?? (() => randomId('b'));
  const used: TriggerUse = { keys: new Map(), notes: new Map(), addresses: new Map() };
  const ids = new Set<string>();
  for (let i = 0; i < list.length && i < MAX_BANKS; i++) {
    const where = at(base, i);
    const b: unknown = list[i];
    if (!isRecord(b)) {
      problems.add(where, `expected a bank {id, name, entries}, got ${kindOf(b)} ${show(b)}; dropped`);
      continue;
    }
    unknownFields(b, BANK_FIELDS, where, problems);
    let id = own(b, 'id');
    if (!isId(id) || ids.has(id)) {
      const given = id;
      id = freshId(makeId, ids, 'b');
      problems.warn(at(where, 'id'), `${given === undefined ? 'missing' : isId(given) ? `duplicate id ${show(given)}` : `${show(given)} is not an id`}; given ${show(id)}`);
    }
    ids.add(id as string);
    const name = hasOwn(b, 'name') ? cleanName(own(b, 'name'), at(where, 'name'), problems) : `Bank ${i + 1}`;
    const entries: BankEntry[] = [];
    const rawEntries = own(b, 'entries');
    if (rawEntries !== undefined && !Array.isArray(rawEntries)) problems.add(at(where, 'entries'), `expected a list of entries, got ${kindOf(rawEntries)} ${show(rawEntries)}`);
    else if (Array.isArray(rawEntries)) {
      if (rawEntries.length > MAX_BANK_ENTRIES) problems.add(at(where, 'entries'), `more than ${MAX_BANK_ENTRIES} entries; the rest are dropped`);
      for (let j = 0; j < rawEntries.length && j < MAX_BANK_ENTRIES; j++) {
        const ew = at(at(where, 'entries'), j);
        const e: unknown = rawEntries[j];
        // A bare preset id is an entry without a trigger.
        const entry = typeof e === 'string' ? { preset: e } : e;
        if (!isRecord(entry)) {
          problems.add(ew, `expected {preset, trigger}, got ${kindOf(e)} ${show(e)}; dropped`);
          continue;
        }
        unknownFields(entry, ENTRY_FIELDS, ew, problems);
        const preset = own(entry, 'preset');
        if (!isId(preset)) {
          problems.add(at(ew, 'preset'), `expected a preset id, got ${show(preset)}; entry dropped`);
          continue;
        }
        if (presets !== null && !presets.has(preset)) {
          problems.add(at(ew, 'preset'), `no preset ${show(preset)}; entry dropped`);
          continue;
        }
        entries.push({ preset, trigger: readTrigger(own(entry, 'trigger'), at(ew, 'trigger'), problems, used) });
      }
    }
    out.push({ id: id as string, name, entries });
  }
}

/** Banks as a bank list file object. */
export function bankList(banks: readonly PresetBank[]): BankList {
  return { format: BANKS_FORMAT, version: BANKS_VERSION, banks };
}
