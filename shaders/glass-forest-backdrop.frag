// Glass forest: the background texture shown behind the trees, graded like the glass.
precision highp float;

uniform sampler2D uBackground;
uniform float uExposure;
uniform float uTemperature;

varying vec2 vUv;

void main() {
  vec3 c = texture2D(uBackground, vUv).rgb;
  gl_FragColor = vec4(gfGrade(c, uExposure, uTemperature, gl_FragCoord.xy, uResolution, uTime), 1.0);
}
