// Colour helpers: cosine palettes and a chroma-weighted hue.
vec3 gfPalette(float t, vec3 a, vec3 b, vec3 c, vec3 d) {
  return a + b * cos(6.28318 * (c * t + d));
}

// Hue (0..1) of the strongest pitch classes on the circle of fifths, so related keys sit close.
float gfChromaHue(float chroma[12]) {
  vec2 acc = vec2(0.0);
  for (int i = 0; i < 12; i++) {
    float fifths = mod(float(i) * 7.0, 12.0) / 12.0;
    float w = chroma[i] * chroma[i];
    acc += w * vec2(cos(6.28318 * fifths), sin(6.28318 * fifths));
  }
  return fract(atan(acc.y, acc.x) / 6.28318 + 1.0);
}

vec3 gfHsv(vec3 c) {
  vec3 p = abs(fract(c.xxx + vec3(0.0, 2.0 / 3.0, 1.0 / 3.0)) * 6.0 - 3.0);
  return c.z * mix(vec3(1.0), clamp(p - 1.0, 0.0, 1.0), c.y);
}
