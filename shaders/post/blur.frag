// Bloom, step 2: one direction of a separable 9-tap Gaussian (run horizontally, then vertically).
precision highp float;
uniform sampler2D uInput;
uniform vec2 uStep;
varying vec2 vUv;

void main() {
  // Linear-sampling weights: 9 taps of a Gaussian in 5 fetches.
  vec3 c = texture2D(uInput, vUv).rgb * 0.2270270;
  c += texture2D(uInput, vUv + uStep * 1.3846154).rgb * 0.3162162;
  c += texture2D(uInput, vUv - uStep * 1.3846154).rgb * 0.3162162;
  c += texture2D(uInput, vUv + uStep * 3.2307692).rgb * 0.0702703;
  c += texture2D(uInput, vUv - uStep * 3.2307692).rgb * 0.0702703;
  gl_FragColor = vec4(c, 1.0);
}
