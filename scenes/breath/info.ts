/** Breath on cold glass: parameters and default sound mapping (pure data, no React). */
import { defineParams } from '../../engine/params/index.ts';
import type { RouteSpec } from '../../engine/modulation/index.ts';
import type { SceneInfo } from '../types.ts';

export const BREATH_ID = 'breath';
const SCOPE = `/scene/${BREATH_ID}`;

export const breathParams = defineParams(SCOPE, {
  breath: { type: 'number', min: 0, max: 1, default: 0, description: 'What the pane hears: blooms condensation (the sound’s loudness by default, compressed so near-silence counts most)' },
  sensitivity: { type: 'number', min: 0, max: 1, default: 0.7, description: 'How much a faint sound fogs the glass' },
  haze: { type: 'number', min: 0, max: 1, default: 0.12, description: 'Condensation that stays whatever the sound' },
  trace: { type: 'number', min: 0, max: 1, default: 0, description: 'Crossing one half draws a finger trace in the fog (onsets by default)' },
  traceLife: { type: 'number', min: 1, max: 20, default: 7, unit: 's', description: 'Seconds until a trace fogs over again' },
  warmth: { type: 'number', min: 0, max: 1, default: 0.6, description: 'Brightness of the warm presence behind the glass' },
  voice: { type: 'number', min: 0, max: 1, default: 0, description: 'How close the presence comes (a voiced, pitched sound by default); it never touches' },
  hue: { type: 'number', min: 0, max: 1, default: 0.1, description: 'Hue of the warmth (turns; amber by default, chroma shifts it between rose and gold)' },
  pulse: { type: 'number', min: 0, max: 1, default: 0, description: 'Slow swelling of the presence (a bar-long wave of the beat clock by default)' },
  cold: { type: 'number', min: 0, max: 1, default: 0.5, description: 'Blue of the night on the near side of the glass' },
  drops: { type: 'number', min: 0, max: 1, default: 0.3, description: 'Beads of water in the condensation (noisy sound by default)' },
  seed: { type: 'number', min: 1, max: 9999, default: 3, step: 1, description: 'Where the traces fall and how the fog lies' },
});

const t = (name: (typeof breathParams.names)[number]) => `${SCOPE}/${name}`;

/**
 * Loudness (log-compressed again in the scene) breathes the fog, onsets trace it, a voice brings
 * the presence closer, chroma tints its warmth, the bar breathes it, noise beads the glass.
 */
export const breathRoutes: readonly RouteSpec[] = [
  { source: 'feature:loudness', target: t('breath'), amount: 1, attack: 0.03, release: 0.15 },
  { source: 'onset', target: t('trace'), amount: 1 },
  { source: 'feature:pitchConfidence', target: t('voice'), amount: 0.8, curve: 's-curve', attack: 0.4, release: 1.5 },
  { source: 'chroma', target: t('hue'), amount: 0.16, offset: -0.08, attack: 1, release: 1 },
  { source: 'lfo:sine:1bar', target: t('pulse'), amount: 0.5, attack: 0.1, release: 0.1 },
  { source: 'feature:flatness', target: t('drops'), amount: 0.9, attack: 1, release: 3 },
];

export const breathInfo: SceneInfo = {
  id: BREATH_ID,
  title: 'Breath',
  description:
    'A breath on cold glass: near-silence is its most sensitive state. The faintest sound blooms condensation that recedes when it stops; loud music settles to a haze instead of a white-out. Behind the pane a warm presence, tinted by the harmony, comes closer when a voice sounds and never touches; onsets leave finger traces that fog over.',
  states: ['intimacy without contact'],
  params: breathParams,
  defaultRoutes: breathRoutes,
};
