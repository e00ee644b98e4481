/**
 * `npm run keyframe-sets`: renders the two keyframe sets that ship in presets/ (`glass-dusk`,
 * `archive-haze`). No image model runs here: every picture is procedural (gradients, fbm
 * noise, simple shapes) in plain TypeScript, seeded, so a rerun writes byte-identical files.
 * They are written with the import CLI's writer, so they look to the engine like any set.
 *
 * `npm run keyframe-sets -- [--out <folder>]` (default presets; existing sets are replaced).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesForSet, formatBytes, type ArchiveState, type KeyframeSignature } from '../engine/keyframes/manifest.ts';
import { KeyframeSetWriter, type Raster } from './keyframe-writer.ts';
import { seededRandom as rng } from '../workers/analysis/signals.ts';

export const SIZE = 512;
const GENERATOR = 'procedural (scripts/make-keyframe-sets.ts), not an image model';
const QUALITY = 88;

type RGB = [number, number, number];

// ---------------------------------------------------------------- small deterministic maths

function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth value noise in 0..1. */
function noise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const xf = x - xi;
  const yf = y - yi;
  const u = xf * xf * (3 - 2 * xf);
  const v = yf * yf * (3 - 2 * yf);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
}

/** Fractal noise, 0..1 (about 0.5 on average). */
function fbm(x: number, y: number, seed: number, octaves = 5): number {
  let sum = 0;
  let amp = 0.5;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise(x, y, seed + o * 101);
    norm += amp;
    x = x * 2.03 + 17.1;
    y = y * 1.97 - 9.3;
    amp *= 0.5;
  }
  return sum / norm;
}

