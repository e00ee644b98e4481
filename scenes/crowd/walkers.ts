/**
 * The crowd's walkers: seeded straight paths across a plaza, and a step that moves every
 * walker along its path in place. Walkers enter from an edge only while the crowd's density
 * admits them and leave at the far edge, so a quiet room empties slowly instead of blinking out.
 * Walker 0 is the one who stands still. Pure and allocation-free per step.
 */
import { rng } from '../glass-forest/grow.ts';

/** The walkable plaza: x in ±HALF_WIDTH metres, z from FAR_Z to NEAR_Z (the camera looks towards -z). */
export const PLAZA_HALF_WIDTH = 22;
export const PLAZA_NEAR_Z = 3;
export const PLAZA_FAR_Z = -30;
/** Where the still figure stands, and how far every path keeps away from it (metres). */
export const STILL_X = 0.8;
export const STILL_Z = -6;
export const STILL_CLEARANCE = 1.1;
/** Metres walked per full stride cycle (two steps). */
export const STRIDE_M = 1.5;

/** Per-walker data fixed at layout. */
export interface CrowdLayout {
  readonly count: number;
  /** Start x, z of each path (metres). */
  readonly startX: Float32Array;
  readonly startZ: Float32Array;
  /** Unit direction of each path. */
  readonly dirX: Float32Array;
  readonly dirZ: Float32Array;
  /** Path length (metres). */
  readonly length: Float32Array;
  /** Walking speed at pace 1 (metres per second). */
  readonly speed: Float32Array;
  /** 0..1: a walker is on stage while its rank is below the density. */
  readonly rank: Float32Array;
  /** Distance walked off stage before trying to come back (metres). */
  readonly offstage: Float32Array;
  /** 0..1 per walker: stride offset and body variation. */
  readonly seed: Float32Array;
}

/** Per-walker state the step updates. */
export interface CrowdState {
  /** Distance along the path (metres); negative while waiting off stage. */
  readonly along: Float32Array;
  /** 1 while on stage. */
  readonly onStage: Uint8Array;
}

/** Distance from point (px, pz) to the segment from (ax, az) along (dx, dz) for len metres. */
export function distanceToPath(px: number, pz: number, ax: number, az: number, dx: number, dz: number, len: number): number {
  let s = (px - ax) * dx + (pz - az) * dz;
  s = s < 0 ? 0 : s > len ? len : s;
  return Math.hypot(ax + dx * s - px, az + dz * s - pz);
}

/** A point on the plaza's edge: side 0 left, 1 right, 2 far, 3 near; u in 0..1 along it. */
function edgePoint(side: number, u: number, out: Float64Array): void {
  const w = PLAZA_HALF_WIDTH;
  const depth = PLAZA_FAR_Z + u * (PLAZA_NEAR_Z - PLAZA_FAR_Z);
  const across = -w + u * 2 * w;
  out[0] = side === 0 ? -w : side === 1 ? w : across;
  out[1] = side === 2 ? PLAZA_FAR_Z : side === 3 ? PLAZA_NEAR_Z : depth;
}

/** Lay out `count` walkers (walker 0 stands still at STILL_X, STILL_Z, facing the camera). */
export function layoutCrowd(seed: number, count: number): CrowdLayout {
  const n = Math.max(1, Math.floor(count));
  const rand = rng(seed ^ 0x2545f491);
  const L: CrowdLayout = {
    count: n,
    startX: new Float32Array(n),
    startZ: new Float32Array(n),
    dirX: new Float32Array(n),
    dirZ: new Float32Array(n),
    length: new Float32Array(n),
    speed: new Float32Array(n),
    rank: new Float32Array(n),
    offstage: new Float32Array(n),
    seed: new Float32Array(n),
  };
  L.startX[0] = STILL_X;
  L.startZ[0] = STILL_Z;
  L.dirX[0] = 0;
  L.dirZ[0] = 1;
  L.rank[0] = 0;
  L.seed[0] = 0.5;
  const a = new Float64Array(2);
  const b = new Float64Array(2);
  for (let i = 1; i < n; i++) {
    // Mostly across the concourse (left↔right), some towards or away from the platforms.
    for (let attempt = 0; attempt < 64; attempt++) {
      const across = rand() < 0.7;
      const from = across ? (rand() < 0.5 ? 0 : 1) : rand() < 0.5 ? 2 : 3;
      const to = across ? 1 - from : 5 - from;
      edgePoint(from, rand(), a);
      edgePoint(to, rand(), b);
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const dx = (b[0] - a[0]) / len;
      const dz = (b[1] - a[1]) / len;
      if (len < 8 || distanceToPath(STILL_X, STILL_Z, a[0], a[1], dx, dz, len) < STILL_CLEARANCE) continue;
      L.startX[i] = a[0];
      L.startZ[i] = a[1];
      L.dirX[i] = dx;
      L.dirZ[i] = dz;
      L.length[i] = len;
      break;
    }
    if (L.length[i] === 0) {
      // No clear path found: walk the far edge, well away from the still figure.
      L.startX[i] = -PLAZA_HALF_WIDTH;
      L.startZ[i] = PLAZA_FAR_Z;
      L.dirX[i] = 1;
      L.length[i] = 2 * PLAZA_HALF_WIDTH;
    }
    L.speed[i] = 1.0 + rand() * 0.5;
    L.rank[i] = rand();
    L.offstage[i] = 1 + rand() * 12;
    L.seed[i] = rand();
  }
  return L;
}

export function createCrowdState(layout: CrowdLayout): CrowdState {
  return { along: new Float32Array(layout.count), onStage: new Uint8Array(layout.count) };
}

/** Scatter the walkers admitted by `density` along their paths (a crowd already under way), the rest off stage. */
export function resetCrowd(layout: CrowdLayout, state: CrowdState, density: number, seed: number): void {
  const rand = rng(seed ^ 0x68e31da4);
  state.onStage[0] = 1;
  state.along[0] = 0;
  for (let i = 1; i < layout.count; i++) {
    const r = rand();
    if (layout.rank[i] < density) {
      state.onStage[i] = 1;
      state.along[i] = r * layout.length[i];
    } else {
      state.onStage[i] = 0;
      state.along[i] = -r * layout.offstage[i];
    }
  }
}

/**
 * Move every walker `dtSeconds` at `pace` (1 = normal walking speed). A walker reaching the far
 * edge leaves; a walker off stage comes back in at its start edge once it has waited its turn,
 * if `density` (0..1) admits it. Bad numbers stop the crowd rather than corrupt it.
 */
export function stepCrowd(layout: CrowdLayout, state: CrowdState, dtSeconds: number, pace: number, density: number): void {
  const dt = dtSeconds > 0 && dtSeconds < 1 ? dtSeconds : 0;
  const v = pace > 0 && pace < 10 ? pace : 0;
  const dens = density >= 0 ? density : 0;
  const along = state.along;
  const on = state.onStage;
  for (let i = 1; i < layout.count; i++) {
    let s = along[i] + layout.speed[i] * v * dt;
    if (on[i] === 1) {
      if (s >= layout.length[i]) {
        on[i] = 0;
        s = -layout.offstage[i];
      }
    } else if (s >= 0) {
      if (layout.rank[i] < dens) {
        on[i] = 1;
        s = 0;
      } else s = -layout.offstage[i];
    }
    along[i] = s;
  }
}

/** How many walkers are on stage (the still figure included). */
export function countOnStage(state: CrowdState): number {
  let n = 0;
  for (let i = 0; i < state.onStage.length; i++) n += state.onStage[i];
  return n;
}
