import { describe, expect, it } from 'vitest';
import { applyHomography, defaultMappingSettings, squareToQuadHomography, validateMappingSettings } from '../../engine/mapping/index.ts';
import { SOFT_EDGE_CURVE_RANGE, SOFT_EDGE_GAMMA_RANGE, SOFT_EDGE_MAX_WIDTH, softEdgeValue } from '../../engine/mapping/index.ts';
import {
  closeMask,
  cycle,
  cycleFit,
  deleteMaskPoint,
  EDGE_CURVE_STEP,
  edgeKey,
  edgeReadout,
  hitTest,
  isEdgeKey,
  letterbox,
  maskClick,
  nudgeStep,
  pinnedMeshPoints,
  setCorner,
  toNormalised,
  toWindow,
  unpin,
} from './mapping-edit.ts';

describe('letterbox and coordinates', () => {
  it('fits a 16:9 output into a 4:3 window with bars top and bottom', () => {
    const r = letterbox(800, 600, 1920, 1080);
    expect(r.width).toBeCloseTo(800);
    expect(r.height).toBeCloseTo(450);
    expect(r.top).toBeCloseTo(75);
    expect(r.left).toBeCloseTo(0);
  });
  it('fits a 4:3 output into a 16:9 window with bars left and right', () => {
    const r = letterbox(1600, 900, 1024, 768);
    expect(r.height).toBeCloseTo(900);
    expect(r.width).toBeCloseTo(1200);
    expect(r.left).toBeCloseTo(200);
  });
  it('maps window pixels to normalised y-up coordinates and back', () => {
    const r = letterbox(800, 600, 1920, 1080);
    const p = toNormalised(r, 200, 75 + 450 * 0.25);
    expect(p.x).toBeCloseTo(0.25);
    expect(p.y).toBeCloseTo(0.75);
    const w = toWindow(r, p);
    expect(w.px).toBeCloseTo(200);
    expect(w.py).toBeCloseTo(75 + 112.5);
  });
});

describe('hit testing', () => {
  const r = letterbox(1000, 500, 1000, 500);
  const pts = [
    { x: 0, y: 0 },
    { x: 1, y: 0 },
    { x: 1, y: 1 },
    { x: 0, y: 1 },
  ];
  it('finds the corner under the pointer within the radius, in pixels', () => {
    expect(hitTest(pts, r, 5, 495, 10)).toBe(0); // bottom-left is at window (0, 500)
    expect(hitTest(pts, r, 995, 3, 10)).toBe(2);
    expect(hitTest(pts, r, 500, 250, 10)).toBe(-1);
    expect(hitTest(pts, r, 15, 500, 10)).toBe(-1);
  });
  it('prefers the nearest of two handles in range', () => {
    const close = [
      { x: 0.5, y: 0.5 },
      { x: 0.51, y: 0.5 },
    ];
    expect(hitTest(close, r, 509, 250, 20)).toBe(1);
    expect(hitTest(close, r, 501, 250, 20)).toBe(0);
  });
});

describe('corner edits', () => {
  it('nudges by one output pixel, ten with Shift, y up', () => {
    expect(nudgeStep('ArrowRight', false, 1920, 1080)).toEqual({ x: 1 / 1920, y: 0 });
    expect(nudgeStep('ArrowUp', true, 1920, 1080)).toEqual({ x: 0, y: 10 / 1080 });
    expect(nudgeStep('ArrowDown', false, 1920, 1080)).toEqual({ x: 0, y: -1 / 1080 });
    expect(nudgeStep('a', false, 1920, 1080)).toBeNull();
  });
  it('moves a corner and the result validates cleanly', () => {
    const s = defaultMappingSettings();
    expect(setCorner(s, 2, { x: 0.9, y: 0.8 })).toBe(true);
    expect(s.cornerPin.corners[2]).toEqual({ x: 0.9, y: 0.8 });
    expect(validateMappingSettings(s).problems).toEqual([]);
  });
  it('refuses a move that would fold the quad (bow-tie) and changes nothing', () => {
    const s = defaultMappingSettings();
    const before = JSON.stringify(s);
    expect(setCorner(s, 0, { x: 1.5, y: 1.5 })).toBe(false);
    expect(JSON.stringify(s)).toBe(before);
  });
  it('Tab cycles through handles both ways', () => {
    expect(cycle(3, 4, false)).toBe(0);
    expect(cycle(0, 4, true)).toBe(3);
    expect(cycle(-1, 4, false)).toBe(0);
    expect(cycle(0, 0, false)).toBe(-1);
  });
});

