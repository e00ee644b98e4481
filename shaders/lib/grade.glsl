// Final look shared by every pass of a scene, so glass and sky grade alike: exposure (EV),
// white balance, a filmic curve, vignette, sRGB and a dither to hide banding.

vec3 gfWhiteBalance(vec3 c, float temperature) {
  // temperature -1 (cold) .. 1 (warm)
  return c * vec3(1.0 + 0.22 * temperature, 1.0 + 0.03 * temperature, 1.0 - 0.28 * temperature);
}

vec3 gfFilmic(vec3 c) {
  // Narkowicz's fit of the ACES curve: soft shoulder keeps bright glass from clipping flat.
  return clamp((c * (2.51 * c + 0.03)) / (c * (2.43 * c + 0.59) + 0.14), 0.0, 1.0);
}

vec3 gfGrade(vec3 linear, float exposureEv, float temperature, vec2 fragCoord, vec2 resolution, float time) {
  vec3 c = gfWhiteBalance(linear * exp2(exposureEv), temperature);
  c = gfFilmic(c);
  vec2 q = fragCoord / max(resolution, vec2(1.0)) - 0.5;
  c *= 1.0 - 0.9 * dot(q, q);
  c = pow(c, vec3(1.0 / 2.2));
  c += (gfHash(fragCoord + fract(time * 7.31) * 97.0) - 0.5) * (2.0 / 255.0);
  return c;
}
