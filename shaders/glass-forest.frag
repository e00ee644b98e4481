// Glass forest trees: glass that refracts the background texture with dispersion, reflects
// the sky at grazing angles, carries shimmer and light inside, and fades into the haze.
precision highp float;

uniform sampler2D uBackground;
uniform vec3 uTint;          // sRGB
uniform float uTintHue;
uniform float uTintAmount;
uniform float uIor;
uniform float uRefraction;
uniform float uDispersion;
uniform float uFresnel;
uniform float uHaze;
uniform float uGlow;
uniform float uExposure;
uniform float uTemperature;
uniform float uShimmer;
uniform float uFlash;
uniform float uRoots;
uniform vec3 uHazeColour;
uniform vec3 uLightColour;   // colour of the sky's light
uniform vec3 uLightDir;      // towards the sky's light (world)

varying vec3 vWorldPos;
varying vec3 vNormalW;
varying vec3 vLocal;
varying float vAlong;
varying float vGrowLimit;
varying float vRoot;
varying float vPhase;
varying float vDepth;

void main() {
  if (vAlong > vGrowLimit || vRoot > uRoots + 0.5) discard;
  vec3 N = normalize(vNormalW);
  vec3 V = normalize(cameraPosition - vWorldPos);
  float cosT = dot(N, V);
  if (cosT < 0.0) {
    N = -N;
    cosT = -cosT;
  }
  vec2 suv = gl_FragCoord.xy / uResolution;
  vec3 nView = normalize((viewMatrix * vec4(N, 0.0)).xyz);

  vec3 tint = pow(uTint, vec3(2.2));
  tint = mix(tint, tint * gfHsv(vec3(uTintHue, 0.75, 1.0)) * 1.5, uTintAmount);

  // What lies behind, bent and split; thin edges bend more than faces seen head-on.
  vec2 off = gfRefractOffset(nView, uIor, uRefraction * (0.18 + 0.22 * (1.0 - cosT)));
  vec3 refr = gfDispersedSample(uBackground, suv, off, uDispersion);
  // The sky mirrored at grazing angles.
  // (sampled around the luminous mist and the light, which is what a glass edge would catch)
  vec3 refl = texture2D(uBackground, vec2(suv.x + nView.x * 0.35, 0.5 + nView.y * 0.3)).rgb;
  float F = gfFresnel(cosT, uIor);
  float rim = pow(1.0 - cosT, 3.0);

  // Body: what lies behind, a little absorbed; edges: the sky reflected, and the light caught.
  vec3 col = refr * tint * 0.9;
  col += refl * (F * 5.0 + rim * 1.5) * uFresnel * 2.0;
  vec3 H = normalize(uLightDir + V);
  float spec = pow(max(dot(N, H), 0.0), 60.0);
  float through = pow(max(dot(-V, uLightDir), 0.0), 6.0) * rim;   // back light bleeding round the edges
  col += uLightColour * (spec * 0.9 + through * 0.5 + rim * rim * 0.06) * uFresnel * (0.4 + 0.6 * uGlow);
  // A glass rod focuses light into a thin bright core; its edges split into spectral fringes.
  col += tint * uLightColour * pow(cosT, 14.0) * 0.1 * (0.4 + uGlow);
  vec3 fringe = gfHsv(vec3(fract(0.5 + rim * 1.3 + vPhase * 0.2), 0.7, 1.0));
  col += fringe * rim * rim * uDispersion * 0.25 * (0.3 + uGlow);

  // Light running up the glass, and glints: the shimmer.
  float lines = pow(0.5 + 0.5 * sin(vAlong * 55.0 - uTime * 2.2 + vPhase * 40.0), 10.0);
  float glint = pow(gfNoise(vLocal.xy * 18.0 + vLocal.z * 11.0 + vec2(uTime * 1.5, vPhase * 17.0)), 8.0);
  col += tint * (lines * 0.35 + glint * 1.5) * uShimmer * (0.25 + uGlow) * (0.3 + rim);

  // The growing front glows amber, like glass still cooling.
  float front = smoothstep(0.08, 0.0, vGrowLimit - vAlong);
  col += vec3(1.0, 0.5, 0.2) * front * front * uGlow * 0.7;
  // Inner light, and an onset's flare.
  col += tint * (0.012 + 0.03 * (1.0 - vAlong)) * uGlow;
  col += tint * uFlash * (0.25 + 1.6 * F + 0.6 * lines + 0.5 * rim);

  // Haze between the trees: far glass fades into the sky it refracts.
  vec3 bg = texture2D(uBackground, suv).rgb;
  float fog = 1.0 - exp(-max(vDepth - 2.0, 0.0) * (0.015 + 0.12 * uHaze));
  col = mix(col, bg + uHazeColour * uHaze * 0.2, fog);
  gl_FragColor = vec4(gfGrade(col, uExposure, uTemperature, gl_FragCoord.xy, uResolution, uTime), 1.0);
}
