// Glass forest, the background: a dark sky veiled by drifting haze, a luminous horizon mist
// and a hidden light. Rendered small into a texture that the glass refracts (the background
// texture slot). With a keyframe set loaded, the blended keyframes take the sky's place,
// brought down to the night's light and still veiled by the drifting haze.
precision highp float;

uniform float uSky;          // 0 moonlit, 1 sodium, 2 aurora
uniform float uHaze;
uniform float uGlow;
uniform float uFlash;
uniform float uDriftTime;    // accumulated drift, so speed changes never jump
uniform vec2 uCamShift;      // parallax of the wandering camera
uniform float uAspect;

varying vec2 vUv;

void main() {
  vec2 p = vec2((vUv.x - 0.5) * uAspect, vUv.y - 0.5) + uCamShift;
  vec3 zen = vec3(0.0006, 0.0012, 0.004);
  vec3 hor = vec3(0.008, 0.016, 0.036);
  vec3 light = vec3(0.7, 0.82, 1.0);
  if (uSky > 1.5) {
    zen = vec3(0.0004, 0.002, 0.003);
    hor = vec3(0.004, 0.02, 0.022);
    light = vec3(0.45, 1.0, 0.78);
  } else if (uSky > 0.5) {
    zen = vec3(0.002, 0.001, 0.002);
    hor = vec3(0.04, 0.014, 0.005);
    light = vec3(1.0, 0.6, 0.28);
  }
  float h = p.y;
  vec3 col = mix(hor, zen, smoothstep(-0.2, 0.45, h));

  // Mist along the horizon, lit from below.
  float mistN = gfFbm(vec2(p.x * 2.2 + uDriftTime * 0.07, h * 7.0 - uDriftTime * 0.02));
  col += hor * (0.6 + 2.6 * mistN * mistN) * exp(-pow((h + 0.3) * 4.0, 2.0)) * (0.6 + 0.8 * uHaze);

  // A veiled light high on the left, with soft rays through the haze.
  vec2 lp = p - vec2(-0.2 * uAspect, 0.27);
  float d = length(lp);
  float rays = gfNoise(vec2(atan(lp.y, lp.x) * 7.0, uDriftTime * 0.05));
  float halo = 0.9 * smoothstep(0.03, 0.024, d) + 0.22 * exp(-d * 12.0) + 0.05 * exp(-d * 3.0) * (0.5 + 0.8 * rays * rays);
  col += light * halo * (0.35 + 0.65 * uGlow);

  // Drifting veils of haze in front of the sky.
  float veil = gfFbm(vec2(p.x * 1.3 + uDriftTime * 0.03, h * 3.4 + 3.0));
  float cover = smoothstep(0.35, 0.85, veil) * (0.25 + 0.75 * uHaze);
  col = mix(col, hor * 0.7 + light * 0.05 * exp(-d * 2.5), cover * 0.6);

  // Texture keyframes: the live blend, seen through the same haze, dimmed to dusk levels (the
  // images are display pictures; the scene's light is far darker) and lit from within by onsets.
  if (uKeyAmount > 0.001 && uKeyCount > 0.5) {
    vec3 key = gfKeyframes(vUv + uCamShift * 0.6, uAspect);
    key *= 0.2 + 0.16 * uGlow;
    key = mix(key, hor * 0.7 + light * 0.05 * exp(-d * 2.5), cover * 0.35);
    col = mix(col, key + light * halo * 0.25, uKeyAmount);
  }

  if (uSky > 1.5) {
    // Aurora curtains.
    float c = gfNoise(vec2(p.x * 3.0 + uDriftTime * 0.05, 0.0)) * 0.25;
    float curtain = exp(-pow((h - 0.12 - c) * 7.0, 2.0)) * gfNoise(vec2(p.x * 18.0 + uDriftTime * 0.2, h * 2.0));
    col += vec3(0.1, 0.9, 0.55) * curtain * 0.18 * (0.5 + uGlow);
  }

  // Faint stars where the haze is thin.
  // One texel each (the texture is small), so they stay points when magnified.
  vec2 cell = floor(vUv * uResolution * 0.5);
  float star = step(0.997, gfHash(cell)) * gfHash(cell + 3.1) * smoothstep(-0.02, 0.3, h) * (1.0 - cover);
  col += vec3(star) * 0.35;

  // An onset lights the haze from within.
  col += light * uFlash * (0.012 + 0.06 * cover + 0.08 * exp(-d * 2.0));
  gl_FragColor = vec4(col, 1.0);
}
