/** The memory haze: parameters and default sound mapping (pure data, no React). */
import { defineParams } from '../../engine/params/index.ts';
import type { RouteSpec } from '../../engine/modulation/index.ts';
import type { SceneInfo } from '../types.ts';

export const MEMORY_HAZE_ID = 'memory-haze';
const SCOPE = `/scene/${MEMORY_HAZE_ID}`;

/** Most fragments the shader draws (its uniform arrays hold this many). */
export const MAX_FRAGMENTS = 12;

export const memoryHazeParams = defineParams(SCOPE, {
  fragments: { type: 'number', min: 0, max: MAX_FRAGMENTS, default: 7, step: 1, unit: 'shapes', description: 'How many half-remembered shapes drift in the haze' },
  develop: { type: 'number', min: 0, max: 1, default: 0.35, description: 'How far the shapes come into focus (they never quite do)' },
  exposure: { type: 'number', min: -2, max: 3, default: 0.3, unit: 'EV', description: 'Overall exposure: the picture is meant to be overexposed' },
  breath: { type: 'number', min: 0, max: 1, default: 0, description: 'Swelling of the exposure, as if the light were breathing' },
  leak: { type: 'number', min: 0, max: 1, default: 0, description: 'A light leak blooming in from the edge of the film' },
  halation: { type: 'number', min: 0, max: 1, default: 0.5, description: 'Red glow spreading around bright shapes' },
  warmth: { type: 'number', min: -1, max: 1, default: 0.35, description: 'Colour temperature: pale cold (-1) to amber (1)' },
  tintHue: { type: 'number', min: 0, max: 1, default: 0.08, description: 'Hue the haze is tinted with (turns)' },
  tintAmount: { type: 'number', min: 0, max: 1, default: 0.25, description: 'How strongly the hue tints the haze' },
  drift: { type: 'number', min: 0, max: 1, default: 0.15, curve: 'exp', description: 'Speed at which the shapes drift and fade' },
  pulse: { type: 'number', min: 0, max: 1, default: 0, description: 'A slow breathing zoom of the whole picture' },
  shimmer: { type: 'number', min: 0, max: 1, default: 0.05, description: 'Fine shimmering of the haze' },
  grain: { type: 'number', min: 0, max: 1, default: 0.55, description: 'Film grain' },
  fade: { type: 'number', min: 0, max: 1, default: 0.55, description: 'Faded blacks, like an old print' },
  flare: { type: 'trigger', description: 'A single light leak across the picture' },
});

const t = (name: (typeof memoryHazeParams.names)[number]) => `${SCOPE}/${name}`;

/**
 * The default sound mapping. The low band breathes the exposure, onsets bloom light leaks,
 * brightness cools the warmth, chroma tints, the beat pulses the drift, noise shimmers,
 * loudness quickens the drift and clears the grain (near-silence stays slow and grainy).
 */
export const memoryHazeRoutes: readonly RouteSpec[] = [
  { source: 'feature:bands3.0', target: t('breath'), amount: 0.7, curve: 's-curve', attack: 0.15, release: 1.2 },
  { source: 'onset', target: t('leak'), amount: 0.55, curve: 'exp', attack: 0.02, release: 0.9 },
  { source: 'onset.low', target: t('leak'), amount: 0.15, attack: 0.02, release: 0.6 },
  { source: 'feature:centroid', target: t('warmth'), amount: -0.3, offset: 0.1, attack: 0.6, release: 1.5 },
  { source: 'chroma', target: t('tintHue'), amount: 1, attack: 0.8, release: 0.8 },
  { source: 'beatPhase', target: t('pulse'), amount: 0.35, curve: 's-curve', attack: 0.05, release: 0.3 },
  { source: 'feature:flatness', target: t('shimmer'), amount: 0.55, attack: 0.6, release: 1.5 },
  { source: 'feature:loudness', target: t('drift'), amount: 0.25, attack: 1, release: 3 },
  { source: 'feature:loudness', target: t('grain'), amount: -0.3, attack: 1, release: 3 },
];

export const memoryHazeInfo: SceneInfo = {
  id: MEMORY_HAZE_ID,
  title: 'Memory haze',
  description:
    'Overexposed fragments of a photograph that never develops (a window, a figure, a lamp, a doorway) drift and dissolve in warm haze. Lows breathe the exposure, onsets bloom light leaks, brightness cools it, chroma tints it, the beat pulses the drift; near-silence leaves it slow and grainy, noise makes it shimmer.',
  states: ['nostalgia without memory'],
  params: memoryHazeParams,
  defaultRoutes: memoryHazeRoutes,
};
