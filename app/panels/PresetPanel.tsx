import { useEffect, useRef, useState } from 'react';
import { ARCHIVE_STATES } from '../../engine/keyframes/index.ts';
import { noteName } from '../../engine/control/midi/index.ts';
import type { ArchiveStateKey, TriggerQuantize } from '../../engine/presets/index.ts';
import type { EngineHost } from '../engine-host.ts';
import { type Shortcut, useShortcuts } from '../shortcuts.ts';
import { useStore } from '../use-store.ts';
import { useFileDrop } from './file-drop.ts';

const QUANTISE: readonly TriggerQuantize[] = ['none', 'beat', 'bar'];
const QUANTISE_LABEL: Record<TriggerQuantize, string> = { none: 'now', beat: 'beat', bar: 'bar' };

/** The bank's keys: digits fire slots 1–9 of the bank on stage, [ and ] walk the set list. */
export function presetShortcuts(host: EngineHost): Shortcut[] {
  const group = 'Presets';
  return [
    { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: 'fire preset slot 1–9 of the bank', group, run: (e) => void host.presets.key(e.key) },
    { keys: ['['], label: 'previous preset in the set list', group, run: () => void host.presets.step(-1, 'key') },
    { keys: [']'], label: 'next preset in the set list', group, run: () => void host.presets.step(1, 'key') },
  ];
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The preset bank: slots to fire, save/rename/duplicate/delete, MIDI learn, set list, show files. */
export function PresetPanel({ host }: { host: EngineHost }) {
  const show = host.presets;
  useStore(show.subscribe, show.getVersion);
  const bridge = useStore(host.bridge.subscribe, host.bridge.getStatus);
  const [addressProblem, setAddressProblem] = useState('');
  useShortcuts(() => presetShortcuts(host), [host]);
  const [selected, setSelected] = useState(-1);
  const [saveName, setSaveName] = useState('');
  const [saveState, setSaveState] = useState<ArchiveStateKey>('none');
  const [saveNote, setSaveNote] = useState('');
  const [saveQuantise, setSaveQuantise] = useState<TriggerQuantize>('bar');
  const [busy, setBusy] = useState('');
  // Pending and preparing change on the frame: look again while a switch waits.
  const [, setTick] = useState(0);
  const pending = show.pending;
  useEffect(() => {
    // Quickly while a switch waits (pending → preparing → on), else once a second for the tempo line.
    const id = setInterval(() => setTick((n) => n + 1), pending ? 120 : 1000);
    return () => clearInterval(id);
  }, [pending]);
  const renameRef = useRef<HTMLInputElement>(null);

  const bank = show.bank;
  const entries = bank?.entries ?? [];
  const sel = selected >= 0 && selected < entries.length ? selected : -1;
  const selEntry = sel >= 0 ? entries[sel] : null;
  const selPreset = selEntry ? show.presets.get(selEntry.preset) : undefined;
  const clock = host.tick.clock;
  const noTempo = clock.freeRunning;

  const drop = useFileDrop((files) => {
    const f = files?.[0];
    if (!f) return;
    setBusy('importing…');
    void f
      .text()
      .then((text) => show.importShow(text))
      .finally(() => setBusy(''));
  });

  const exportNow = (): void => {
    setBusy('exporting…');
    void show
      .exportShow(bank?.name ?? 'Glassforest show')
      .then((r) => download(`${(bank?.name ?? 'show').replace(/[^A-Za-z0-9_-]+/g, '-')}.glassforest-show.json`, r.text))
      .finally(() => setBusy(''));
  };

  return (
    <section className={`panel presets${drop.dragging ? ' dragging' : ''}`} data-testid="preset-panel" {...drop.dropProps}>
      <h2>Presets</h2>
      <div className="row preset-bar">
        <select aria-label="Bank" value={show.bankIndex} onChange={(e) => show.selectBank(Number(e.target.value))}>
          {show.banks.map((b, i) => (
            <option key={b.id} value={i}>
              {b.name}
            </option>
          ))}
        </select>
        <button title="New bank" onClick={() => show.addBank()}>
          + bank
        </button>
        <button title="Previous in the set list ([)" onClick={() => show.step(-1, 'click')} aria-label="Previous preset">
          ◀
        </button>
        <button title="Next in the set list (])" onClick={() => show.step(1, 'click')} aria-label="Next preset">
          ▶
        </button>
        <span className="dim preset-clock">{noTempo ? 'no tempo: switches are immediate' : `${clock.bpm.toFixed(1)} bpm`}</span>
      </div>
      {entries.length === 0 ? (
        <p className="hint">{show.phase === 'loading' ? 'Loading presets…' : 'No presets in this bank: save the current look below, or import a show.'}</p>
      ) : (
        <div className="preset-grid" role="list">
          {entries.map((e, i) => {
            const p = show.presets.get(e.preset);
            const playing = show.playingSlot === i;
            const waiting = show.pending && show.pendingSlot === i;
            const preparing = waiting && show.preparing;
            const learning = show.learnSlot === i;
            const cls = ['preset-slot', playing ? 'playing' : '', waiting ? 'pending' : '', preparing ? 'preparing' : '', i === sel ? 'selected' : '', learning ? 'learning' : ''].filter(Boolean).join(' ');
            return (
              <button
                key={`${e.preset}-${i}`}
                role="listitem"
                className={cls}
                data-slot={i}
                data-state={preparing ? 'preparing' : waiting ? 'pending' : playing ? 'playing' : 'idle'}
                title={p?.archive.annotation || p?.name}
                onClick={() => {
                  setSelected(i);
                  show.trigger(i, 'click');
                }}
                onContextMenu={(ev) => {
                  ev.preventDefault();
                  setSelected(i);
                }}
              >
                <span className="slot-num">{i < 9 ? i + 1 : ''}</span>
                <span className="slot-name">{p?.name ?? '(missing)'}</span>
                <span className="slot-meta">
                  {p && p.archive.state !== 'none' ? <span className={`archive archive-${p.archive.state}`}>{p.archive.state}</span> : null}
                  <span className="slot-q">{QUANTISE_LABEL[e.trigger.quantize]}</span>
                  {e.trigger.midi ? <span className="slot-note">{noteName(e.trigger.midi.note)}</span> : null}
                  {e.trigger.osc ? <span className="slot-osc" title={`OSC ${e.trigger.osc} fires this slot`}>osc</span> : null}
                  {preparing ? <span className="slot-flag">preparing</span> : waiting ? <span className="slot-flag">waiting</span> : playing ? <span className="slot-flag">on</span> : null}
                </span>
              </button>
            );
          })}
        </div>
      )}
      {show.notice && (
        <p className="hint preset-notice" role="status">
          {show.notice}
        </p>
      )}
      {selEntry && selPreset && (
        <div className="preset-edit" aria-label="Selected preset">
          <div className="row">
            <input
              ref={renameRef}
              key={selPreset.id + selPreset.name}
              aria-label="Preset name"
              defaultValue={selPreset.name}
              onKeyDown={(e) => {
                if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
              }}
              onBlur={(e) => {
                if (e.target.value !== selPreset.name) show.rename(sel, e.target.value);
              }}
            />
            <select aria-label="Quantise" title="When the switch happens" value={selEntry.trigger.quantize} onChange={(e) => show.setQuantize(sel, e.target.value as TriggerQuantize)}>
              {QUANTISE.map((q) => (
                <option key={q} value={q}>
                  {q === 'none' ? 'now' : `next ${q}`}
                </option>
              ))}
            </select>
            <select aria-label="Archive state" title="Archive state" value={selPreset.archive.state} onChange={(e) => show.annotate(sel, e.target.value as ArchiveStateKey, selPreset.archive.annotation)}>
              {ARCHIVE_STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <button className={show.learnSlot === sel ? 'on' : ''} onClick={() => show.learn(sel)} title="Press a note on the controller to fire this slot">
              {show.learnSlot === sel ? 'press a note…' : selEntry.trigger.midi ? `note ${noteName(selEntry.trigger.midi.note)} ch ${selEntry.trigger.midi.channel + 1}` : 'learn note'}
            </button>
            {selEntry.trigger.midi && <button onClick={() => show.setNote(sel, null)}>clear note</button>}
          </div>
          <div className="row">
            <input
              key={`${selPreset.id}-${selEntry.trigger.osc ?? ''}`}
              aria-label="Slot OSC address"
              placeholder="OSC address, e.g. /set/dusk"
              title="A message to this address (no argument, or a non-zero one) fires the slot"
              defaultValue={selEntry.trigger.osc ?? ''}
              onKeyDown={(e) => {
                if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
              }}
              onBlur={(e) => {
                const v = e.target.value.trim();
                if (v === (selEntry.trigger.osc ?? '')) return;
                setAddressProblem(show.setSlotAddress(sel, v === '' ? null : v) ?? '');
              }}
            />
            <button className={show.oscLearnSlot === sel ? 'on' : ''} onClick={() => show.learnSlotAddress(sel)} title="Press a button on the OSC controller: its address fires this slot (needs the bridge)">
              {show.oscLearnSlot === sel ? 'send OSC…' : 'learn OSC'}
            </button>
            {selEntry.trigger.osc && (
              <button
                onClick={() => {
                  show.setSlotAddress(sel, null);
                  setAddressProblem('');
                }}
              >
                clear OSC
              </button>
            )}
          </div>
          {(() => {
            // This slot's learn: what it says while armed, and what it learned.
            const learnText = show.oscLearnSlot === sel || bridge.oscLearnMessage.endsWith(` slot ${sel + 1}.`) ? bridge.oscLearnMessage : '';
            const text = addressProblem || learnText;
            return text ? (
              <p className="hint" role="status" data-testid="slot-osc-message">
                {text}
              </p>
            ) : null;
          })()}
          <div className="row">
            <button onClick={() => show.duplicate(sel)}>duplicate</button>
            {Object.keys(selPreset.outputs).length > 0 && (
              <button onClick={() => show.useOutputs(sel)} title="Put back the projector outputs and mapping saved with this preset (firing a preset never moves them)">
                use its outputs
              </button>
            )}
            {selPreset.midi.length + selPreset.osc.length > 0 && (
              <button onClick={() => show.useMappings(sel)} title={`Use the ${selPreset.midi.length} MIDI mapping(s) and ${selPreset.osc.length} OSC alias(es) saved with this preset instead of the current ones (firing a preset never changes them)`}>
                use its mappings
              </button>
            )}
            {show.previousMappings && (
              <button onClick={() => show.restorePreviousMappings()} title={`Put back the mappings in use before "${show.previousMappings.by}"`}>
                restore previous mappings
              </button>
            )}
            <button
              onClick={() => {
                if (confirm(`Delete "${selPreset.name}"?`)) {
                  show.remove(sel);
                  setSelected(-1);
                }
              }}
            >
              delete
            </button>
          </div>
        </div>
      )}
      <div className="preset-save">
        <div className="row">
          <input aria-label="New preset name" placeholder="name" value={saveName} onChange={(e) => setSaveName(e.target.value)} />
          <select aria-label="New preset archive state" title="Archive state" value={saveState} onChange={(e) => setSaveState(e.target.value as ArchiveStateKey)}>
            {ARCHIVE_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <select aria-label="New preset quantise" title="When the switch happens" value={saveQuantise} onChange={(e) => setSaveQuantise(e.target.value as TriggerQuantize)}>
            {QUANTISE.map((q) => (
              <option key={q} value={q}>
                {q === 'none' ? 'now' : `next ${q}`}
              </option>
            ))}
          </select>
          <button
            className="primary"
            onClick={() => {
              show.saveCurrent(saveName, saveState, saveNote, saveQuantise);
              setSaveName('');
              setSaveNote('');
            }}
          >
            save current
          </button>
        </div>
        <textarea aria-label="New preset annotation" rows={1} placeholder="annotation" value={saveNote} onChange={(e) => setSaveNote(e.target.value)} />
      </div>
      <div className="row preset-files">
        <button onClick={exportNow} disabled={busy !== ''}>
          export show
        </button>
        <label className="button-like">
          import show
          <input type="file" accept=".json,application/json" hidden aria-label="Import show file" {...drop.pickerProps} />
        </label>
        <span className="dim">{busy}</span>
      </div>
      {(show.importedSets.installed.length > 0 || show.importedSets.renamed.length > 0) && (
        <p className="hint preset-import-sets" data-testid="import-sets">
          {show.importedSets.installed.length > 0 && `Keyframe sets installed in this browser: ${show.importedSets.installed.join(', ')}${show.importedSets.sessionOnly.length > 0 ? ` (not saved, gone after a reload: ${show.importedSets.sessionOnly.join(', ')})` : ''}. `}
          {show.importedSets.renamed.map(([from, to]) => `"${from}" differs from the set of that name here: installed as "${to}" and its presets point to it. `).join('')}
        </p>
      )}
      {show.importProblems.length > 0 && (
        <details className="preset-problems">
          <summary>{show.importProblems.length} import problem{show.importProblems.length === 1 ? '' : 's'}</summary>
          <ul data-testid="import-problems">
            {show.importProblems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
