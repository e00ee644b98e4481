import fragment from '../../shaders/spectral-veil.frag?raw';
import { FullscreenQuad, useFullscreenShader } from '../fullscreen-scene.tsx';
import type { SceneProps } from '../types.ts';
import { spectralVeilInfo } from './info.ts';

/** The spectral veil: the shader reads the spectrum itself; the frame passes its four parameters. */
export function SpectralVeil({ host }: SceneProps) {
  const { material } = useFullscreenShader({
    host,
    where: 'spectral veil scene update',
    fragment,
    params: spectralVeilInfo.params,
    setup: () => ({
      uniforms: {
        uIntensity: { value: 1 },
        uFlashAmount: { value: 1 },
        uDrift: { value: 0.4 },
        uHue: { value: 0 },
      },
    }),
    frame: ({ uniforms: u, ids }) => {
      const bank = host.bank;
      u.uIntensity.value = bank.getOutput(ids.intensity);
      u.uFlashAmount.value = bank.getOutput(ids.flash);
      u.uDrift.value = bank.getOutput(ids.drift);
      u.uHue.value = bank.getOutput(ids.hue);
    },
  });
  return <FullscreenQuad material={material} />;
}
