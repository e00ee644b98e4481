// Breath on cold glass: a pane between us and a warm presence. Condensation blooms where a
// breath would land and recedes; finger traces clear it for a while; the presence behind is
// sharp only where the glass is clear, and never comes close enough to touch.
precision highp float;

uniform float uFog;            // condensation from the sound (0..1, already compressed on the CPU)
uniform float uHaze;
uniform vec4 uTraces[6];       // x, y (pane units, height -1..1), angle, age (s)
uniform float uTraceLife;
uniform float uWarmth;
uniform float uVoice;
uniform float uHue;
uniform float uPulse;
uniform float uCold;
uniform float uDrops;
uniform float uSeed;

varying vec2 vUv;

// Soft figure: head, neck and shoulders in a smooth union; `blur` widens every edge.
float smin(float a, float b, float k) {
  float h = clamp(0.5 + 0.5 * (b - a) / k, 0.0, 1.0);
  return mix(b, a, h) - k * h * (1.0 - h);
}

float presence(vec2 p, float scale, float blur) {
  vec2 q = p / scale;
  float head = length((q - vec2(0.2, 0.12)) * vec2(1.0, 0.8)) - 0.25;
  vec2 n = q - vec2(0.17, -0.1);
  float neck = length(vec2(n.x, n.y - clamp(n.y, -0.35, 0.0))) - 0.12;
  float body = length((q - vec2(0.12, -1.1)) * vec2(0.66, 1.0)) - 0.62;
  float d = smin(smin(head, neck, 0.08), body, 0.16);
  return smoothstep(blur, -blur * 0.5, d);
}

// Finger swipe: distance to a short, slightly curved stroke starting at `a` along `ang`.
float stroke(vec2 p, vec2 a, float ang, float len) {
  vec2 dir = vec2(cos(ang), sin(ang));
  vec2 rel = p - a;
  float s = clamp(dot(rel, dir), 0.0, len);
  vec2 nrm = vec2(-dir.y, dir.x);
  // The finger drifts sideways as it runs down the glass.
  vec2 c = a + dir * s + nrm * (0.06 * s * s / len);
  return length(p - c) / mix(1.0, 0.55, s / len);
}

void main() {
  vec2 p = (gl_FragCoord.xy - 0.5 * uResolution) / uResolution.y * 2.0;
  float t = uTime;
  float seed = mod(uSeed, 97.0) * 1.37;

  // Condensation: a breath cloud around where it lands, with uneven edges, plus a standing haze.
  vec2 c = vec2(-0.15, -0.12);
  float edge = gfFbm(p * 2.2 + vec2(seed, t * 0.03)) - 0.5;
  float reach = 0.05 + 1.35 * uFog;
  float cloud = smoothstep(reach, reach * 0.45, length((p - c) * vec2(0.75, 1.0)) + edge * 0.6);
  float patches = smoothstep(0.25, 0.75, gfFbm(p * 1.3 + vec2(-seed, 3.0 + t * 0.01)));
  float fog = max(cloud * min(1.0, uFog * 3.0), uHaze * (0.4 + 0.6 * patches));

  // Finger traces clear the fog and leave a beaded rim; the glass fogs over them again.
  float wiped = 0.0;
  float rim = 0.0;
  for (int i = 0; i < 6; i++) {
    vec4 tr = uTraces[i];
    float life = tr.w / max(uTraceLife, 0.1);
    if (life >= 1.0) continue;
    float fade = 1.0 - smoothstep(0.2, 1.0, life);
    float d = stroke(p, tr.xy, tr.z, 0.55);
    float w = 0.05;
    wiped = max(wiped, smoothstep(w, w * 0.55, d) * fade);
    rim = max(rim, (smoothstep(w * 1.5, w, d) - smoothstep(w, w * 0.7, d)) * fade);
  }
  // Water gathers at a trace's edge only where there was fog to push aside.
  rim *= smoothstep(0.1, 0.5, fog);
  fog *= 1.0 - 0.92 * wiped;

  // Behind the glass: a dim room lit by a warm lamp, and a figure before it, closer with a
  // voice, swelling slowly. Clear glass shows its outline; fog melts it into the light.
  float scale = 1.0 + 0.3 * uVoice + 0.05 * uPulse;
  vec3 warm = gfHsv(vec3(fract(uHue), 0.72, 1.0));
  vec3 coldLight = mix(vec3(0.12, 0.13, 0.14), vec3(0.1, 0.2, 0.42), uCold);
  float glow = uWarmth * (0.75 + 0.35 * uPulse + 0.25 * uVoice);
  float lamp = exp(-length((p - vec2(0.62, 0.42)) * vec2(0.8, 1.0)) * 1.7);
  vec3 roomLight = warm * glow * (0.03 + 0.5 * lamp);
  float blur = 0.08 + 0.75 * fog;
  float figure = presence(p, scale, blur);
  float outline = figure - presence(p, scale * 0.96, blur);
  vec3 behind = roomLight * (1.0 - 0.85 * figure) + warm * glow * (0.035 * figure + 0.5 * max(outline, 0.0) * (0.3 + lamp));
  // Fog scatters the room's light into a milky veil that still knows where the lamp is.
  float lampWide = exp(-length(p - vec2(0.62, 0.42)) * 0.8);
  vec3 milky = mix(warm, vec3(1.0, 0.95, 0.9), 0.2);
  vec3 veil = (milky * glow * (0.08 + 0.42 * lampWide) * (1.0 - 0.3 * figure) + coldLight * 0.06) * (0.94 + 0.12 * gfNoise(p * 38.0 + seed));

  // Micro-droplets in the fog sparkle with both lights; larger beads where the sound is noisy.
  float micro = pow(gfNoise(p * 260.0 + seed), 16.0);
  vec2 bq = p * 18.0 + seed;
  vec2 bc = floor(bq);
  vec2 bf = fract(bq) - 0.5 - (vec2(gfHash(bc + 1.3), gfHash(bc + 7.1)) - 0.5) * 0.5;
  float br = 0.1 + 0.25 * gfHash(bc + 3.7);
  float bead = step(1.0 - uDrops * 0.45, gfHash(bc)) * smoothstep(0.25, 0.6, fog);
  float beadBody = smoothstep(br, br * 0.7, length(bf)) * bead;
  float beadSpark = smoothstep(br * 0.35, 0.0, length(bf - vec2(-0.25, 0.3) * br)) * bead;

  vec3 col = mix(behind, veil, fog * 0.82);
  col += (warm * glow * (0.1 + lamp) + coldLight * 0.3) * (micro * fog * 0.25 + rim * 0.18);
  col = mix(col, behind * 0.7 + coldLight * 0.03, beadBody * 0.6);
  col += (warm * glow * 0.7 + coldLight) * beadSpark * 0.5;

  // The pane's own cold reflection: a faint diagonal sheen from a window behind us.
  float sheen = smoothstep(0.35, 0.0, abs(p.x * 0.55 + p.y * 0.8 - 0.9)) * 0.5 + smoothstep(0.12, 0.0, abs(p.x * 0.55 + p.y * 0.8 - 1.35));
  col += coldLight * sheen * 0.05 * (1.0 - 0.5 * fog);

  col = gfFilmic(col * 1.8);
  vec2 q = gl_FragCoord.xy / uResolution - 0.5;
  col *= 1.0 - 0.9 * dot(q, q);
  col = pow(col, vec3(1.0 / 2.2));
  col += (gfHash(gl_FragCoord.xy + fract(t * 7.31) * 97.0) - 0.5) * (2.0 / 255.0);
  gl_FragColor = vec4(col, 1.0);
}
