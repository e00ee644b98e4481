// Feedback trails: the new picture over the previous output, which fades by uKeep per frame.
// Light leaves trails (max) while dark areas of the new picture do not erase them at once.
precision highp float;
uniform sampler2D uInput;
uniform sampler2D uPrevious;
uniform float uKeep;
varying vec2 vUv;

void main() {
  vec3 now = texture2D(uInput, vUv).rgb;
  vec3 before = texture2D(uPrevious, vUv).rgb * uKeep;
  gl_FragColor = vec4(max(now, before), 1.0);
}
