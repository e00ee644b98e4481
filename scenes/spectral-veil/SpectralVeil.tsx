import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { reportOnce } from '../../engine/messages.ts';
import { ShaderMaterial } from 'three';
import fragment from '../../shaders/spectral-veil.frag?raw';
import vertex from '../../shaders/fullscreen.vert?raw';
import { createStandardUniforms, updateStandardUniforms, withStandardLibrary } from '../standard-uniforms.ts';
import type { SceneProps } from '../types.ts';
import { SPECTRAL_VEIL_ID } from './info.ts';

export function SpectralVeil({ host }: SceneProps) {
  const { material, binding, ids } = useMemo(() => {
    const binding = createStandardUniforms(host.uniforms);
    const uniforms = {
      ...binding.uniforms,
      uIntensity: { value: 1 },
      uFlashAmount: { value: 1 },
      uDrift: { value: 0.4 },
      uHue: { value: 0 },
    };
    const material = new ShaderMaterial({
      vertexShader: vertex,
      fragmentShader: withStandardLibrary(fragment),
      uniforms,
      depthTest: false,
      depthWrite: false,
    });
    binding.uniforms = uniforms;
    const p = `/scene/${SPECTRAL_VEIL_ID}/`;
    const ids = {
      intensity: host.bank.idOf(p + 'intensity'),
      flash: host.bank.idOf(p + 'flash'),
      drift: host.bank.idOf(p + 'drift'),
      hue: host.bank.idOf(p + 'hue'),
    };
    return { material, binding, ids };
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
      updateStandardUniforms(binding, host.uniforms);
      const u = binding.uniforms;
      const bank = host.bank;
      u.uIntensity.value = bank.getOutput(ids.intensity);
      u.uFlashAmount.value = bank.getOutput(ids.flash);
      u.uDrift.value = bank.getOutput(ids.drift);
      u.uHue.value = bank.getOutput(ids.hue);
    } catch (err) {
      reportOnce('spectral veil scene update', err);
    }
  });

  return (
    <mesh frustumCulled={false}>
      <planeGeometry args={[2, 2]} />
      <primitive object={material} attach="material" />
    </mesh>
  );
}
