import { useEffect, useMemo, useState } from 'react';
import { FEATURE_COLUMNS } from '../../engine/features/layout.ts';
import { report } from '../../engine/messages.ts';
import { parseSource, type RouteResult, type RouteSpec } from '../../engine/modulation/index.ts';
import type { EngineHost } from '../engine-host.ts';

/** Sources offered in the picker (any other id the matrix parses can come from presets or OSC). */
const SOURCE_CHOICES: readonly string[] = [...new Set([
  'onset',
  'onset.low',
  'onset.mid',
  'onset.high',
  'beat',
  'beatPhase',
  'barPhase',
  'chroma',
  'loudness:dbfs',
  'lfo:sine:1/4',
  'lfo:triangle:1bar',
  'lfo:saw:4bars',
  'lfo:sample-hold:1/8',
  // Mel and MFCC columns are many and fine-grained: presets can still name them.
  ...FEATURE_COLUMNS.filter((c) => !c.startsWith('mel.') && !c.startsWith('mfcc.')),
])].filter((id) => parseSource(id).ok);

function refused(what: string, r: RouteResult): void {
  if (!r.ok) report('warning', `${what}: ${r.problems.map((p) => p.message).join('; ')}`);
}

/**
 * The active scene's modulation routes: source → target, amount, on/off, delete, add, reset.
 * Every edit goes through the matrix (validated there) and is saved for the scene at once.
 */
export function ModulationPanel({ host }: { host: EngineHost }) {
  const matrix = host.tick.modulation;
  const [edits, setEdits] = useState(0);
  const [watch, setWatch] = useState('');
  useEffect(() => {
    // Scene switches and late parameters change the list from outside: poll them (never per frame).
    const id = setInterval(() => setWatch(`${host.sceneId}|${host.bank.version}|${matrix?.count ?? 0}`), 500);
    return () => clearInterval(id);
  }, [host, matrix]);
  const routes = useMemo(() => matrix?.status() ?? [], [matrix, edits, watch]);
  const targets = useMemo(() => host.bank.describe().filter((p) => p.type !== 'trigger').map((p) => p.path), [host, watch]);
  const [source, setSource] = useState(SOURCE_CHOICES[0]);
  const [target, setTarget] = useState('');
  const [amount, setAmount] = useState(0.5);
  if (!matrix) return null;

  const edited = () => {
    host.saveRoutes();
    setEdits((n) => n + 1);
  };
  const update = (key: number, patch: Partial<RouteSpec>) => {
    refused('Route not changed', matrix.update(key, patch));
    edited();
  };
  const add = () => {
    const sceneTarget = targets.find((p) => p.startsWith(`/scene/${host.sceneId}/`)) ?? targets[0] ?? '';
    refused('Route not added', matrix.add({ source, target: target || sceneTarget, amount }));
    edited();
  };
  const shortPath = (p: string) => p.replace(`/scene/${host.sceneId}/`, '');

  return (
    <section className="panel modulation" data-testid="modulation-panel">
      <h2>Modulation</h2>
      {routes.length === 0 ? (
        <p className="hint">No routes: the scene follows only its parameters.</p>
      ) : (
        <ul className="routes" data-testid="routes">
          {routes.map((r) => (
            <li key={r.key} data-testid="route" data-source={r.route.source} data-target={r.route.target} className={r.active ? '' : 'dim'} title={r.message}>
              <span>
                {r.route.source} → {shortPath(r.route.target)}
              </span>
              <span className="row">
                <input
                  type="range"
                  min={-1}
                  max={1}
                  step={0.01}
                  value={r.route.amount}
                  aria-label={`Amount of ${r.route.source} to ${r.route.target}`}
                  onChange={(e) => update(r.key, { amount: Number(e.target.value) })}
                />
                <span className="dim">{r.route.amount.toFixed(2)}</span>
                <input type="checkbox" checked={r.route.enabled} aria-label="Route on" onChange={(e) => update(r.key, { enabled: e.target.checked })} />
                <button
                  aria-label={`Delete route ${r.route.source} to ${r.route.target}`}
                  onClick={() => {
                    matrix.remove(r.key);
                    edited();
                  }}
                >
                  ×
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="row" data-testid="add-route">
        <select value={source} onChange={(e) => setSource(e.target.value)} aria-label="Route source">
          {SOURCE_CHOICES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Route target">
          <option value="">(first of the scene)</option>
          {targets.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <input type="number" min={-1} max={1} step={0.05} value={amount} onChange={(e) => setAmount(Number(e.target.value))} aria-label="Route amount" style={{ width: '4em' }} />
        <button onClick={add}>Add</button>
      </div>
      <button
        onClick={() => {
          host.resetRoutes();
          setEdits((n) => n + 1);
        }}
      >
        Reset to the scene's routes
      </button>
    </section>
  );
}
