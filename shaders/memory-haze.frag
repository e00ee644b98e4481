// Memory haze: half-formed shapes of a photograph that never develops, drifting in warm,
// overexposed haze with light leaks, halation, faded blacks and grain. One pass, no loops
// beyond the fragment list, so software GL keeps up at preview sizes.
precision highp float;

#define MAX_FRAGMENTS 12

uniform vec4 uShapes[MAX_FRAGMENTS];   // x, y, size, kind (0 window, 1 figure, 2 lamp, 3 horizon, 4 doorway)
uniform vec4 uShapeMeta[MAX_FRAGMENTS]; // phase, speed, aspect, tone
uniform float uFragments;
uniform float uDevelop;
uniform float uExposure;
uniform float uBreath;
uniform float uLeak;
uniform float uHalation;
uniform float uWarmth;
uniform float uTintHue;
uniform float uTintAmount;
uniform float uPulse;
uniform float uShimmer;
uniform float uGrain;
uniform float uFade;
uniform float uDriftTime;   // accumulated drift, so speed changes never jump
uniform float uAspect;

varying vec2 vUv;

float mhBox(vec2 p, vec2 b, float r) {
  vec2 d = abs(p) - b + r;
  return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0) - r;
}

// Signed distance of one fragment's shape, in units of its size.
float mhShape(vec2 p, float kind, float aspect) {
  if (kind < 0.5) {
    // A window: a pane with a cross of glazing bars.
    float pane = mhBox(p, vec2(0.75 * aspect, 1.0), 0.05);
    float bars = min(abs(p.x), abs(p.y + 0.1)) - 0.06;
    return max(pane, -bars);
  }
  if (kind < 1.5) {
    // A figure, head and shoulders, faceless.
    float head = length(p - vec2(0.0, 0.45)) - 0.32;
    float body = mhBox(p - vec2(0.0, -0.55), vec2(0.55 * aspect, 0.55), 0.35);
    return min(head, body);
  }
  if (kind < 2.5) return length(p) - 0.55;
  if (kind < 3.5) return abs(p.y) - 0.12 * aspect;
  // A doorway with a rounded top.
  vec2 q = p - vec2(0.0, -0.2);
  float door = mhBox(q, vec2(0.45 * aspect, 0.8), 0.02);
  float arch = length(q - vec2(0.0, 0.8)) - 0.45 * aspect;
  return min(door, arch);
}

