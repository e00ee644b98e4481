import { useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { BLEND_MODES, FADER_CURVES, SEQUENCER_MODES } from '../../engine/keyframes/blend.ts';
import { KEYFRAME_PARAMS, KEYFRAME_SCOPE, STEP_CHOICES } from '../../engine/keyframes/deck.ts';
import type { GpuKeyframeSet } from '../../engine/keyframes/gpu.ts';
import { report } from '../../engine/messages.ts';
import type { ParamDescription } from '../../engine/params/index.ts';
import type { EngineHost } from '../engine-host.ts';
import { useAnimationFrame } from './use-animation-frame.ts';

const PATH = (name: string) => `${KEYFRAME_SCOPE}/${name}`;
const PAD_X = PATH('pad-x');
const PAD_Y = PATH('pad-y');

/** Parameters whose changes re-render the panel (the pad cursor is drawn by the frame loop instead). */
const WATCHED = KEYFRAME_PARAMS.names.filter((n) => n !== 'pad-x' && n !== 'pad-y');

/** How often React state is re-checked and the text readouts refresh (ms). */
const TEXT_INTERVAL_MS = 100;

/** Weights and positions are quantised to 1/1000; these tables turn them into CSS text without allocating per frame. */
const Q = 1000;
const UNIT_TEXT: readonly string[] = Array.from({ length: Q + 1 }, (_, q) => (q / Q).toFixed(3));
const PERCENT_TEXT: readonly string[] = Array.from({ length: Q + 1 }, (_, q) => `${(q / 10).toFixed(1)}%`);
const WHOLE_PERCENT: readonly string[] = Array.from({ length: 101 }, (_, p) => `${p}%`);

/** Keyboard steps of the pad cursor (Shift: coarse). */
const KEY_STEP = 0.01;
const KEY_STEP_COARSE = 0.1;

const MODE_LABELS: Record<string, string> = { pad: 'Pad', crossfader: 'Crossfader', sequencer: 'Sequencer' };
const ORDER_LABELS: Record<string, string> = { forward: 'forward', 'ping-pong': 'ping-pong', random: 'random' };

function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0;
}

function quant(v: number): number {
  return Math.round(clamp01(v) * Q);
}

/** One loaded keyframe as the panel shows it: blend slot, manifest entry, thumbnail and pad position. */
interface SlotView {
  readonly slot: number;
  readonly index: number;
  readonly title: string;
  readonly thumb: string;
  /** Tooltip: title, prompt and what made the image. */
  readonly tip: string;
  readonly procedural: boolean;
  readonly x: number;
  readonly y: number;
}

interface SetView {
  readonly set: GpuKeyframeSet | null;
  readonly slots: readonly SlotView[];
  readonly titles: readonly string[];
}

const EMPTY_VIEW: SetView = { set: null, slots: [], titles: [] };

/** Generators that made no image-model pictures say so; the tooltip repeats it plainly. */
function isProcedural(generator: string): boolean {
  return /\bprocedural\b|not an image model/i.test(generator);
}

function tooltip(title: string, prompt: string, generator: string): string {
  const lines = [title];
  lines.push(prompt ? `Prompt: ${prompt}` : 'Prompt: (none)');
  if (!generator) lines.push('Made by: (not recorded)');
  else if (isProcedural(generator) && !/not an image model/i.test(generator)) lines.push(`Made by: ${generator} (procedural, not an image model)`);
  else lines.push(`Made by: ${generator}`);
  return lines.join('\n');
}

function buildView(host: EngineHost): SetView {
  const kf = host.keyframes;
  const set = kf.gpu.current;
  if (!set) return EMPTY_VIEW;
  const entry = kf.sets.find((s) => s.name === set.manifest.name) ?? null;
  const blend = kf.deck.blend;
  const layout = blend.padLayout;
  const n = Math.min(blend.count, set.layerOf.length, layout.length >> 1);
  const slots: SlotView[] = [];
  for (let i = 0; i < n; i++) {
    const index = set.layerOf[i];
    const k = set.manifest.keyframes[index];
    if (!k) continue;
    const file = k.thumb ?? k.file;
    const generator = k.generator || set.manifest.generator;
    slots.push({
      slot: i,
      index,
      title: k.title,
      thumb: entry ? entry.urlOf(file) : '',
      tip: tooltip(k.title, k.prompt, generator),
      procedural: isProcedural(generator),
      x: clamp01(layout[2 * i]),
      y: clamp01(layout[2 * i + 1]),
    });
  }
  return { set, slots, titles: slots.map((s) => s.title) };
}

interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  readout: string;
  title?: string;
  onChange: (v: number) => void;
}

function Slider({ label, value, min, max, step, readout, title, onChange }: SliderProps) {
  return (
    <label className="kf-slider" title={title}>
      <span className="kf-slider-label">{label}</span>
      <input type="range" min={min} max={max} step={step} value={value} aria-label={label} onChange={(e) => onChange(Number(e.target.value))} />
      <span className="kf-readout">{readout}</span>
    </label>
  );
}

function Group({ title, children, testid }: { title: string; children: ReactNode; testid?: string }) {
  return (
    <div className="kf-group" data-testid={testid}>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/**
 * Keyframe sets and their live blend: set picker and load status, blend mode, the XY blend pad
 * (thumbnails at their pad positions, sized by their live weight), crossfader, sequencer,
 * sound-follow, morph, and the weight of every keyframe on screen. Every control is a
 * `/keyframes/...` parameter, so MIDI learn, OSC and presets reach the same values. React
 * re-renders only when a set, the load status or a control changes (checked ~10 times a
 * second); weights, the cursor and progress bars are written straight into the DOM every frame.
 */
export function KeyframePanel({ host }: { host: EngineHost }) {
  const kf = host.keyframes;
  const bank = host.bank;
  const [, setTick] = useState(0);
  const bump = useCallback(() => setTick((t) => (t + 1) | 0), []);

  // Parameter ids, resolved once (the deck registers the scope before the panel mounts).
  const ids = useMemo(() => {
    const watched = Int32Array.from(WATCHED.map((n) => bank.idOf(PATH(n))));
    return { watched, x: bank.idOf(PAD_X), y: bank.idOf(PAD_Y) };
  }, [bank]);

  // The slots change only when another set goes on screen (the blend's layout changes with it).
  const view = useMemo(() => buildView(host), [host, kf.gpu.current]);
  const descr = useMemo(() => {
    const m = new Map<string, ParamDescription>();
    for (const p of bank.describe()) if (p.scope === KEYFRAME_SCOPE) m.set(p.name, p);
    return m;
  }, [bank, bank.version]);

  // Elements the frame loop writes into.
  const cursorRef = useRef<HTMLDivElement>(null);
  const ghostRef = useRef<HTMLDivElement>(null);
  const seqNowRef = useRef<HTMLSpanElement>(null);
  const seqBarRef = useRef<HTMLDivElement>(null);
  const leaderRef = useRef<HTMLSpanElement>(null);
  const thumbEls = useRef<(HTMLElement | null)[]>([]);
  const rowEls = useRef<(HTMLElement | null)[]>([]);
  const pctEls = useRef<(HTMLElement | null)[]>([]);

  // Frame-loop state: what was last written, so the DOM is touched only on a change.
  const loop = useRef({
    view: EMPTY_VIEW,
    weightQ: new Int32Array(0),
    textQ: new Int32Array(0),
    lead: -1,
    soundLead: -1,
    cursorX: -1,
    cursorY: -1,
    ghost: -2,
    seqNow: -2,
    seqQ: -1,
    leaderCode: -99,
    ariaX: -1,
    ariaY: -1,
    lastCheck: 0,
    version: -1,
    bankVersion: -1,
    status: null as unknown,
    values: new Float32Array(WATCHED.length),
  });

  // A new set of elements: forget what was written so the next frame paints all of them.
  useLayoutEffect(() => {
    const s = loop.current;
    // Elements kept across a re-render still carry the classes the frame loop gave them.
    for (const el of thumbEls.current) el?.classList.remove('lead', 'sound-lead');
    for (const el of rowEls.current) el?.classList.remove('lead');
    s.view = view;
    s.weightQ = new Int32Array(view.slots.length).fill(-1);
    s.textQ = new Int32Array(view.slots.length).fill(-1);
    s.lead = -1;
    s.soundLead = -1;
    s.seqNow = -2;
    s.seqQ = -1;
    s.leaderCode = -99;
    thumbEls.current.length = view.slots.length;
    rowEls.current.length = view.slots.length;
    pctEls.current.length = view.slots.length;
  }, [view]);

  useAnimationFrame(() => {
    const s = loop.current;
    const blend = kf.deck.blend;
    const now = performance.now();
    const textDue = now - s.lastCheck >= TEXT_INTERVAL_MS;

    // Pad cursor: the performer's value; a ghost marks the modulated value when routes move it.
    const bx = quant(bank.get(ids.x));
    const by = quant(bank.get(ids.y));
    const cursor = cursorRef.current;
    if (cursor && (bx !== s.cursorX || by !== s.cursorY)) {
      s.cursorX = bx;
      s.cursorY = by;
      cursor.style.left = PERCENT_TEXT[bx];
      cursor.style.top = PERCENT_TEXT[Q - by];
    }
    const ghost = ghostRef.current;
    if (ghost) {
      const ox = quant(bank.getOutput(ids.x));
      const oy = quant(bank.getOutput(ids.y));
      const off = Math.abs(ox - bx) > 3 || Math.abs(oy - by) > 3;
      const code = off ? ox * (Q + 1) + oy : -1;
      if (code !== s.ghost) {
        s.ghost = code;
        ghost.hidden = !off;
        if (off) {
          ghost.style.left = PERCENT_TEXT[ox];
          ghost.style.top = PERCENT_TEXT[Q - oy];
        }
      }
    }

    // Weights: thumbnails and bars every frame (CSS variable --w), numbers ~10 times a second.
    const v = s.view;
    if (v.set !== null && v.set === kf.gpu.current) {
      const w = blend.weights;
      const n = Math.min(v.slots.length, w.length);
      let lead = -1;
      let best = -1;
      for (let i = 0; i < n; i++) {
        const wi = w[i];
        if (wi > best) {
          best = wi;
          lead = i;
        }
        const q = quant(wi);
        if (q !== s.weightQ[i]) {
          s.weightQ[i] = q;
          thumbEls.current[i]?.style.setProperty('--w', UNIT_TEXT[q]);
          rowEls.current[i]?.style.setProperty('--w', UNIT_TEXT[q]);
        }
        if (textDue && q !== s.textQ[i]) {
          s.textQ[i] = q;
          rowEls.current[i]?.setAttribute('data-weight', UNIT_TEXT[q]);
          const pct = pctEls.current[i];
          if (pct) pct.textContent = WHOLE_PERCENT[Math.round(q / 10)];
        }
      }
      if (lead !== s.lead) {
        if (s.lead >= 0) {
          thumbEls.current[s.lead]?.classList.remove('lead');
          rowEls.current[s.lead]?.classList.remove('lead');
        }
        if (lead >= 0) {
          thumbEls.current[lead]?.classList.add('lead');
          rowEls.current[lead]?.classList.add('lead');
        }
        s.lead = lead;
      }

      // Sound-follow: who the sound leans to (-2: the set has no signatures; -3: no sound yet).
      const leader = blend.soundFromPad ? -2 : !blend.soundInformed ? -3 : blend.soundLeader < n ? blend.soundLeader : -1;
      if (leader !== s.leaderCode) {
        if (s.soundLead >= 0) thumbEls.current[s.soundLead]?.classList.remove('sound-lead');
        s.soundLead = leader >= 0 ? leader : -1;
        if (leader >= 0) thumbEls.current[leader]?.classList.add('sound-lead');
        s.leaderCode = leader;
        const el = leaderRef.current;
        if (el) {
          el.textContent =
            leader === -2 ? 'this set has no sound signatures: the sound side follows the pad' : leader === -3 ? 'waiting for sound' : leader >= 0 ? v.titles[leader] : '—';
        }
      }

      // Sequencer: the keyframe it is on and how far the morph into it has come.
      const cur = blend.seqCurrent;
      const seqNow = cur >= 0 && cur < n ? cur : -1;
      if (seqNow !== s.seqNow && seqNowRef.current) {
        s.seqNow = seqNow;
        seqNowRef.current.textContent = seqNow >= 0 ? v.titles[seqNow] : '—';
      }
      const sq = quant(blend.seqProgress);
      if (sq !== s.seqQ && seqBarRef.current) {
        s.seqQ = sq;
        seqBarRef.current.style.setProperty('--w', UNIT_TEXT[sq]);
      }
    }

    if (!textDue) return;
    s.lastCheck = now;
    if (cursor && (bx !== s.ariaX || by !== s.ariaY)) {
      s.ariaX = bx;
      s.ariaY = by;
      cursor.setAttribute('aria-valuenow', UNIT_TEXT[bx]);
      cursor.setAttribute('aria-valuetext', `left–right ${UNIT_TEXT[bx]}, bottom–top ${UNIT_TEXT[by]}`);
    }
    // Re-render when the set, the load status or a control changed (MIDI, OSC, presets, this panel).
    let changed = false;
    if (kf.version !== s.version || bank.version !== s.bankVersion || kf.status() !== s.status) {
      s.version = kf.version;
      s.bankVersion = bank.version;
      s.status = kf.status();
      changed = true;
    }
    const vals = s.values;
    for (let i = 0; i < vals.length; i++) {
      const x = bank.get(ids.watched[i]);
      if (x !== vals[i]) {
        vals[i] = x;
        changed = true;
      }
    }
    if (changed) bump();
  });

  // ------------------------------------------------------------------ control helpers

  const num = (name: string): number => {
    const x = bank.getByPath(PATH(name));
    return typeof x === 'number' ? x : 0;
  };
  const text = (name: string): string => {
    const x = bank.getByPath(PATH(name));
    return typeof x === 'string' ? x : '';
  };
  const set = (name: string, value: number | string) => {
    const r = bank.setByPath(PATH(name), value);
    if (!r.ok) report('warning', `Keyframes: ${r.message}`);
    bump();
  };
  const range = (name: string, lo: number, hi: number) => {
    const p = descr.get(name);
    return { min: p?.min ?? lo, max: p?.max ?? hi, title: p?.description };
  };

  const movePad = (x: number, y: number) => {
    bank.setByPath(PAD_X, clamp01(x));
    bank.setByPath(PAD_Y, clamp01(y));
  };
  const padFromPointer = (e: PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) return;
    movePad((e.clientX - r.left) / r.width, 1 - (e.clientY - r.top) / r.height);
  };
  const onPadDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    padFromPointer(e);
    cursorRef.current?.focus({ preventScroll: true });
  };
  const onPadMove = (e: PointerEvent<HTMLDivElement>) => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) padFromPointer(e);
  };
  const onPadUp = (e: PointerEvent<HTMLDivElement>) => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onCursorKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const d = e.shiftKey ? KEY_STEP_COARSE : KEY_STEP;
    const x = bank.get(ids.x);
    const y = bank.get(ids.y);
    switch (e.key) {
      case 'ArrowLeft':
        movePad(x - d, y);
        break;
      case 'ArrowRight':
        movePad(x + d, y);
        break;
      case 'ArrowUp':
        movePad(x, y + d);
        break;
      case 'ArrowDown':
        movePad(x, y - d);
        break;
      case 'Home':
        movePad(0.5, 0.5);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  // ------------------------------------------------------------------ render

  const status = kf.status();
  const sets = kf.sets;
  const shownSet = status.phase === 'loading' ? status.set : kf.setName;
  const entry = sets.find((s) => s.name === shownSet) ?? null;
  const installed = sets.filter((s) => s.origin === 'installed');
  /** Delete an installed set after a confirm that names the presets of the library that use it. */
  const deleteInstalled = (name: string): void => {
    const users: string[] = [];
    for (const p of host.presets.presets.values()) if (p.keyframes.set === name) users.push(`"${p.name}"`);
    const warn = users.length > 0 ? `\n\n${users.length} preset${users.length === 1 ? '' : 's'} of the library use${users.length === 1 ? 's' : ''} it (${users.slice(0, 6).join(', ')}${users.length > 6 ? ', ...' : ''}): fired, ${users.length === 1 ? 'it' : 'they'} will keep the current keyframes until the set is installed again (import the show again).` : '';
    if (!confirm(`Delete the installed keyframe set "${name}" from this browser?${warn}`)) return;
    kf.deleteInstalled(name).then(
      () => report('info', `Keyframe set "${name}" deleted from this browser.`),
      (err) => report('warning', `Keyframe set "${name}" not deleted: ${err instanceof Error ? err.message : String(err)}`),
    ).finally(bump);
  };
  const mode = text('mode') || 'pad';
  const n = view.slots.length;
  const statusText =
    status.phase === 'loading' ? `${status.message} — ${status.loaded}/${status.total}` : status.phase === 'idle' && sets.length === 0 ? 'no keyframe sets are bundled (presets/<set>/keyframes.json)' : status.message;
  const failed = view.set?.failed ?? [];

  const a = Math.min(Math.max(1, Math.round(num('a'))), Math.max(1, n));
  const b = Math.min(Math.max(1, Math.round(num('b'))), Math.max(1, n));
  const fader = num('fader');
  const sound = num('sound');
  const temp = range('temperature', 0.002, 1);
  const tempValue = num('temperature');
  const tempPos = temp.max > temp.min && temp.min > 0 ? Math.log(Math.max(tempValue, temp.min) / temp.min) / Math.log(temp.max / temp.min) : 0;
  const hold = range('hold', 0, 10);
  const glide = range('glide', 0, 5);
  const morph = range('morph-beats', 0, 32);
  const flow = range('flow', 0, 1);
  const amount = range('amount', 0, 1);
  const soundR = range('sound', 0, 1);
  const faderR = range('fader', 0, 1);

  return (
    <section className="panel keyframes" data-testid="keyframe-panel">
      <h2>Keyframes</h2>
      <div className="row">
        <select
          aria-label="Keyframe set"
          value={shownSet}
          disabled={sets.length === 0}
          onChange={(e) => {
            const name = e.target.value;
            if (name) void kf.load(name).finally(bump);
            bump();
          }}
        >
          {shownSet === '' && <option value="">(no set)</option>}
          {sets.map((s) => (
            <option key={s.name} value={s.name} title={s.description} data-origin={s.origin}>
              {s.title} ({s.count}){s.origin === 'installed' ? ` · installed as ${s.name}${s.sessionOnly ? ', until reload' : ''}` : ''}
            </option>
          ))}
        </select>
        {status.phase === 'loading' && <progress className="kf-load" max={Math.max(1, status.total)} value={status.loaded} aria-label="Keyframe set loading" />}
      </div>
      <p className={`hint kf-status kf-status-${status.phase}`} data-testid="keyframe-status" data-phase={status.phase} data-set={status.set} role="status">
        {statusText}
      </p>
      {entry && entry.description && <p className="hint kf-description">{entry.description}</p>}
      {installed.length > 0 && (
        <details className="kf-installed" data-testid="keyframe-installed">
          <summary>
            {installed.length} installed set{installed.length === 1 ? '' : 's'} (from show files)
          </summary>
          <ul>
            {installed.map((s) => (
              <li key={s.name} data-set={s.name}>
                <span title={s.description}>
                  {s.title} <span className="dim">({s.name}, {s.count}{s.sessionOnly ? ', not saved: gone after a reload' : ''})</span>
                </span>{' '}
                <button aria-label={`Delete installed keyframe set ${s.name}`} disabled={s.name === shownSet} title={s.name === shownSet ? 'On screen: load another set first' : 'Delete this set from the browser'} onClick={() => deleteInstalled(s.name)}>
                  delete
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      {failed.length > 0 && (
        <p className="hint kf-failed">
          Left out: {failed.map((f) => `${f.title} (${f.message})`).join('; ')}
        </p>
      )}

      <div className="row kf-modes" role="group" aria-label="Blend mode">
        {BLEND_MODES.map((m) => (
          <button key={m} className={mode === m ? 'on' : ''} aria-pressed={mode === m} onClick={() => set('mode', m)} title={descr.get('mode')?.description}>
            {MODE_LABELS[m] ?? m}
          </button>
        ))}
      </div>

      <div className="kf-pad-wrap">
        <div
          className={`kf-pad${mode === 'pad' ? '' : ' inactive'}${n === 0 ? ' empty' : ''}`}
          data-testid="keyframe-pad"
          data-set={view.set?.manifest.name ?? ''}
          role="group"
          aria-label="Blend pad"
          onPointerDown={onPadDown}
          onPointerMove={onPadMove}
          onPointerUp={onPadUp}
          onPointerCancel={onPadUp}
          onLostPointerCapture={onPadUp}
        >
          {view.slots.map((s) => (
            <div
              key={`${view.set?.manifest.name}:${s.index}`}
              ref={(el) => {
                thumbEls.current[s.slot] = el;
              }}
              className="kf-thumb"
              data-testid="keyframe-thumb"
              data-title={s.title}
              data-x={s.x}
              data-y={s.y}
              title={s.tip}
              style={{ left: `${s.x * 100}%`, top: `${(1 - s.y) * 100}%` }}
            >
              {s.thumb ? <img src={s.thumb} alt={s.title} draggable={false} /> : <span className="kf-thumb-missing">{s.slot + 1}</span>}
            </div>
          ))}
          {n === 0 && <span className="kf-pad-empty">{status.phase === 'loading' ? 'loading…' : 'no keyframe set on screen'}</span>}
          <div ref={ghostRef} className="kf-ghost" hidden title="Where modulation moves the cursor" />
          <div
            ref={cursorRef}
            className="kf-cursor"
            data-testid="keyframe-cursor"
            role="slider"
            tabIndex={0}
            aria-label="Blend pad cursor"
            aria-roledescription="2D pad"
            aria-valuemin={0}
            aria-valuemax={1}
            onKeyDown={onCursorKey}
          />
        </div>
      </div>
      <p className="hint">
        {mode === 'pad'
          ? 'Drag on the pad (arrows move the cursor, Shift for big steps, Home centres it). Thumbnails grow with their weight.'
          : `The pad shows the weights; press Pad to blend with it (now: ${MODE_LABELS[mode] ?? mode}).`}
      </p>

      {mode === 'crossfader' && (
        <Group title="Crossfader" testid="keyframe-crossfader">
          <div className="row">
            <label>
              A{' '}
              <select aria-label="Crossfader A" value={a} disabled={n === 0} onChange={(e) => set('a', Number(e.target.value))}>
                {view.slots.map((s) => (
                  <option key={s.slot} value={s.slot + 1}>
                    {s.slot + 1}. {s.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              B{' '}
              <select aria-label="Crossfader B" value={b} disabled={n === 0} onChange={(e) => set('b', Number(e.target.value))}>
                {view.slots.map((s) => (
                  <option key={s.slot} value={s.slot + 1}>
                    {s.slot + 1}. {s.title}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Slider label="Fader A ↔ B" value={fader} min={faderR.min} max={faderR.max} step={0.001} readout={`${Math.round(fader * 100)}% B`} title={faderR.title} onChange={(x) => set('fader', x)} />
          <div className="row">
            <label>
              Curve{' '}
              <select aria-label="Crossfader curve" value={text('curve')} onChange={(e) => set('curve', e.target.value)}>
                {FADER_CURVES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </Group>
      )}

      {mode === 'sequencer' && (
        <Group title="Sequencer" testid="keyframe-sequencer">
          <div className="row">
            <label>
              Step{' '}
              <select aria-label="Sequencer step" value={text('step')} onChange={(e) => set('step', e.target.value)}>
                {STEP_CHOICES.map((c) => (
                  <option key={c} value={c}>
                    {c} {c === '1' ? 'beat' : 'beats'}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Order{' '}
              <select aria-label="Sequencer order" value={text('order')} onChange={(e) => set('order', e.target.value)}>
                {SEQUENCER_MODES.map((c) => (
                  <option key={c} value={c}>
                    {ORDER_LABELS[c] ?? c}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Slider
            label="Morph beats"
            value={num('morph-beats')}
            min={morph.min}
            max={morph.max}
            step={0.25}
            readout={`${num('morph-beats')} ${num('morph-beats') === 1 ? 'beat' : 'beats'}`}
            title={morph.title}
            onChange={(x) => set('morph-beats', x)}
          />
          <div className="kf-seq-now">
            <span className="dim">Now:</span> <span ref={seqNowRef} data-testid="keyframe-seq-current">—</span>
            <div ref={seqBarRef} className="kf-bar kf-seq-bar" title="Morph progress into this keyframe">
              <span />
            </div>
          </div>
          {host.tick.clock.bpm > 0 ? null : <p className="hint">The sequencer waits for a tempo: tap it or play sound.</p>}
        </Group>
      )}

      <Group title="Sound follow" testid="keyframe-sound">
        <Slider
          label="Sound decides"
          value={sound}
          min={soundR.min}
          max={soundR.max}
          step={0.01}
          readout={sound <= 0 ? 'off (you decide)' : sound >= 1 ? '100% (sound alone)' : `${Math.round(sound * 100)}%`}
          title={soundR.title}
          onChange={(x) => set('sound', x)}
        />
        <Slider
          label="Temperature"
          value={tempPos}
          min={0}
          max={1}
          step={0.001}
          readout={tempValue.toFixed(3)}
          title={`${temp.title ?? ''} (low: one keyframe wins; high: a mix)`}
          onChange={(p) => set('temperature', temp.min * Math.pow(temp.max / temp.min, p))}
        />
        <Slider label="Hold" value={num('hold')} min={hold.min} max={hold.max} step={0.1} readout={`${num('hold').toFixed(1)} s`} title={hold.title} onChange={(x) => set('hold', x)} />
        <Slider label="Glide" value={num('glide')} min={glide.min} max={glide.max} step={0.05} readout={`${num('glide').toFixed(2)} s`} title={glide.title} onChange={(x) => set('glide', x)} />
        <p className="hint">
          Sound leans to: <span ref={leaderRef} data-testid="keyframe-sound-leader">—</span>
        </p>
      </Group>

      <Group title="Morph">
        <Slider label="Flow" value={num('flow')} min={flow.min} max={flow.max} step={0.01} readout={num('flow').toFixed(2)} title={flow.title} onChange={(x) => set('flow', x)} />
        <Slider label="Amount" value={num('amount')} min={amount.min} max={amount.max} step={0.01} readout={num('amount').toFixed(2)} title={amount.title} onChange={(x) => set('amount', x)} />
      </Group>

      <Group title="On screen" testid="keyframe-list">
        {n === 0 ? (
          <p className="hint">No keyframes on screen.</p>
        ) : (
          <ul className="kf-weights">
            {view.slots.map((s) => (
              <li
                key={`${view.set?.manifest.name}:${s.index}`}
                ref={(el) => {
                  rowEls.current[s.slot] = el;
                }}
                className="kf-row"
                data-testid="keyframe-weight"
                data-title={s.title}
                data-slot={s.slot}
                title={s.tip}
              >
                {s.thumb ? <img src={s.thumb} alt="" draggable={false} /> : <span className="kf-thumb-missing">{s.slot + 1}</span>}
                <span className="kf-row-main">
                  <span className="kf-row-title">
                    {s.slot + 1}. {s.title}
                    {s.procedural && <span className="kf-tag">procedural</span>}
                  </span>
                  <span className="kf-bar">
                    <span />
                  </span>
                </span>
                <span
                  className="kf-pct"
                  ref={(el) => {
                    pctEls.current[s.slot] = el;
                  }}
                >
                  —
                </span>
              </li>
            ))}
          </ul>
        )}
      </Group>
    </section>
  );
}
