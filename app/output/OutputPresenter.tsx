/**
 * The control view's side of the projector outputs inside the engine's Canvas: the last
 * after-effect (after the flash guard and anything else that shapes what the audience sees)
 * hands the finished frame to every output window, and the render-size hook keeps the engine at
 * the outputs' resolution while any is open. It also lets the output windows drive the engine's
 * frames while this window gets none (hidden, minimised, covered; see handover.ts).
 */
import { addAfterEffect, advance, useThree, type RootState } from '@react-three/fiber';
import { useEffect } from 'react';
import { reportOnce } from '../../engine/messages.ts';
import type { EngineHost } from '../engine-host.ts';
import { currentOutputManager, getOutputManager } from './output-manager.ts';

/** Put LAST inside the engine's <Canvas>: registers the presenting after-effect after every other one. */
export function OutputPresenter({ host: _host }: { host: EngineHost }) {
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    const m = getOutputManager();
    const canvas = gl.domElement;
    const off = addAfterEffect(() => {
      try {
        m.present(canvas);
      } catch (err) {
        reportOnce('outputs', err);
      }
    });
    // One whole engine frame (tick, render, after-effects incl. presenting), on this window's own
    // clock: called from an output window's animation frame while this window gets none.
    m.setDrive(() => advance(performance.now()));
    const onVisibility = (): void => m.setControlHidden(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', onVisibility);
    onVisibility();
    return () => {
      off();
      m.setDrive(null);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [gl]);
  return null;
}

let locked = false;

/**
 * Called at the start of every engine frame (OutputView's TickDriver). While outputs are attached
 * the engine's drawing buffer is exactly the largest attached output's resolution (pixel ratio 1)
 * instead of the adaptive preview size, so a projector gets its native pixels whatever the size of
 * the preview; the preview then shows that buffer scaled to fit (CSS, letterboxed). Returns true
 * while locked (the adaptive-resolution governor must then stay out). Allocates nothing when
 * nothing changes.
 */
export function applyOutputRenderSize(state: RootState, restoreDpr: number): boolean {
  const m = currentOutputManager();
  const w = m ? m.lockW : 0;
  const h = m ? m.lockH : 0;
  if (w > 0 && h > 0) {
    if (state.size.width !== w || state.size.height !== h) state.setSize(w, h, state.size.top, state.size.left);
    if (state.viewport.dpr !== 1) state.setDpr(1);
    if (!locked) {
      locked = true;
      state.gl.domElement.closest('.output')?.classList.add('outputs-locked');
    }
    return true;
  }
  if (locked) {
    locked = false;
    const canvas = state.gl.domElement;
    canvas.closest('.output')?.classList.remove('outputs-locked');
    // Back to the preview: the canvas's container decides the size again.
    const r = (canvas.parentElement ?? canvas).getBoundingClientRect();
    state.setSize(r.width, r.height, r.top, r.left);
    state.setDpr(restoreDpr);
  }
  return false;
}
