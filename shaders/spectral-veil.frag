// Spectral veil: a glass curtain of light whose folds are the live mel spectrogram.
// Low band lifts the horizon, onsets send a shock ring, centroid shifts the palette,
// chroma tints, noise (flatness) frosts the glass.
precision highp float;

uniform float uIntensity;
uniform float uFlashAmount;
uniform float uDrift;
uniform float uHue;

varying vec2 vUv;

float spectrumAt(float band, float age) {
  // age 0 = newest row; rows go back in time up the texture.
  float v = fract(uSpectrumRow - age);
  return texture2D(uSpectrum, vec2(band, v)).r;
}

void main() {
  vec2 uv = vUv;
  vec2 p = (gl_FragCoord.xy - 0.5 * uResolution) / uResolution.y;
  float t = uTime * (0.05 + 0.1 * uDrift);

  float low = uBands[0];
  float mid = uBands[1];
  float high = uBands[2];

  // Glass folds: the spectrogram mapped to horizontal position, history receding upward.
  float horizon = -0.15 + 0.25 * low;
  float depth = clamp((p.y - horizon) * 1.6, 0.0, 1.0);
  float band = clamp(uv.x + 0.03 * gfNoise(vec2(uv.y * 6.0, t * 3.0)), 0.0, 1.0);
  float spec = spectrumAt(band, depth * 0.9);
  float fold = spec * (1.0 - depth) * smoothstep(-0.5, horizon + 0.02, p.y);

  // Refraction: the background is sampled through the fold's slope.
  float slope = spectrumAt(band + 0.01, depth * 0.9) - spectrumAt(band - 0.01, depth * 0.9);
  vec2 q = p + vec2(slope * 0.6, fold * 0.2);
  float frost = uFlatness * 0.5;
  float haze = gfFbm(q * 2.2 + vec2(t, -t * 0.6) + frost * gfNoise(q * 40.0));

  // Palette: hue from chroma and the performer's hue offset, warmth from the centroid.
  float hue = fract(gfChromaHue(uChroma) * 0.35 + uHue + 0.55 - 0.25 * uCentroid);
  vec3 base = gfHsv(vec3(hue, 0.55 + 0.3 * mid, 0.9));
  vec3 cool = vec3(0.08, 0.12, 0.22);
  vec3 col = cool * (0.35 + haze);
  col += base * fold * (0.9 + 1.8 * uLevel) * uIntensity;
  col += vec3(0.7, 0.85, 1.0) * pow(haze, 3.0) * (0.2 + high * 0.8);

  // Onset shock ring and flash.
  float r = length(p - vec2(0.0, horizon));
  float ring = exp(-pow((r - (1.0 - uOnset) * 1.2) * 9.0, 2.0)) * uOnset;
  col += base * ring * 1.5 * uFlashAmount;
  col += vec3(1.0) * uOnset * uOnset * 0.18 * uFlashAmount;

  // Pitch thread: a thin line at the pitch's height when the sound is voiced.
  float pitchY = horizon + 0.1 + 0.5 * clamp(log2(max(uPitch, 55.0) / 55.0) / 6.0, 0.0, 1.0);
  col += base * uPitchConfidence * exp(-abs(p.y - pitchY) * 160.0) * 0.6;

  // Vignette and gentle tone map.
  col *= 1.0 - 0.55 * dot(p * 0.8, p * 0.8);
  col = col / (1.0 + col);
  gl_FragColor = vec4(pow(col, vec3(0.85)), 1.0);
}
