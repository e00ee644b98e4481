import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { ShaderMaterial, Vector4 } from 'three';
import { reportOnce } from '../../engine/messages.ts';
import fragment from '../../shaders/memory-haze.frag?raw';
import vertex from '../../shaders/fullscreen.vert?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import { createStandardUniforms, updateStandardUniforms, withStandardLibrary } from '../standard-uniforms.ts';
import type { SceneProps } from '../types.ts';
import { FRAGMENT_STRIDE, layoutFragments } from './fragments.ts';
import { MAX_FRAGMENTS, memoryHazeParams } from './info.ts';

const FRAGMENT_SEED = 1987;
/** Slowest drift (units of drift time per second) so even silence keeps breathing. */
const MIN_DRIFT_RATE = 0.05;
const DRIFT_RATE = 0.9;
/** Decay of a performer's flare, seconds. */
const FLARE_DECAY = 0.6;

type Name = (typeof memoryHazeParams.names)[number];

export function MemoryHaze({ host }: SceneProps) {
  const size = useThree((s) => s.size);
  const rig = useMemo(() => {
    const binding = createStandardUniforms(host.uniforms);
    const layout = layoutFragments(FRAGMENT_SEED, MAX_FRAGMENTS);
    const shapes: Vector4[] = [];
    const meta: Vector4[] = [];
    for (let i = 0; i < MAX_FRAGMENTS; i++) {
      const o = i * FRAGMENT_STRIDE;
      shapes.push(new Vector4(layout[o], layout[o + 1], layout[o + 2], layout[o + 3]));
      meta.push(new Vector4(layout[o + 4], layout[o + 5], layout[o + 6], layout[o + 7]));
    }
    const uniforms = {
      ...binding.uniforms,
      uShapes: { value: shapes },
      uShapeMeta: { value: meta },
      uFragments: { value: 7 },
      uDevelop: { value: 0.35 },
      uExposure: { value: 0 },
      uBreath: { value: 0 },
      uLeak: { value: 0 },
      uHalation: { value: 0.5 },
      uWarmth: { value: 0.3 },
      uTintHue: { value: 0 },
      uTintAmount: { value: 0.25 },
      uPulse: { value: 0 },
      uShimmer: { value: 0 },
      uGrain: { value: 0.5 },
      uFade: { value: 0.5 },
      uDriftTime: { value: 0 },
      uAspect: { value: 16 / 9 },
    };
    const material = new ShaderMaterial({
      vertexShader: vertex,
      fragmentShader: withStandardLibrary(gradeGlsl + '\n' + fragment),
      uniforms,
      depthTest: false,
      depthWrite: false,
    });
    const ids = Int32Array.from(memoryHazeParams.params, (p) => host.bank.idOf(p.path));
    const at = {} as Record<Name, number>;
    memoryHazeParams.names.forEach((n, k) => (at[n] = k));
    return { binding, material, uniforms, ids, at, values: new Float32Array(ids.length), state: { driftTime: 0, flare: 0 } };
  }, [host]);

  useEffect(
    () => () => {
      rig.material.dispose();
      rig.binding.spectrumTexture.dispose();
    },
    [rig],
  );

  useFrame(() => {
    try {
      const u = host.uniforms;
      updateStandardUniforms(rig.binding, u);
      const dt = u.dt > 0 ? u.dt : 0; // the tick already caps it
      const p = rig.values;
      for (let k = 0; k < p.length; k++) p[k] = host.bank.getOutput(rig.ids[k]);
      const at = rig.at;
      const s = rig.state;
      if (host.bank.get(rig.ids[at.flare]) > 0) s.flare = 1;
      s.flare *= Math.exp(-dt / FLARE_DECAY);
      // The beat's pulse surges the drift as well as the zoom.
      s.driftTime = (s.driftTime + dt * (MIN_DRIFT_RATE + p[at.drift] * DRIFT_RATE) * (1 + 1.5 * p[at.pulse])) % 10000;

      const m = rig.uniforms;
      m.uFragments.value = p[at.fragments];
      m.uDevelop.value = p[at.develop];
      m.uExposure.value = p[at.exposure];
      m.uBreath.value = p[at.breath];
      m.uLeak.value = Math.max(p[at.leak], s.flare);
      m.uHalation.value = p[at.halation];
      m.uWarmth.value = p[at.warmth];
      m.uTintHue.value = p[at.tintHue];
      m.uTintAmount.value = p[at.tintAmount];
      m.uPulse.value = p[at.pulse];
      m.uShimmer.value = p[at.shimmer];
      m.uGrain.value = p[at.grain];
      m.uFade.value = p[at.fade];
      m.uDriftTime.value = s.driftTime;
      m.uAspect.value = size.height > 0 ? size.width / size.height : 16 / 9;
    } catch (err) {
      reportOnce('memory haze scene update', err);
    }
  });

  return (
    <mesh frustumCulled={false}>
      <planeGeometry args={[2, 2]} />
      <primitive object={rig.material} attach="material" />
    </mesh>
  );
}
