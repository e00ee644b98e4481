import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useRef } from 'react';
import type { WebGLRenderer } from 'three';
import { describeError, report, reportOnce } from '../engine/messages.ts';
import type { EngineHost } from './engine-host.ts';
import { FlashGuard, FlashGuardBadge } from './FlashGuard.tsx';
import { SceneStack } from './render/SceneStack.tsx';
import { applyOutputRenderSize, OutputPresenter } from './output/OutputPresenter.tsx';
import { HoldBadge, HoldEffect } from './ShowControls.tsx';

/** Lowest preview pixel ratio the adaptive resolution goes down to. */
const MIN_DPR = 0.3;
/** `?dpr=<ratio>` fixes the pixel ratio (screenshots and frame-time benchmarks need a known size). */
const FIXED_DPR = Number(new URLSearchParams(globalThis.location?.search ?? '').get('dpr')) || 0;

/**
 * Runs the engine tick once per frame, before any scene reads its uniforms. It also adapts
 * the preview's pixel ratio so a slow GPU keeps a fluid frame rate instead of stuttering.
 */
function TickDriver({ host }: { host: EngineHost }) {
  const size = useThree((s) => s.size);
  const dpr = useThree((s) => s.viewport.dpr);
  const setDpr = useThree((s) => s.setDpr);
  const gl = useThree((s) => s.gl);
  const gov = useRef({ last: 0, sum: 0, n: 0 });
  useFrame((state) => {
    // While projector outputs are open the engine renders at their resolution (app/output/).
    const outputLock = applyOutputRenderSize(state, FIXED_DPR || 1);
    const now = performance.now();
    try {
      host.frame(now, size.width * dpr, size.height * dpr);
    } catch (err) {
      reportOnce('tick', err);
    }
    try {
      host.keyframes.pump(gl);
    } catch (err) {
      reportOnce('keyframe upload', err);
    }
    const g = gov.current;
    if (g.last > 0) {
      g.sum += now - g.last;
      g.n++;
    }
    g.last = now;
    if (g.sum > 1000 && g.n > 0 && FIXED_DPR === 0 && !outputLock) {
      const frameMs = g.sum / g.n;
      const maxDpr = Math.min(2, window.devicePixelRatio || 1);
      let next = dpr;
      if (frameMs > 34 && dpr > MIN_DPR) next = Math.max(MIN_DPR, dpr * 0.8);
      else if (frameMs < 18 && dpr < maxDpr) next = Math.min(maxDpr, dpr * 1.15);
      if (next !== dpr) setDpr(next);
      host.renderScale = next;
      g.sum = 0;
      g.n = 0;
    }
  });
  return null;
}

function watchRenderer(gl: WebGLRenderer): void {
  const canvas = gl.domElement;
  canvas.addEventListener('webglcontextlost', (e) => {
    e.preventDefault(); // ask the browser to restore the context
    report('error', 'The graphics context was lost (GPU reset or driver problem). Waiting for it to come back; audio analysis continues.');
  });
  canvas.addEventListener('webglcontextrestored', () => {
    report('info', 'Graphics context restored; rendering resumed.');
  });
  gl.debug.onShaderError = (glc, _program, vs, fs) => {
    const log = (glc.getShaderInfoLog(fs) || glc.getShaderInfoLog(vs) || 'unknown error').trim();
    report('error', `A shader failed to compile: ${log.slice(0, 300)}`);
  };
}

/**
 * The output: the tick, the scene stack (scenes in their own targets, transitions, post-processing)
 * and the flash guard as the very last step. Which scenes play is `host.switcher`'s business.
 */
export function OutputView({ host }: { host: EngineHost }) {
  return (
    <>
    <Canvas
      className="output-canvas"
      data-testid="output"
      dpr={FIXED_DPR || 1}
      flat
      /* Every shader writes its own output colour (none uses three's colour-space step), so with a
         linear output the canvas and the scenes' targets share one program per material: a scene
         going from its target to the canvas after a blend compiles nothing again. */
      linear
      gl={{ preserveDrawingBuffer: true, antialias: false, powerPreference: 'high-performance' }}
      onCreated={({ gl }) => {
        try {
          watchRenderer(gl);
        } catch (err) {
          report('warning', `Renderer diagnostics unavailable: ${describeError(err)}`);
        }
      }}
      fallback={<div className="no-webgl">WebGL2 is not available in this browser, so the output cannot render. Analysis still runs.</div>}
    >
      <TickDriver host={host} />
      <SceneStack host={host} />
      <FlashGuard host={host} />
      <HoldEffect host={host} />
      {/* Last: hands the finished frame to the projector output windows. */}
      <OutputPresenter host={host} />
    </Canvas>
    <FlashGuardBadge />
    <HoldBadge />
    </>
  );
}
