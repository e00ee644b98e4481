// Crowd, one faceless figure per instance: legs swing with its stride, the body bobs and
// sways, the beat dips everyone at once. Figures off stage collapse to a point.
attribute float aPart;   // 0 body, 1 left leg, -1 right leg
attribute vec4 aWalk;    // x, z (metres), heading (radians), stride (cycles)
attribute vec4 aLook;    // on stage 0/1, seed 0..1, height scale, still 0/1
uniform float uTime;
uniform float uBeatCount;
uniform float uBeatPhase;
uniform float uSway;
uniform float uBounce;
uniform float uStriding;  // 0 standing .. 1 walking
uniform float uUnison;    // 0 each at their own step .. 1 everyone in step with the beat (a stride is two beats)
varying vec3 vWorld;
varying vec3 vNormal;
varying vec2 vLook;       // seed, still
varying float vHeight;

void main() {
  vec3 p = position;
  vec3 n = normal;
  float moving = (1.0 - aLook.w) * uStriding;
  float own = sin(aWalk.w * 6.28318);
  float inStep = sin((uBeatCount + uBeatPhase) * 3.14159);
  // Blend the swings, not the phases, so falling into step never jumps.
  float swing = mix(own, inStep, uUnison);
  if (abs(aPart) > 0.5) {
    // Swing the leg about the hip.
    float a = aPart * swing * 0.42 * moving;
    float ca = cos(a);
    float sa = sin(a);
    vec2 yz = vec2(p.y - 0.9, p.z);
    p.y = 0.9 + yz.x * ca - yz.y * sa;
    p.z = yz.x * sa + yz.y * ca;
    n.yz = vec2(n.y * ca - n.z * sa, n.y * sa + n.z * ca);
  }
  vHeight = p.y;
  float seed = aLook.y;
  float tall = aLook.z;
  p.y *= tall * (1.0 - 0.04 * uBounce * (1.0 - aLook.w));
  p.y += abs(swing) * 0.04 * moving;
  // Swaying weight from foot to foot (the still one sways too, slowly).
  p.x += sin(uTime * (0.7 + 0.4 * seed) + seed * 6.28318) * uSway * 0.1 * (p.y / 1.7);
  p *= aLook.x;
  float h = aWalk.z;
  float ch = cos(h);
  float sh = sin(h);
  vec3 w = vec3(ch * p.x + sh * p.z + aWalk.x, p.y, -sh * p.x + ch * p.z + aWalk.y);
  vNormal = normalize(vec3(ch * n.x + sh * n.z, n.y, -sh * n.x + ch * n.z));
  vWorld = w;
  vLook = aLook.yw;
  gl_Position = projectionMatrix * viewMatrix * vec4(w, 1.0);
}
