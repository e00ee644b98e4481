// Spectral veil: the live spectrogram as ridgelines of glass light receding to a horizon,
// newest nearest. Lows lift the ridges, onsets flash and send a ring across the water,
// brightness (centroid) warms the palette, chroma tints it, noise frosts the haze.
precision highp float;

uniform float uIntensity;
uniform float uFlashAmount;
uniform float uDrift;
uniform float uHue;

varying vec2 vUv;

const int LINES = 26;
const float HISTORY = 0.75; // fraction of the spectrogram history shown

float spectrumAt(float band, float age) {
  float v = fract(uSpectrumRow - age);
  return texture2D(uSpectrum, vec2(band, v)).r;
}

void main() {
  vec2 p = (gl_FragCoord.xy - 0.5 * uResolution) / uResolution.y;
  float aspect = uResolution.x / max(uResolution.y, 1.0);
  float t = uTime * (0.03 + 0.12 * uDrift);
  float low = uBands[0];
  float high = uBands[2];

  // Palette: hue from chroma and the performer's offset; warmer when the sound is bright.
  float hue = fract(gfChromaHue(uChroma) * 0.3 + uHue + 0.52 - 0.22 * uCentroid);
  vec3 lineCol = gfHsv(vec3(hue, 0.55, 1.0));
  vec3 warm = gfHsv(vec3(fract(hue + 0.08), 0.7, 1.0));

  // Night sky with drifting haze.
  float horizon = -0.32;
  float haze = gfFbm(p * 1.7 + vec2(t, -0.4 * t) + uFlatness * 0.6 * gfNoise(p * 30.0 + t));
  vec3 col = mix(vec3(0.006, 0.01, 0.025), vec3(0.03, 0.045, 0.08), smoothstep(0.6, -0.3, p.y));
  col += lineCol * 0.05 * haze * (0.4 + uLevel);

  // Ridgelines, far to near, each hiding the ones behind it.
  for (int i = 0; i < LINES; i++) {
    float z = float(i) / float(LINES - 1);          // 0 far .. 1 near
    float age = (1.0 - z) * HISTORY;
    float baseY = horizon + 0.06 + pow(1.0 - z, 1.35) * 0.72;
    float halfW = mix(0.22, 0.62, z) * aspect;
    float bx = p.x / halfW * 0.5 + 0.5;
    if (bx < 0.0 || bx > 1.0) continue;
    float taper = smoothstep(0.0, 0.18, bx) * smoothstep(1.0, 0.82, bx);
    // Ridges breathe with the beat (when a tempo source leads) and lift with the lows.
    float amp = mix(0.04, 0.2, z) * (0.7 + 0.6 * low + 0.35 * uBeat + 0.3 * uBandOnsets[0]) * uIntensity;
    float s = spectrumAt(bx, age);
    float y = baseY + s * s * amp * taper;
    if (p.y < y && p.y > baseY - 0.02) col = mix(col, vec3(0.004, 0.007, 0.016), 0.94);
    float w = mix(0.0012, 0.004, z);
    float d = abs(p.y - y);
    float glow = smoothstep(w * 6.0, 0.0, d) * 0.25 + smoothstep(w, 0.0, d);
    float fade = mix(0.25, 1.0, z);
    col += mix(lineCol, warm, s) * glow * fade * (0.35 + 1.4 * s) * (0.6 + 0.8 * uLevel);
  }

  // Water below the horizon: a dim reflection of the newest spectrum, rippled.
  if (p.y < horizon) {
    float depth = horizon - p.y;
    float ripple = gfNoise(vec2(p.x * 7.0, depth * 40.0 - uTime * 1.5)) - 0.5;
    float bx = (p.x + ripple * 0.03 * depth) / (0.62 * aspect) * 0.5 + 0.5;
    float s = spectrumAt(clamp(bx, 0.0, 1.0), 0.0);
    col = vec3(0.004, 0.008, 0.018) + mix(lineCol, warm, s) * s * 0.35 * exp(-depth * 5.0) * (0.4 + uLevel);
    // Onset ring travelling out across the water.
    float r = length(vec2(p.x, depth * 3.0));
    float ring = exp(-pow((r - (1.0 - uOnset) * 1.4) * 10.0, 2.0)) * uOnset;
    col += warm * ring * 0.8 * uFlashAmount;
  }

  // Hi-hat sparkle in the haze, a flash on onsets, a pitch thread when the sound is voiced.
  col += vec3(0.8, 0.9, 1.0) * pow(gfNoise(p * 90.0 + t * 20.0), 24.0) * (high + 2.0 * uBandOnsets[2]);
  col += lineCol * uOnset * uOnset * 0.22 * uFlashAmount;
  float pitchY = horizon + 0.12 + 0.55 * clamp(log2(max(uPitch, 55.0) / 55.0) / 6.0, 0.0, 1.0);
  col += warm * uPitchConfidence * exp(-abs(p.y - pitchY) * 220.0) * 0.35 * step(horizon, p.y);

  // Beat marks on the horizon: one tick per beat of the bar, the current beat lit.
  if (uBpm > 0.0 && abs(p.y - (horizon + 0.015)) < 0.006) {
    float left = -0.03 * uBeatsPerBar;
    float slot = floor((p.x - left) / 0.06);
    float inTick = step(abs(fract((p.x - left) / 0.06) - 0.5), 0.3);
    float current = floor(uBarPhase * uBeatsPerBar);
    if (slot >= 0.0 && slot < uBeatsPerBar) col += warm * inTick * (slot == current ? 0.9 * (0.4 + uBeat) : 0.12);
  }

  col *= 1.0 - 0.45 * dot(p * 0.9, p * 0.9);
  col = col / (1.0 + col);
  gl_FragColor = vec4(pow(col, vec3(0.9)), 1.0);
}
