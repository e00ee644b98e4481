// Crowd: what the hall, the floor and the figures share: the dusk light through the hall's
// windows, the overhead lamps' pools of light, the haze and the grade.
#define CROWD_LAMPS 7

uniform vec3 uLamps[CROWD_LAMPS];   // x, z, radius (metres)
uniform float uLights;              // lamp brightness
uniform float uDusk;                // 0 late sunset .. 1 blue hour
uniform float uHaze;
uniform float uExposure;
uniform float uTintHue;
uniform float uTintAmount;

// Sky seen through the windows at height h (0 horizon .. 1 top).
vec3 crowdSky(float h) {
  vec3 low = mix(vec3(1.0, 0.42, 0.16), vec3(0.42, 0.22, 0.36), uDusk);
  vec3 mid = mix(vec3(0.55, 0.32, 0.42), vec3(0.1, 0.12, 0.3), uDusk);
  vec3 top = mix(vec3(0.16, 0.16, 0.34), vec3(0.015, 0.03, 0.09), uDusk);
  vec3 c = mix(low, mid, smoothstep(0.0, 0.35, h));
  return mix(c, top, smoothstep(0.3, 1.0, h)) * (1.0 - 0.55 * uDusk);
}

vec3 crowdLampColour() {
  return mix(vec3(1.0, 0.72, 0.42), gfHsv(vec3(uTintHue, 0.6, 1.0)), uTintAmount * 0.6);
}

// Light from the overhead lamps reaching a point on (or above) the floor.
float crowdLampLight(vec2 xz) {
  float l = 0.0;
  for (int i = 0; i < CROWD_LAMPS; i++) {
    vec2 d = xz - uLamps[i].xy;
    float r = uLamps[i].z;
    l += exp(-dot(d, d) / (r * r)) * (i == 0 ? 2.0 : 1.0);
  }
  return l * uLights;
}

// Haze: dusk-coloured air thickening with distance.
vec3 crowdFog(vec3 col, float dist) {
  float f = 1.0 - exp(-dist * (0.004 + 0.03 * uHaze));
  return mix(col, crowdSky(0.06) * 0.12, f);
}

// Soft glow of the window bays (for blurred reflections): 1 in the middle of a bay.
float crowdBay(float x, float y) {
  float cx = mod(x + 3.5, 7.0) - 3.5;
  return (1.0 - smoothstep(1.6, 3.0, abs(cx))) * smoothstep(0.5, 2.5, y) * (1.0 - smoothstep(15.0, 20.0, y));
}

// Tall windows of the far hall: 1 inside glass, 0 on wall or mullion; x, y in metres.
float crowdWindow(float x, float y) {
  float bay = 7.0;
  float cx = mod(x + bay * 0.5, bay) - bay * 0.5;
  float inside = step(abs(cx), 2.6) * step(1.2, y) * step(y, 16.0);
  // Arched tops.
  float arch = step(length(vec2(cx, max(y - 16.0, 0.0))), 2.6);
  inside = max(inside, arch * step(16.0, y) * step(abs(cx), 2.6));
  // Mullions and transoms.
  float mx = abs(mod(cx + 0.65, 1.3) - 0.65);
  float my = abs(mod(y, 2.2) - 1.1);
  return inside * smoothstep(0.03, 0.07, mx) * smoothstep(0.03, 0.07, my);
}

vec3 crowdGrade(vec3 linear, vec2 fragCoord) {
  return gfGrade(linear, uExposure, 0.0, fragCoord, uResolution, uTime);
}
