// Scene transition: the outgoing picture (uFrom) gives way to the incoming one (uTo) as uMix
// goes 0 -> 1. Kinds: 1 crossfade in linear light (no mid-blend dip), 2 luma dissolve (the
// incoming scene appears first in the outgoing scene's shadows; its lights linger longest),
// 3 refract wipe (a glass wavefront crosses the frame, bending both pictures near its edge).
precision highp float;

uniform sampler2D uFrom;
uniform sampler2D uTo;
uniform float uMix;
uniform int uKind;
uniform float uAspect;

varying vec2 vUv;

vec3 toLinear(vec3 c) { return c * c; }
vec3 toDisplay(vec3 c) { return sqrt(max(c, 0.0)); }

float hash(vec2 p) {
  p = fract(p * vec2(123.34, 456.21));
  p += dot(p, p + 45.32);
  return fract(p.x * p.y);
}

float valueNoise(vec2 p) {
  vec2 i = floor(p);
  vec2 f = fract(p);
  f = f * f * (3.0 - 2.0 * f);
  return mix(mix(hash(i), hash(i + vec2(1.0, 0.0)), f.x), mix(hash(i + vec2(0.0, 1.0)), hash(i + vec2(1.0, 1.0)), f.x), f.y);
}

void main() {
  vec2 uv = vUv;
  float m = clamp(uMix, 0.0, 1.0);
  if (uKind == 2) {
    vec3 a = texture2D(uFrom, uv).rgb;
    vec3 b = texture2D(uTo, uv).rgb;
    float luma = dot(a, vec3(0.2126, 0.7152, 0.0722));
    // Soft noise spreads the key over the whole blend even for a dark picture; fine grain frays
    // the edge like a burning print rather than a clean matte.
    vec2 q = uv * vec2(uAspect, 1.0);
    float cloud = valueNoise(q * 3.0) * 0.65 + valueNoise(q * 7.0) * 0.35;
    float key = clamp(sqrt(luma) * 0.5 + cloud * 0.46 + valueNoise(q * 40.0) * 0.04, 0.0, 1.0);
    const float soft = 0.18;
    float edge = m * (1.0 + soft);
    float w = smoothstep(edge - soft, edge, key);
    // w = 1 keeps the outgoing picture; the keyed edge glows faintly as it passes.
    float rim = (1.0 - abs(w * 2.0 - 1.0)) * (1.0 - abs(m * 2.0 - 1.0));
    vec3 c = toDisplay(mix(toLinear(b), toLinear(a), w)) + rim * 0.08 * (a + b);
    gl_FragColor = vec4(c, 1.0);
    return;
  }
  if (uKind == 3) {
    // A diagonal front with a wavy edge, travelling from the lower left to the upper right.
    vec2 p = vec2((uv.x - 0.5) * uAspect, uv.y - 0.5);
    float along = dot(p, normalize(vec2(1.0, 0.6))) / (0.5 * uAspect + 0.5) * 0.5 + 0.5;
    along += (valueNoise(p * 5.0 + 3.0) - 0.5) * 0.12;
    float front = m * 1.3 - 0.15;
    float d = along - front;
    // Lens-like bend: strongest at the front, fading over a band of 0.15 either side.
    float band = exp(-d * d / 0.006);
    vec2 bend = normalize(vec2(1.0, 0.6)) * band * 0.06 * sign(d);
    vec3 a = texture2D(uFrom, clamp(uv + bend, 0.0, 1.0)).rgb;
    vec3 b = texture2D(uTo, clamp(uv - bend * 0.6, 0.0, 1.0)).rgb;
    float w = smoothstep(-0.02, 0.02, d);
    vec3 c = mix(b, a, w) * (1.0 + band * 0.25);
    gl_FragColor = vec4(c, 1.0);
    return;
  }
  vec3 a = texture2D(uFrom, uv).rgb;
  vec3 b = texture2D(uTo, uv).rgb;
  gl_FragColor = vec4(toDisplay(mix(toLinear(a), toLinear(b), m)), 1.0);
}