const clamp = (x: number, lo = 0, hi = 1): number => (x < lo ? lo : x > hi ? hi : x);
const mix = (a: number, b: number, t: number): number => a + (b - a) * t;
const mixc = (a: RGB, b: RGB, t: number): RGB => [mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t)];
const addc = (a: RGB, b: RGB, k = 1): RGB => [a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k];
const mulc = (a: RGB, k: number): RGB => [a[0] * k, a[1] * k, a[2] * k];
function smooth(e0: number, e1: number, x: number): number {
  const t = clamp((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}
function hex(s: string): RGB {
  const n = parseInt(s.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}
/** Colour along stops `[t, colour]` (t ascending). */
function ramp(stops: readonly (readonly [number, RGB])[], t: number): RGB {
  if (t <= stops[0][0]) return stops[0][1];
  for (let i = 1; i < stops.length; i++) {
    if (t <= stops[i][0]) return mixc(stops[i - 1][1], stops[i][1], smooth(stops[i - 1][0], stops[i][0], t));
  }
  return stops[stops.length - 1][1];
}
/** Soft round falloff: 1 at the centre, about 0 beyond `r`. */
const glow = (d: number, r: number): number => Math.exp(-(d * d) / (r * r));
/** Rainbow hue 0..1 as a soft spectrum. */
function hue(h: number): RGB {
  const f = (o: number): number => 0.5 + 0.5 * Math.cos(2 * Math.PI * (h + o));
  return [f(0), f(-1 / 3), f(-2 / 3)];
}
/** Signed distance to a rounded box centred at (cx, cy). */
function box(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r = 0): number {
  const dx = Math.abs(x - cx) - hw + r;
  const dy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - r;
}

// ---------------------------------------------------------------- pictures

/** A picture: colour at (u, v) in 0..1, v downwards. */
type Shader = (u: number, v: number) => RGB;

interface Finish {
  /** Film grain strength (0..1 of a level step at ~0.02). */
  readonly grain?: number;
  readonly vignette?: number;
  /** Lift blacks and flatten contrast, like faded print. */
  readonly fade?: number;
  readonly seed: number;
}

function render(shader: Shader, finish: Finish): Raster {
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const u = (x + 0.5) / SIZE;
      const v = (y + 0.5) / SIZE;
      let c = shader(u, v);
      const d = Math.hypot(u - 0.5, v - 0.5);
      if (finish.vignette) c = mulc(c, 1 - finish.vignette * smooth(0.25, 0.75, d));
      if (finish.fade) c = c.map((k) => mix(k, 0.08 + k * 0.8, finish.fade!)) as RGB;
      const g = finish.grain ? (hash2(x, y, finish.seed) + hash2(x + 7, y + 3, finish.seed + 1) - 1) * finish.grain * 0.09 : 0;
      // A sub-level dither keeps the long gradients from banding.
      const dither = (hash2(x, y, finish.seed + 99) - 0.5) / 255;
      const i = (y * SIZE + x) * 3;
      for (let k = 0; k < 3; k++) data[i + k] = Math.round(clamp(c[k] + g + dither) * 255);
    }
  }
  return { data, width: SIZE, height: SIZE, channels: 3 };
}

// glass-dusk ---------------------------------------------------------------------------------

function glassForest(seed: number): Shader {
  const sky: [number, RGB][] = [
    [0, hex('#1b1640')],
    [0.35, hex('#4a2a6b')],
    [0.58, hex('#c0577a')],
    [0.72, hex('#f3a35c')],
    [1, hex('#2a2040')],
  ];
  const r = rng(seed);
  const trees = Array.from({ length: 15 }, () => {
    const x = 0.12 + r() * 0.76;
    const top = 0.12 + r() * 0.25;
    return { x, top, base: 0.6 + r() * 0.03, w: 0.018 + r() * 0.03, tint: r() };
  }).sort((a, b) => b.w - a.w);
  return (u, v) => {
    let c = ramp(sky, v + (fbm(u * 3, v * 6, seed) - 0.5) * 0.06);
    // Floating island of dark glass, bottom edge frayed by mist.
    const island = (u - 0.5) ** 2 / 0.16 + (v - 0.62) ** 2 / 0.0025;
    if (island < 1) c = mixc(c, mixc(hex('#1a1f3a'), ramp(sky, 1.25 - v), 0.3), smooth(1, 0.7, island));
    for (const t of trees) {
      if (v < t.top || v > t.base) continue;
      const half = (t.w * (v - t.top)) / (t.base - t.top);
      const dx = u - t.x;
      if (Math.abs(dx) > half) continue;
      // Inside the shard the sky is seen displaced (refraction), with a bright rim.
      const k = dx / Math.max(half, 1e-4);
      const refr = ramp(sky, v - 0.18 * k + 0.1 * t.tint);
      const rim = smooth(0.7, 1, Math.abs(k));
      const spark = glow(k + 0.35, 0.12) * 0.5;
      c = mixc(c, addc(mulc(refr, 0.85), hex('#ffe6c8'), rim * 0.55 + spark), 0.8);
    }
    const mist = smooth(0.58, 0.95, v) * (0.55 + 0.45 * fbm(u * 4 + 3, v * 9, seed + 5));
    c = mixc(c, hex('#9a86b0'), mist * 0.75);
    return addc(c, hex('#ffb070'), glow(Math.hypot(u - 0.5, (v - 0.7) * 2), 0.25) * 0.35);
  };
}

function refractedLight(seed: number): Shader {
  return (u, v) => {
    const w = fbm(u * 2.5, v * 2.5, seed);
    let c = mixc(hex('#2c1a12'), hex('#c4773d'), smooth(1.1, 0.1, u + v * 0.5 + (w - 0.5) * 0.4));
    // Caustic net: where warped bands cross.
    const a = Math.sin((u * 9 + w * 3) * Math.PI);
    const b = Math.sin((v * 7 - w * 2.6 + u * 2) * Math.PI);
    const caustic = Math.pow(clamp(1 - Math.abs(a * b) * 3.5), 6) * (0.4 + 0.6 * fbm(u * 4 + 9, v * 4, seed + 3));
    c = addc(c, hex('#fff0d0'), caustic * 0.45);
    // Two diagonal beams split into a spectrum.
    for (const [o, width] of [
      [0.35, 0.06],
      [0.62, 0.035],
    ] as const) {
      const d = u - v * 0.55 - o + (w - 0.5) * 0.05;
      const inBeam = glow(d, width);
      c = addc(c, hue(d / width * 0.35 + 0.55), inBeam * 0.75);
    }
    return c;
  };
}

function mistField(seed: number): Shader {
  return (u, v) => {
    const haze = fbm(u * 3 + 1, v * 5, seed);
    let c = mixc(hex('#cfd6dc'), hex('#8f9aa6'), smooth(0.2, 1, v) * 0.7);
    // Two rows of distant trees, almost lost in the mist.
    for (const [row, depth] of [
      [0.56, 0.82],
      [0.64, 0.62],
    ] as const) {
      const h = row - 0.12 * fbm(u * 22, depth * 10, seed + 3) * (0.6 + 0.4 * noise(u * 5, depth, seed + 9));
      if (v > h) c = mixc(c, hex('#5d6670'), (1 - depth) * 0.9 * smooth(h, h + 0.02, v));
    }
    c = mixc(c, hex('#e6e9ea'), smooth(0.35, 0.75, haze) * 0.55);
    return mixc(c, hex('#f2efe6'), glow(Math.hypot(u - 0.68, v - 0.3), 0.22) * 0.35);
  };
}

function platformFigures(seed: number): Shader {
  const r = rng(seed);
  const figures = Array.from({ length: 7 }, () => {
    const depth = r();
    return { x: 0.08 + r() * 0.84, s: 0.07 + depth * 0.18, depth, lean: (r() - 0.5) * 0.02 };
  }).sort((a, b) => a.depth - b.depth);
  return (u, v) => {
    const floorY = 0.58;
    let c = mixc(hex('#0e1c22'), hex('#2f5a5c'), smooth(0.0, 0.55, v) * 0.8);
    // Overhead light strips, then a wet floor that reflects them.
    for (const ly of [0.1, 0.22, 0.31]) c = addc(c, hex('#9fe3d4'), glow(v - ly, 0.008) * smooth(0.05, 0.2, u) * smooth(0.95, 0.8, u) * 0.8);
    if (v > floorY) {
      const refl = fbm(u * 40, v * 4, seed + 2);
      c = mixc(hex('#132326'), hex('#3d6c69'), (1 - (v - floorY) / (1 - floorY)) * 0.7 * (0.6 + 0.4 * refl));
      c = addc(c, hex('#bff5e6'), glow(v - 0.62, 0.01) * 0.5);
    }
    for (const f of figures) {
      const base = floorY + 0.02 + f.depth * 0.34;
      const head = Math.hypot(u - f.x - f.lean, (v - (base - f.s * 1.72)) * 1.1) - f.s * 0.13;
      const body = box(u, v, f.x, base - f.s * 0.78, f.s * 0.2, f.s * 0.78, f.s * 0.16);
      const d = Math.min(head, body);
      // Figures far away sink into the haze; no faces, only outlines.
      const ink = mixc(hex('#03080a'), hex('#2d4f50'), (1 - f.depth) * 0.7);
      c = mixc(c, ink, smooth(0.004, -0.002, d));
    }
    return mixc(c, hex('#6ea9a0'), fbm(u * 3, v * 2, seed + 7) * 0.18);
  };
}

function nightRoad(seed: number): Shader {
  const r = rng(seed);
  const boards = Array.from({ length: 5 }, (_, i) => {
    const side = i % 2 === 0 ? -1 : 1;
    const dist = 0.15 + r() * 0.8;
    return { side, dist, colour: [hex('#ff3fa4'), hex('#3fe8ff'), hex('#ffb347'), hex('#b56cff'), hex('#52ff9a')][i], seed: seed + i * 17 };
  });
  const horizon = 0.46;
  return (u, v) => {
    let c = ramp(
      [
        [0, hex('#05061a')],
        [0.3, hex('#161446')],
        [horizon, hex('#b83a7a')],
        [horizon + 0.001, hex('#0a0a16')],
        [1, hex('#141224')],
      ],
      v,
    );
    if (v < horizon) c = addc(c, hex('#ff7a59'), glow(v - horizon, 0.05) * 0.6);
    if (v > horizon) {
      const depth = (v - horizon) / (1 - horizon);
      const half = 0.02 + depth * 0.7;
      const x = (u - 0.5) / half;
      if (Math.abs(x) < 1) {
        c = mixc(c, hex('#1d1b2c'), 0.9);
        const z = 1 / Math.max(depth, 0.01);
        const dash = Math.sin(z * 3.1) > 0.2 ? 1 : 0;
        c = addc(c, hex('#f5e6b0'), glow(x, 0.025) * dash * 0.8 * smooth(0, 0.2, depth));
        c = addc(c, hex('#9af'), (glow(x - 0.95, 0.02) + glow(x + 0.95, 0.02)) * 0.4);
      }
      // Long-exposure tail lights on the right lane, head lights on the left.
      c = addc(c, hex('#ff2a2a'), glow(x - 0.42, 0.03) * 0.9 * smooth(0, 0.5, depth));
      c = addc(c, hex('#fff2d6'), glow(x + 0.45, 0.025) * 0.7 * smooth(0, 0.5, depth));
    }
    // Billboards beside the road, their lettering too soft to read.
    for (const b of boards) {
      const s = 1 / (b.dist * 4 + 0.6);
      const cx = 0.5 + b.side * (0.1 + s * 0.45);
      const cy = horizon - s * 0.35;
      const d = box(u, v, cx, cy, s * 0.22, s * 0.11, s * 0.01);
      if (d < 0) {
        const lu = (u - cx) / s;
        const lv = (v - cy) / s;
        const glyphs = noise(lu * 40, Math.floor(lv * 14) * 3.3, b.seed) > 0.55 && Math.abs(lv) < 0.06 ? 1 : 0;
        c = mixc(mulc(b.colour, 0.55), hex('#ffffff'), glyphs * 0.45 * fbm(lu * 8, lv * 8, b.seed));
      }
      c = addc(c, b.colour, glow(Math.max(d, 0), s * 0.08) * 0.35);
      if (Math.abs(u - cx) < s * 0.008 && v > cy && v < horizon + s * 0.1) c = mulc(c, 0.3);
    }
    return c;
  };
}

function breathWindow(seed: number): Shader {
  const r = rng(seed);
  const lights = Array.from({ length: 40 }, () => ({ x: r(), y: 0.15 + r() * 0.8, rad: 0.015 + r() * 0.05, col: [hex('#ffb25c'), hex('#ffe2b3'), hex('#7ad8ff'), hex('#ff6f61')][Math.floor(r() * 4)], k: 0.3 + r() * 0.7 }));
  const drops = Array.from({ length: 60 }, () => ({ x: r(), y: r(), rad: 0.003 + r() * 0.008 }));
  return (u, v) => {
    const fogEdge = Math.hypot((u - 0.5) / 0.34, (v - 0.56) / 0.28) + (fbm(u * 6, v * 6, seed) - 0.5) * 0.5;
    const fog = smooth(1.05, 0.75, fogEdge);
    let c = mixc(hex('#070914'), hex('#1a1830'), v);
    // City lights out of focus; inside the fog they spread further and fade.
    for (const l of lights) {
      const d = Math.hypot(u - l.x, v - l.y);
      const rad = l.rad * (1 + fog * 1.8);
      const disc = smooth(rad, rad * 0.8, d) * 0.55 + glow(d, rad * 1.5) * 0.25;
      c = addc(c, l.col, disc * l.k * (1 - fog * 0.6));
    }
    c = mixc(c, hex('#b7a79a'), fog * 0.55);
    for (const dp of drops) {
      const d = Math.hypot(u - dp.x, (v - dp.y) * 0.8);
      if (d < dp.rad && fog > 0.2) c = mixc(c, addc(mulc(c, 0.5), hex('#ffe7cf'), smooth(dp.rad, 0, Math.hypot(u - dp.x + dp.rad * 0.3, v - dp.y + dp.rad * 0.3)) * 0.6), fog);
    }
    return c;
  };
}

function windOnGlass(seed: number): Shader {
  return (u, v) => {
    const streak = fbm(u * 1.2, v * 38, seed);
    let c = mixc(hex('#0b1626'), hex('#5f7f9c'), smooth(0.3, 0.8, streak) * (1 - v * 0.6));
    c = addc(c, hex('#cfe6ff'), Math.pow(fbm(u * 0.8 + 5, v * 90, seed + 1), 6) * 3);
    // A subway train passing low: a band of lit windows smeared sideways.
    const band = smooth(0.7, 0.72, v) * smooth(0.86, 0.84, v);
    const windows = smooth(0.3, 0.7, Math.sin(u * 34 + fbm(u * 2, 1, seed + 4) * 6) * 0.5 + 0.5) * smooth(0.735, 0.745, v) * smooth(0.815, 0.805, v);
    c = mixc(c, hex('#11131a'), band * 0.85);
    c = addc(c, hex('#ffe3a1'), windows * 0.75 * band);
    c = addc(c, hex('#ffd27a'), glow(v - 0.78, 0.07) * 0.18);
    return c;
  };
}

// archive-haze -------------------------------------------------------------------------------

function fadedSummer(seed: number): Shader {
  return (u, v) => {
    const horizon = 0.58 + (fbm(u * 2, 0, seed) - 0.5) * 0.04;
    let c = v < horizon ? ramp([[0, hex('#d9e3d5')], [0.58, hex('#f4e2b0')]], v) : ramp([[0.58, hex('#8fa56b')], [1, hex('#4f6a4a')]], v);
    c = mixc(c, hex('#d7c77f'), fbm(u * 6, v * 10, seed + 1) * 0.3 * smooth(horizon, 1, v));
    // An overexposed sun, blown out to white, bleeding into the sky.
    c = addc(c, hex('#fff6d8'), glow(Math.hypot(u - 0.7, v - 0.3), 0.16) * 0.9);
    // A figure-shaped blur at the edge of the frame, someone half remembered.
    c = mixc(c, hex('#8a6d57'), smooth(0.06, 0.0, box(u, v, 0.23, 0.62, 0.045, 0.2, 0.05)) * 0.45);
    // Cross-processed film: cyan shadows, warm highlights.
    const l = (c[0] + c[1] + c[2]) / 3;
    return [c[0] * 0.95 + l * 0.08, c[1] * 0.98, c[2] * 0.9 + (1 - l) * 0.12];
  };
}

function lightLeak(seed: number): Shader {
  return (u, v) => {
    const w = fbm(u * 2, v * 3, seed);
    let c = mixc(hex('#0d0a0a'), hex('#2a1c18'), fbm(u * 4, v * 4, seed + 2));
    const leak = smooth(0.5, -0.05, u + (w - 0.5) * 0.5 - v * 0.15);
    c = addc(c, ramp([[0, hex('#5a0a0a')], [0.5, hex('#ff4a1c')], [0.85, hex('#ffc15a')], [1, hex('#fff3d6')]], leak), leak);
    const leak2 = glow(Math.hypot(u - 1.02, v - 0.82), 0.22 + w * 0.1);
    c = addc(c, hex('#ff7ab8'), leak2 * 0.7);
    // Sprocket holes burnt in along the right edge.
    const hole = box(u, (v * 10) % 1, 0.955, 0.5, 0.018, 0.22, 0.01);
    return mixc(c, addc(c, hex('#ffe0a0'), 0.6), smooth(0.003, -0.003, hole) * 0.7);
  };
}

function waitingHall(seed: number): Shader {
  return (u, v) => {
    // One-point perspective of a long hall.
    const cx = 0.5;
    const cy = 0.45;
    const dx = u - cx;
    const dy = v - cy;
    const wallT = Math.abs(dx) / 0.45;
    const floorT = dy / 0.55;
    const isFloor = floorT > wallT && dy > 0;
    const isCeil = -dy / 0.45 > wallT;
    let c: RGB;
    const depth = Math.max(wallT, Math.abs(dy) / 0.5, 0.001);
    const z = 1 / depth;
    if (isFloor) {
      const tile = Math.sin((dx / depth) * 18) * Math.sin(z * 3) > 0 ? 1 : 0.9;
      c = mulc(hex('#59625a'), tile * (0.35 + 0.65 * depth));
    } else if (isCeil) {
      c = mulc(hex('#3a403c'), 0.4 + 0.6 * depth);
      c = addc(c, hex('#d8ffe8'), (Math.sin(z * 3) > 0.85 ? 1 : 0) * glow(dx / depth, 0.08) * 0.8 * depth);
    } else {
      const arch = Math.sin(z * 3 + 0.6);
      c = mulc(hex('#6b7466'), 0.25 + 0.6 * depth);
      if (arch > 0.35 && Math.abs(dy / depth) < 0.35) c = mixc(c, hex('#c9d8c0'), 0.45 * depth);
    }
    // The far end: one lit doorway.
    c = addc(c, hex('#f4ffd9'), smooth(0.004, -0.004, box(u, v, cx, cy + 0.01, 0.025, 0.045)) * 0.9);
    c = addc(c, hex('#b5d6a8'), glow(Math.hypot(dx, dy * 1.3), 0.09) * 0.3);
    return mixc(c, hex('#a8b4a2'), fbm(u * 3, v * 3, seed) * 0.15);
  };
}

function forgottenSea(seed: number): Shader {
  return (u, v) => {
    const horizon = 0.44;
    let c: RGB;
    if (v < horizon) c = ramp([[0, hex('#f3f0e6')], [horizon, hex('#bcd6d6')]], v);
    else {
      const wave = fbm(u * 3, v * 60 * (1.2 - v), seed);
      c = mixc(hex('#5f9a9c'), hex('#b4d3cc'), wave * 0.8 * (1 - (v - horizon)));
      c = addc(c, hex('#fffbe9'), Math.pow(wave, 5) * 1.6 * glow(u - 0.35, 0.3));
    }
    // Print border: the photograph is a thing held in a hand.
    const frame = box(u, v, 0.5, 0.47, 0.43, 0.4);
    c = mixc(c, hex('#ebe6da'), smooth(-0.002, 0.002, frame));
    return mixc(c, hex('#e8d9b5'), fbm(u * 2, v * 2, seed + 4) * 0.25);
  };
}

function twoShadows(seed: number): Shader {
  return (u, v) => {
    let c = mixc(hex('#d8a977'), hex('#7a4a32'), smooth(0.1, 1.1, Math.hypot(u - 0.35, v - 0.25)));
    c = mixc(c, hex('#b78a62'), fbm(u * 20, v * 20, seed) * 0.15);
    // Window light falling in a slanted rectangle.
    const lx = u + v * 0.3;
    const pane = smooth(0.005, -0.005, box(lx, v, 0.7, 0.4, 0.3, 0.32)) * (Math.abs(((lx - 0.4) / 0.3) % 1) > 0.04 ? 1 : 0.2);
    c = addc(c, hex('#ffdca8'), pane * 0.35);
    // Two head-and-shoulder shadows, leaning in, never touching.
    for (const [x, tilt] of [
      [0.31, 0.06],
      [0.69, -0.06],
    ] as const) {
      const head = Math.hypot(u - x - tilt * 0.5, (v - 0.42) * 0.9) - 0.085;
      const shoulders = box(u, v, x, 0.78, 0.12, 0.2, 0.1);
      const d = Math.min(head, shoulders);
      c = mixc(c, mulc(c, 0.45), smooth(0.025, -0.025, d));
    }
    return c;
  };
}

function emptyTv(seed: number): Shader {
  return (u, v) => {
    let c = mixc(hex('#07080c'), hex('#1a1e2a'), glow(Math.hypot(u - 0.5, v - 0.55), 0.5));
    const screen = box(u, v, 0.5, 0.46, 0.2, 0.15, 0.03);
    const px = Math.floor(u * 180);
    const py = Math.floor(v * 140);
    const snow = hash2(px, py, seed);
    const scan = 0.75 + 0.25 * Math.sin(v * 700);
    if (screen < 0) c = mulc(mixc(hex('#5d6b8c'), hex('#e3ebff'), snow), scan * (0.7 + 0.3 * fbm(u * 3, v * 40, seed + 1)));
    c = addc(c, hex('#8da2d6'), glow(Math.max(screen, 0), 0.12) * 0.55);
    // The glow reaching the floor and an empty chair's edge.
    c = addc(c, hex('#6e80b0'), glow(v - 0.8, 0.06) * glow(u - 0.5, 0.3) * 0.3);
    c = mixc(c, hex('#020203'), smooth(0.004, -0.004, box(u, v, 0.18, 0.82, 0.09, 0.12, 0.02)) * 0.9);
    return c;
  };
}

function departureBoard(seed: number): Shader {
  return (u, v) => {
    let c = mixc(hex('#0b0b0d'), hex('#1a1612'), v);
    const inBoard = box(u, v, 0.5, 0.42, 0.42, 0.3, 0.01);
    if (inBoard < 0) {
      c = hex('#141210');
      const row = Math.floor((v - 0.12) * 26);
      const col = Math.floor((u - 0.08) * 42);
      const cu = ((u - 0.08) * 42) % 1;
      const cv = ((v - 0.12) * 26) % 1;
      const lit = hash2(col, row, seed) > 0.28 && row % 2 === 0 && col !== 9 && col !== 24;
      // Blocky glyphs: segments that mean nothing, all in amber.
      const seg = hash2(col * 3 + Math.floor(cu * 3), row * 5 + Math.floor(cv * 5), seed + 1) > 0.45;
      const inCell = cu > 0.12 && cu < 0.88 && cv > 0.1 && cv < 0.9;
      if (lit && seg && inCell) c = hash2(col, row, seed + 2) > 0.9 ? hex('#ff4a3a') : hex('#ffb23a');
      if (row % 2 === 0) c = addc(c, hex('#ff9a2a'), 0.05);
    }
    c = addc(c, hex('#ff9f43'), glow(Math.max(inBoard, 0), 0.05) * 0.3);
    // Reflection on a polished floor.
    if (v > 0.78) c = addc(c, hex('#ffb23a'), glow(u - 0.5, 0.35) * 0.12 * fbm(u * 50, v * 5, seed + 3));
    return c;
  };
}

// ---------------------------------------------------------------- the sets

interface Frame {
  readonly slug: string;
  readonly title: string;
  readonly prompt: string;
  readonly state: ArchiveState;
  readonly tags: readonly string[];
  readonly pad: readonly [number, number];
  readonly signature: Required<KeyframeSignature>;
  readonly shader: (seed: number) => Shader;
  readonly finish: Omit<Finish, 'seed'>;
}

interface SetSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  readonly frames: readonly Frame[];
}

