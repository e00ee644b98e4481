/**
 * Parameter declarations: plain data a scene (or the engine) writes once, from which the bank
 * assigns numeric ids and slots. Everything here is JSON-friendly so it can travel to the UI,
 * OSCQuery and presets unchanged.
 */

/** How a 0..1 control (knob, fader, CC) maps onto a number's range. */
export type ParamCurve = 'linear' | 'exp' | 'log' | 's-curve';

export type ParamType = 'number' | 'color' | 'boolean' | 'enum' | 'trigger';

interface BaseDecl {
  /** One line for the UI and OSCQuery. */
  readonly description?: string;
}

export interface NumberParamDecl extends BaseDecl {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  /**
   * linear; exp: fine control at the low end (geometric when min > 0, e.g. Hz); log: the
   * mirror, fine at the top; s-curve: fine near both ends. Default linear.
   */
  readonly curve?: ParamCurve;
  /** Unit shown to the performer ('Hz', 's', '%', 'x'...). */
  readonly unit?: string;
  /** Values snap to min + k * step. */
  readonly step?: number;
}

/** '#rgb', '#rrggbb', '#rrggbbaa' (alpha ignored), [r, g, b] or {r, g, b} with components 0..1. */
export type ColorInput = string | readonly number[] | { readonly r: number; readonly g: number; readonly b: number };

/** An RGB colour stored as three slots, components 0..1 (sRGB as given; the renderer linearises). */
export interface ColorParamDecl extends BaseDecl {
  readonly type: 'color';
  readonly default: ColorInput;
}

export interface BooleanParamDecl extends BaseDecl {
  readonly type: 'boolean';
  readonly default: boolean;
}

/** One of a list of options, stored as its index. */
export interface EnumParamDecl extends BaseDecl {
  readonly type: 'enum';
  readonly options: readonly string[];
  /** Option name or index. */
  readonly default: string | number;
}

/** Momentary: a set reads 1 for one frame, then 0. */
export interface TriggerParamDecl extends BaseDecl {
  readonly type: 'trigger';
}

export type ParamDecl = NumberParamDecl | ColorParamDecl | BooleanParamDecl | EnumParamDecl | TriggerParamDecl;

/** A declaration after validation: its full path and every field filled in numerically. */
export interface ResolvedParam {
  /** Full OSC-style path, e.g. `/scene/spectral-veil/intensity`. */
  readonly path: string;
  readonly scope: string;
  readonly name: string;
  readonly type: ParamType;
  /** Float32 slots it occupies (3 for colour, else 1). */
  readonly size: number;
  /** Native range of each slot (colour: 0..1, boolean/trigger: 0..1, enum: 0..options-1). */
  readonly min: number;
  readonly max: number;
  /** Default slot values (3 for colour). */
  readonly defaults: readonly number[];
  readonly curve: ParamCurve;
  readonly unit: string;
  /** 0 = continuous. */
  readonly step: number;
  readonly options: readonly string[];
  readonly description: string;
}

/** What `defineParams` returns: a scope's resolved declarations, typed by their names. */
export interface ParamDecls<K extends string = string> {
  readonly scope: string;
  readonly params: readonly ResolvedParam[];
  readonly names: readonly K[];
}

/** Numeric handle of a registered parameter; -1 means "none" and is safe to pass anywhere. */
export type ParamId = number;

/** Plain native value of a parameter, as presets and OSC carry it. */
export type ParamValue = number | boolean | string | [number, number, number];

/** A parameter described for the UI and OSCQuery. */
export interface ParamDescription {
  readonly id: ParamId;
  readonly path: string;
  readonly scope: string;
  readonly name: string;
  readonly type: ParamType;
  readonly min: number;
  readonly max: number;
  readonly default: ParamValue | null;
  readonly value: ParamValue | null;
  readonly unit: string;
  readonly description: string;
  readonly curve: ParamCurve;
  readonly step: number;
  readonly options: readonly string[];
  /** Where its slots start in `bank.values`, and how many. */
  readonly offset: number;
  readonly size: number;
}

/** Result of an edge write (`setByPath`): never thrown, always explained. */
export interface SetResult {
  readonly ok: boolean;
  readonly path: string;
  readonly id: ParamId;
  /** The value now stored (native), when ok. */
  readonly value?: ParamValue;
  /** Why it failed, or what was corrected (clamped, rounded) when ok. */
  readonly message?: string;
}

/** A snapshot: native values keyed by path (triggers are momentary and never stored). */
export type ParamSnapshot = Record<string, ParamValue>;

export interface RestoreReport {
  /** Paths whose value was taken (possibly corrected). */
  readonly applied: number;
  /** Keys in the snapshot no registered parameter has (ignored). */
  readonly unknown: readonly string[];
  /** Registered (non-trigger) parameters the snapshot did not mention. */
  readonly missing: readonly string[];
  /** Values that could not be used or were corrected, with the reason. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

