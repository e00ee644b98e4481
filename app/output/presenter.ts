/**
 * One projector output's renderer: a small WebGL2 context on the output window's canvas that
 * takes the engine's finished frame as a texture and draws it through the mapping (corner pin,
 * mesh warp, soft edges, masks) or shows a test pattern instead.
 *
 * The mapping math is engine/mapping's: the mesh is tessellated there, and the corner pin is its
 * homography as a mat3 applied in the vertex shader with the homography's w as clip w, so the GPU's
 * perspective-correct interpolation makes the content coordinate exactly the inverse homography at
 * every pixel (a tessellated pin would only approximate it). Soft edges are engine/mapping's LUTs;
 * masks are rendered into a coverage texture (the same even-odd and feather rule as
 * `maskCoverage`) only when they change.
 *
 * The fit mode (cover, contain, stretch: engine/mapping/fit.ts) is a scale and offset of the
 * content coordinate before the picture is sampled, recomputed only when the settings or the
 * engine picture's size change; contain's bars sample outside the picture and are black.
 *
 * `draw` runs every frame and allocates nothing; everything it needs is built in `rebuild`, which
 * runs only after a settings change.
 */
import {
  BAR_COLOURS,
  CORNER_COLOURS,
  createMesh,
  EDGE_BAND_PX,
  fillGridIndices,
  fillSoftEdgeLut,
  GRID_CELLS_TALL,
  identityHomography,
  LINE_HALF_PX,
  MASK_MAX_POINTS,
  MAX_MASKS,
  meshFromSettings,
  SOFT_EDGE_LUT_SIZE,
  squareToQuadHomography,
  tessellateMesh,
  tessellationFloatCount,
  tessellationIndexCount,
  TEST_PATTERN_IDS,
  toMat3,
  cornerPinQuad,
  DEFAULT_FIT,
  fitTransform,
  VERTEX_FLOATS,
  type FitMode,
  type MappingSettings,
} from '../../engine/mapping/index.ts';

/** Segments per axis of the drawn mesh: fine enough that the Catmull-Rom surface looks smooth on a 4K output. */
export const MESH_SEGMENTS = 64;

const f = (x: number): string => x.toFixed(6);
const vec3 = (c: readonly number[]): string => `vec3(${f(c[0])}, ${f(c[1])}, ${f(c[2])})`;

const VERT = `#version 300 es
in vec2 aPos;
in vec2 aUv;
uniform mat3 uH;
out vec2 vUv;
void main() {
  vec3 p = uH * vec3(aPos, 1.0);
  vUv = aUv;
  // Clip w = the homography's w: perspective-correct interpolation gives the exact inverse map.
  gl_Position = vec4(2.0 * p.x - p.z, 2.0 * p.y - p.z, 0.0, p.z);
}`;