const sig = (loudness: number, centroid: number, onsetRate: number, low: number, pitchConfidence: number): Required<KeyframeSignature> => ({ loudness, centroid, onsetRate, low, pitchConfidence });

export const SETS: readonly SetSpec[] = [
  {
    name: 'glass-dusk',
    title: 'Glass dusk',
    description: 'Dusk skies, light bent through glass, mist, faceless figures, a night road and breath on a window. Procedural pictures made for refraction.',
    seed: 0x61a55,
    frames: [
      {
        slug: 'glass-forest-dusk',
        title: 'Glass forest at dusk',
        prompt: 'A forest of tall glass shards floating on a dark glass island, seen against a violet-to-amber dusk sky; the sky shows through each shard displaced, bright rims, mist below.',
        state: 'anticipation',
        tags: ['dusk', 'glass', 'forest', 'mist', 'hero'],
        pad: [0.5, 0.5],
        signature: sig(0.45, 0.5, 0.3, 0.45, 0.55),
        shader: glassForest,
        finish: { vignette: 0.35, grain: 0.15 },
      },
      {
        slug: 'refracted-light',
        title: 'Light through window glass',
        prompt: 'Warm amber light on a wall broken into a bright caustic net, two diagonal beams split into soft rainbow colours, like sun through old window glass.',
        state: 'nostalgia',
        tags: ['caustics', 'light', 'warm', 'spectrum', 'bright'],
        pad: [0.85, 0.2],
        signature: sig(0.7, 0.8, 0.6, 0.3, 0.6),
        shader: refractedLight,
        finish: { vignette: 0.25, grain: 0.12 },
      },
      {
        slug: 'mist-field',
        title: 'Mist over an empty field',
        prompt: 'Pale grey-blue mist over a flat field, two rows of distant trees almost dissolved, a faint brighter patch where the sun should be; very low contrast.',
        state: 'nostalgia',
        tags: ['mist', 'quiet', 'pale', 'trees', 'empty'],
        pad: [0.15, 0.15],
        signature: sig(0.1, 0.25, 0.05, 0.3, 0.3),
        shader: mistField,
        finish: { vignette: 0.12, grain: 0.1 },
      },
      {
        slug: 'platform-figures',
        title: 'Faceless figures on a platform',
        prompt: 'A dim teal station platform under strip lights, seven faceless dark silhouettes standing apart at different distances, a wet floor reflecting the lights.',
        state: 'loneliness',
        tags: ['station', 'figures', 'silhouettes', 'public', 'teal'],
        pad: [0.2, 0.8],
        signature: sig(0.35, 0.4, 0.2, 0.6, 0.3),
        shader: platformFigures,
        finish: { vignette: 0.4, grain: 0.2 },
      },
      {
        slug: 'night-road',
        title: 'Night road, unreadable billboards',
        prompt: 'A straight night road to a magenta horizon, lane dashes, red tail-light and white head-light streaks, glowing neon billboards on both sides whose lettering is too soft to read.',
        state: 'anticipation',
        tags: ['road', 'night', 'neon', 'synthwave', 'billboards', 'busy'],
        pad: [0.85, 0.85],
        signature: sig(0.85, 0.7, 0.8, 0.75, 0.45),
        shader: nightRoad,
        finish: { vignette: 0.3, grain: 0.12 },
      },
      {
        slug: 'breath-window',
        title: 'Breath fog on a night window',
        prompt: 'A night window over out-of-focus city lights; in the middle a warm oval of breath fog softens the lights, small water drops along its edge.',
        state: 'intimacy',
        tags: ['window', 'breath', 'bokeh', 'night', 'warm', 'close'],
        pad: [0.5, 0.9],
        signature: sig(0.15, 0.3, 0.1, 0.2, 0.65),
        shader: breathWindow,
        finish: { vignette: 0.3, grain: 0.15 },
      },
      {
        slug: 'wind-on-glass',
        title: 'Wind against the window, a train below',
        prompt: 'Cold blue horizontal streaks like wind smeared across glass, and low in the frame a dark subway train passing with a smeared band of lit windows.',
        state: 'loneliness',
        tags: ['wind', 'window', 'train', 'rumble', 'blue', 'motion'],
        pad: [0.15, 0.5],
        signature: sig(0.55, 0.45, 0.4, 0.85, 0.2),
        shader: windOnGlass,
        finish: { vignette: 0.3, grain: 0.2 },
      },
    ],
  },
  {
    name: 'archive-haze',
    title: 'Archive haze',
    description: 'Faded film-like memories: washed-out summers, light leaks, dim public halls, a sea on an old print, a television left on. Procedural pictures with grain.',
    seed: 0xa4c41e,
    frames: [
      {
        slug: 'faded-summer',
        title: 'Faded summer afternoon',
        prompt: 'A washed-out summer field under a blown-out sun, cross-processed colours with cyan shadows, a soft brown blur at the left like a person half remembered, film grain.',
        state: 'nostalgia',
        tags: ['summer', 'film', 'faded', 'sun', 'grain'],
        pad: [0.3, 0.2],
        signature: sig(0.3, 0.5, 0.2, 0.3, 0.7),
        shader: fadedSummer,
        finish: { vignette: 0.3, grain: 0.45, fade: 0.35 },
      },
      {
        slug: 'light-leak',
        title: 'Light leak over black',
        prompt: 'Almost black film frame with a red-orange-to-white light leak burning in from the left, a pink flare in the corner and burnt sprocket holes at the right edge.',
        state: 'anticipation',
        tags: ['light leak', 'film', 'burn', 'red', 'bright'],
        pad: [0.85, 0.3],
        signature: sig(0.75, 0.75, 0.6, 0.4, 0.35),
        shader: lightLeak,
        finish: { vignette: 0.2, grain: 0.5, fade: 0.15 },
      },
      {
        slug: 'waiting-hall',
        title: 'Dim public hall',
        prompt: 'A long empty public hall in one-point perspective, dim green-grey walls with arched windows, a tiled floor, ceiling lights, one lit doorway at the far end.',
        state: 'loneliness',
        tags: ['hall', 'public', 'empty', 'perspective', 'fluorescent'],
        pad: [0.15, 0.75],
        signature: sig(0.25, 0.35, 0.15, 0.5, 0.3),
        shader: waitingHall,
        finish: { vignette: 0.45, grain: 0.4, fade: 0.2 },
      },
      {
        slug: 'forgotten-sea',
        title: 'A sea no one remembers',
        prompt: 'An old print of a pale sea under an overexposed sky, glints on the water, a cream paper border, yellowed and grainy.',
        state: 'nostalgia',
        tags: ['sea', 'print', 'faded', 'horizon', 'quiet'],
        pad: [0.5, 0.5],
        signature: sig(0.2, 0.35, 0.1, 0.35, 0.5),
        shader: forgottenSea,
        finish: { vignette: 0.2, grain: 0.35, fade: 0.3 },
      },
      {
        slug: 'two-shadows',
        title: 'Two shadows, not touching',
        prompt: 'A warm ochre wall in late light through a window, the shadows of two heads and shoulders leaning towards each other with a gap between them.',
        state: 'intimacy',
        tags: ['shadows', 'wall', 'warm', 'two', 'close'],
        pad: [0.5, 0.9],
        signature: sig(0.15, 0.3, 0.1, 0.25, 0.8),
        shader: twoShadows,
        finish: { vignette: 0.35, grain: 0.35, fade: 0.2 },
      },
      {
        slug: 'empty-tv',
        title: 'Television snow in an empty room',
        prompt: 'A dark room lit only by a television showing blue-white static with scanlines, its glow on the floor, the dark edge of an empty chair.',
        state: 'loneliness',
        tags: ['television', 'static', 'noise', 'room', 'blue', 'busy'],
        pad: [0.85, 0.7],
        signature: sig(0.6, 0.9, 0.7, 0.3, 0.1),
        shader: emptyTv,
        finish: { vignette: 0.35, grain: 0.3, fade: 0.1 },
      },
      {
        slug: 'departure-board',
        title: 'Departure board, every line delayed',
        prompt: 'A black station departure board of amber dot-matrix cells forming unreadable blocky glyphs, a few cells red, its glow reflected on a polished floor.',
        state: 'anticipation',
        tags: ['station', 'board', 'amber', 'glyphs', 'waiting'],
        pad: [0.7, 0.1],
        signature: sig(0.5, 0.6, 0.55, 0.35, 0.4),
        shader: departureBoard,
        finish: { vignette: 0.3, grain: 0.3, fade: 0.1 },
      },
    ],
  },
];

