import { defineParams } from '../../engine/params/index.ts';
import type { SceneInfo } from '../types.ts';

export const SPECTRAL_VEIL_ID = 'spectral-veil';

export const spectralVeilInfo: SceneInfo = {
  id: SPECTRAL_VEIL_ID,
  title: 'Spectral veil',
  description:
    'A curtain of glass light whose folds are the live spectrogram: lows lift the horizon, onsets send a shock ring, brightness shifts the palette, chroma tints it.',
  states: ['anticipation without outcome', 'nostalgia without memory'],
  params: defineParams(`/scene/${SPECTRAL_VEIL_ID}`, {
    intensity: { type: 'number', min: 0, max: 2, default: 1, description: 'Brightness of the spectral folds' },
    flash: { type: 'number', min: 0, max: 2, default: 1, description: 'Strength of the onset ring and flash' },
    drift: { type: 'number', min: 0, max: 1, default: 0.4, description: 'Speed of the haze drift' },
    hue: { type: 'number', min: 0, max: 1, default: 0, description: 'Hue offset of the palette' },
  }),
};
