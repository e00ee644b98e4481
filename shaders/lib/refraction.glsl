// Glass optics in screen space: Schlick fresnel and a dispersed refraction of a background
// texture (each colour channel bent by a slightly different amount).

// Reflectance at a view angle (cosTheta = dot(N, V)) for glass of index `ior` in air.
float gfFresnel(float cosTheta, float ior) {
  float f0 = (ior - 1.0) / (ior + 1.0);
  f0 *= f0;
  float m = 1.0 - clamp(cosTheta, 0.0, 1.0);
  float m2 = m * m;
  return f0 + (1.0 - f0) * m2 * m2 * m;
}

// Screen-space offset of what is seen through a surface with view-space normal `nView`.
vec2 gfRefractOffset(vec3 nView, float ior, float strength) {
  return -nView.xy * strength * (1.0 - 1.0 / max(ior, 1.0));
}

// Background seen through the glass: red bends least, blue most (dispersion 0..1).
vec3 gfDispersedSample(sampler2D tex, vec2 uv, vec2 offset, float dispersion) {
  float d = dispersion * 0.5;
  float r = texture2D(tex, uv + offset * (1.0 - d)).r;
  float g = texture2D(tex, uv + offset).g;
  float b = texture2D(tex, uv + offset * (1.0 + d)).b;
  return vec3(r, g, b);
}
