/**
 * Response curves between a control's 0..1 position and a number's native range. Each curve
 * has an exact inverse, so setNormalized followed by getNormalized returns the same position
 * (a controller's pickup and soft takeover rely on that).
 */
import type { Unit01 } from '../features/layout.ts';
import type { ParamCurve } from './types.ts';

export const CURVE_LINEAR = 0;
export const CURVE_EXP = 1;
export const CURVE_LOG = 2;
export const CURVE_S = 3;

/** Steepness of exp/log when the range is not strictly positive: two decades over the travel. */
const DEFAULT_K = Math.log(100);

export function curveCode(curve: ParamCurve): number {
  return curve === 'exp' ? CURVE_EXP : curve === 'log' ? CURVE_LOG : curve === 's-curve' ? CURVE_S : CURVE_LINEAR;
}

/**
 * Steepness k of exp/log for a range. With min > 0 it is ln(max / min), which makes `exp`
 * exactly geometric (equal knob travel = equal ratio, as ears and eyes expect for Hz or scale).
 */
export function curveSteepness(min: number, max: number): number {
  if (min > 0 && max > min * (1 + 1e-9)) return Math.log(max / min);
  return DEFAULT_K;
}

/** 0..1 position -> 0..1 fraction of the native range. */
export function shapeForward(code: number, k: number, v: Unit01): Unit01 {
  const x = v < 0 ? 0 : v > 1 ? 1 : v;
  if (code === CURVE_EXP) return Math.expm1(k * x) / Math.expm1(k);
  if (code === CURVE_LOG) return 1 - Math.expm1(k * (1 - x)) / Math.expm1(k);
  if (code === CURVE_S) return x * x * (3 - 2 * x);
  return x;
}

/** 0..1 fraction of the native range -> 0..1 position (inverse of shapeForward). */
export function shapeInverse(code: number, k: number, u: Unit01): Unit01 {
  const y = u < 0 ? 0 : u > 1 ? 1 : u;
  if (code === CURVE_EXP) return Math.log1p(y * Math.expm1(k)) / k;
  if (code === CURVE_LOG) return 1 - Math.log1p((1 - y) * Math.expm1(k)) / k;
  if (code === CURVE_S) return 0.5 - Math.sin(Math.asin(1 - 2 * y) / 3);
  return y;
}

/** Native value for a 0..1 position on a curve over [min, max]. */
export function fromNormalized(curve: ParamCurve, min: number, max: number, v: Unit01): number {
  return min + (max - min) * shapeForward(curveCode(curve), curveSteepness(min, max), v);
}

/** 0..1 position of a native value on a curve over [min, max]. */
export function toNormalized(curve: ParamCurve, min: number, max: number, x: number): Unit01 {
  if (!(max > min)) return 0;
  return shapeInverse(curveCode(curve), curveSteepness(min, max), (x - min) / (max - min));
}
