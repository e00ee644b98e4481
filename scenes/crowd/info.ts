/** The crowd: parameters and default sound mapping (pure data, no React). */
import { defineParams } from '../../engine/params/index.ts';
import type { RouteSpec } from '../../engine/modulation/index.ts';
import type { SceneInfo } from '../types.ts';

export const CROWD_ID = 'crowd';
const SCOPE = `/scene/${CROWD_ID}`;

/** Most figures the scene holds (instances are preallocated for this many, the still one included). */
export const MAX_FIGURES = 600;

export const crowdParams = defineParams(SCOPE, {
  figures: { type: 'number', min: 0, max: MAX_FIGURES, default: 360, step: 1, curve: 'exp', unit: 'figures', description: 'How many people pass through the concourse at most' },
  density: { type: 'number', min: 0, max: 1, default: 0.15, description: 'Share of them on the move; when it falls, people leave and are not replaced' },
  pace: { type: 'number', min: 0, max: 2, default: 0.7, unit: '×', description: 'Walking speed (1 = an ordinary walk)' },
  tempoFollow: { type: 'number', min: 0, max: 1, default: 0.8, description: 'How far the walking speed follows the tempo (120 bpm = ordinary)' },
  sway: { type: 'number', min: 0, max: 1, default: 0.15, description: 'How far bodies sway from foot to foot' },
  bounce: { type: 'number', min: 0, max: 1, default: 0, description: 'Everyone dips together, as on a beat' },
  unison: { type: 'number', min: 0, max: 1, default: 0, description: 'How far the walkers fall into step with the beat, unawares' },
  lights: { type: 'number', min: 0, max: 2, default: 0.45, description: 'Brightness of the overhead lamps' },
  dusk: { type: 'number', min: 0, max: 1, default: 0.6, description: 'How late the dusk is: sunset (0) to blue hour (1)' },
  haze: { type: 'number', min: 0, max: 1, default: 0.35, description: 'Haze in the hall' },
  exposure: { type: 'number', min: -3, max: 3, default: 0, unit: 'EV', description: 'Overall exposure' },
  tintHue: { type: 'number', min: 0, max: 1, default: 0.08, description: 'Hue of the lamps and the departure board (turns)' },
  tintAmount: { type: 'number', min: 0, max: 1, default: 0.3, description: 'How strongly the hue colours the lamps' },
  cameraDrift: { type: 'number', min: 0, max: 1, default: 0.3, description: 'Slow wandering of the point of view' },
  alone: { type: 'boolean', default: true, description: 'Show the one who stands still' },
});

const t = (name: (typeof crowdParams.names)[number]) => `${SCOPE}/${name}`;

/**
 * The default sound mapping. Loudness fills the concourse (slowly, and silence empties it
 * slowly): the fill reads the absolute level (`loudness:dbfs`), so a near-silent room empties
 * however long it has been quiet, where the adaptive loudness would stretch its faint tails to
 * full scale. Loudness also lights the lamps (adaptive: they follow the music's dynamics), the
 * low band sways the crowd and adds to it, onsets quicken the pace, the beat (or a kick) dips
 * everyone's step, brightness brings the dusk back towards sunset, chroma tints the lamps.
 */
export const crowdRoutes: readonly RouteSpec[] = [
  { source: 'loudness:dbfs', target: t('density'), amount: 0.65, curve: 's-curve', attack: 2, release: 8 },
  { source: 'feature:bands3.0', target: t('density'), amount: 0.2, attack: 1, release: 6 },
  { source: 'feature:bands3.0', target: t('sway'), amount: 0.5, curve: 'exp', attack: 0.1, release: 0.8 },
  { source: 'onset', target: t('pace'), amount: 0.25, attack: 0.05, release: 1.5 },
  { source: 'feature:tempoConfidence', target: t('unison'), amount: 0.7, curve: 's-curve', attack: 2, release: 4 },
  { source: 'beat', target: t('bounce'), amount: 0.6, attack: 0.01, release: 0.15 },
  { source: 'onset.low', target: t('bounce'), amount: 0.3, attack: 0.01, release: 0.15 },
  { source: 'feature:loudness', target: t('lights'), amount: 0.35, curve: 's-curve', attack: 0.3, release: 1.5 },
  { source: 'feature:centroid', target: t('dusk'), amount: -0.25, attack: 1, release: 3 },
  { source: 'chroma', target: t('tintHue'), amount: 1, attack: 0.8, release: 0.8 },
];

export const crowdInfo: SceneInfo = {
  id: CROWD_ID,
  title: 'Crowd',
  description:
    'Faceless figures cross a station concourse at dusk while one of them stands still under a lamp. Loudness fills the hall and lights it, silence empties it slowly; lows sway the crowd, onsets and tempo set its pace, the beat dips its steps and a steady beat brings everyone into step, brightness holds the sunset, chroma tints the lamps.',
  states: ['loneliness in public space'],
  params: crowdParams,
  defaultRoutes: crowdRoutes,
};
