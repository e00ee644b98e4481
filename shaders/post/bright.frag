// Bloom, step 1: the light above a threshold, at a reduced size (soft knee so it does not pop).
precision highp float;
uniform sampler2D uInput;
uniform float uThreshold;
uniform vec2 uTexel;
varying vec2 vUv;

void main() {
  // Four taps: a cheap box filter for the downsample.
  vec3 c = texture2D(uInput, vUv + uTexel * vec2(-0.5, -0.5)).rgb;
  c += texture2D(uInput, vUv + uTexel * vec2(0.5, -0.5)).rgb;
  c += texture2D(uInput, vUv + uTexel * vec2(-0.5, 0.5)).rgb;
  c += texture2D(uInput, vUv + uTexel * vec2(0.5, 0.5)).rgb;
  c *= 0.25;
  float l = max(c.r, max(c.g, c.b));
  float knee = 0.15;
  float soft = clamp(l - uThreshold + knee, 0.0, 2.0 * knee);
  soft = soft * soft / (4.0 * knee + 1e-4);
  float w = max(soft, l - uThreshold) / max(l, 1e-4);
  gl_FragColor = vec4(c * w, 1.0);
}