/** Render and write every shipped set under `outDir`, replacing old copies. */
export async function makeSets(outDir: string, log: (s: string) => void = console.log): Promise<void> {
  for (const set of SETS) {
    const writer = KeyframeSetWriter.create(resolve(outDir, set.name), [SIZE, SIZE], { quality: QUALITY, force: true });
    try {
      for (const [i, f] of set.frames.entries()) {
        const seed = set.seed + i * 7919;
        const raster = render(f.shader(seed), { ...f.finish, seed });
        await writer.add({ slug: f.slug, title: f.title, prompt: f.prompt, generator: GENERATOR, state: f.state, tags: f.tags, pad: f.pad, signature: f.signature }, raster);
      }
      const { manifest, bytesOnDisk } = await writer.commit({ name: set.name, title: set.title, description: set.description, generator: GENERATOR });
      const n = manifest.keyframes.length;
      log(`${set.name}: ${n} keyframes at ${SIZE}x${SIZE}, ${formatBytes(bytesOnDisk)} on disk, GPU memory ${formatBytes(bytesForSet(n, SIZE, SIZE, false))} (the engine loads sets without mipmaps)`);
    } catch (e) {
      writer.discard();
      throw e;
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  makeSets(at >= 0 && args[at + 1] ? args[at + 1] : 'presets').catch((e: unknown) => {
    console.error(`keyframe-sets: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
