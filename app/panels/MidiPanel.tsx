import { useEffect, useMemo, useState } from 'react';
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

/** MIDI ports, learn (click a parameter, move a control) and the list of mappings. */
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

  useEffect(() => {
    if (!learning) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        midi.cancelLearn();
        setLearning(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [learning, midi]);

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
    </section>
  );
}
