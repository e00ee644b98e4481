/**
 * Blackout and freeze: the panic controls. The effect runs as the canvas's last drawing step
 * (after the flash guard; projector outputs copy the canvas after it), the badge says what the
 * audience sees, the buttons and shortcuts toggle the two `/engine/...` parameters.
 */
import { addAfterEffect, useThree } from '@react-three/fiber';
import { useEffect, useRef, useState } from 'react';
import { reportOnce } from '../engine/messages.ts';
import { HOLD_PARAMS, HoldPass, type HoldState } from '../engine/render/hold.ts';
import type { EngineHost } from './engine-host.ts';
import { useAnimationFrame } from './panels/use-animation-frame.ts';
import { type Shortcut, useShortcuts } from './shortcuts.ts';

/** What the output's hold pass did last frame (read by the badge, the buttons and tests). */
export const holdStatus: HoldState = { blackout: false, frozen: false, heldFrames: 0 };

function ids(host: EngineHost): { blackout: number; freeze: number } {
  if (!host.bank.has('/engine/blackout')) host.bank.register(HOLD_PARAMS);
  return { blackout: host.bank.idOf('/engine/blackout'), freeze: host.bank.idOf('/engine/freeze') };
}

/** Toggle a hold parameter (buttons, shortcuts). */
export function toggleHold(host: EngineHost, which: 'blackout' | 'freeze'): void {
  const id = ids(host)[which];
  host.bank.set(id, host.bank.get(id) >= 0.5 ? 0 : 1);
}

export function HoldEffect({ host }: { host: EngineHost }) {
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    const pass = new HoldPass();
    const { blackout, freeze } = ids(host);
    const off = addAfterEffect(() => {
      try {
        pass.apply(gl, host.bank.get(blackout) >= 0.5, host.bank.get(freeze) >= 0.5);
        holdStatus.blackout = pass.state.blackout;
        holdStatus.frozen = pass.state.frozen;
        holdStatus.heldFrames = pass.state.heldFrames;
      } catch (err) {
        reportOnce('blackout/freeze', err);
      }
    });
    return () => {
      off();
      pass.dispose();
      holdStatus.blackout = false;
      holdStatus.frozen = false;
    };
  }, [host, gl]);
  return null;
}

/** Over the preview: BLACKOUT / FROZEN while the audience does not see the live picture. */
export function HoldBadge() {
  const ref = useRef<HTMLDivElement>(null);
  useAnimationFrame(() => {
    const el = ref.current;
    if (!el) return;
    const state = holdStatus.blackout ? 'blackout' : holdStatus.frozen ? 'frozen' : 'live';
    if (el.dataset.state === state) return;
    el.dataset.state = state;
    el.textContent = state === 'blackout' ? 'BLACKOUT' : state === 'frozen' ? 'FROZEN' : '';
    el.hidden = state === 'live';
  });
  return <div ref={ref} className="hold-badge" data-testid="hold" data-state="live" hidden />;
}

export function holdShortcuts(host: EngineHost): Shortcut[] {
  const group = 'Show';
  return [
    { keys: ['k'], label: 'blackout on / off', group, run: () => toggleHold(host, 'blackout') },
    { keys: ['f'], label: 'freeze the picture on / off', group, run: () => toggleHold(host, 'freeze') },
  ];
}

/** Header buttons: always in reach, lit while active. */
export function HoldButtons({ host }: { host: EngineHost }) {
  useShortcuts(() => holdShortcuts(host), [host]);
  const [state, setState] = useState({ blackout: false, freeze: false });
  useEffect(() => {
    const { blackout, freeze } = ids(host);
    const id = setInterval(() => {
      const b = host.bank.get(blackout) >= 0.5;
      const f = host.bank.get(freeze) >= 0.5;
      setState((s) => (s.blackout === b && s.freeze === f ? s : { blackout: b, freeze: f }));
    }, 100);
    return () => clearInterval(id);
  }, [host]);
  return (
    <span className="hold-buttons">
      <button className={state.blackout ? 'panic active' : 'panic'} aria-pressed={state.blackout} onClick={() => toggleHold(host, 'blackout')} title="K">
        Blackout
      </button>
      <button className={state.freeze ? 'freeze active' : 'freeze'} aria-pressed={state.freeze} onClick={() => toggleHold(host, 'freeze')} title="F">
        Freeze
      </button>
    </span>
  );
}
