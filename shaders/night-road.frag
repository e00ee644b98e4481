// Night road: a road seen from the driver's seat, solved per pixel on a flat ground plane.
// Dashes, lamps and billboards come from the car's position (computed on the CPU, beat-locked);
// billboards carry glyph-like marks that never become words; the far lights never arrive.
precision highp float;

uniform float uDashPhase;      // 0..1 from one dash to the next (0 = a dash at the camera)
uniform float uRoadMetres;     // distance driven, wrapped every 3600 m (a multiple of every spacing)
uniform float uSpeed01;        // speed / 30 m/s, clamped
uniform float uCurve;          // road bend: lateral metres = uCurve * z^2
uniform vec4 uBoards[6];       // billboards ahead: z (m, <0 empty), side, height (m), seed
uniform float uThrottle;
uniform float uFlicker;
uniform float uHum;
uniform float uNeon;
uniform float uRain;
uniform float uDistant;
uniform float uGlow;
uniform float uSeed;

varying vec2 vUv;

const float EYE_H = 1.25;       // metres above the road
const float FOCAL = 1.15;       // screen heights per unit of x/z
const float DASH_M = 12.0;
const float LAMP_M = 36.0;
const float LANE_W = 3.5;

float hash1(float n) { return fract(sin(n * 12.9898 + uSeed * 0.618) * 43758.5453); }

// Sodium orange to a neon pair (magenta or cyan), picked per light by `pick`.
vec3 lightColour(float pick, float neon) {
  vec3 sodium = vec3(1.0, 0.52, 0.16);
  vec3 n = mix(vec3(1.0, 0.16, 0.62), vec3(0.18, 0.85, 1.0), step(0.5, pick));
  return mix(sodium, n, clamp(neon * 1.15 - 0.1 + 0.25 * (pick - 0.5), 0.0, 1.0));
}

// Glyph-like marks on a sign: strokes per cell that look like writing and never make a word.
float glyphs(vec2 uv, float seed, float t) {
  vec2 grid = vec2(9.0, 3.0);
  vec2 g = uv * grid;
  vec2 cell = floor(g);
  vec2 f = fract(g) - 0.5;
  // Marks mutate now and then, as if the sign were rewriting itself.
  float era = floor(t * 0.25 + seed * 7.0 + cell.x * 0.13);
  float h = gfHash(cell + seed * 91.0 + era * 3.1);
  float h2 = gfHash(cell * 1.7 + seed * 53.0 + era);
  if (h < 0.12) return 0.0; // gaps between "words"
  float w = 0.07;
  float m = 0.0;
  m = max(m, step(0.35, h2) * smoothstep(w, w * 0.4, abs(f.x + (h - 0.5) * 0.4)) * step(abs(f.y), 0.38));
  m = max(m, step(h2, 0.7) * smoothstep(w, w * 0.4, abs(f.y - (h2 - 0.5) * 0.6)) * step(abs(f.x), 0.3));
  float diag = abs(f.x * 0.8 - f.y * (h > 0.55 ? 1.0 : -1.0));
  m = max(m, step(0.6, h) * smoothstep(w, w * 0.4, diag) * step(length(f), 0.42));
  float ring = abs(length(f - vec2(0.0, 0.1)) - 0.2);
  m = max(m, step(0.82, h2) * smoothstep(w, w * 0.4, ring));
  return m;
}

