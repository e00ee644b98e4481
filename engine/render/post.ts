/**
 * Post-processing parameters (pure): bloom, feedback trails, chromatic aberration, film grain and
 * a colour grade, in the `/post` scope so OSC, MIDI, modulation and presets reach them like any
 * parameter. `postPlan` tells the GPU side which passes to run: an effect at 0 costs no pass.
 */
import { defineParams } from '../params/index.ts';
import type { ParamBank } from '../params/index.ts';

export const POST_SCOPE = '/post';

export const POST_PARAMS = defineParams(POST_SCOPE, {
  bloom: { type: 'number', min: 0, max: 2, default: 0, description: 'Glow around bright light (0: off, no pass)' },
  'bloom-threshold': { type: 'number', min: 0, max: 1, default: 0.6, description: 'Brightness above which light blooms' },
  'bloom-radius': { type: 'number', min: 0.5, max: 3, default: 1, unit: 'x', description: 'Spread of the bloom' },
  trails: { type: 'number', min: 0, max: 0.98, default: 0, description: 'Feedback: how long light lingers (0: off, no pass)' },
  chromatic: { type: 'number', min: 0, max: 1, default: 0, description: 'Chromatic aberration towards the edges' },
  grain: { type: 'number', min: 0, max: 1, default: 0, description: 'Film grain' },
  exposure: { type: 'number', min: -3, max: 3, default: 0, unit: 'stops', description: 'Exposure' },
  contrast: { type: 'number', min: 0, max: 2, default: 1, unit: 'x', description: 'Contrast around mid-grey' },
  saturation: { type: 'number', min: 0, max: 2, default: 1, unit: 'x', description: 'Saturation (0: grey)' },
  temperature: { type: 'number', min: -1, max: 1, default: 0, description: 'Colour temperature: cool (-) to warm (+)' },
  tint: { type: 'number', min: -1, max: 1, default: 0, description: 'Tint: green (-) to magenta (+)' },
  lift: { type: 'number', min: -0.5, max: 0.5, default: 0, description: 'Lift: raises or crushes the shadows' },
  gamma: { type: 'number', min: 0.25, max: 4, default: 1, curve: 'exp', description: 'Gamma of the mid-tones' },
  gain: { type: 'number', min: 0, max: 2, default: 1, unit: 'x', description: 'Gain of the highlights' },
  vignette: { type: 'number', min: 0, max: 1, default: 0, description: 'Darkening towards the corners' },
});

export type PostName = (typeof POST_PARAMS.names)[number];

/** Frame values of the post parameters, read into a preallocated array by numeric index. */
export const PostIndex = Object.freeze(Object.fromEntries(POST_PARAMS.names.map((n, i) => [n, i])) as Record<PostName, number>);

/** Bank ids of the post parameters in `POST_PARAMS.names` order (registers them if needed). */
export function postIds(bank: ParamBank): Int32Array {
  if (!bank.has(`${POST_SCOPE}/bloom`)) bank.register(POST_PARAMS);
  const ids = new Int32Array(POST_PARAMS.names.length);
  for (let i = 0; i < ids.length; i++) ids[i] = bank.idOf(`${POST_SCOPE}/${POST_PARAMS.names[i]}`);
  return ids;
}

/** Read the modulated frame values into `out` (no allocation). */
export function readPost(bank: ParamBank, ids: Int32Array, out: Float32Array): void {
  for (let i = 0; i < ids.length; i++) out[i] = bank.getOutput(ids[i]);
}

/** Passes to run for these values: bit 1 feedback, bit 2 bloom. The grade pass always runs (it draws to the screen). */
export const PostPass = { Feedback: 1, Bloom: 2 } as const;

export function postPlan(v: Float32Array): number {
  let plan = 0;
  if (v[PostIndex.trails] > 0.001) plan |= PostPass.Feedback;
  if (v[PostIndex.bloom] > 0.001) plan |= PostPass.Bloom;
  return plan;
}

/** True when the grade pass changes nothing (a plain copy): exposure 0, contrast/saturation/gamma/gain 1, the rest 0. */
export function gradeIsNeutral(v: Float32Array): boolean {
  return (
    v[PostIndex.exposure] === 0 && v[PostIndex.contrast] === 1 && v[PostIndex.saturation] === 1 && v[PostIndex.temperature] === 0 && v[PostIndex.tint] === 0 &&
    v[PostIndex.lift] === 0 && v[PostIndex.gamma] === 1 && v[PostIndex.gain] === 1 && v[PostIndex.vignette] === 0 && v[PostIndex.chromatic] === 0 && v[PostIndex.grain] === 0
  );
}
