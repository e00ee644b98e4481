/**
 * Procedural glass trees: a seeded recursive growth of trunk, branches and hanging roots,
 * swept into tapered tubes and merged into one indexed mesh per variant. Pure (no three):
 * plain typed arrays, so the growth is tested in Node and built once at scene set-up.
 */

export interface TreeMesh {
  positions: Float32Array;
  normals: Float32Array;
  /** Growth order 0 (the root of the trunk) .. 1 (the last twig tip): the growth front reveals it. */
  along: Float32Array;
  /** Tube radius at the vertex (0 for leaf shards), for swelling along the normal. */
  radius: Float32Array;
  /** 1 for vertices of hanging roots, else 0. */
  root: Float32Array;
  indices: Uint32Array;
  /** Height of the top of the crown above the base. */
  height: number;
}

export interface GrowOptions {
  seed: number;
  /** Levels of branching below the trunk (3 gives ~100 branches). */
  depth?: number;
  /** Sides of the trunk's tube; thinner branches use fewer. */
  sides?: number;
}

/** mulberry32: small, fast, good enough for shapes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type V3 = [number, number, number];

const norm = (v: V3): V3 => {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
};
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const add = (a: V3, b: V3, s = 1): V3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];

/** A direction turned away from `d` by `angle` radians, around azimuth `az`. */
function deviate(d: V3, angle: number, az: number): V3 {
  const helper: V3 = Math.abs(d[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
  const u = norm(cross(d, helper));
  const w = cross(d, u);
  const s = Math.sin(angle);
  const c = Math.cos(angle);
  return norm([
    d[0] * c + (u[0] * Math.cos(az) + w[0] * Math.sin(az)) * s,
    d[1] * c + (u[1] * Math.cos(az) + w[1] * Math.sin(az)) * s,
    d[2] * c + (u[2] * Math.cos(az) + w[2] * Math.sin(az)) * s,
  ]);
}

class Builder {
  pos: number[] = [];
  nrm: number[] = [];
  along: number[] = [];
  radius: number[] = [];
  root: number[] = [];
  idx: number[] = [];

  vertex(p: V3, n: V3, along: number, r: number, root: number): number {
    this.pos.push(p[0], p[1], p[2]);
    this.nrm.push(n[0], n[1], n[2]);
    this.along.push(along);
    this.radius.push(r);
    this.root.push(root);
    return this.along.length - 1;
  }

  /** A tapered tube through `pts` (radii `rs`, growth order `al`), closed to a point at the end. */
  tube(pts: V3[], rs: number[], al: number[], sides: number, root: number): void {
    let prevU: V3 | null = null;
    const rings: number[] = [];
    for (let i = 0; i < pts.length; i++) {
      const dir = norm(i < pts.length - 1 ? add(pts[i + 1], pts[i], -1) : add(pts[i], pts[i - 1], -1));
      // Parallel transport keeps the rings from twisting.
      let u: V3;
      if (prevU === null) u = norm(cross(dir, Math.abs(dir[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0]));
      else u = norm(add(prevU, dir, -(prevU[0] * dir[0] + prevU[1] * dir[1] + prevU[2] * dir[2])));
      prevU = u;
      const w = cross(dir, u);
      rings.push(this.along.length);
      for (let s = 0; s < sides; s++) {
        const a = (2 * Math.PI * s) / sides;
        const n: V3 = [u[0] * Math.cos(a) + w[0] * Math.sin(a), u[1] * Math.cos(a) + w[1] * Math.sin(a), u[2] * Math.cos(a) + w[2] * Math.sin(a)];
        this.vertex(add(pts[i], n, rs[i]), n, al[i], rs[i], root);
      }
    }
    for (let i = 0; i + 1 < rings.length; i++) {
      for (let s = 0; s < sides; s++) {
        const a = rings[i] + s;
        const b = rings[i] + ((s + 1) % sides);
        const c = rings[i + 1] + s;
        const d = rings[i + 1] + ((s + 1) % sides);
        this.idx.push(a, b, c, b, d, c);
      }
    }
  }

  /** A flat glass shard (an elongated octahedron) at a twig tip. */
  shard(p: V3, dir: V3, size: number, along: number, spin: number): void {
    const u = deviate(dir, Math.PI / 2, spin);
    const w = norm(cross(dir, u));
    const tip = add(p, dir, size * 2.2);
    const mid = add(p, dir, size * 0.8);
    const corners: V3[] = [add(mid, u, size), add(mid, w, size * 0.35), add(mid, u, -size), add(mid, w, -size * 0.35)];
    const radial: V3[] = [u, w, [-u[0], -u[1], -u[2]], [-w[0], -w[1], -w[2]]];
    // Six shared vertices with smooth normals: a rounded sliver, cheap for software GL.
    const iTip = this.vertex(tip, dir, along, 0, 0);
    const iBase = this.vertex(p, [-dir[0], -dir[1], -dir[2]], along, 0, 0);
    const first = this.along.length;
    for (let k = 0; k < 4; k++) this.vertex(corners[k], radial[k], along, 0, 0);
    for (let k = 0; k < 4; k++) {
      const a = first + k;
      const b = first + ((k + 1) % 4);
      this.idx.push(iTip, a, b, iBase, b, a);
    }
  }
}

/** Grow one tree variant. Same seed, same tree. */
export function growTree(opts: GrowOptions): TreeMesh {
  const rand = rng(opts.seed);
  const depth = opts.depth ?? 2;
  const trunkSides = opts.sides ?? 5;
  const b = new Builder();
  let maxAlong = 0;
  let top = 0;

  // along is measured in path length from the trunk base; normalised at the end.
  const branch = (start: V3, dir: V3, length: number, r0: number, level: number, along0: number, isRoot: boolean): void => {
    // Detail falls with the level: software GL pays per vertex, and twigs are thin anyway.
    const segs = level === 0 ? 4 : level === 1 ? 3 : level === 2 ? 2 : 1;
    const sides = level === 0 ? trunkSides : level === 1 ? Math.max(3, trunkSides - 1) : 3;
    const pts: V3[] = [start];
    const rs: number[] = [r0];
    const al: number[] = [along0];
    let d = dir;
    let p = start;
    for (let i = 1; i <= segs; i++) {
      // Wander a little, and bend toward the light (branches) or toward the ground (roots).
      d = deviate(d, 0.08 + rand() * 0.22, rand() * Math.PI * 2);
      d = norm(add(d, [0, isRoot ? -1 : 1, 0], isRoot ? 0.25 : 0.12 * level));
      p = add(p, d, length / segs);
      pts.push(p);
      const f = i / segs;
      rs.push(r0 * (1 - f * (level >= depth ? 0.92 : 0.55)));
      al.push(along0 + length * f);
      if (!isRoot) top = Math.max(top, p[1]);
    }
    b.tube(pts, rs, al, sides, isRoot ? 1 : 0);
    const end = along0 + length;
    maxAlong = Math.max(maxAlong, end);
    if (level >= depth) {
      if (!isRoot) b.shard(p, d, r0 * 1.6 + 0.012, end, rand() * Math.PI * 2);
      return;
    }
    const children = isRoot ? 1 + Math.floor(rand() * 2) : level === 0 ? 5 + Math.floor(rand() * 2) : 3 + Math.floor(rand() * 2);
    for (let c = 0; c < children; c++) {
      const at = level === 0 && !isRoot ? 0.45 + 0.55 * ((c + rand() * 0.6) / children) : 0.4 + rand() * 0.55;
      const seg = Math.min(segs - 1, Math.floor(at * segs));
      const f = at * segs - seg;
      const q = add(pts[seg], add(pts[seg + 1], pts[seg], -1), f);
      const r = rs[seg] + (rs[seg + 1] - rs[seg]) * f;
      const spread = isRoot ? 0.5 + rand() * 0.4 : 0.45 + rand() * 0.5;
      const cd = deviate(d, spread, (c / children) * Math.PI * 2 + rand() * 1.2);
      branch(q, cd, length * (0.55 + rand() * 0.2), r * 0.72, level + 1, along0 + length * at, isRoot);
    }
  };

  const trunkLen = 1.1 + rand() * 0.35;
  branch([0, 0, 0], deviate([0, 1, 0], rand() * 0.12, rand() * 6.28), trunkLen, 0.085, 0, 0, false);
  const roots = 3 + Math.floor(rand() * 2);
  for (let k = 0; k < roots; k++) {
    const rd = deviate([0, -1, 0], 0.5 + rand() * 0.5, (k / roots) * Math.PI * 2 + rand());
    branch([0, 0.02, 0], rd, 0.4 + rand() * 0.25, 0.045, Math.max(1, depth - 1), 0, true);
  }

  const along = Float32Array.from(b.along, (a) => (maxAlong > 0 ? a / maxAlong : 0));
  return {
    positions: Float32Array.from(b.pos),
    normals: Float32Array.from(b.nrm),
    along,
    radius: Float32Array.from(b.radius),
    root: Float32Array.from(b.root),
    indices: Uint32Array.from(b.idx),
    height: top,
  };
}

/** Where each of `count` trees floats: well spread for any prefix, so fewer trees thin evenly. */
export interface ForestLayout {
  /** x, y, z, rotation about y, scale, tilt x, tilt z, phase 0..1 per tree. */
  data: Float32Array;
  stride: 8;
}

function halton(i: number, base: number): number {
  let f = 1;
  let r = 0;
  let n = i;
  while (n > 0) {
    f /= base;
    r += f * (n % base);
    n = Math.floor(n / base);
  }
  return r;
}

/**
 * Forest volume: z from nearZ back to farZ, x within ±wrapHalfWidth(z) (the view widens with
 * distance, so no tree is grown where no one can see it), floating heights around 0.
 */
export function wrapHalfWidth(z: number, eyeZ: number, slope: number): number {
  return Math.max(3, (eyeZ - z) * slope);
}

export function layoutForest(count: number, seed: number, eyeZ: number, slope: number, nearZ: number, farZ: number): ForestLayout {
  const rand = rng(seed ^ 0x9e3779b9);
  const data = new Float32Array(count * 8);
  for (let i = 0; i < count; i++) {
    const o = i * 8;
    const z = nearZ + (farZ - nearZ) * Math.sqrt(halton(i + 1, 3)); // more room in the distance
    data[o] = (halton(i + 1, 2) * 2 - 1) * wrapHalfWidth(z, eyeZ, slope);
    data[o + 1] = -2.5 + rand() * 3.4 + (nearZ - z) * 0.04;
    data[o + 2] = z;
    data[o + 3] = rand() * Math.PI * 2;
    data[o + 4] = 0.9 + rand() * 0.9;
    data[o + 5] = (rand() - 0.5) * 0.5;
    data[o + 6] = (rand() - 0.5) * 0.5;
    data[o + 7] = rand();
  }
  return { data, stride: 8 };
}
