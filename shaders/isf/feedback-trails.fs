/*{
  "ISFVSN": "2.0",
  "DESCRIPTION": "Feedback trails: an input image (or the spectrum) smeared into a persistent buffer that slowly fades and drifts",
  "CREDIT": "Glassforest contributors (AGPL-3.0-or-later)",
  "CATEGORIES": ["Filter", "Feedback"],
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "spectrum", "TYPE": "audioFFT", "MAX": 256 },
    { "NAME": "decay", "TYPE": "float", "DEFAULT": 0.92, "MIN": 0.5, "MAX": 0.999 },
    { "NAME": "drift", "TYPE": "point2D", "DEFAULT": [0.0, 0.002], "MIN": [-0.02, -0.02], "MAX": [0.02, 0.02] },
    { "NAME": "clear", "TYPE": "event" }
  ],
  "PASSES": [
    { "TARGET": "trails", "PERSISTENT": true, "FLOAT": true },
    { "TARGET": "halfSize", "WIDTH": "$WIDTH/2", "HEIGHT": "$HEIGHT/2" },
    { }
  ]
}*/

void main() {
  vec2 uv = isf_FragNormCoord;
  if (PASSINDEX == 0) {
    // Frame-rate independent fade: decay is per 1/60 s.
    float keep = clear || FRAMEINDEX == 0 ? 0.0 : pow(decay, TIMEDELTA * 60.0);
    vec4 old = IMG_NORM_PIXEL(trails, uv - drift);
    float bin = IMG_NORM_PIXEL(spectrum, vec2(uv.x, 0.5)).r;
    vec4 fresh = IMG_THIS_PIXEL(inputImage) + vec4(vec3(step(uv.y, bin) * 0.2), 0.0);
    gl_FragColor = max(old * keep, fresh);
  } else if (PASSINDEX == 1) {
    vec2 px = uv * IMG_SIZE(trails);
    gl_FragColor = IMG_PIXEL(trails, px);
  } else {
    gl_FragColor = 0.6 * IMG_THIS_NORM_PIXEL(trails) + 0.4 * texture2D(halfSize, uv);
  }
}
