/**
 * Binds engine/uniforms.ts to three.js uniform objects. Array uniforms share the engine's
 * typed arrays, so per-frame work is a few scalar assignments and one small texture upload.
 */
import { DataTexture, LinearFilter, RedFormat, RepeatWrapping, ClampToEdgeWrapping, UnsignedByteType, type IUniform } from 'three';
import { MEL_BANDS } from '../engine/features/layout.ts';
import { SPECTRUM_HISTORY, type StandardUniforms } from '../engine/uniforms.ts';
import standardUniformsGlsl from '../shaders/lib/standard-uniforms.glsl?raw';
import noiseGlsl from '../shaders/lib/noise.glsl?raw';
import colourGlsl from '../shaders/lib/colour.glsl?raw';
import keyframesGlsl from '../shaders/lib/keyframes.glsl?raw';

export type UniformMap = Record<string, IUniform>;

/**
 * The loaded keyframe set's texture array, one uniform object shared by every scene's material:
 * the keyframe host swaps the set for all of them with one assignment (null: three binds an
 * empty array, and `uKeyCount` is 0).
 */
export const KEYFRAME_TEXTURE: IUniform = { value: null };

export interface StandardUniformBinding {
  uniforms: UniformMap;
  spectrumTexture: DataTexture;
  lastRow: number;
}

export function createStandardUniforms(u: StandardUniforms): StandardUniformBinding {
  const tex = new DataTexture(u.spectrum, MEL_BANDS, SPECTRUM_HISTORY, RedFormat, UnsignedByteType);
  tex.magFilter = LinearFilter;
  tex.minFilter = LinearFilter;
  tex.wrapS = ClampToEdgeWrapping;
  tex.wrapT = RepeatWrapping;
  tex.needsUpdate = true;
  const uniforms: UniformMap = {
    uTime: { value: 0 },
    uResolution: { value: u.resolution },
    uLevel: { value: 0 },
    uBands: { value: u.bands },
    uBands8: { value: u.bands8 },
    uOnset: { value: 0 },
    uBandOnsets: { value: u.bandOnsets },
    uFlux: { value: 0 },
    uCentroid: { value: 0 },
    uFlatness: { value: 0 },
    uPitch: { value: 0 },
    uPitchConfidence: { value: 0 },
    uChroma: { value: u.chroma },
    uMel: { value: u.mel },
    uSpectrum: { value: tex },
    uSpectrumRow: { value: 0 },
    uBeatPhase: { value: 0 },
    uBarPhase: { value: 0 },
    uBeatCount: { value: 0 },
    uBeatsPerBar: { value: 4 },
    uBeat: { value: 0 },
    uBpm: { value: 0 },
    uKeyframes: KEYFRAME_TEXTURE,
    uKeyLayer: { value: u.keyLayer },
    uKeyWeight: { value: u.keyWeight },
    uKeyCount: { value: 0 },
    uKeyAspect: { value: 1 },
    uKeyFlow: { value: 0 },
    uKeyAmount: { value: 0 },
  };
  return { uniforms, spectrumTexture: tex, lastRow: -1 };
}

/** Copy this frame's scalar values; arrays are shared. Allocates nothing. */
export function updateStandardUniforms(b: StandardUniformBinding, u: StandardUniforms): void {
  const m = b.uniforms;
  m.uTime.value = u.time;
  m.uLevel.value = u.level;
  m.uOnset.value = u.onset;
  m.uFlux.value = u.flux;
  m.uCentroid.value = u.centroid;
  m.uFlatness.value = u.flatness;
  m.uPitch.value = u.pitch;
  m.uPitchConfidence.value = u.pitchConfidence;
  m.uBeatPhase.value = u.beatPhase;
  m.uBarPhase.value = u.barPhase;
  m.uBeatCount.value = u.beatCount;
  m.uBeatsPerBar.value = u.beatsPerBar;
  m.uBeat.value = u.beat;
  m.uBpm.value = u.bpm;
  m.uKeyCount.value = u.keyCount;
  m.uKeyAspect.value = u.keyAspect;
  m.uKeyFlow.value = u.keyFlow;
  m.uKeyAmount.value = u.keyAmount;
  // Sample the centre of the newest row.
  m.uSpectrumRow.value = (u.spectrumRow + 0.5) / SPECTRUM_HISTORY;
  if (u.spectrumRow !== b.lastRow) {
    b.lastRow = u.spectrumRow;
    b.spectrumTexture.needsUpdate = true;
  }
}

/** Prefix a scene's fragment body with the standard uniforms and the shared GLSL library. */
export function withStandardLibrary(fragmentBody: string): string {
  const firstNewline = fragmentBody.indexOf('precision');
  const precision = 'precision highp float;\n';
  const body = firstNewline >= 0 ? fragmentBody.replace(/precision\s+\w+\s+float;\s*/, '') : fragmentBody;
  // The keyframe library only where a scene uses it: every line costs compile time on software GL.
  const keyframes = /\b(gfKey\w*|uKey\w*)\b/.test(body) ? keyframesGlsl + '\n' : '';
  return precision + standardUniformsGlsl + '\n' + keyframes + noiseGlsl + '\n' + colourGlsl + '\n' + body;
}