describe('mesh handles under a corner pin', () => {
  it('shows mesh points where the pin puts them and maps a drag back', () => {
    const s = defaultMappingSettings();
    s.cornerPin.corners = [
      { x: 0.1, y: 0.05 },
      { x: 0.95, y: 0.1 },
      { x: 0.85, y: 0.9 },
      { x: 0.05, y: 0.95 },
    ];
    const h = squareToQuadHomography([0.1, 0.05, 0.95, 0.1, 0.85, 0.9, 0.05, 0.95]);
    const pinned = pinnedMeshPoints(s);
    const out = [0, 0];
    applyHomography(h, s.mesh.points[12].x, s.mesh.points[12].y, out);
    expect(pinned[12].x).toBeCloseTo(out[0], 12);
    expect(pinned[12].y).toBeCloseTo(out[1], 12);
    const back = unpin(s, pinned[7]);
    expect(back.x).toBeCloseTo(s.mesh.points[7].x, 9);
    expect(back.y).toBeCloseTo(s.mesh.points[7].y, 9);
  });
});

describe('mask drawing', () => {
  const r = letterbox(100, 100, 100, 100);
  it('adds points by click and closes on the first point', () => {
    const s = defaultMappingSettings();
    const d = { points: [] as { x: number; y: number }[] };
    expect(maskClick(s, d, r, 10, 90, 16)).toBe('added');
    expect(maskClick(s, d, r, 90, 90, 16)).toBe('added');
    expect(maskClick(s, d, r, 50, 10, 16)).toBe('added');
    expect(maskClick(s, d, r, 12, 88, 16)).toBe('closed');
    expect(s.masks).toHaveLength(1);
    expect(s.masks[0].points[0].x).toBeCloseTo(0.1);
    expect(s.masks[0].points[0].y).toBeCloseTo(0.1);
    expect(d.points).toHaveLength(0);
    expect(validateMappingSettings(s).problems).toEqual([]);
  });
  it('does not close with fewer than 3 points, nor past the mask limit', () => {
    const s = defaultMappingSettings();
    const d = { points: [{ x: 0, y: 0 }, { x: 1, y: 0 }] };
    expect(closeMask(s, d, 16)).toBe(false);
    d.points.push({ x: 1, y: 1 });
    expect(closeMask(s, d, 0)).toBe(false);
    expect(closeMask(s, d, 1)).toBe(true);
  });
  it('deletes a point, and the whole mask when it would drop below 3', () => {
    const s = defaultMappingSettings();
    s.masks.push({ name: 'm', enabled: true, inverted: false, feather: 0, points: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }] });
    expect(deleteMaskPoint(s, 0, 1)).toBe('point');
    expect(s.masks[0].points).toHaveLength(3);
    expect(deleteMaskPoint(s, 0, 0)).toBe('mask');
    expect(s.masks).toHaveLength(0);
    expect(deleteMaskPoint(s, 0, 0)).toBe('none');
  });
});

