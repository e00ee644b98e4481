/** The night road: parameters and default sound mapping (pure data, no React). */
import { defineParams } from '../../engine/params/index.ts';
import type { RouteSpec } from '../../engine/modulation/index.ts';
import type { SceneInfo } from '../types.ts';
import { MAX_SPEED_MPS } from './drive.ts';

export const NIGHT_ROAD_ID = 'night-road';
const SCOPE = `/scene/${NIGHT_ROAD_ID}`;

export const nightRoadParams = defineParams(SCOPE, {
  throttle: { type: 'number', min: 0, max: 1, default: 0, description: 'How hard the car drives: 0 stops it in the dark (the sound’s loudness by default)' },
  cruise: { type: 'number', min: 2, max: MAX_SPEED_MPS, default: 24, unit: 'm/s', description: 'Speed at full throttle when no tempo leads' },
  tempoLock: { type: 'number', min: 0, max: 1, default: 1, description: 'How strongly the tempo sets the speed, so a lane dash passes on every beat' },
  signs: { type: 'number', min: 0, max: 1, default: 0.75, description: 'How many billboards line the road' },
  signEvery: { type: 'number', min: 1, max: 8, default: 2, step: 1, unit: 'beats', description: 'Dashes (beats, when locked) between billboard spots' },
  flicker: { type: 'number', min: 0, max: 1, default: 0.04, description: 'Flicker of the signs’ glyphs and tubes' },
  hum: { type: 'number', min: 0, max: 1, default: 0.05, description: 'Road hum: a gentle shake and the glow of the asphalt' },
  neon: { type: 'number', min: 0, max: 1, default: 0.2, description: 'Colour balance from sodium orange (0) to neon magenta and cyan (1)' },
  rain: { type: 'number', min: 0, max: 1, default: 0, description: 'Rain on the windscreen and light streaks' },
  distant: { type: 'number', min: 0, max: 1, default: 0.6, description: 'Brightness of the far lights that never come closer' },
  glow: { type: 'number', min: 0, max: 2, default: 1, description: 'Brightness of every light' },
  seed: { type: 'number', min: 1, max: 9999, default: 7, step: 1, description: 'Which road: the billboards and their glyphs' },
});

const t = (name: (typeof nightRoadParams.names)[number]) => `${SCOPE}/${name}`;

/**
 * Loudness drives (silence halts the car), onsets flicker the signs, the low band hums and
 * shakes, brightness moves sodium towards neon (ambient stays sodium, hats go neon), noisy sound
 * brings the rain (flatness above ~0.4: tape hiss and noise pour, dance music only drizzles).
 */
export const nightRoadRoutes: readonly RouteSpec[] = [
  { source: 'feature:loudness', target: t('throttle'), amount: 1, curve: 's-curve', attack: 0.3, release: 1.5 },
  { source: 'onset', target: t('flicker'), amount: 0.9, curve: 'exp', attack: 0.005, release: 0.15 },
  { source: 'feature:bands3.0', target: t('hum'), amount: 0.6, attack: 0.05, release: 0.4 },
  { source: 'feature:centroid', target: t('neon'), amount: 1.2, offset: -0.65, attack: 0.4, release: 1.2 },
  { source: 'feature:flatness', target: t('rain'), amount: 2.5, offset: -1, attack: 0.6, release: 2.5 },
];

export const nightRoadInfo: SceneInfo = {
  id: NIGHT_ROAD_ID,
  title: 'Night road',
  description:
    'Driving a night road that never ends: lane dashes rush in on the beat, billboards of glowing marks that never become words pass by, far lights never arrive. Loudness is the throttle (silence coasts to a halt), onsets flicker the signs, lows hum and shake, brightness turns sodium to neon, noise brings rain.',
  states: ['anticipation without outcome'],
  params: nightRoadParams,
  defaultRoutes: nightRoadRoutes,
};
