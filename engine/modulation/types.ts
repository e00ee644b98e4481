/**
 * Route specs: plain JSON a preset, a scene's defaults or the UI carries. The matrix validates
 * them at the edge and packs them into typed arrays for the frame tick.
 */

/** How a route shapes its 0..1 source before scaling: same shapes as parameter curves, plus steps. */
export type RouteCurve = 'linear' | 'exp' | 'log' | 's-curve' | 'steps';

/**
 * One modulation route. Its contribution on the target's normalised (0..1 control) scale is
 * `offset + amount * smooth(curve(invert(clamp(source))))`; all routes onto one parameter sum
 * on top of the performer's base position, and the sum is clamped to the parameter's range.
 */
export interface RouteSpec {
  /** Source id, e.g. `centroid`, `bands3.0`, `onset:low`, `lfo:sine:1/4`, `const:0.5`, `ext:midi:1:cc:74` (see sources.ts). */
  source: string;
  /** Parameter path, e.g. `/scene/glass-forest/sway`; a colour takes `.r`, `.g` or `.b` for one component. */
  target: string;
  /** Scale of the shaped source on the target's 0..1 scale; negative pulls down. */
  amount: number;
  /** Added after scaling, on the target's 0..1 scale. Default 0. */
  offset?: number;
  /** Default 'linear'. */
  curve?: RouteCurve;
  /** Number of levels for curve 'steps' (2..64). Default 4. */
  steps?: number;
  /** Rise time constant in seconds (0 = instant). Default 0. */
  attack?: number;
  /** Fall time constant in seconds (0 = instant). Default 0. */
  release?: number;
  /** Use 1 - source. Default false. */
  invert?: boolean;
  /** Clamp the source into 0..1 before shaping. Default true; off lets over-range values through the linear curve. */
  clamp?: boolean;
  /** Default true; a disabled route contributes nothing but keeps its place. */
  enabled?: boolean;
}

/** A route with every optional field filled in. */
export type ResolvedRoute = Required<RouteSpec>;

/** One problem with one field of a spec. */
export interface RouteProblem {
  /** Field name ('source', 'amount'...), or '' for the spec as a whole. */
  readonly field: string;
  readonly message: string;
}

export type RouteCheck =
  | { readonly ok: true; readonly route: ResolvedRoute; readonly warnings: readonly RouteProblem[] }
  | { readonly ok: false; readonly problems: readonly RouteProblem[] };

/**
 * The frame values modulation reads besides features; `StandardUniforms` has these fields,
 * so the tick passes its uniforms as they are.
 */
export interface ModulationInputs {
  /** Onset envelope 0..1 and per-band (low, mid, high) onset envelopes. */
  readonly onset: number;
  readonly bandOnsets: ArrayLike<number>;
  /** Beat envelope 0..1, beat and bar phase 0..1, whole beats counted, beats per bar. */
  readonly beat: number;
  readonly beatPhase: number;
  readonly barPhase: number;
  readonly beatCount: number;
  readonly beatsPerBar: number;
  /**
   * Absolute level on a fixed meter scale 0..1 (see LEVEL_METER_FLOOR_DB in sources.ts), read by
   * the `loudness:dbfs` source; reads 0 when absent.
   */
  readonly meter?: number;
}