void main() {
  vec2 p = (gl_FragCoord.xy - 0.5 * uResolution) / uResolution.y;
  float t = uTime;
  // Road hum: a gentle shake, more with the low band, settling when the car stands.
  float shake = uHum * (0.15 + uSpeed01);
  p += vec2(gfNoise(vec2(t * 9.0, 1.3)) - 0.5, gfNoise(vec2(t * 11.0, 7.1)) - 0.5) * 0.006 * shake;
  // Rain streaks the lights downwards.
  float streak = 1.0 + 5.0 * uRain;

  float horizon = 0.07;
  float exposure = uGlow * (0.55 + 0.45 * uSpeed01);
  vec3 sodium = lightColour(0.0, 0.0);
  vec3 mood = lightColour(0.8, uNeon);

  // Sky: black above, a low glow of a town that is always further on.
  float above = p.y - horizon;
  vec3 col = vec3(0.004, 0.006, 0.014) + mood * 0.06 * exp(-max(above, 0.0) * 14.0) * (0.5 + 0.5 * uDistant);

  // Far lights along the horizon: a town's scatter, twinkling, never closer.
  if (abs(above) < 0.03) {
    float x = p.x * 140.0;
    float id = floor(x);
    float hx = hash1(id);
    float lit = step(0.7, hx) * smoothstep(0.5, 0.1, abs(fract(x) - 0.5)) * smoothstep(0.006, 0.0, abs(above - 0.004 - 0.01 * hash1(id + 3.0)));
    col += lightColour(hash1(id + 9.0), uNeon) * lit * uDistant * (0.5 + 0.5 * sin(t * (1.0 + 3.0 * hash1(id + 5.0)) + id));
  }

  // Two tail lights of a car always the same way ahead.
  float farZ = 260.0;
  vec2 tail = vec2((uCurve * farZ * farZ) * FOCAL / farZ, horizon - EYE_H * FOCAL / farZ + 0.004);
  tail.x += 0.01 * sin(t * 0.13);
  for (int s = 0; s < 2; s++) {
    vec2 q = p - tail - vec2(float(s) * 2.0 - 1.0, 0.0) * 0.0035;
    q.y /= streak;
    col += vec3(1.0, 0.08, 0.04) * uDistant * 0.0000035 / (dot(q, q) + 0.0000025);
  }

  // Ground: every pixel below the horizon is a point on the road plane.
  if (p.y < horizon) {
    float z = EYE_H * FOCAL / (horizon - p.y);
    float xw = p.x * z / FOCAL - uCurve * z * z;
    float px = z / (FOCAL * uResolution.y); // metres per pixel here
    float along = z / DASH_M + uDashPhase;
    float fog = exp(-z * 0.012);

    // Asphalt, faintly lit by the car's own lights (dim when it stands in the dark).
    float beam = exp(-xw * xw * 0.09) * smoothstep(70.0, 4.0, z) * (0.25 + 0.75 * uThrottle);
    vec3 ground = vec3(0.004, 0.004, 0.005) * (1.0 + 1.5 * gfNoise(vec2(xw * 3.0, (z + uRoadMetres) * 3.0)));
    ground += vec3(0.5, 0.47, 0.4) * beam * 0.016;
    ground += sodium * 0.015 * uHum;

    // Street lamps on the right every LAMP_M: pools of sodium light.
    float lz = z + uRoadMetres;
    float dzLamp = (fract(lz / LAMP_M + 0.5) - 0.5) * LAMP_M;
    float pool = exp(-(pow(xw - 2.2, 2.0) * 0.04 + dzLamp * dzLamp * 0.01));
    ground += mood * pool * 0.045;

    // Lines: a solid edge on the right, dashes at the centre, a faint far edge.
    float road = step(-LANE_W * 1.5, xw) * step(xw, LANE_W * 0.5);
    float lineW = 0.09 + px;
    float edge = smoothstep(lineW, lineW - px * 1.5, abs(xw - LANE_W * 0.5 + 0.15));
    float farEdge = smoothstep(lineW, lineW - px * 1.5, abs(xw + LANE_W * 1.5 - 0.15));
    // Dashes grow streaky with speed.
    float dashLen = 0.3 + 0.12 * uSpeed01;
    float dashAlong = fract(along);
    float dashOn = smoothstep(0.0, px / DASH_M * 3.0 + 0.01, dashAlong) * smoothstep(dashLen, dashLen - px / DASH_M * 3.0 - 0.01, dashAlong);
    float dash = dashOn * smoothstep(lineW, lineW - px * 1.5, abs(xw + LANE_W * 0.5));
    float paint = max(edge, max(farEdge * 0.6, dash));
    vec3 paintLit = vec3(0.85, 0.82, 0.7) * (0.03 + beam * 0.3 + pool * 0.25);
    ground = mix(ground, paintLit, paint * road);
    ground *= mix(0.35, 1.0, road);

    // Wet road: the lamps' and signs' colours smear down the asphalt.
    ground += mood * uRain * 0.08 * pool * (0.6 + 0.4 * gfNoise(vec2(xw * 2.0, z * 0.2 - t)));
    col = mix(col, ground, fog) + mood * 0.02 * (1.0 - fog) * uDistant;
  }

  // Lamp heads overhead, nearest few.
  for (int i = 0; i < 6; i++) {
    float lz = (float(i) + 1.0 - fract(uRoadMetres / LAMP_M)) * LAMP_M;
    if (lz < 1.0) continue;
    float lx = 3.1 + uCurve * lz * lz;
    vec2 s = vec2(lx * FOCAL / lz, horizon + (7.5 - EYE_H) * FOCAL / lz);
    vec2 q = p - s;
    q.y /= streak;
    float r = 0.12 / lz;
    col += mood * ((r * r) / (dot(q, q) + r * r * 0.08) * 0.05 + exp(-length(q) * lz * 1.2) * 0.08);
    // The pole, faintly.
    float pole = smoothstep(0.0015 + 0.02 / lz, 0.0, abs(p.x - (lx + 0.6) * FOCAL / lz)) * step(p.y, s.y) * step(horizon - EYE_H * FOCAL / lz, p.y);
    col += mood * pole * 0.04;
  }

  // Billboards: glowing panels of unreadable marks on both sides of the road.
  for (int i = 0; i < 6; i++) {
    vec4 b = uBoards[i];
    if (b.x < 2.0) continue;
    float z = b.x;
    float side = b.y;
    float cx = (side > 0.0 ? 8.5 : -11.0) + uCurve * z * z;
    float w = 7.0 + 3.0 * fract(b.w * 13.0);
    float h = 2.6 + 1.2 * fract(b.w * 29.0);
    vec2 lo = vec2((cx - 0.5 * w) * FOCAL / z, horizon + (b.z - EYE_H) * FOCAL / z);
    vec2 hi = vec2((cx + 0.5 * w) * FOCAL / z, horizon + (b.z + h - EYE_H) * FOCAL / z);
    vec2 uv = (p - lo) / (hi - lo);
    vec3 signCol = lightColour(fract(b.w * 7.0), uNeon);
    float near = smoothstep(3.0, 12.0, z) * exp(-z * 0.004);
    // Onsets knock out tubes at random; a broken sign stutters on its own.
    float tick = floor(t * 24.0);
    float alive = step(uFlicker * 0.85, gfHash(vec2(b.w * 100.0, tick)));
    float broken = step(0.85, fract(b.w * 3.7)) * step(0.6, gfHash(vec2(b.w * 50.0, floor(t * 9.0))));
    float on = alive * (1.0 - broken);
    vec2 d = max(max(lo - p, p - hi), 0.0);
    float halo = exp(-length(vec2(d.x, d.y / sqrt(streak))) * z * 0.9);
    col += signCol * halo * 0.05 * near * on;
    if (uv.x > 0.0 && uv.x < 1.0 && uv.y > 0.0 && uv.y < 1.0) {
      vec2 inner = (uv - 0.06) / 0.88;
      float marks = (inner.x > 0.0 && inner.x < 1.0 && inner.y > 0.0 && inner.y < 1.0) ? glyphs(inner, b.w, t) : 0.0;
      vec3 panel = signCol * 0.05 + signCol * marks * 1.6 * on;
      // Far signs blur into a glow: the marks are never close enough to read.
      col = mix(col, panel, near);
    }
    // Legs of the sign.
    float legX = abs(abs(p.x - 0.5 * (lo.x + hi.x)) - 0.3 * (hi.x - lo.x));
    float leg = smoothstep(0.002 + 0.1 / z, 0.0, legX) * step(p.y, lo.y) * step(horizon - EYE_H * FOCAL / z, p.y);
    col = mix(col, vec3(0.01), leg * near);
  }

  // Rain: drops on the windscreen catch the lights, streaks fall past.
  if (uRain > 0.01) {
    vec2 rq = vec2(p.x * 70.0 + p.y * 9.0, p.y * 3.0 + t * 9.0);
    vec2 rc = floor(rq);
    float rh = gfHash(rc);
    float fall = step(1.0 - 0.12 * uRain, rh) * smoothstep(0.12, 0.0, abs(fract(rq.x) - 0.5)) * smoothstep(0.0, 0.5, fract(rq.y)) * smoothstep(1.0, 0.5, fract(rq.y));
    col += vec3(0.5, 0.55, 0.65) * fall * 0.12 * uRain;
    vec2 dq = p * 28.0 + vec2(0.0, floor(t * 0.5) * 0.37);
    vec2 dc = floor(dq);
    vec2 df = fract(dq) - 0.5 - (vec2(gfHash(dc + 1.0), gfHash(dc + 2.0)) - 0.5) * 0.6;
    float dr = 0.12 + 0.2 * gfHash(dc + 3.0);
    float drop = step(1.0 - 0.55 * uRain, gfHash(dc)) * smoothstep(dr, dr * 0.6, length(df));
    float lens = drop * smoothstep(dr * 0.2, dr * 0.9, length(df - vec2(0.04, 0.06)));
    // A drop darkens and bends what is behind it; its rim catches the lights.
    col = mix(col, col * 0.55 + mood * 0.015, drop * 0.7) + mood * lens * 0.05 * uRain;
  }

  // Cabin: the dashboard edge at the bottom, dark, rimmed by the lights outside.
  float dash = smoothstep(-0.43, -0.45, p.y + 0.02 * p.x * p.x);
  col = mix(col, vec3(0.003) + mood * 0.01, dash);

  col *= exposure;
  col = gfFilmic(col * 1.6);
  vec2 q = gl_FragCoord.xy / uResolution - 0.5;
  col *= 1.0 - 0.8 * dot(q, q);
  col = pow(col, vec3(1.0 / 2.2));
  col += (gfHash(gl_FragCoord.xy + fract(t * 7.31) * 97.0) - 0.5) * (2.0 / 255.0);
  gl_FragColor = vec4(col, 1.0);
}
