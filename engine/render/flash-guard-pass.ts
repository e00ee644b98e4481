/**
 * The photosensitivity guard on the GPU: after the frame is drawn, copy it, reduce it to an 8×8
 * grid of mean linear luminance (256 point samples per cell), read those 256 bytes back, ask the
 * pure guard for a blend factor and, when it limits, redraw the frame as mix(frame, previous shown
 * frame, k) in linear light. Works on whatever is in the canvas, so it follows every scene,
 * transition and post effect.
 */
import { FramebufferTexture, Mesh, OrthographicCamera, PlaneGeometry, RawShaderMaterial, Scene, UnsignedByteType, Vector2, WebGLRenderTarget, NearestFilter, type WebGLRenderer } from 'three';
import type { Seconds } from '../features/layout.ts';
import { FlashGuard, IO_K, IO_LUMINANCE, IO_TIME, type FlashGuardOptions } from './flash-guard.ts';

const GRID = 8;
const TAPS = 16;

const VERT = `in vec3 position; out vec2 vUv; void main() { vUv = position.xy * 0.5 + 0.5; gl_Position = vec4(position.xy, 0.0, 1.0); }`;
const LINEAR = `vec3 toLinear(vec3 c) { return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(0.04045, c)); }
vec3 toSrgb(vec3 c) { return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c)); }`;

const REDUCE = `precision highp float;
uniform sampler2D frame;
out vec4 color;
${LINEAR}
void main() {
  vec2 cell = floor(gl_FragCoord.xy);
  float sum = 0.0;
  for (int j = 0; j < ${TAPS}; j++) {
    for (int i = 0; i < ${TAPS}; i++) {
      vec2 uv = (cell + (vec2(float(i), float(j)) + 0.5) / ${TAPS}.0) / ${GRID}.0;
      vec3 c = toLinear(clamp(texture(frame, uv).rgb, 0.0, 1.0));
      sum += dot(c, vec3(0.2126, 0.7152, 0.0722));
    }
  }
  float m = sum / ${TAPS * TAPS}.0;
  // High and low byte: 16-bit precision for the mean.
  float hi = floor(m * 255.0) / 255.0;
  color = vec4(hi, (m - hi) * 255.0, 0.0, 1.0);
}`;

const BLEND = `precision highp float;
uniform sampler2D frame;
uniform sampler2D previous;
uniform float k;
in vec2 vUv;
out vec4 color;
${LINEAR}
void main() {
  vec3 a = toLinear(texture(frame, vUv).rgb);
  vec3 b = toLinear(texture(previous, vUv).rgb);
  color = vec4(toSrgb(mix(a, b, k)), 1.0);
}`;

export class FlashGuardPass {
  readonly guard: FlashGuard;
  /** Mean relative luminance of the last frame, before the guard. */
  luminance = 0;
  /** Cost of copy + reduce + read-back, ms (smoothed). */
  measureMs = 0;
  private frame: FramebufferTexture | null = null;
  private previous: FramebufferTexture | null = null;
  private seedPrevious = false;
  private readonly reduceTarget = new WebGLRenderTarget(GRID, GRID, { type: UnsignedByteType, depthBuffer: false, minFilter: NearestFilter, magFilter: NearestFilter });
  private readonly pixels = new Uint8Array(GRID * GRID * 4);
  private readonly size = new Vector2();
  private readonly scene = new Scene();
  private readonly camera = new OrthographicCamera();
  private readonly geometry = new PlaneGeometry(2, 2);
  private readonly reduceMaterial = new RawShaderMaterial({ vertexShader: VERT, fragmentShader: REDUCE, glslVersion: '300 es', uniforms: { frame: { value: null } }, depthTest: false, depthWrite: false });
  private readonly blendMaterial = new RawShaderMaterial({
    vertexShader: VERT,
    fragmentShader: BLEND,
    glslVersion: '300 es',
    uniforms: { frame: { value: null }, previous: { value: null }, k: { value: 0 } },
    depthTest: false,
    depthWrite: false,
  });
  private readonly mesh = new Mesh(this.geometry, this.reduceMaterial);

  constructor(opts: Partial<FlashGuardOptions> = {}) {
    this.guard = new FlashGuard(opts);
    this.mesh.frustumCulled = false;
    this.scene.add(this.mesh);
  }

  private ensureTextures(w: number, h: number): void {
    if (this.frame && this.frame.image.width === w && this.frame.image.height === h) return;
    this.frame?.dispose();
    this.previous?.dispose();
    this.frame = new FramebufferTexture(w, h);
    this.previous = new FramebufferTexture(w, h);
    // The guard keeps its history across a resize (the flash budget must not restart); the
    // previous picture is re-seeded from this frame.
    this.seedPrevious = true;
  }

  /** Measure and, if needed, soften the frame now in the canvas. Returns the blend factor used. */
  apply(gl: WebGLRenderer, t: Seconds): number {
    gl.getDrawingBufferSize(this.size);
    const w = this.size.x | 0;
    const h = this.size.y | 0;
    if (w < 1 || h < 1) return 0;
    this.ensureTextures(w, h);
    const frame = this.frame!;
    const restore = gl.getRenderTarget();
    const autoClear = gl.autoClear;
    gl.autoClear = false;
    const t0 = performance.now();
    gl.setRenderTarget(null);
    gl.copyFramebufferToTexture(frame);
    if (this.seedPrevious) {
      this.seedPrevious = false;
      gl.copyFramebufferToTexture(this.previous!);
    }
    this.mesh.material = this.reduceMaterial;
    this.reduceMaterial.uniforms.frame.value = frame;
    gl.setRenderTarget(this.reduceTarget);
    gl.render(this.scene, this.camera);
    gl.readRenderTargetPixels(this.reduceTarget, 0, 0, GRID, GRID, this.pixels);
    let sum = 0;
    const px = this.pixels;
    for (let i = 0; i < GRID * GRID; i++) sum += px[i * 4] / 255 + px[i * 4 + 1] / (255 * 255);
    this.luminance = sum / (GRID * GRID);
    const cost = performance.now() - t0;
    this.measureMs = this.measureMs === 0 ? cost : this.measureMs + (cost - this.measureMs) * 0.05;
    const io = this.guard.io;
    io[IO_LUMINANCE] = this.luminance;
    io[IO_TIME] = t;
    this.guard.step();
    const k = io[IO_K];
    gl.setRenderTarget(null);
    if (k > 0) {
      this.mesh.material = this.blendMaterial;
      const u = this.blendMaterial.uniforms;
      u.frame.value = frame;
      u.previous.value = this.previous;
      u.k.value = k;
      gl.render(this.scene, this.camera);
      // What is shown now is next frame's "previous".
      gl.copyFramebufferToTexture(this.previous!);
    } else {
      this.frame = this.previous;
      this.previous = frame;
    }
    gl.autoClear = autoClear;
    gl.setRenderTarget(restore);
    return k;
  }

  /** Forget the history (guard switched on, scene changed size). */
  reset(): void {
    this.guard.reset();
  }

  dispose(): void {
    this.frame?.dispose();
    this.previous?.dispose();
    this.reduceTarget.dispose();
    this.geometry.dispose();
    this.reduceMaterial.dispose();
    this.blendMaterial.dispose();
  }
}
