/**
 * The shared body of a scene drawn by one fullscreen fragment shader: the standard uniforms and
 * GLSL library, the scene's own uniforms, its parameters' bank ids, a guarded per-frame update
 * and disposal on unmount. A scene keeps only its own uniforms, state and per-frame logic.
 */
import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { type Material, ShaderMaterial } from 'three';
import type { EngineHost } from '../app/engine-host.ts';
import { reportOnce } from '../engine/messages.ts';
import type { ParamDecls, ParamId } from '../engine/params/index.ts';
import vertex from '../shaders/fullscreen.vert?raw';
import { createStandardUniforms, type StandardUniformBinding, type UniformMap, updateStandardUniforms, withStandardLibrary } from './standard-uniforms.ts';

/** Bank ids of a scene's parameters, by name (-1 for a path the bank does not know). */
export type ParamIds<K extends string> = Readonly<Record<K, ParamId>>;

/** What a scene builds once per host besides the shared parts. */
export interface FullscreenSetup<U extends UniformMap, S> {
  /** The scene's own uniforms, merged after the standard ones. */
  uniforms: U;
  /** Whatever else its frame needs: state objects, reusable typed arrays. */
  state?: S;
}

/** One scene's shader, material and parameter ids, as its frame sees them. */
export interface FullscreenShader<K extends string, U extends UniformMap, S> {
  material: ShaderMaterial;
  binding: StandardUniformBinding;
  /** The material's uniforms: the standard ones and the scene's. */
  uniforms: UniformMap & U;
  ids: ParamIds<K>;
  state: S;
}

export interface FullscreenShaderOptions<K extends string, U extends UniformMap, S> {
  host: EngineHost;
  /** What the once-only error report calls this scene's frame update. */
  where: string;
  /** The scene's fragment source; the standard uniforms and library are prepended. */
  fragment: string;
  /** The scene's parameters; their ids are looked up once per host. */
  params: ParamDecls<K>;
  /** Builds the scene's uniforms and state, once per host. */
  setup: (ids: ParamIds<K>) => FullscreenSetup<U, S>;
  /** Runs every frame after the standard uniforms are copied. Must allocate nothing. */
  frame?: (shader: FullscreenShader<K, U, S>) => void;
}

/**
 * Build a fullscreen scene's material once per host (and fragment), update it every frame
 * (errors are reported once; the picture keeps its last good state) and dispose of it and
 * its spectrum texture on unmount.
 */
export function useFullscreenShader<K extends string, U extends UniformMap, S = undefined>(o: FullscreenShaderOptions<K, U, S>): FullscreenShader<K, U, S> {
  const { host, where, fragment, params, frame } = o;
  const shader = useMemo(() => {
    const binding = createStandardUniforms(host.uniforms);
    const ids = {} as Record<K, ParamId>;
    for (const p of params.params) ids[p.name as K] = host.bank.idOf(p.path);
    const own = o.setup(ids);
    const uniforms = { ...binding.uniforms, ...own.uniforms };
    const material = new ShaderMaterial({
      vertexShader: vertex,
      fragmentShader: withStandardLibrary(fragment),
      uniforms,
      depthTest: false,
      depthWrite: false,
    });
    binding.uniforms = uniforms;
    return { material, binding, uniforms, ids, state: own.state as S };
    // `setup` is an initialiser: read only when the shader is (re)built.
  }, [host, fragment, params]);

  useEffect(
    () => () => {
      shader.material.dispose();
      shader.binding.spectrumTexture.dispose();
    },
    [shader],
  );

  useFrame(() => {
    try {
      updateStandardUniforms(shader.binding, host.uniforms);
      frame?.(shader);
    } catch (err) {
      reportOnce(where, err);
    }
  });

  return shader;
}

/** A quad covering the output in clip space (fullscreen.vert ignores the camera), never culled. */
export function FullscreenQuad({ material }: { material: Material }) {
  return (
    <mesh frustumCulled={false}>
      <planeGeometry args={[2, 2]} />
      <primitive object={material} attach="material" />
    </mesh>
  );
}