describe('soft edges from the keyboard (blend edges target)', () => {
  it('[ and ] change only the selected side\'s curve exponent, Shift or { } ten times as much; the readout shows it', () => {
    const s = defaultMappingSettings();
    s.softEdge.enabled = true;
    s.softEdge.right.width = 0.2;
    const before = JSON.parse(JSON.stringify(s.softEdge));
    expect(edgeKey(s, 'right', ']', false)).toBe(true);
    expect(s.softEdge.right.curve).toBeCloseTo(2 + EDGE_CURVE_STEP, 12);
    expect(edgeKey(s, 'right', ']', true)).toBe(true);
    expect(s.softEdge.right.curve).toBeCloseTo(3.1, 12);
    expect(edgeKey(s, 'right', '{', false)).toBe(true);
    expect(s.softEdge.right.curve).toBeCloseTo(2.1, 12);
    expect(edgeKey(s, 'right', '[', false)).toBe(true);
    expect(s.softEdge.right.curve).toBe(2);
    expect(edgeKey(s, 'right', '}', false)).toBe(true);
    expect(s.softEdge.right.curve).toBe(3);
    // The other sides, and the selected side's width and gamma, are untouched.
    expect(s.softEdge.left).toEqual(before.left);
    expect(s.softEdge.top).toEqual(before.top);
    expect(s.softEdge.right.width).toBe(0.2);
    expect(s.softEdge.right.gamma).toBe(2.2);
    expect(edgeReadout(s, 'right')).toBe('right: width 0.200 curve 3.00 gamma 2.20');
    // The blend itself follows: a steeper curve darkens the outer half of the zone more.
    const x = 1 - 0.2 * 0.25;
    const k3 = softEdgeValue(s.softEdge, x, 0.5);
    s.softEdge.right.curve = 2;
    expect(k3).toBeLessThan(softEdgeValue(s.softEdge, x, 0.5));
    expect(validateMappingSettings(s).problems).toEqual([]);
  });
  it('the curve exponent and gamma stop at their ranges, width too', () => {
    const s = defaultMappingSettings();
    for (let i = 0; i < 20; i++) edgeKey(s, 'top', '}', false);
    expect(s.softEdge.top.curve).toBe(SOFT_EDGE_CURVE_RANGE[1]);
    for (let i = 0; i < 20; i++) edgeKey(s, 'top', '{', false);
    expect(s.softEdge.top.curve).toBe(SOFT_EDGE_CURVE_RANGE[0]);
    for (let i = 0; i < 20; i++) edgeKey(s, 'top', 'ArrowUp', true);
    expect(s.softEdge.top.gamma).toBe(SOFT_EDGE_GAMMA_RANGE[1]);
    for (let i = 0; i < 200; i++) edgeKey(s, 'top', 'ArrowRight', true);
    expect(s.softEdge.top.width).toBe(SOFT_EDGE_MAX_WIDTH);
    expect(validateMappingSettings(s).problems).toEqual([]);
  });
  it('arrows: ←/→ width (turning soft edges on), ↑/↓ gamma; ten presses up and down land where they started', () => {
    const s = defaultMappingSettings();
    expect(edgeKey(s, 'left', 'ArrowRight', false)).toBe(true);
    expect(s.softEdge.enabled).toBe(true);
    expect(s.softEdge.left.width).toBeCloseTo(0.005, 12);
    for (let i = 0; i < 10; i++) edgeKey(s, 'left', 'ArrowDown', false);
    expect(s.softEdge.left.gamma).toBeCloseTo(1.7, 12);
    for (let i = 0; i < 10; i++) edgeKey(s, 'left', 'ArrowUp', false);
    expect(s.softEdge.left.gamma).toBe(2.2);
    for (let i = 0; i < 7; i++) edgeKey(s, 'left', ']', false);
    for (let i = 0; i < 7; i++) edgeKey(s, 'left', '[', false);
    expect(s.softEdge.left.curve).toBe(2);
  });
  it('other keys are not soft-edge keys and change nothing', () => {
    const s = defaultMappingSettings();
    const before = JSON.stringify(s);
    for (const k of ['a', 'Tab', 'r', '+', 'Enter']) {
      expect(isEdgeKey(k)).toBe(false);
      expect(edgeKey(s, 'left', k, false)).toBe(false);
    }
    expect(JSON.stringify(s)).toBe(before);
    for (const k of ['[', ']', '{', '}', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) expect(isEdgeKey(k)).toBe(true);
  });
});

describe('fit mode from the keyboard', () => {
  it('A steps cover → contain → stretch → cover', () => {
    const s = defaultMappingSettings();
    expect(s.fit).toBe('cover');
    cycleFit(s);
    expect(s.fit).toBe('contain');
    cycleFit(s);
    expect(s.fit).toBe('stretch');
    cycleFit(s);
    expect(s.fit).toBe('cover');
  });
});
