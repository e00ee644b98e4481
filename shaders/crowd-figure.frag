// Crowd, a figure: a dark faceless silhouette rimmed by the dusk behind it and lit from
// above where it crosses a lamp's pool.
precision highp float;
varying vec3 vWorld;
varying vec3 vNormal;
varying vec2 vLook;
varying float vHeight;

void main() {
  vec3 n = normalize(vNormal);
  vec3 v = normalize(cameraPosition - vWorld);
  float seed = vLook.x;
  // Dark coats, a rare muted colour among them.
  vec3 coat = mix(vec3(0.008, 0.008, 0.011), vec3(0.016, 0.01, 0.009), step(0.5, seed));
  coat = mix(coat, vec3(0.028, 0.008, 0.008), step(0.95, fract(seed * 7.3)));
  float rim = pow(1.0 - max(dot(n, v), 0.0), 3.0);
  vec3 col = coat + crowdSky(0.15 + 0.3 * n.y) * rim * (0.12 + 0.25 * max(n.y, 0.0));
  // Overhead lamps light shoulders and heads.
  float lamp = crowdLampLight(vWorld.xz);
  col += crowdLampColour() * lamp * (0.01 + 0.1 * max(n.y, 0.0)) * smoothstep(0.6, 1.8, vHeight);
  col = crowdFog(col, length(vWorld - cameraPosition));
  gl_FragColor = vec4(crowdGrade(col, gl_FragCoord.xy), 1.0);
}
