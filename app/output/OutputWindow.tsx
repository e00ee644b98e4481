/**
 * A projector output window (`?output=<id>`): a canvas at the output's resolution, scaled to the
 * window (letterboxed), fed by the control view that opened it (see output-manager.ts), and the
 * live mapping editor. It runs no engine of its own.
 *
 * Keys (on the output): E edit overlay on/off; F or double-click fullscreen (on the chosen screen
 * where the Window Management API allows); P next test pattern. While editing: C corners, W mesh
 * warp, K masks, B blend edges; A fit mode (cover, contain, stretch); Tab / Shift+Tab next handle
 * (next side in blend edges); arrows nudge 1 px (Shift 10 px); + / - mesh size; R reset the
 * current part; in blend edges ←/→ width, ↑/↓ gamma, [ / ] curve exponent of the selected side
 * (Shift ten times as much); in masks, click adds a point, a click on the first point or Enter
 * closes the polygon, Delete removes the selected point, Escape drops the draft, I inverts.
 *
 * The window's own animation frames also keep the engine running while the control view's
 * window is hidden (handover.ts).
 */
import { useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { createMesh, MAX_MASKS, MESH_MAX, MESH_MIN, meshFromSettings, meshToSettings, resizeMesh, TEST_PATTERNS, type MappingSettings } from '../../engine/mapping/index.ts';
import {
  closeMask,
  cycle,
  cycleFit,
  deleteMaskPoint,
  EDGE_SIDES,
  edgeKey,
  edgeReadout,
  isEdgeKey,
  hitMaskPoint,
  hitTest,
  letterbox,
  maskClick,
  nudgeStep,
  pinnedMeshPoints,
  setCorner,
  setMeshPointAt,
  toNormalised,
  toWindow,
  unpin,
  type ContentRect,
  type EditTarget,
  type MaskDraft,
} from './mapping-edit.ts';
import type { OutputLink, OutputManager } from './output-manager.ts';

/** The output id in the page's query, or null for the control view. */
export function outputWindowId(search: string): string | null {
  const id = new URLSearchParams(search).get('output');
  return id && /^[a-z0-9-]{1,32}$/.test(id) ? id : null;
}

const HANDLE_PX = 12;
/** Mesh sizes the editor steps through with + and - (the brief's 3×3 to 8×8, within engine limits). */
const MESH_STEP_MIN = Math.max(3, MESH_MIN);
const MESH_STEP_MAX = Math.min(8, MESH_MAX);

interface ScreenLike {
  label?: string;
}
type ScreenDetailsLike = { screens: ScreenLike[] };

/** Fullscreen on the chosen screen where the Window Management API allows, else where the window is. */
async function goFullscreen(label: string, say: (t: string) => void): Promise<void> {
  const el = document.documentElement;
  const gsd = (window as unknown as { getScreenDetails?: () => Promise<ScreenDetailsLike> }).getScreenDetails;
  if (label && gsd) {
    try {
      const details = await gsd.call(window);
      const screen = details.screens.find((s) => s.label === label);
      if (screen) {
        await el.requestFullscreen({ screen } as FullscreenOptions);
        return;
      }
      say(`Screen "${label}" is not connected; fullscreen on this screen instead.`);
    } catch {
      say('Screen placement was refused (Window Management permission); fullscreen on this screen instead.');
    }
  } else if (label) {
    say('This browser cannot choose a screen (no Window Management API): drag this window to the projector, then press F.');
  }
  try {
    await el.requestFullscreen();
  } catch {
    say('Fullscreen needs a key press or double-click in this window.');
  }
}

function OutputWindow({ id }: { id: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const helpRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const overlay = overlayRef.current!;
    const status = statusRef.current!;
    const help = helpRef.current!;
    let link: OutputLink | null = null;
    let manager: OutputManager | null = null;
    let settings: MappingSettings | null = null;
    let unsubscribe: (() => void) | null = null;
    let editing = false;
    let target: EditTarget = 'corners';
    let selected = 0;
    let edgeSel = 0;
    let dragging = -1;
    let maskSel: [number, number] | null = null;
    const draft: MaskDraft = { points: [] };
    let sayTimer = 0;

    const say = (t: string, ms = 4000): void => {
      status.textContent = t;
      status.hidden = t === '';
      window.clearTimeout(sayTimer);
      if (t && ms > 0) sayTimer = window.setTimeout(() => (status.hidden = true), ms);
    };

    const rect = (): ContentRect => (settings ? letterbox(window.innerWidth, window.innerHeight, settings.output.width, settings.output.height) : letterbox(0, 0, 0, 0));

    const draw = (): void => {
      overlay.hidden = !editing;
      help.hidden = !editing;
      document.body.style.cursor = editing ? 'crosshair' : 'none';
      if (!editing || !settings) return;
      const dpr = window.devicePixelRatio || 1;
      const W = window.innerWidth;
      const H = window.innerHeight;
      if (overlay.width !== Math.round(W * dpr) || overlay.height !== Math.round(H * dpr)) {
        overlay.width = Math.round(W * dpr);
        overlay.height = Math.round(H * dpr);
      }
      const g = overlay.getContext('2d')!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, W, H);
      const r = rect();
      const s = settings;
      g.lineWidth = 1.5;
      const handle = (p: { x: number; y: number }, on: boolean, colour: string): void => {
        const w = toWindow(r, p);
        g.strokeStyle = colour;
        g.fillStyle = on ? colour : 'rgba(0,0,0,0.5)';
        g.beginPath();
        g.arc(w.px, w.py, on ? 7 : 5, 0, Math.PI * 2);
        g.fill();
        g.stroke();
      };
      const poly = (pts: readonly { x: number; y: number }[], closed: boolean, colour: string): void => {
        if (pts.length === 0) return;
        g.strokeStyle = colour;
        g.beginPath();
        pts.forEach((p, i) => {
          const w = toWindow(r, p);
          if (i === 0) g.moveTo(w.px, w.py);
          else g.lineTo(w.px, w.py);
        });
        if (closed) g.closePath();
        g.stroke();
      };
      // The pinned quad is always outlined for orientation.
      poly(s.cornerPin.corners, true, target === 'corners' ? '#ffd166' : 'rgba(255,209,102,0.4)');
      if (target === 'corners') s.cornerPin.corners.forEach((p, i) => handle(p, i === selected, '#ffd166'));
      if (target === 'mesh') {
        const { cols, rows } = s.mesh;
        const points = pinnedMeshPoints(s);
        for (let rr = 0; rr < rows; rr++) poly(points.slice(rr * cols, rr * cols + cols), false, 'rgba(120,220,255,0.7)');
        for (let c = 0; c < cols; c++) poly(Array.from({ length: rows }, (_, rr) => points[rr * cols + c]), false, 'rgba(120,220,255,0.7)');
        points.forEach((p, i) => handle(p, i === selected, '#78dcff'));
      }
      if (target === 'masks') {
        s.masks.forEach((m, mi) => {
          poly(m.points, true, m.enabled ? '#ff6b9a' : 'rgba(255,107,154,0.4)');
          m.points.forEach((p, pi) => handle(p, maskSel !== null && maskSel[0] === mi && maskSel[1] === pi, '#ff6b9a'));
        });
        poly(draft.points, false, '#ffffff');
        draft.points.forEach((p, i) => handle(p, i === 0, '#ffffff'));
      }
      if (target === 'edges') {
        const e = s.softEdge;
        const lines: [number, number, number, number][] = [
          [e.left.width, 0, e.left.width, 1],
          [1 - e.right.width, 0, 1 - e.right.width, 1],
          [0, e.bottom.width, 1, e.bottom.width],
          [0, 1 - e.top.width, 1, 1 - e.top.width],
        ];
        lines.forEach(([x0, y0, x1, y1], i) => poly([{ x: x0, y: y0 }, { x: x1, y: y1 }], false, i === edgeSel ? '#9bff8a' : 'rgba(155,255,138,0.4)'));
      }
      const side = EDGE_SIDES[edgeSel];
      help.textContent =
        `EDIT ${s.output.width}×${s.output.height} · fit ${s.fit} · ${target}` +
        (target === 'edges' ? ` · ${edgeReadout(s, side)} (←→ width, ↑↓ gamma, [ ] curve)` : '') +
        (target === 'mesh' ? ` · ${s.mesh.cols}×${s.mesh.rows} (+/- size)` : '') +
        (target === 'masks' ? ` · ${s.masks.length} masks${draft.points.length ? `, drawing ${draft.points.length} points (Enter closes)` : ''}` : '') +
        ` · test pattern: ${s.testPattern.enabled ? s.testPattern.pattern : 'off'}` +
        '  —  E done · C corners · W mesh · K masks · B edges · A fit · Tab next · arrows nudge · P pattern · R reset · F fullscreen';
    };

    const apply = (mutate: (s: MappingSettings) => void): void => {
      if (!link) return;
      const problems = link.update(mutate);
      if (problems.length > 0) say(`Corrected: ${problems[0]}`);
    };

    const setSettings = (s: MappingSettings): void => {
      settings = s;
      canvas.style.aspectRatio = `${s.output.width} / ${s.output.height}`;
      draw();
    };

    // ---------------------------------------------------------------- attaching
    const tryAttach = (): void => {
      let m: OutputManager | null = null;
      try {
        m = ((window.opener as { glassforestOutputs?: OutputManager } | null)?.glassforestOutputs ?? null) as OutputManager | null;
      } catch {
        m = null;
      }
      if (link && m === manager) return;
      if (!m) {
        if (link) link = null;
        manager = null;
        say('Waiting for the control view (the window that opened this output)…', 0);
        return;
      }
      // A new control view (it was reloaded): attach to it.
      unsubscribe?.();
      const r = m.attach(id, window, canvas);
      manager = m;
      if (typeof r === 'string') {
        link = null;
        say(r, 0);
        return;
      }
      link = r;
      unsubscribe = r.onChange(setSettings);
      setSettings(r.settings());
      say('');
      document.title = `Glassforest output ${id}`;
    };
    tryAttach();
    // Re-attach after the control view reloads; also notices a control view that went away.
    const poll = window.setInterval(tryAttach, 500);

    // ---------------------------------------------------------------- frame handover
    // This window's own animation frames keep coming while it is on the projector, even when the
    // control view's window is hidden and gets none: each one lets the control view's manager
    // drive an engine frame if its own loop has stopped (handover.ts). Allocates nothing.
    let raf = 0;
    const loop = (): void => {
      raf = requestAnimationFrame(loop);
      const l = link;
      if (l === null) return;
      try {
        l.tick();
      } catch {
        /* the control view is going away; the poll re-attaches to the next one */
      }
    };
    raf = requestAnimationFrame(loop);
    const onHide = (): void => {
      unsubscribe?.();
      link?.detach();
      link = null;
    };
    window.addEventListener('pagehide', onHide);

    // ---------------------------------------------------------------- keyboard
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      const s = settings;
      if (k === 'f' || k === 'F') {
        void goFullscreen(link?.screen() ?? '', say);
        return;
      }
      if (k === 'e' || k === 'E') {
        editing = !editing;
        draw();
        return;
      }
      if ((k === 'p' || k === 'P') && s) {
        apply((x) => {
          const i = x.testPattern.enabled ? TEST_PATTERNS.indexOf(x.testPattern.pattern) + 1 : 0;
          x.testPattern.enabled = i < TEST_PATTERNS.length;
          if (x.testPattern.enabled) x.testPattern.pattern = TEST_PATTERNS[i];
        });
        return;
      }
      if (!editing || !s) return;
      const lower = k.length === 1 ? k.toLowerCase() : k;
      if (lower === 'a') {
        apply(cycleFit);
        return;
      }
      if (target === 'edges' && isEdgeKey(k)) {
        e.preventDefault();
        const side = EDGE_SIDES[edgeSel];
        apply((x) => void edgeKey(x, side, k, e.shiftKey));
        return;
      }
      const pick: Record<string, EditTarget> = { c: 'corners', w: 'mesh', k: 'masks', b: 'edges' };
      if (pick[lower]) {
        target = pick[lower];
        selected = 0;
        draw();
        return;
      }
      if (k === 'Tab') {
        e.preventDefault();
        if (target === 'corners') selected = cycle(selected, 4, e.shiftKey);
        else if (target === 'mesh') selected = cycle(selected, s.mesh.points.length, e.shiftKey);
        else if (target === 'edges') edgeSel = cycle(edgeSel, 4, e.shiftKey);
        else if (target === 'masks' && s.masks.length > 0) {
          const m = maskSel ? maskSel[0] : 0;
          const n = s.masks[m]?.points.length ?? 0;
          maskSel = [m, cycle(maskSel ? maskSel[1] : -1, n, e.shiftKey)];
        }
        draw();
        return;
      }
      const step = nudgeStep(k, e.shiftKey, s.output.width, s.output.height);
      if (step) {
        e.preventDefault();
        if (target === 'corners') {
          apply((x) => {
            const c = x.cornerPin.corners[selected];
            if (!setCorner(x, selected, { x: c.x + step.x, y: c.y + step.y })) say('That move would fold the quad; refused.');
          });
        } else if (target === 'mesh') {
          apply((x) => {
            const p = x.mesh.points[selected];
            setMeshPointAt(x, selected, { x: p.x + step.x, y: p.y + step.y });
          });
        } else if (target === 'masks' && maskSel) {
          const [mi, pi] = maskSel;
          apply((x) => {
            const p = x.masks[mi]?.points[pi];
            if (p) x.masks[mi].points[pi] = { x: p.x + step.x, y: p.y + step.y };
          });
        }
        return;
      }
      if ((k === '+' || k === '=' || k === '-') && target === 'mesh') {
        const n = Math.min(MESH_STEP_MAX, Math.max(MESH_STEP_MIN, s.mesh.cols + (k === '-' ? -1 : 1)));
        apply((x) => {
          x.mesh = meshToSettings(resizeMesh(meshFromSettings(x.mesh), n, n), x.mesh.enabled);
        });
        selected = 0;
        return;
      }
      if ((k === 'r' || k === 'R') && target !== 'masks') {
        apply((x) => {
          if (target === 'corners') x.cornerPin.corners = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }];
          if (target === 'mesh') x.mesh = meshToSettings(createMesh(x.mesh.cols, x.mesh.rows), x.mesh.enabled);
          if (target === 'edges') for (const side of EDGE_SIDES) x.softEdge[side].width = 0;
        });
        return;
      }
      if (target === 'masks') {
        if (k === 'Enter') {
          apply((x) => {
            if (!closeMask(x, draft, MAX_MASKS)) say(draft.points.length < 3 ? 'A mask needs at least 3 points.' : `At most ${MAX_MASKS} masks.`);
          });
        } else if (k === 'Escape') {
          draft.points.length = 0;
        } else if (k === 'Delete' || k === 'Backspace') {
          if (draft.points.length > 0) draft.points.pop();
          else if (maskSel) {
            const [mi, pi] = maskSel;
            apply((x) => void deleteMaskPoint(x, mi, pi));
            maskSel = null;
          }
        } else if (k === 'i' || k === 'I') {
          if (maskSel) {
            const mi = maskSel[0];
            apply((x) => {
              if (x.masks[mi]) x.masks[mi].inverted = !x.masks[mi].inverted;
            });
          }
        }
        draw();
      }
    };
    window.addEventListener('keydown', onKey);

    // ---------------------------------------------------------------- mouse
    const onDown = (e: PointerEvent): void => {
      if (!editing || !settings || e.button !== 0) return;
      const r = rect();
      const s = settings;
      if (target === 'corners') {
        const i = hitTest(s.cornerPin.corners, r, e.clientX, e.clientY, HANDLE_PX);
        if (i >= 0) {
          selected = i;
          dragging = i;
        }
      } else if (target === 'mesh') {
        const i = hitTest(pinnedMeshPoints(s), r, e.clientX, e.clientY, HANDLE_PX);
        if (i >= 0) {
          selected = i;
          dragging = i;
        }
      } else if (target === 'masks') {
        const hit = draft.points.length === 0 ? hitMaskPoint(s, r, e.clientX, e.clientY, HANDLE_PX) : null;
        if (hit) {
          maskSel = hit;
          dragging = 1;
        } else {
          apply((x) => {
            if (maskClick(x, draft, r, e.clientX, e.clientY, MAX_MASKS) === 'full') say(`At most ${MAX_MASKS} masks.`);
          });
        }
      }
      draw();
    };
    const onMove = (e: PointerEvent): void => {
      if (dragging < 0 || !settings) return;
      const p = toNormalised(rect(), e.clientX, e.clientY);
      if (target === 'corners') apply((x) => void setCorner(x, dragging, p));
      else if (target === 'mesh') apply((x) => setMeshPointAt(x, dragging, unpin(x, p)));
      else if (target === 'masks' && maskSel) {
        const [mi, pi] = maskSel;
        apply((x) => {
          if (x.masks[mi]?.points[pi]) x.masks[mi].points[pi] = p;
        });
      }
    };
    const onUp = (): void => {
      dragging = -1;
    };
    const onDbl = (): void => {
      if (!editing) void goFullscreen(link?.screen() ?? '', say);
    };
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('dblclick', onDbl);
    window.addEventListener('resize', draw);
    return () => {
      window.clearInterval(poll);
      cancelAnimationFrame(raf);
      onHide();
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('dblclick', onDbl);
      window.removeEventListener('resize', draw);
    };
  }, [id]);

  return (
    <div className="output-window">
      <canvas ref={canvasRef} className="output-window-canvas" data-testid="output-window-canvas" />
      <canvas ref={overlayRef} className="output-window-overlay" data-testid="output-edit-overlay" hidden />
      <div ref={helpRef} className="output-window-help" hidden />
      <div ref={statusRef} className="output-window-status" role="status" hidden />
    </div>
  );
}

/** Renders the output window page into `root`. */
export function renderOutputWindow(root: HTMLElement, id: string): void {
  document.body.classList.add('output-window-body');
  createRoot(root).render(<OutputWindow id={id} />);
}