void main() {
  float t = uDriftTime;
  vec2 p = vec2((vUv.x - 0.5) * uAspect, vUv.y - 0.5);
  // The beat breathes a slow zoom; everything is seen through warped, soft glass.
  p *= 1.0 - 0.035 * uPulse;
  vec2 warp = vec2(gfNoise(p * 1.4 + vec2(t * 0.05, 1.3)) + 0.5 * gfNoise(p * 3.1 + vec2(2.0, t * 0.07)), gfNoise(p * 1.4 + vec2(4.2, -t * 0.04)) + 0.5 * gfNoise(p * 3.1 + vec2(-t * 0.06, 5.0))) / 1.5 - 0.5;
  vec2 q = p + warp * 0.18;

  // Base: a faded, warm print with a soft, uneven fog of light.
  float fog = (gfNoise(q * 1.1 + vec2(-t * 0.02, t * 0.015)) * 2.0 + gfNoise(q * 2.7 + vec2(3.3, -t * 0.03))) / 3.0;
  vec3 col = mix(vec3(0.035, 0.022, 0.02), vec3(0.36, 0.27, 0.2), clamp(0.15 + vUv.y * 0.5 + 0.9 * (fog - 0.5), 0.0, 1.0));
  // Texture keyframes: the print is the keyframe blend, warped by the same soft glass, washed
  // toward sepia and fogged, as if remembered rather than seen.
  if (uKeyAmount > 0.001 && uKeyCount > 0.5) {
    vec3 key = gfKeyframes(vec2(q.x / uAspect, q.y) + 0.5, uAspect);
    float l = dot(key, vec3(0.3, 0.55, 0.15));
    vec3 faded = mix(key, l * vec3(1.05, 0.85, 0.65), 0.5) * (0.12 + 0.3 * fog);
    col = mix(col, faded, uKeyAmount * 0.85);
  }

  float glow = 0.0;
  for (int i = 0; i < MAX_FRAGMENTS; i++) {
    if (float(i) >= uFragments) break;
    vec4 a = uShapes[i];
    vec4 m = uShapeMeta[i];
    float ph = m.x * 6.28318;
    vec2 c = a.xy + 0.07 * vec2(sin(t * 0.11 * m.y + ph), cos(t * 0.08 * m.y + ph * 1.7));
    // Each shape surfaces and sinks on its own slow cycle; it never stays.
    float appear = smoothstep(0.1, 0.9, 0.5 + 0.5 * sin(t * 0.13 * m.y + ph * 2.3));
    float size = a.z * (1.0 + 0.1 * sin(t * 0.07 + ph));
    float d = mhShape((q - c) / size, a.w, m.z) * size;
    float blur = mix(0.07, 0.006, clamp(uDevelop * appear, 0.0, 0.92)) + 0.02 * (1.0 - appear);
    float inside = 1.0 - smoothstep(-blur, blur, d);
    // Figures are always seen against the light; other shapes are light or shadow by their tone.
    float dark = a.w > 0.5 && a.w < 1.5 ? 1.0 : step(0.55, m.w);
    vec3 tone = mix(vec3(1.1, 0.9, 0.7), vec3(0.02, 0.015, 0.014), dark);
    if (a.w > 1.5 && a.w < 2.5) tone = vec3(1.6, 1.25, 0.8); // lamps are light
    col = mix(col, tone, inside * appear * 0.85);
    glow += exp(-max(d, 0.0) * 9.0) * appear * (1.0 - dark) * a.z * 5.0;
  }

  // Halation: red light bleeding around the bright shapes.
  col += vec3(1.0, 0.3, 0.1) * glow * uHalation * 0.3;

  // Light leaks: one wandering warm bloom at the frame edge, and a burn along the left side.
  vec2 leakAt = vec2(cos(t * 0.031 + 1.0) * uAspect * 0.55, sin(t * 0.023) * 0.45);
  float leakD = length(p - leakAt);
  float burn = exp(-abs(vUv.x - 0.03 - 0.04 * sin(t * 0.05)) * 9.0) * (0.6 + 0.4 * gfNoise(vec2(vUv.y * 4.0, t * 0.1)));
  float leak = (0.1 + 1.2 * uLeak) * exp(-leakD * 2.6) + (0.06 + 0.6 * uLeak) * burn;
  col += mix(vec3(1.0, 0.25, 0.06), vec3(1.0, 0.75, 0.35), exp(-leakD * 4.0)) * leak;

  // Noise in the sound: a fine shimmer that moves light around without raising the mean.
  if (uShimmer > 0.002) col *= 1.0 + uShimmer * 0.35 * (gfNoise(q * 70.0 + vec2(t * 11.0, -t * 7.0)) - 0.5);

  // Chroma tints the haze, keeping its brightness.
  vec3 tint = gfHsv(vec3(uTintHue, 0.55, 1.0));
  col = mix(col, col * tint * 1.6, uTintAmount * 0.6);

  vec3 c = gfWhiteBalance(col * exp2(uExposure + uBreath * 0.9), uWarmth);
  c = gfFilmic(c);
  vec2 v = vUv - 0.5;
  c *= 1.0 - 1.3 * dot(v, v);
  c = pow(c, vec3(1.0 / 2.2));
  // Faded print: lifted, warm blacks and softened whites.
  c = mix(c, vec3(0.09, 0.065, 0.055) + c * 0.86, uFade);
  float g = gfHash(gl_FragCoord.xy + fract(uTime * 7.31) * 97.0) + gfHash(gl_FragCoord.yx * 1.3 + fract(uTime * 3.17) * 53.0) - 1.0;
  c += g * (0.012 + uGrain * 0.11);
  gl_FragColor = vec4(c, 1.0);
}
