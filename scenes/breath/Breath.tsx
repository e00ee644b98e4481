import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { ShaderMaterial } from 'three';
import { reportOnce } from '../../engine/messages.ts';
import fragment from '../../shaders/breath.frag?raw';
import vertex from '../../shaders/fullscreen.vert?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import { createStandardUniforms, updateStandardUniforms, withStandardLibrary } from '../standard-uniforms.ts';
import type { SceneProps } from '../types.ts';
import { BREATH_ID, breathParams } from './info.ts';
import { FogResponse, TraceRing } from './response.ts';

type Name = (typeof breathParams.names)[number];

export function Breath({ host }: SceneProps) {
  const { material, binding, ids, state } = useMemo(() => {
    const binding = createStandardUniforms(host.uniforms);
    const ids = {} as Record<Name, number>;
    for (const name of breathParams.names) ids[name] = host.bank.idOf(`/scene/${BREATH_ID}/${name}`);
    const seed = Math.round(host.bank.getOutput(ids.seed));
    const state = { fog: new FogResponse(), traces: new TraceRing(seed), seed };
    const uniforms = {
      ...binding.uniforms,
      uFog: { value: 0 },
      uHaze: { value: 0 },
      uTraces: { value: state.traces.data },
      uTraceLife: { value: 7 },
      uWarmth: { value: 0 },
      uVoice: { value: 0 },
      uHue: { value: 0 },
      uPulse: { value: 0 },
      uCold: { value: 0 },
      uDrops: { value: 0 },
      uSeed: { value: seed },
    };
    const material = new ShaderMaterial({
      vertexShader: vertex,
      fragmentShader: withStandardLibrary(gradeGlsl + '\n' + fragment),
      uniforms,
      depthTest: false,
      depthWrite: false,
    });
    binding.uniforms = uniforms;
    return { material, binding, ids, state };
  }, [host]);

  useEffect(
    () => () => {
      material.dispose();
      binding.spectrumTexture.dispose();
    },
    [material, binding],
  );

  useFrame(() => {
    try {
      const su = host.uniforms;
      updateStandardUniforms(binding, su);
      const bank = host.bank;
      const u = binding.uniforms;
      const dt = su.dt;
      const seed = Math.round(bank.getOutput(ids.seed));
      // A new seed is a new pane: its traces start over (rare, performer-driven, so the allocation is fine).
      if (seed !== state.seed) {
        state.seed = seed;
        state.traces = new TraceRing(seed);
        u.uTraces.value = state.traces.data;
      }
      state.fog.step(dt, bank.getOutput(ids.breath), bank.getOutput(ids.sensitivity));
      state.traces.step(dt, bank.getOutput(ids.trace));
      u.uFog.value = state.fog.fog;
      u.uHaze.value = bank.getOutput(ids.haze);
      u.uTraceLife.value = bank.getOutput(ids.traceLife);
      u.uWarmth.value = bank.getOutput(ids.warmth);
      u.uVoice.value = bank.getOutput(ids.voice);
      u.uHue.value = bank.getOutput(ids.hue);
      u.uPulse.value = bank.getOutput(ids.pulse);
      u.uCold.value = bank.getOutput(ids.cold);
      u.uDrops.value = bank.getOutput(ids.drops);
      u.uSeed.value = seed % 97;
    } catch (err) {
      reportOnce('breath scene update', err);
    }
  });

  return (
    <mesh frustumCulled={false}>
      <planeGeometry args={[2, 2]} />
      <primitive object={material} attach="material" />
    </mesh>
  );
}
