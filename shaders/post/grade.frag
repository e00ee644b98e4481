// Final pass to the screen: bloom added, chromatic aberration, colour grade (exposure,
// temperature/tint, lift/gamma/gain, contrast, saturation), vignette and film grain.
// Every effect at its neutral value leaves the picture as it was.
precision highp float;
uniform sampler2D uInput;
uniform sampler2D uBloom;
uniform float uBloomAmount;
uniform float uChromatic;
uniform float uExposure;
uniform float uContrast;
uniform float uSaturation;
uniform float uTemperature;
uniform float uTint;
uniform float uLift;
uniform float uGamma;
uniform float uGain;
uniform float uVignette;
uniform float uGrain;
uniform float uGrainSeed;
uniform float uAspect;
varying vec2 vUv;

float hash(vec2 p) {
  vec3 q = fract(vec3(p.xyx) * 0.1031);
  q += dot(q, q.yzx + 33.33);
  return fract((q.x + q.y) * q.z);
}

void main() {
  vec2 uv = vUv;
  vec2 fromCentre = uv - 0.5;
  vec3 c;
  if (uChromatic > 0.0) {
    // Red and blue split along the radius, more towards the edges, as a cheap lens would.
    vec2 shift = fromCentre * dot(fromCentre, fromCentre) * uChromatic * 0.08;
    c.r = texture2D(uInput, uv + shift).r;
    c.g = texture2D(uInput, uv).g;
    c.b = texture2D(uInput, uv - shift).b;
  } else {
    c = texture2D(uInput, uv).rgb;
  }
  if (uBloomAmount > 0.0) c += texture2D(uBloom, uv).rgb * uBloomAmount;

  c *= exp2(uExposure);
  // White balance as a gentle shift along blue-orange (temperature) and green-magenta (tint).
  c *= vec3(1.0 + 0.18 * uTemperature + 0.06 * uTint, 1.0 - 0.12 * uTint, 1.0 - 0.18 * uTemperature + 0.06 * uTint);
  c = max(c * uGain + uLift * (1.0 - c), 0.0);
  c = pow(c, vec3(1.0 / uGamma));
  c = (c - 0.5) * uContrast + 0.5;
  float luma = dot(c, vec3(0.2126, 0.7152, 0.0722));
  c = mix(vec3(luma), c, uSaturation);

  if (uVignette > 0.0) {
    vec2 v = fromCentre * vec2(uAspect, 1.0) / max(uAspect, 1.0);
    c *= 1.0 - uVignette * smoothstep(0.2, 0.75, length(v) * 1.1);
  }
  if (uGrain > 0.0) {
    // Grain weighs most in the mid-tones, like film, and changes every frame (seeded by time).
    float n = hash(gl_FragCoord.xy + uGrainSeed * 61.7) - 0.5;
    c += n * uGrain * 0.25 * (1.0 - abs(luma * 2.0 - 1.0) * 0.6);
  }
  gl_FragColor = vec4(clamp(c, 0.0, 1.0), 1.0);
}
