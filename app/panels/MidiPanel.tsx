import { useEffect, useMemo, useRef, useState } from 'react';
import { controlLabel, type MidiMapping } from '../../engine/control/midi/index.ts';
import type { ParamDescription } from '../../engine/params/index.ts';
import type { EngineHost } from '../engine-host.ts';
import { useStore } from '../use-store.ts';

function mappingText(m: MidiMapping): string {
  const parts: string[] = [m.mode ?? ''];
  if (m.takeover === 'pickup') parts.push('pickup');
  if (m.invert) parts.push('inverted');
  if ((m.min ?? 0) !== 0 || (m.max ?? 1) !== 1) parts.push(`${Math.round((m.min ?? 0) * 100)}–${Math.round((m.max ?? 1) * 100)}%`);
  return parts.filter(Boolean).join(', ');
}

/** OSC controller aliases: learn (click a parameter, move a fader on the tablet), type one in, the list. */
/** While `active` (a learn armed in this panel), Escape calls `cancel`. */
function useEscape(active: boolean, cancel: () => void): void {
  const latest = useRef(cancel);
  latest.current = cancel;
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

function OscAliasSection({ host, params }: { host: EngineHost; params: ParamDescription[] }) {
  const bridge = host.bridge;
  const status = useStore(bridge.subscribe, bridge.getStatus);
  const aliases = bridge.aliases;
  useStore(aliases.subscribe, aliases.getVersion);
  const [learning, setLearning] = useState(false);
  const [address, setAddress] = useState('');
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState('');
  const armedParam = status.oscLearn.startsWith('/') ? status.oscLearn : '';

  useEscape(learning, () => {
    bridge.cancelOscLearn();
    setLearning(false);
  });

  const toggle = () => {
    if (learning && armedParam) bridge.cancelOscLearn();
    setLearning(!learning);
  };
  const addTyped = () => {
    const p = params.find((x) => x.path === target);
    const problems = aliases.add({ address: address.trim(), param: target, normalized: p !== undefined && p.type !== 'color' && p.type !== 'trigger' });
    setProblem(problems.join('; '));
    if (aliases.list.some((a) => a.address === address.trim() && a.param === target)) setAddress('');
  };

  return (
    <div className="osc-aliases" data-testid="osc-alias-section">
      <h3>OSC aliases</h3>
      <div className="row">
        <button className={learning ? 'on' : ''} onClick={toggle} data-testid="osc-learn" aria-pressed={learning}>
          {learning ? 'Learning OSC… (Esc to stop)' : 'OSC learn'}
        </button>
        {learning && <span className="dim">{armedParam ? `Move a fader on the controller for ${armedParam}` : 'Click a parameter, then move a fader on the controller'}</span>}
      </div>
      {status.oscLearnMessage && (
        <p className="hint" role="status" data-testid="osc-learn-message">
          {status.oscLearnMessage}
        </p>
      )}
      {learning && (
        <ul className="midi-params" data-testid="osc-params">
          {params.map((p) => (
            <li key={p.path}>
              <button className={armedParam === p.path ? 'on' : ''} data-testid="osc-param" data-path={p.path} onClick={() => bridge.learnAlias(p.path)}>
                {p.scope.split('/').pop()} · {p.name}
              </button>
              <span className="dim">{aliases.list.filter((a) => a.param === p.path).map((a) => a.address).join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <input aria-label="OSC alias address" placeholder="/1/fader3" value={address} onChange={(e) => setAddress(e.target.value)} />
        <select aria-label="OSC alias parameter" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">parameter…</option>
          {params.map((p) => (
            <option key={p.path} value={p.path}>
              {p.path}
            </option>
          ))}
        </select>
        <button onClick={addTyped} disabled={address.trim() === '' || target === ''}>
          add alias
        </button>
      </div>
      {problem && (
        <p className="hint" role="status" data-testid="osc-alias-problem">
          {problem}
        </p>
      )}
      {aliases.list.length === 0 ? (
        <p className="hint">No OSC aliases: parameters answer at their own paths; press OSC learn to use your layout’s addresses.</p>
      ) : (
        <ul className="midi-mappings" data-testid="osc-aliases">
          {aliases.list.map((a, i) => (
            <li key={a.address} data-testid="osc-alias" data-address={a.address} data-param={a.param}>
              <span>
                <b>{a.address}</b> → {a.param}
              </span>
              <span className="row">
                <button className={a.normalized ? 'on' : ''} title="On: 0..1 through the parameter's curve, as a fader; off: the parameter's own units" onClick={() => setProblem(aliases.setNormalized(i, !a.normalized).join('; '))}>
                  0..1
                </button>
                <button aria-label={`Delete OSC alias ${a.address}`} data-testid="osc-alias-delete" onClick={() => aliases.remove(i)}>
                  ×
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** MIDI ports, learn (click a parameter, move a control) and the list of mappings; OSC aliases below. */
export function MidiPanel({ host }: { host: EngineHost }) {
  const midi = host.midi;
  const status = useStore((l) => midi.subscribe(l), () => midi.getStatus());
  const [learning, setLearning] = useState(false);
  const [bankVersion, setBankVersion] = useState(host.bank.version);
  useEffect(() => {
    // Scenes may register parameters later; re-list when the bank changes (never per frame).
    const id = setInterval(() => setBankVersion(host.bank.version), 1000);
    return () => clearInterval(id);
  }, [host]);
  const params: ParamDescription[] = useMemo(() => host.bank.describe().filter((p) => p.type !== 'color'), [host, bankVersion]);
  const mappings = midi.mappings;
  const byParam = new Map(mappings.map((m) => [m.param, m]));

  useEscape(learning, () => {
    midi.cancelLearn();
    setLearning(false);
  });

  const toggleLearn = () => {
    if (learning) midi.cancelLearn();
    setLearning(!learning);
  };

  return (
    <section className="panel midi" data-testid="midi-panel">
      <h2>MIDI</h2>
      <p className="hint" data-testid="midi-status" data-state={status.state}>
        {status.message}
        {status.state === 'refused' && (
          <>
            {' '}
            <button onClick={() => void midi.start()}>Retry</button>
          </>
        )}
      </p>
      {status.inputs.length > 0 && (
        <ul className="midi-ports" data-testid="midi-inputs">
          {status.inputs.map((p) => (
            <li key={p.id} className={p.state === 'disconnected' ? 'dim' : ''}>
              {p.name} {p.state === 'disconnected' ? '(unplugged)' : ''}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button className={learning ? 'on' : ''} onClick={toggleLearn} data-testid="midi-learn" aria-pressed={learning}>
          {learning ? 'Learning… (Esc to stop)' : 'Learn'}
        </button>
        {learning && <span className="dim">{status.armed ? `Move a control for ${status.armed}` : 'Click a parameter, then move a control'}</span>}
      </div>
      {learning && (
        <ul className="midi-params" data-testid="midi-params">
          {params.map((p) => {
            const m = byParam.get(p.path);
            return (
              <li key={p.path}>
                <button className={status.armed === p.path ? 'on' : ''} data-testid="midi-param" data-path={p.path} onClick={() => midi.arm(p.path)}>
                  {p.scope.split('/').pop()} · {p.name}
                </button>
                <span className="dim">{m ? controlLabel(m.control, m.port ?? '') : ''}</span>
              </li>
            );
          })}
        </ul>
      )}
      {mappings.length === 0 ? (
        <p className="hint">No mappings yet: press Learn, click a parameter, move a knob.</p>
      ) : (
        <ul className="midi-mappings" data-testid="midi-mappings">
          {mappings.map((m, i) => (
            <li key={`${m.port ?? ''}|${m.control.kind}|${m.control.channel}|${m.control.number}`} data-testid="midi-mapping" data-param={m.param}>
              <span>
                <b>{controlLabel(m.control, m.port ?? '')}</b> → {m.param} <span className="dim">{mappingText(m)}</span>
              </span>
              <span className="row">
                {(m.mode ?? 'absolute') === 'absolute' && (
                  <button className={m.takeover === 'pickup' ? 'on' : ''} title="Soft takeover: wait until the control reaches the value" onClick={() => midi.updateMapping(i, { takeover: m.takeover === 'pickup' ? 'jump' : 'pickup' })}>
                    pickup
                  </button>
                )}
                <button className={m.invert ? 'on' : ''} onClick={() => midi.updateMapping(i, { invert: !m.invert })}>
                  invert
                </button>
                <button aria-label={`Delete mapping for ${m.param}`} data-testid="midi-delete" onClick={() => midi.removeMapping(i)}>
                  ×
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <OscAliasSection host={host} params={params} />
    </section>
  );
}
