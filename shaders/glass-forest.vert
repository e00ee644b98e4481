// Glass forest trees: instanced tubes that sway, swell, float and drift through a wrapping volume.
attribute float aAlong;   // growth order 0 (trunk base) .. 1 (last tip)
attribute float aRadius;  // tube radius, for swelling along the normal
attribute float aRoot;    // 1 on hanging roots
attribute float aPhase;   // per tree, 0..1

uniform float uTime;
uniform float uSway;
uniform float uPulse;
uniform float uGrowth;
uniform float uDriftOffset;
uniform float uEyeZ;
uniform float uWrapSlope;

varying vec3 vWorldPos;
varying vec3 vNormalW;
varying vec3 vLocal;
varying float vAlong;
varying float vGrowLimit;
varying float vRoot;
varying float vPhase;
varying float vDepth;

void main() {
  vec3 p = position;
  float ph = aPhase * 6.28318;
  // Swell the glass from inside; the thickest parts swell most.
  p += normal * aRadius * uPulse * 1.4;
  // Sway bends the outer branches most; roots trail more slowly.
  float w = aAlong * aAlong * (1.0 - 0.5 * aRoot);
  vec3 bend = vec3(sin(uTime * 0.9 + ph + p.y * 1.3), 0.2 * sin(uTime * 1.3 + ph), cos(uTime * 0.71 + ph * 1.7 + p.y * 1.1));
  p += bend * uSway * 0.45 * w;

  mat4 m = modelMatrix * instanceMatrix;
  vec3 centre = m[3].xyz;
  vec3 offset = (m * vec4(p, 1.0)).xyz - centre;
  // Drift sideways through a wrapping volume; trees shrink away at its edges so the wrap never shows.
  // The volume widens with distance, like the view.
  float halfWidth = max(3.0, (uEyeZ - centre.z) * uWrapSlope);
  float x = mod(centre.x + uDriftOffset + halfWidth, 2.0 * halfWidth) - halfWidth;
  float edge = smoothstep(halfWidth, halfWidth * 0.82, abs(x));
  vec3 c = vec3(x, centre.y + 0.22 * sin(uTime * 0.21 + ph * 3.0), centre.z);
  vec4 world = vec4(c + offset * edge, 1.0);

  vWorldPos = world.xyz;
  vNormalW = normalize(mat3(m) * normal);
  vLocal = position;
  vAlong = aAlong;
  // Each tree is at its own stage of growth.
  vGrowLimit = uGrowth * (0.86 + 0.2 * aPhase) + (edge - 1.0);
  vRoot = aRoot;
  vPhase = aPhase;
  vec4 view = viewMatrix * world;
  vDepth = -view.z;
  gl_Position = projectionMatrix * view;
}
