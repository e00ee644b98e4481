// Texture keyframes: the live blend of the loaded set (standard uniforms; engine/keyframes).
uniform highp sampler2DArray uKeyframes;
uniform vec4 uKeyLayer;    // texture layers of the four heaviest keyframes
uniform vec4 uKeyWeight;   // their weights, summing to 1 (all 0 while no set is loaded)
uniform float uKeyCount;   // keyframes in the loaded set (0: none)
uniform float uKeyAspect;  // width / height of the set's images
uniform float uKeyFlow;    // strength of the flow morph: 0 is a plain crossfade
uniform float uKeyAmount;  // how much scenes show the keyframes instead of their own background

// Layers hold the top image row first: flip v so uv (0,0) is the bottom left as everywhere else.
vec3 gfKeyTap(vec2 uv, float layer) {
  return texture(uKeyframes, vec3(uv.x, 1.0 - uv.y, layer)).rgb;
}

float gfKeyLum(vec2 uv, float layer) {
  return dot(gfKeyTap(uv, layer), vec3(0.2126, 0.7152, 0.0722));
}

// Luminance slope of one keyframe at a coarse scale (a few percent of the image).
vec2 gfKeySlope(vec2 uv, float layer) {
  const float e = 0.025;
  return vec2(gfKeyLum(uv + vec2(e, 0.0), layer) - gfKeyLum(uv - vec2(e, 0.0), layer),
              gfKeyLum(uv + vec2(0.0, e), layer) - gfKeyLum(uv - vec2(0.0, e), layer));
}

// Cover-fit: uv of a surface with aspect `aspect` (width / height) to image uv, cropping the excess.
vec2 gfKeyCover(vec2 uv, float aspect) {
  vec2 p = uv - 0.5;
  float r = aspect / max(uKeyAspect, 1e-3);
  if (r > 1.0) p.y /= r;
  else p.x *= r;
  return p + 0.5;
}

// The blended keyframes at surface uv. Not a crossfade: each image flows along the luminance
// slopes of the others, the more the less it weighs, so shapes melt into the next image's
// light. The flow swells with onsets and the low band. Black while no set is loaded.
vec3 gfKeyframes(vec2 uv, float aspect) {
  if (uKeyCount < 0.5) return vec3(0.0);
  vec2 q = gfKeyCover(uv, aspect);
  vec4 w = uKeyWeight;
  vec2 s0 = w.x > 0.002 ? gfKeySlope(q, uKeyLayer.x) : vec2(0.0);
  vec2 s1 = w.y > 0.002 ? gfKeySlope(q, uKeyLayer.y) : vec2(0.0);
  vec2 s2 = w.z > 0.002 ? gfKeySlope(q, uKeyLayer.z) : vec2(0.0);
  vec2 s3 = w.w > 0.002 ? gfKeySlope(q, uKeyLayer.w) : vec2(0.0);
  vec2 field = w.x * s0 + w.y * s1 + w.z * s2 + w.w * s3;
  float k = uKeyFlow * (0.06 + 0.05 * uOnset + 0.04 * uBands[0]);
  vec3 c = vec3(0.0);
  if (w.x > 0.002) c += w.x * gfKeyTap(q - k * (field - w.x * s0), uKeyLayer.x);
  if (w.y > 0.002) c += w.y * gfKeyTap(q - k * (field - w.y * s1), uKeyLayer.y);
  if (w.z > 0.002) c += w.z * gfKeyTap(q - k * (field - w.z * s2), uKeyLayer.z);
  if (w.w > 0.002) c += w.w * gfKeyTap(q - k * (field - w.w * s3), uKeyLayer.w);
  return c;
}
