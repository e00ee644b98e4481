/**
 * The control view's Outputs panel: open projector windows, choose their resolution and screen,
 * and set the parts of the mapping that are numbers rather than handles (the handles are edited
 * on the output itself: press E there).
 */
import { useState } from 'react';
import { FIT_MODES, MESH_MAX, MESH_MIN, meshFromSettings, meshToSettings, resizeMesh, SOFT_EDGE_CURVE_RANGE, SOFT_EDGE_GAMMA_RANGE, SOFT_EDGE_MAX_WIDTH, TEST_PATTERNS, type FitMode, type TestPattern } from '../../engine/mapping/index.ts';
import { report } from '../../engine/messages.ts';
import type { EngineHost } from '../engine-host.ts';
import { useShortcuts } from '../shortcuts.ts';
import { useStore } from '../use-store.ts';
import { EDGE_SIDES } from './mapping-edit.ts';
import { getOutputManager, type OutputView } from './output-manager.ts';

const RESOLUTIONS: readonly [number, number][] = [
  [1920, 1080],
  [1280, 720],
  [1024, 768],
  [3840, 2160],
];

interface ScreenInfo {
  label: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

type ScreenDetailsLike = { screens: { label?: string; availLeft?: number; availTop?: number; availWidth: number; availHeight: number; left?: number; top?: number }[] };

/** Screens through the Window Management API (asks for permission); null with a reason when unavailable. */
async function detectScreens(): Promise<ScreenInfo[] | string> {
  const gsd = (window as unknown as { getScreenDetails?: () => Promise<ScreenDetailsLike> }).getScreenDetails;
  if (!gsd) return 'This browser has no Window Management API: outputs open where the browser puts them; drag each to its projector and press F (or double-click) in it for fullscreen.';
  try {
    const d = await gsd.call(window);
    return d.screens.map((s, i) => ({ label: s.label || `Screen ${i + 1}`, left: s.availLeft ?? s.left ?? 0, top: s.availTop ?? s.top ?? 0, width: s.availWidth, height: s.availHeight }));
  } catch {
    return 'Screen placement was refused (Window Management permission): outputs open where the browser puts them; drag each to its projector and press F (or double-click) in it for fullscreen.';
  }
}

function OutputRow({ o, screens }: { o: OutputView; screens: ScreenInfo[] }) {
  const m = getOutputManager();
  const s = o.settings;
  const res = `${s.output.width}x${s.output.height}`;
  const preset = RESOLUTIONS.some(([w, h]) => `${w}x${h}` === res);
  const open = (): void => {
    const sc = screens.find((x) => x.label === o.screen);
    m.open(o.id, sc ? { left: sc.left, top: sc.top, width: sc.width, height: sc.height } : undefined);
  };
  const num = (v: string, lo: number, hi: number): number | null => {
    const n = Number(v);
    return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : null;
  };
  return (
    <li className="output-row" data-testid={`output-${o.id}`} data-state={o.state}>
      <div className="output-row-head">
        <input aria-label="Output name" value={o.name} onChange={(e) => m.rename(o.id, e.target.value)} />
        <span className={`output-state output-state-${o.state}`}>{o.state}</span>
        {o.state === 'open' || o.state === 'opening' || o.state === 'lost' ? (
          <button onClick={() => m.close(o.id)}>Close</button>
        ) : (
          <button onClick={open}>Open</button>
        )}
        <button title="Remove this output and its settings" onClick={() => m.remove(o.id)}>
          ✕
        </button>
      </div>
      <div className="output-row-fields">
        <label>
          Resolution{' '}
          <select
            aria-label="Resolution"
            value={preset ? res : 'custom'}
            onChange={(e) => {
              if (e.target.value === 'custom') return;
              const [w, h] = e.target.value.split('x').map(Number);
              m.update(o.id, (x) => void (x.output = { width: w, height: h }));
            }}
          >
            {RESOLUTIONS.map(([w, h]) => (
              <option key={`${w}x${h}`} value={`${w}x${h}`}>
                {w}×{h}
              </option>
            ))}
            <option value="custom">custom</option>
          </select>
        </label>
        <input aria-label="Width" type="number" min={1} max={16384} value={s.output.width} onChange={(e) => { const w = num(e.target.value, 1, 16384); if (w) m.update(o.id, (x) => void (x.output.width = Math.round(w))); }} />
        ×
        <input aria-label="Height" type="number" min={1} max={16384} value={s.output.height} onChange={(e) => { const h = num(e.target.value, 1, 16384); if (h) m.update(o.id, (x) => void (x.output.height = Math.round(h))); }} />
        <label title="How the engine's picture fits this output when their aspect ratios differ">
          Fit{' '}
          <select aria-label="Fit" value={s.fit} onChange={(e) => m.update(o.id, (x) => void (x.fit = e.target.value as FitMode))}>
            {FIT_MODES.map((f) => (
              <option key={f} value={f}>
                {f === 'cover' ? 'cover (fill, crop)' : f === 'contain' ? 'contain (black bars)' : 'stretch'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Screen{' '}
          <select aria-label="Screen" value={o.screen} onChange={(e) => m.setScreen(o.id, e.target.value)}>
            <option value="">where the browser puts it</option>
            {screens.map((sc) => (
              <option key={sc.label} value={sc.label}>
                {sc.label} ({sc.width}×{sc.height})
              </option>
            ))}
            {o.screen && !screens.some((sc) => sc.label === o.screen) && <option value={o.screen}>{o.screen} (not detected)</option>}
          </select>
        </label>
      </div>
      <div className="output-row-fields">
        <label>
          <input type="checkbox" checked={s.enabled} onChange={(e) => m.update(o.id, (x) => void (x.enabled = e.target.checked))} /> mapping
        </label>
        <label>
          Test pattern{' '}
          <select
            aria-label="Test pattern"
            value={s.testPattern.enabled ? s.testPattern.pattern : ''}
            onChange={(e) =>
              m.update(o.id, (x) => {
                x.testPattern.enabled = e.target.value !== '';
                if (e.target.value) x.testPattern.pattern = e.target.value as TestPattern;
              })
            }
          >
            <option value="">off</option>
            {TEST_PATTERNS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Mesh{' '}
          <select
            aria-label="Mesh size"
            value={s.mesh.cols}
            onChange={(e) => {
              const n = Number(e.target.value);
              m.update(o.id, (x) => void (x.mesh = meshToSettings(resizeMesh(meshFromSettings(x.mesh), n, n), x.mesh.enabled)));
            }}
          >
            {Array.from({ length: Math.min(8, MESH_MAX) - Math.max(2, MESH_MIN) + 1 }, (_, i) => i + Math.max(2, MESH_MIN)).map((n) => (
              <option key={n} value={n}>
                {n}×{n}
              </option>
            ))}
          </select>
        </label>
        <span>{s.masks.length} masks</span>
        {s.masks.length > 0 && <button onClick={() => m.update(o.id, (x) => void (x.masks = []))}>Clear masks</button>}
      </div>
      <div className="output-row-fields">
        <label>
          <input type="checkbox" checked={s.softEdge.enabled} onChange={(e) => m.update(o.id, (x) => void (x.softEdge.enabled = e.target.checked))} /> soft edges
        </label>
        {EDGE_SIDES.map((side) => (
          <label key={side}>
            {side}{' '}
            <input aria-label={`Blend ${side}`} type="number" step={0.01} min={0} max={SOFT_EDGE_MAX_WIDTH} value={s.softEdge[side].width} onChange={(e) => { const w = num(e.target.value, 0, SOFT_EDGE_MAX_WIDTH); if (w !== null) m.update(o.id, (x) => void (x.softEdge[side].width = w)); }} />
          </label>
        ))}
        <label>
          gamma{' '}
          <input
            aria-label="Blend gamma"
            type="number"
            step={0.1}
            min={SOFT_EDGE_GAMMA_RANGE[0]}
            max={SOFT_EDGE_GAMMA_RANGE[1]}
            value={s.softEdge.left.gamma}
            onChange={(e) => {
              const g = num(e.target.value, SOFT_EDGE_GAMMA_RANGE[0], SOFT_EDGE_GAMMA_RANGE[1]);
              if (g !== null) m.update(o.id, (x) => { for (const side of EDGE_SIDES) x.softEdge[side].gamma = g; });
            }}
          />
        </label>
        <label title="Blend curve exponent (1 linear; larger flattens both ends of the ramp)">
          curve{' '}
          <input
            aria-label="Blend curve"
            type="number"
            step={0.1}
            min={SOFT_EDGE_CURVE_RANGE[0]}
            max={SOFT_EDGE_CURVE_RANGE[1]}
            value={s.softEdge.left.curve}
            onChange={(e) => {
              const c = num(e.target.value, SOFT_EDGE_CURVE_RANGE[0], SOFT_EDGE_CURVE_RANGE[1]);
              if (c !== null) m.update(o.id, (x) => { for (const side of EDGE_SIDES) x.softEdge[side].curve = c; });
            }}
          />
        </label>
      </div>
    </li>
  );
}

export function OutputsPanel({ host: _host }: { host: EngineHost }) {
  const m = getOutputManager();
  const outputs = useStore(m.subscribe, m.list);
  const handover = useStore(m.subscribe, m.handoverLine);
  const [screens, setScreens] = useState<ScreenInfo[]>([]);
  const [note, setNote] = useState('');
  useShortcuts(
    () => [
      {
        keys: ['o'],
        label: 'open a new output window',
        group: 'Outputs',
        run: () => void m.open(),
      },
    ],
    [m],
  );
  return (
    <section className="panel outputs-panel" data-testid="outputs-panel">
      <h2>Outputs</h2>
      <div className="output-row-fields">
        <button data-testid="open-output" onClick={() => m.open()}>
          Open output
        </button>
        <button
          onClick={async () => {
            const r = await detectScreens();
            if (typeof r === 'string') {
              setNote(r);
              report('warning', r);
            } else {
              setScreens(r);
              setNote(`${r.length} screens found.`);
            }
          }}
        >
          Find screens
        </button>
      </div>
      {note && <p className="hint">{note}</p>}
      {handover && (
        <p className="hint" data-testid="output-handover" role="status">
          Frames {handover}. The outputs keep playing; the frame stats count the driven frames.
        </p>
      )}
      <ul className="output-list">
        {outputs.map((o) => (
          <OutputRow key={o.id} o={o} screens={screens} />
        ))}
      </ul>
      {outputs.length > 0 && <p className="hint">On an output: E edits the mapping (A there steps the fit mode), F goes fullscreen, P shows test patterns.</p>}
    </section>
  );
}
