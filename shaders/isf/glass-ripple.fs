/*{
  "ISFVSN": "2",
  "VSN": "1.0",
  "DESCRIPTION": "Concentric glass ripples around a movable centre, with a colour tint and a flash on demand",
  "CREDIT": "Glassforest contributors (AGPL-3.0-or-later)",
  "CATEGORIES": ["Generator", "Glass"],
  "INPUTS": [
    { "NAME": "rings", "TYPE": "float", "LABEL": "Ring count", "DEFAULT": 12.0, "MIN": 1.0, "MAX": 40.0 },
    { "NAME": "speed", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 4.0 },
    { "NAME": "centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0.0, 0.0], "MAX": [1.0, 1.0] },
    { "NAME": "tint", "TYPE": "color", "DEFAULT": [0.55, 0.8, 1.0, 1.0] },
    { "NAME": "profile", "TYPE": "long", "VALUES": [0, 1, 2], "LABELS": ["Sine", "Sharp", "Stepped"], "DEFAULT": 1 },
    { "NAME": "invert", "TYPE": "bool", "DEFAULT": false },
    { "NAME": "flash", "TYPE": "event" }
  ]
}*/

float ringShape(float x) {
  if (profile == 0) return 0.5 + 0.5 * sin(x);
  if (profile == 1) return pow(abs(sin(x)), 8.0);
  return floor((0.5 + 0.5 * sin(x)) * 4.0) / 4.0;
}

void main() {
  vec2 aspect = vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0);
  vec2 p = (isf_FragNormCoord - centre) * aspect;
  float d = length(p);
  float r = ringShape(d * rings * 6.2831853 - TIME * speed * 6.2831853);
  // Refraction-like shading: brighter where the ring's slope is steep.
  float slope = abs(dFdx(r)) + abs(dFdy(r));
  vec3 colour = tint.rgb * (0.25 + 0.75 * r) + vec3(slope * 4.0);
  colour *= smoothstep(1.2, 0.1, d);
  if (invert) colour = 1.0 - colour;
  if (flash) colour = vec3(1.0);
  gl_FragColor = vec4(colour, tint.a);
}
