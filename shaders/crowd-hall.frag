// Crowd, the far wall of the concourse: tall arched windows onto a dusk sky over a low
// skyline, a dark wall, and a departure board whose lines never resolve into words.
precision highp float;
varying vec3 vWorld;
varying vec2 vUv;

void main() {
  float x = vWorld.x;
  float y = vWorld.y;
  float h = clamp(y / 26.0, 0.0, 1.0);
  vec3 sky = crowdSky(h);
  // A skyline low in the windows, a few lit windows in it.
  float skyline = 2.5 + 3.5 * gfNoise(vec2(floor(x * 0.6) * 0.37, 2.0)) * step(0.3, gfHash(vec2(floor(x * 0.6), 7.0)));
  vec3 outside = y < skyline ? vec3(0.02, 0.018, 0.03) + vec3(1.0, 0.75, 0.4) * 0.25 * step(0.93, gfHash(floor(vec2(x * 3.0, y * 4.0)))) : sky;
  float glass = crowdWindow(x, y);
  vec3 wall = vec3(0.012, 0.011, 0.014) + crowdLampColour() * 0.03 * exp(-y * 0.25) * uLights;
  vec3 col = mix(wall, outside, glass);

  // The departure board: rows of amber blocks that flicker between unreadable states.
  vec2 b = vec2(x, y - 4.6);
  if (abs(b.x) < 4.5 && abs(b.y) < 0.8) {
    vec2 cell = floor(vec2(b.x * 5.0, b.y * 4.0));
    float change = floor(uTime * 0.5 + gfHash(cell.yy) * 4.0);
    float on = step(0.45, gfHash(cell + change * 0.73)) * step(0.25, fract(b.y * 4.0)) * step(0.2, fract(b.x * 5.0));
    col = vec3(0.004) + crowdLampColour() * vec3(1.0, 0.7, 0.25) * on * 0.45;
  }
  col = crowdFog(col, length(vWorld - cameraPosition) * 0.6);
  gl_FragColor = vec4(crowdGrade(col, gl_FragCoord.xy), 1.0);
}