// The test patterns port engine/mapping/test-pattern.ts line by line (its constants are injected).
const FRAG = `#version 300 es
precision highp float;
precision highp int;
uniform sampler2D uSrc;
uniform highp sampler2D uLut;
uniform sampler2D uMask;
uniform int uPattern;
uniform int uUseMask;
uniform vec2 uOut;
uniform vec4 uEdgeW;
uniform vec4 uFit;
in vec2 vUv;
out vec4 outColour;
const float LH = ${f(LINE_HALF_PX)};
const float EB = ${f(EDGE_BAND_PX)};
const float GRID = ${f(GRID_CELLS_TALL)};
vec3 bar(int k) {
  ${BAR_COLOURS.map((c, i) => `if (k == ${i}) return ${vec3(c)};`).join('\n  ')}
  return vec3(0.0);
}
vec3 pattern(vec2 uv) {
  float u = uv.x;
  float v = uv.y;
  if (!(u >= 0.0 && u <= 1.0 && v >= 0.0 && v <= 1.0)) return vec3(0.0);
  float x = u * uOut.x;
  float y = v * uOut.y;
  if (uPattern == ${TEST_PATTERN_IDS.bars}) return bar(min(int(floor(u * 8.0)), 7));
  float cx = uOut.x * 0.5;
  float cy = uOut.y * 0.5;
  if (uPattern == ${TEST_PATTERN_IDS.edges}) {
    float m = min(uOut.x, uOut.y) / 8.0;
    bool l = x < m;
    bool r = x > uOut.x - m;
    bool b = y < m;
    bool t = y > uOut.y - m;
    if (l && b) return ${vec3(CORNER_COLOURS[0])};
    if (r && b) return ${vec3(CORNER_COLOURS[1])};
    if (r && t) return ${vec3(CORNER_COLOURS[2])};
    if (l && t) return ${vec3(CORNER_COLOURS[3])};
    bool band = x < EB || x > uOut.x - EB || y < EB || y > uOut.y - EB;
    bool cross = abs(x - cx) < LH || abs(y - cy) < LH;
    return vec3(band || cross ? 1.0 : 0.0);
  }
  if (abs(x - cx) < LH || abs(y - cy) < LH) return vec3(1.0, 0.0, 0.0);
  float cell = uOut.y / GRID;
  float dx = x - cx;
  float dy = y - cy;
  float lx = abs(dx - floor(dx / cell + 0.5) * cell);
  float ly = abs(dy - floor(dy / cell + 0.5) * cell);
  bool border = x < LH || x > uOut.x - LH || y < LH || y > uOut.y - LH;
  return vec3(border || lx < LH || ly < LH ? 1.0 : 0.0);
}
float lut(int row, float x) {
  float t = clamp(x, 0.0, 1.0) * ${f(SOFT_EDGE_LUT_SIZE - 1)};
  int i = int(floor(t));
  int j = min(i + 1, ${SOFT_EDGE_LUT_SIZE - 1});
  return mix(texelFetch(uLut, ivec2(i, row), 0).r, texelFetch(uLut, ivec2(j, row), 0).r, t - float(i));
}
float edge(int row, float d, float w) {
  return (w > 0.0 && d < w) ? lut(row, d / w) : 1.0;
}
void main() {
  vec3 c;
  if (uPattern >= 0) {
    c = pattern(vUv);
  } else {
    // The fit mode: content coordinate to picture coordinate; outside the picture (contain's bars) is black.
    vec2 s = vUv * uFit.xy + uFit.zw;
    c = (s.x >= 0.0 && s.x <= 1.0 && s.y >= 0.0 && s.y <= 1.0) ? texture(uSrc, s).rgb : vec3(0.0);
  }
  vec2 q = gl_FragCoord.xy / uOut;
  float k = edge(0, q.x, uEdgeW.x) * edge(1, 1.0 - q.x, uEdgeW.y) * edge(2, q.y, uEdgeW.z) * edge(3, 1.0 - q.y, uEdgeW.w);
  if (uUseMask == 1) k *= texelFetch(uMask, ivec2(gl_FragCoord.xy), 0).r;
  outColour = vec4(c * k, 1.0);
}`;

const FULL_VERT = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

