import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { WebGLRenderer } from 'three';
import { mapCompileLog, type IsfShader } from '../../engine/isf/index.ts';
import { report, reportOnce } from '../../engine/messages.ts';
import type { SceneProps } from '../types.ts';
import { BUNDLED_ISF } from './bundled.ts';
import { formatIsfProblems, isfParams, isfSceneId } from './info.ts';
import { IsfRuntime } from './isf-runtime.ts';
import { getUserIsf, revertUserIsf, subscribeUserIsf } from './user-shader.ts';

/** Renders one parsed ISF shader; its inputs are parameters under /scene/<sceneId>/. */
export function IsfShaderView({ host, shader, sceneId, onRefused }: SceneProps & { shader: IsfShader; sceneId: string; onRefused?: (reason: string) => void }) {
  const gl = useThree((s) => s.gl);
  const framesDrawn = useRef(0);
  const { runtime, error } = useMemo(() => {
    const { params, error } = isfParams(sceneId, shader);
    const ids = host.bank.register(params) as Record<string, number>;
    const runtime = new IsfRuntime({ bank: host.bank, uniforms: host.uniforms, shader, ids, floatTargets: gl.extensions.has('EXT_color_buffer_float') });
    return { runtime, error };
  }, [host, shader, sceneId, gl]);

  useEffect(() => {
    framesDrawn.current = 0;
    if (error) report('warning', `ISF ${sceneId}: ${error}`);
    for (const w of runtime.warnings) report('warning', `ISF ${sceneId}: ${w}`);
    return () => runtime.dispose();
  }, [runtime, error, sceneId]);

  useFrame(() => {
    try {
      runtime.frame(gl);
      // Second line of defence: three's own compile check, once the program has been used.
      if (++framesDrawn.current === 3) {
        const refused = programProblems(gl, runtime);
        if (refused !== null) {
          if (onRefused) onRefused(refused);
          else report('error', `ISF ${sceneId}: ${refused}`);
        }
      }
    } catch (err) {
      reportOnce(`ISF scene ${sceneId}`, err);
    }
  });

  return <primitive object={runtime.mesh} />;
}

/** A bundled ISF file as a scene. */
export function bundledIsfComponent(fileName: string, sceneId: string) {
  const entry = BUNDLED_ISF.find((b) => b.fileName === fileName);
  return function BundledIsfScene({ host }: SceneProps) {
    useEffect(() => {
      if (entry && !entry.shader.ok) report('error', `Bundled ISF ${fileName} does not parse: ${formatIsfProblems(fileName, entry.shader.problems).join(' · ')}`);
    }, []);
    if (!entry || !entry.shader.ok) return null;
    return <IsfShaderView host={host} shader={entry.shader} sceneId={sceneId} />;
  };
}

/** The ISF file the performer loaded; until one is, the first bundled shader plays. */
export function IsfUserScene({ host }: SceneProps) {
  const loaded = useSyncExternalStore(subscribeUserIsf, getUserIsf);
  if (loaded) return <IsfShaderView host={host} shader={loaded.shader} sceneId={loaded.sceneId} onRefused={revertUserIsf} />;
  const fallback = BUNDLED_ISF.find((b) => b.shader.ok);
  if (!fallback) return null;
  return <IsfShaderView host={host} shader={fallback.shader} sceneId={isfSceneId(fallback.fileName)} />;
}

/**
 * Null when the final pass's program runs; otherwise what three's compile check found, on the
 * ISF file's lines (three puts its own lines between #version and the source).
 */
function programProblems(gl: WebGLRenderer, runtime: IsfRuntime): string | null {
  type Stage = { log: string; prefix: string };
  const props = gl.properties.get(runtime.mesh.material) as { currentProgram?: { diagnostics?: { runnable: boolean; programLog?: string; fragmentShader?: Stage; vertexShader?: Stage } } };
  const d = props.currentProgram?.diagnostics;
  if (!d || d.runnable !== false) return null;
  const src = runtime.sources;
  const lines = (stage: Stage | undefined) => (stage?.prefix ? stage.prefix.split('\n').length - 1 : 0);
  const problems = [
    ...mapCompileLog(d.fragmentShader?.log ?? '', { fragmentLineOffset: src.fragmentLineOffset + lines(d.fragmentShader), vertexLineOffset: 0 }, 'fragment'),
    ...mapCompileLog(d.vertexShader?.log ?? '', { fragmentLineOffset: 0, vertexLineOffset: src.vertexLineOffset + lines(d.vertexShader) }, 'vertex'),
  ].filter((p) => p.severity === 'error');
  if (problems.length === 0) return `the shader program did not link: ${(d.programLog ?? '').trim().slice(0, 200)}`;
  return problems
    .slice(0, 3)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join(' · ');
}
