import { addAfterEffect, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { reportOnce } from '../engine/messages.ts';
import { FlashGuardPass } from '../engine/render/flash-guard-pass.ts';
import { FLASH_GUARD_PARAMS } from '../engine/render/flash-guard.ts';
import type { EngineHost } from './engine-host.ts';
import { flashGuardStatus } from './flash-guard-status.ts';
import { useAnimationFrame } from './panels/use-animation-frame.ts';

/** `?install` (or `?mode=install`): an installation runs unattended, so the guard starts on. */
export function isInstallation(search: string = globalThis.location?.search ?? ''): boolean {
  const q = new URLSearchParams(search);
  return q.has('install') && q.get('install') !== '0' ? true : q.get('mode') === 'install';
}

/**
 * The photosensitivity guard as the output's last step: runs after every scene has rendered
 * (r3f's after-effects), so it sees exactly what the audience sees.
 */
export function FlashGuard({ host }: { host: EngineHost }) {
  const gl = useThree((s) => s.gl);
  const registered = useRef(false);
  if (!registered.current) {
    registered.current = true;
    const fresh = !host.bank.has('/engine/flash-guard');
    const ids = host.bank.register(FLASH_GUARD_PARAMS);
    if (fresh && isInstallation()) host.bank.set(ids['flash-guard'], 1);
  }
  useEffect(() => {
    const pass = new FlashGuardPass();
    const id = host.bank.idOf('/engine/flash-guard');
    let wasOn = false;
    const off = addAfterEffect((timestamp) => {
      try {
        const on = host.bank.get(id) >= 0.5;
        flashGuardStatus.enabled = on;
        if (!on) {
          wasOn = false;
          flashGuardStatus.limiting = false;
          flashGuardStatus.k = 0;
          return;
        }
        if (!wasOn) pass.reset();
        wasOn = true;
        const k = pass.apply(gl, timestamp / 1000);
        flashGuardStatus.k = k;
        flashGuardStatus.limiting = pass.guard.limiting;
        flashGuardStatus.luminance = pass.luminance;
        flashGuardStatus.measureMs = pass.measureMs;
        flashGuardStatus.limitedFrames = pass.guard.limitedFrames;
      } catch (err) {
        reportOnce('flash guard', err);
      }
    });
    return () => {
      off();
      pass.dispose();
      flashGuardStatus.enabled = false;
      flashGuardStatus.limiting = false;
    };
  }, [host, gl]);
  return null;
}

/** Indicator over the output: the guard is on, and lights up while it is limiting. */
export function FlashGuardBadge() {
  const ref = useRef<HTMLDivElement>(null);
  const lastLimit = useRef(-1e9);
  useAnimationFrame(() => {
    const el = ref.current;
    if (!el) return;
    const now = performance.now();
    if (flashGuardStatus.limiting) lastLimit.current = now;
    // Hold the light for half a second so a brief limit is visible.
    const state = !flashGuardStatus.enabled ? 'off' : now - lastLimit.current < 500 ? 'limiting' : 'on';
    if (el.dataset.state !== state) {
      el.dataset.state = state;
      el.textContent = state === 'limiting' ? 'Flash guard: limiting' : state === 'on' ? 'Flash guard' : '';
      el.hidden = state === 'off';
    }
  });
  return <div ref={ref} className="flash-guard-badge" data-testid="flash-guard" data-state="off" hidden />;
}