// Coverage of every enabled mask, multiplied: the rule of engine/mapping/mask.ts maskCoverage.
const MASK_FRAG = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D uPts;
uniform int uMasks;
uniform int uCount[${MAX_MASKS}];
uniform float uFeather[${MAX_MASKS}];
uniform float uInv[${MAX_MASKS}];
uniform vec2 uOut;
out vec4 outColour;
void main() {
  vec2 p = gl_FragCoord.xy / uOut;
  float cov = 1.0;
  for (int m = 0; m < ${MAX_MASKS}; m++) {
    if (m >= uMasks) break;
    int n = uCount[m];
    bool inside = false;
    float best = 1e9;
    vec2 b = texelFetch(uPts, ivec2(n - 1, m), 0).xy;
    for (int i = 0; i < ${MASK_MAX_POINTS}; i++) {
      if (i >= n) break;
      vec2 a = texelFetch(uPts, ivec2(i, m), 0).xy;
      if ((a.y > p.y) != (b.y > p.y)) {
        float xc = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
        if (p.x < xc) inside = !inside;
      }
      vec2 e = a - b;
      float l2 = dot(e, e);
      float t = l2 > 0.0 ? clamp(dot(p - b, e) / l2, 0.0, 1.0) : 0.0;
      vec2 d = p - b - t * e;
      best = min(best, dot(d, d));
      b = a;
    }
    float c;
    float fe = uFeather[m];
    if (fe > 0.0) {
      float t = clamp((inside ? 1.0 : -1.0) * sqrt(best) / min(fe, 0.5) + 0.5, 0.0, 1.0);
      c = t * t * (3.0 - 2.0 * t);
    } else {
      c = inside ? 1.0 : 0.0;
    }
    if (uInv[m] > 0.5) c = 1.0 - c;
    cov *= c;
  }
  outColour = vec4(cov, 0.0, 0.0, 1.0);
}`;

function compile(gl: WebGL2RenderingContext, vs: string, fs: string): WebGLProgram {
  const prog = gl.createProgram();
  for (const [type, src] of [
    [gl.VERTEX_SHADER, vs],
    [gl.FRAGMENT_SHADER, fs],
  ] as const) {
    const sh = gl.createShader(type)!;
    gl.shaderSource(sh, src);
    gl.compileShader(sh);
    if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS) && !gl.isContextLost()) throw new Error(`output shader: ${gl.getShaderInfoLog(sh)}`);
    gl.attachShader(prog, sh);
  }
  gl.linkProgram(prog);
  if (!gl.getProgramParameter(prog, gl.LINK_STATUS) && !gl.isContextLost()) throw new Error(`output program: ${gl.getProgramInfoLog(prog)}`);
  return prog;
}

/** A requested read of the next drawn frame (tests, diagnostics). */
type CaptureSink = (pixels: Uint8Array, width: number, height: number) => void;

export class OutputPresenter {
  /** Frames drawn since attach. */
  frames = 0;
  lost = false;
  private disposed = false;
  readonly canvas: HTMLCanvasElement;
  private readonly gl: WebGL2RenderingContext;
  private settings: MappingSettings | null = null;
  private dirty = true;
  private capture: CaptureSink | null = null;
  // GL objects (re-made after a context restore).
  private prog!: WebGLProgram;
  private maskProg!: WebGLProgram;
  private vao!: WebGLVertexArrayObject;
  private vbo!: WebGLBuffer;
  private ibo!: WebGLBuffer;
  private srcTex!: WebGLTexture;
  private lutTex!: WebGLTexture;
  private maskTex!: WebGLTexture;
  private ptsTex!: WebGLTexture;
  private maskFbo!: WebGLFramebuffer;
  private uH!: WebGLUniformLocation | null;
  private uPattern!: WebGLUniformLocation | null;
  private uUseMask!: WebGLUniformLocation | null;
  private uOut!: WebGLUniformLocation | null;
  private uEdgeW!: WebGLUniformLocation | null;
  private uFit!: WebGLUniformLocation | null;
  private srcW = 0;
  private srcH = 0;
  // Preallocated state derived from the settings.
  private readonly verts = new Float32Array(tessellationFloatCount(MESH_SEGMENTS, MESH_SEGMENTS));
  private readonly indices = new Uint16Array(tessellationIndexCount(MESH_SEGMENTS, MESH_SEGMENTS));
  private readonly h = new Float64Array(9);
  private readonly mat = new Float32Array(9);
  private readonly quad = new Float64Array(8);
  private readonly lut = new Float32Array(SOFT_EDGE_LUT_SIZE * 4);
  private readonly lutRow = new Float32Array(SOFT_EDGE_LUT_SIZE);
  private readonly pts = new Float32Array(MASK_MAX_POINTS * MAX_MASKS * 2);
  private readonly counts = new Int32Array(MAX_MASKS);
  private readonly feathers = new Float32Array(MAX_MASKS);
  private readonly invs = new Float32Array(MAX_MASKS);
  private readonly edgeW = new Float32Array(4);
  /** Fit mode as [scaleU, scaleV, offsetU, offsetV] (engine/mapping/fit.ts). */
  readonly fit = new Float32Array([1, 1, 0, 0]);
  private fitMode: FitMode = DEFAULT_FIT;
  private pattern = -1;
  private useMask = 0;
  private outW = 1;
  private outH = 1;

  constructor(canvas: HTMLCanvasElement, onLost: (lost: boolean) => void) {
    this.canvas = canvas;
    // No preserveDrawingBuffer (a copy per frame for nothing): reads happen right after the draw.
    const gl = canvas.getContext('webgl2', { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false, powerPreference: 'high-performance' });
    if (!gl) throw new Error('WebGL2 is not available in the output window');
    this.gl = gl;
    fillGridIndices(MESH_SEGMENTS, MESH_SEGMENTS, this.indices);
    canvas.addEventListener('webglcontextlost', (e) => {
      this.lost = true;
      if (this.disposed) return; // our own loseContext on dispose: nothing to report
      e.preventDefault(); // ask for it back
      onLost(true);
    });
    canvas.addEventListener('webglcontextrestored', () => {
      if (this.disposed) return;
      this.init();
      this.lost = false;
      this.dirty = true;
      onLost(false);
    });
    this.init();
  }

  private init(): void {
    const gl = this.gl;
    this.prog = compile(gl, VERT, FRAG);
    this.maskProg = compile(gl, FULL_VERT, MASK_FRAG);
    const p = this.prog;
    this.uH = gl.getUniformLocation(p, 'uH');
    this.uPattern = gl.getUniformLocation(p, 'uPattern');
    this.uUseMask = gl.getUniformLocation(p, 'uUseMask');
    this.uOut = gl.getUniformLocation(p, 'uOut');
    this.uEdgeW = gl.getUniformLocation(p, 'uEdgeW');
    this.uFit = gl.getUniformLocation(p, 'uFit');
    gl.useProgram(p);
    gl.uniform1i(gl.getUniformLocation(p, 'uSrc'), 0);
    gl.uniform1i(gl.getUniformLocation(p, 'uLut'), 1);
    gl.uniform1i(gl.getUniformLocation(p, 'uMask'), 2);
    this.vao = gl.createVertexArray()!;
    gl.bindVertexArray(this.vao);
    this.vbo = gl.createBuffer()!;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.vbo);
    gl.bufferData(gl.ARRAY_BUFFER, this.verts.byteLength, gl.DYNAMIC_DRAW);
    const stride = VERTEX_FLOATS * 4;
    const aPos = gl.getAttribLocation(p, 'aPos');
    const aUv = gl.getAttribLocation(p, 'aUv');
    gl.enableVertexAttribArray(aPos);
    gl.vertexAttribPointer(aPos, 2, gl.FLOAT, false, stride, 0);
    gl.enableVertexAttribArray(aUv);
    gl.vertexAttribPointer(aUv, 2, gl.FLOAT, false, stride, 8);
    this.ibo = gl.createBuffer()!;
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.ibo);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, this.indices, gl.STATIC_DRAW);
    gl.bindVertexArray(null);
    const tex = (): WebGLTexture => {
      const t = gl.createTexture()!;
      gl.bindTexture(gl.TEXTURE_2D, t);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      return t;
    };
    this.srcTex = tex();
    this.lutTex = tex();
    this.maskTex = tex();
    this.ptsTex = tex();
    gl.bindTexture(gl.TEXTURE_2D, this.ptsTex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    this.maskFbo = gl.createFramebuffer()!;
    gl.useProgram(this.maskProg);
    gl.uniform1i(gl.getUniformLocation(this.maskProg, 'uPts'), 0);
    this.srcW = 0;
    this.srcH = 0;
  }

  /** New settings (validated by the caller); applied at the next draw. */
  setSettings(s: MappingSettings): void {
    this.settings = s;
    this.dirty = true;
  }

  /** Reads the next drawn frame (RGBA rows from the bottom). */
  requestCapture(sink: CaptureSink): void {
    this.capture = sink;
  }

  private rebuild(): void {
    const s = this.settings;
    const gl = this.gl;
    if (!s) return;
    this.outW = s.output.width;
    this.outH = s.output.height;
    if (this.canvas.width !== this.outW) this.canvas.width = this.outW;
    if (this.canvas.height !== this.outH) this.canvas.height = this.outH;
    const on = s.enabled;
    // Corner pin.
    if (on && s.cornerPin.enabled) squareToQuadHomography(cornerPinQuad(s.cornerPin, this.quad), this.h);
    else identityHomography(this.h);
    toMat3(this.h, this.mat);
    // Mesh (without the pin: the pin is applied per vertex on the GPU, see VERT).
    const mesh = on && s.mesh.enabled ? meshFromSettings(s.mesh) : createMesh(2, 2);
    tessellateMesh(mesh, MESH_SEGMENTS, MESH_SEGMENTS, this.verts);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.vbo);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.verts);
    // Soft edges.
    const se = s.softEdge;
    const blend = on && se.enabled;
    const sides = [se.left, se.right, se.bottom, se.top];
    for (let i = 0; i < 4; i++) {
      this.edgeW[i] = blend ? sides[i].width : 0;
      fillSoftEdgeLut(sides[i], this.lutRow);
      this.lut.set(this.lutRow, i * SOFT_EDGE_LUT_SIZE);
    }
    gl.bindTexture(gl.TEXTURE_2D, this.lutTex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, SOFT_EDGE_LUT_SIZE, 4, 0, gl.RED, gl.FLOAT, this.lut);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    // Masks.
    let n = 0;
    this.pts.fill(0);
    if (on) {
      for (const m of s.masks) {
        if (!m.enabled || n >= MAX_MASKS) continue;
        const k = Math.min(m.points.length, MASK_MAX_POINTS);
        for (let i = 0; i < k; i++) {
          this.pts[2 * (n * MASK_MAX_POINTS + i)] = m.points[i].x;
          this.pts[2 * (n * MASK_MAX_POINTS + i) + 1] = m.points[i].y;
        }
        this.counts[n] = k;
        this.feathers[n] = m.feather;
        this.invs[n] = m.inverted ? 1 : 0;
        n++;
      }
    }
    this.useMask = n > 0 ? 1 : 0;
    if (n > 0) this.renderMasks(n);
    this.pattern = s.testPattern.enabled ? TEST_PATTERN_IDS[s.testPattern.pattern] : -1;
    const p = this.prog;
    gl.useProgram(p);
    gl.uniformMatrix3fv(this.uH, false, this.mat);
    gl.uniform1i(this.uPattern, this.pattern);
    gl.uniform1i(this.uUseMask, this.useMask);
    gl.uniform2f(this.uOut, this.outW, this.outH);
    gl.uniform4f(this.uEdgeW, this.edgeW[0], this.edgeW[1], this.edgeW[2], this.edgeW[3]);
    this.fitMode = s.fit;
    this.applyFit();
    this.dirty = false;
  }

  /** The fit mode's scale and offset for the current picture and output sizes (after either changes). Allocates nothing. */
  private applyFit(): void {
    const gl = this.gl;
    const k = fitTransform(this.fitMode, this.srcW, this.srcH, this.outW, this.outH, this.fit);
    gl.useProgram(this.prog);
    gl.uniform4f(this.uFit, k[0], k[1], k[2], k[3]);
  }

  private renderMasks(n: number): void {
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, this.ptsTex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RG32F, MASK_MAX_POINTS, MAX_MASKS, 0, gl.RG, gl.FLOAT, this.pts);
    gl.bindTexture(gl.TEXTURE_2D, this.maskTex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, this.outW, this.outH, 0, gl.RED, gl.UNSIGNED_BYTE, null);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.maskFbo);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.maskTex, 0);
    const mp = this.maskProg;
    gl.useProgram(mp);
    gl.uniform1i(gl.getUniformLocation(mp, 'uMasks'), n);
    gl.uniform1iv(gl.getUniformLocation(mp, 'uCount'), this.counts);
    gl.uniform1fv(gl.getUniformLocation(mp, 'uFeather'), this.feathers);
    gl.uniform1fv(gl.getUniformLocation(mp, 'uInv'), this.invs);
    gl.uniform2f(gl.getUniformLocation(mp, 'uOut'), this.outW, this.outH);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.ptsTex);
    gl.viewport(0, 0, this.outW, this.outH);
    gl.bindVertexArray(null);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  }

  /** Draws one frame of `src` (the engine's canvas) through the mapping. Allocates nothing. */
  draw(src: HTMLCanvasElement): void {
    if (this.lost || !this.settings) return;
    const gl = this.gl;
    if (this.dirty) this.rebuild();
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.srcTex);
    // A test pattern replaces the picture: no upload needed.
    if (this.pattern < 0) {
      gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, true);
      if (src.width !== this.srcW || src.height !== this.srcH) {
        this.srcW = src.width;
        this.srcH = src.height;
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, src);
        this.applyFit();
      } else {
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, gl.RGBA, gl.UNSIGNED_BYTE, src);
      }
      gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    }
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.lutTex);
    gl.activeTexture(gl.TEXTURE2);
    gl.bindTexture(gl.TEXTURE_2D, this.maskTex);
    gl.viewport(0, 0, this.outW, this.outH);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.prog);
    gl.bindVertexArray(this.vao);
    gl.drawElements(gl.TRIANGLES, this.indices.length, gl.UNSIGNED_SHORT, 0);
    gl.bindVertexArray(null);
    this.frames++;
    if (this.capture !== null) {
      const sink = this.capture;
      this.capture = null;
      const px = new Uint8Array(this.outW * this.outH * 4);
      gl.readPixels(0, 0, this.outW, this.outH, gl.RGBA, gl.UNSIGNED_BYTE, px);
      sink(px, this.outW, this.outH);
    }
  }

  /** Gives the GL resources back (the window may already be gone; then there is nothing to free). */
  dispose(): void {
    this.disposed = true;
    try {
      const ext = this.gl.getExtension('WEBGL_lose_context');
      ext?.loseContext();
    } catch {
      /* the window closed under us */
    }
  }
}
