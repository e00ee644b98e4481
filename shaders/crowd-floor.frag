// Crowd, the concourse floor: polished stone slabs reflecting the windows' dusk light,
// pools of light under the overhead lamps, haze towards the far wall.
precision highp float;
uniform float uFarZ;   // z of the far wall
varying vec3 vWorld;
varying vec2 vUv;

void main() {
  vec2 xz = vWorld.xz;
  vec2 slab = xz / vec2(1.6, 1.6);
  vec2 f = abs(fract(slab) - 0.5);
  float grout = smoothstep(0.485, 0.5, max(f.x, f.y));
  float stone = 0.75 + 0.25 * gfNoise(floor(slab) * 1.7) + 0.1 * gfNoise(xz * 3.0);
  vec3 base = vec3(0.05, 0.047, 0.045) * stone;

  // Mirror the eye in the floor and follow its ray to the far wall.
  vec3 toEye = normalize(cameraPosition - vWorld);
  float k = (uFarZ - vWorld.z) / min(vWorld.z - cameraPosition.z, -0.01);
  float ry = cameraPosition.y * k;
  float rx = vWorld.x + (vWorld.x - cameraPosition.x) * k;
  vec3 refl = crowdSky(clamp(ry / 26.0, 0.0, 1.0)) * crowdBay(rx + 0.5 * (gfNoise(xz * vec2(1.5, 0.3)) - 0.5), ry);
  float gloss = 0.16 * (1.0 - grout) * smoothstep(0.0, 0.6, 1.0 - toEye.y);

  float lamp = crowdLampLight(xz);
  vec3 col = base * (0.12 + 0.45 * uLights + 2.5 * lamp * crowdLampColour()) + refl * gloss + crowdLampColour() * lamp * 0.14;
  col *= 1.0 - 0.6 * grout;
  col = crowdFog(col, length(vWorld - cameraPosition));
  gl_FragColor = vec4(crowdGrade(col, gl_FragCoord.xy), 1.0);
}
