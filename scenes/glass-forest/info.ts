/** The glass forest: parameters and default sound mapping (pure data, no React). */
import { defineParams } from '../../engine/params/index.ts';
import type { RouteSpec } from '../../engine/modulation/index.ts';
import type { SceneInfo } from '../types.ts';

export const GLASS_FOREST_ID = 'glass-forest';
const SCOPE = `/scene/${GLASS_FOREST_ID}`;

/** Most trees the scene grows (instances are preallocated for this many). */
export const MAX_TREES = 600;

export const glassForestParams = defineParams(SCOPE, {
  trees: { type: 'number', min: 0, max: MAX_TREES, default: 48, step: 1, curve: 'exp', unit: 'trees', description: 'How many glass trees float in the air' },
  growth: { type: 'number', min: 0, max: 1, default: 0.82, description: 'How far the trees have grown from root to twig' },
  sway: { type: 'number', min: 0, max: 1, default: 0.12, description: 'How far branches sway' },
  pulse: { type: 'number', min: 0, max: 1, default: 0, description: 'Swelling of trunks and branches' },
  shimmer: { type: 'number', min: 0, max: 1, default: 0.08, description: 'Sparkle running through the glass' },
  flash: { type: 'number', min: 0, max: 1, default: 0, description: 'Light flaring inside the glass' },
  dispersion: { type: 'number', min: 0, max: 1, default: 0.22, description: 'Separation of colours in the refraction' },
  ior: { type: 'number', min: 1, max: 2.4, default: 1.5, unit: 'n', description: 'Index of refraction of the glass' },
  refraction: { type: 'number', min: 0, max: 1, default: 0.55, description: 'How far the glass bends what lies behind it' },
  fresnel: { type: 'number', min: 0, max: 1, default: 0.7, description: 'Brightness of grazing-angle reflections' },
  haze: { type: 'number', min: 0, max: 1, default: 0.45, description: 'Density of the haze between the trees' },
  drift: { type: 'number', min: 0, max: 1, default: 0.2, curve: 'exp', description: 'Speed at which the forest drifts by' },
  glow: { type: 'number', min: 0, max: 2, default: 0.6, description: 'Light the glass and the sky give off' },
  exposure: { type: 'number', min: -3, max: 3, default: 0, unit: 'EV', description: 'Overall exposure' },
  temperature: { type: 'number', min: -1, max: 1, default: -0.25, description: 'Colour temperature: cold blue (-1) to warm amber (1)' },
  tint: { type: 'color', default: '#cfe4ff', description: 'Colour of the glass' },
  tintHue: { type: 'number', min: 0, max: 1, default: 0, description: 'Hue of the colour the glass takes on (turns)' },
  tintAmount: { type: 'number', min: 0, max: 1, default: 0.3, description: 'How strongly the hue colours the glass' },
  sky: { type: 'enum', options: ['moonlit', 'sodium', 'aurora'], default: 'moonlit', description: 'Light behind the forest' },
  roots: { type: 'boolean', default: true, description: 'Show the hanging roots' },
  cameraDrift: { type: 'number', min: 0, max: 1, default: 0.35, description: 'Slow wandering of the point of view' },
  strike: { type: 'trigger', description: 'A single flash of light through the glass' },
});

const t = (name: (typeof glassForestParams.names)[number]) => `${SCOPE}/${name}`;

/**
 * The default sound mapping (sources: see engine/modulation/sources.ts). The low band sways and
 * pulses the trees, onsets shimmer and flash, brightness moves dispersion and temperature,
 * loudness drives glow and exposure, chroma tints, the beat breathes growth.
 */
export const glassForestRoutes: readonly RouteSpec[] = [
  { source: 'feature:bands3.0', target: t('sway'), amount: 0.45, curve: 'exp', attack: 0.08, release: 0.6 },
  { source: 'onset.low', target: t('pulse'), amount: 0.7, curve: 's-curve', attack: 0.01, release: 0.25 },
  { source: 'onset', target: t('shimmer'), amount: 0.7, attack: 0.005, release: 0.35 },
  { source: 'onset.high', target: t('shimmer'), amount: 0.25, attack: 0.005, release: 0.2 },
  { source: 'onset', target: t('flash'), amount: 0.8, curve: 'exp', attack: 0.005, release: 0.18 },
  { source: 'feature:centroid', target: t('dispersion'), amount: 0.45, attack: 0.2, release: 0.8 },
  { source: 'feature:centroid', target: t('temperature'), amount: 0.35, offset: -0.1, attack: 0.4, release: 1.2 },
  { source: 'feature:loudness', target: t('glow'), amount: 0.3, curve: 's-curve', attack: 0.1, release: 0.5 },
  { source: 'feature:loudness', target: t('exposure'), amount: 0.08, attack: 0.2, release: 0.8 },
  { source: 'chroma', target: t('tintHue'), amount: 1, attack: 0.5, release: 0.5 },
  { source: 'beatPhase', target: t('growth'), amount: 0.07, curve: 's-curve', attack: 0.05, release: 0.25 },
];

export const glassForestInfo: SceneInfo = {
  id: GLASS_FOREST_ID,
  title: 'The glass forest',
  description:
    'Glass trees float in the dark with their roots hanging, refracting a hazy sky. Lows sway and swell them, onsets run shimmer and light through the glass, brightness splits its colours and warms it, loudness makes it glow, chroma tints it, the beat breathes its growth.',
  states: ['nostalgia without memory', 'loneliness in public space', 'intimacy without contact'],
  params: glassForestParams,
  defaultRoutes: glassForestRoutes,
};
