/**
 * Runs a parsed ISF shader with three.js: one material per pass (one compiled program), render
 * targets for TARGET buffers (double-buffered, so a pass can read its own previous frame, which
 * is what PERSISTENT needs), the final pass on a fullscreen mesh the scene graph draws.
 * Parameters come from the bank's modulated output; everything per frame writes into objects
 * made here once.
 */
import {
  Box3,
  BufferAttribute,
  BufferGeometry,
  ClampToEdgeWrapping,
  DataTexture,
  HalfFloatType,
  LinearFilter,
  Mesh,
  OrthographicCamera,
  RawShaderMaterial,
  RedFormat,
  Scene,
  Sphere,
  UnsignedByteType,
  Vector2,
  Vector3,
  Vector4,
  WebGLRenderTarget,
  type IUniform,
  type Texture,
  type WebGLRenderer,
} from 'three';
import type { IsfShader } from '../../engine/isf/index.ts';
import { MEL_BANDS } from '../../engine/features/layout.ts';
import type { ParamBank } from '../../engine/params/index.ts';
import type { StandardUniforms } from '../../engine/uniforms.ts';
import { createStandardUniforms, updateStandardUniforms, type StandardUniformBinding } from '../standard-uniforms.ts';
import { createPlaceholderImage, PLACEHOLDER_SIZE } from './placeholder-image.ts';
import { clampSize, compileSizeExpr, type SizeExpr } from './size-expr.ts';
import { isfProgramSources, type IsfProgramSources } from './sources.ts';

const MAX_TARGET = 4096;

interface Target {
  name: string;
  rts: [WebGLRenderTarget, WebGLRenderTarget];
  /** Index of the buffer holding the newest content. */
  cur: number;
  float: boolean;
  sampler: IUniform<Texture | null>;
  size: IUniform<Vector2>;
}

interface PassRun {
  material: RawShaderMaterial;
  target: Target | null;
  width: SizeExpr | null;
  height: SizeExpr | null;
  renderSize: IUniform<Vector2>;
}

interface UniformFeed {
  kind: 'float' | 'bool' | 'int' | 'vec2' | 'vec4';
  u: IUniform;
  ids: Int32Array;
  values: readonly number[] | null;
  alpha: number;
}

export interface IsfRuntimeOptions {
  bank: ParamBank;
  uniforms: StandardUniforms;
  shader: IsfShader;
  /** Parameter ids by name (from registering the shader's declarations). */
  ids: Readonly<Record<string, number>>;
  /** Half-float targets are renderable (EXT_color_buffer_float). */
  floatTargets: boolean;
}

export class IsfRuntime {
  /** The final pass: add to the scene graph. */
  readonly mesh: Mesh;
  private readonly passes: PassRun[] = [];
  private readonly targets: Target[] = [];
  private readonly feeds: UniformFeed[] = [];
  private readonly passScene = new Scene();
  private readonly passMesh: Mesh;
  private readonly camera = new OrthographicCamera();
  private readonly geometry: BufferGeometry;
  private readonly binding: StandardUniformBinding;
  private readonly shared: Record<string, IUniform>;
  private readonly audioTexture: DataTexture;
  private readonly audioBytes: Uint8Array;
  private readonly image: DataTexture;
  private readonly sizeVars: Float64Array;
  private readonly sizeVarIds: Int32Array;
  private readonly date = new Date();
  private readonly colour = new Float32Array(3);
  private readonly drawSize = new Vector2();
  private frameIndex = 0;
  /** The GLSL as compiled (with its line offsets back to the ISF file). */
  readonly sources: IsfProgramSources;
  /** Problems found while setting up (bad pass sizes); the shader still runs. */
  readonly warnings: string[] = [];

  constructor(private readonly o: IsfRuntimeOptions) {
    const { shader } = o;
    const src = isfProgramSources(shader);
    this.sources = src;
    // three writes its own #version line (first) and defines after it.
    const vertexShader = src.vertex.replace(/^\s*#version[^\n]*\n/, '');
    const fragmentShader = src.fragment.replace(/^\s*#version[^\n]*\n/, '');
    this.geometry = new BufferGeometry();
    const corners = new BufferAttribute(new Float32Array([-1, -1, 3, -1, -1, 3]), 2);
    this.geometry.setAttribute('isf_Position', corners);
    // three draws nothing without a `position` attribute (it takes the vertex count from it).
    this.geometry.setAttribute('position', corners);
    // 2-component positions: give the bounds so three never computes them (NaN z).
    this.geometry.boundingSphere = new Sphere(new Vector3(), 3);
    this.geometry.boundingBox = new Box3(new Vector3(-1, -1, 0), new Vector3(3, 3, 0));
    this.binding = createStandardUniforms(o.uniforms);
    this.image = createPlaceholderImage();
    this.audioBytes = new Uint8Array(MEL_BANDS);
    this.audioTexture = new DataTexture(this.audioBytes, MEL_BANDS, 1, RedFormat, UnsignedByteType);
    this.audioTexture.magFilter = this.audioTexture.minFilter = LinearFilter;
    this.audioTexture.needsUpdate = true;

    const shared: Record<string, IUniform> = {
      ...this.binding.uniforms,
      TIME: { value: 0 },
      TIMEDELTA: { value: 0 },
      FRAMEINDEX: { value: 0 },
      DATE: { value: new Vector4() },
    };
    for (const u of shader.uniforms) {
      const ids = new Int32Array(u.params.map((p) => o.ids[p] ?? -1));
      const value = u.glslType === 'vec2' ? new Vector2() : u.glslType === 'vec4' ? new Vector4() : 0;
      const uni: IUniform = { value };
      shared[u.name] = uni;
      this.feeds.push({ kind: u.glslType, u: uni, ids, values: u.values ?? null, alpha: u.alpha ?? 1 });
    }
    for (const t of shader.textures) {
      const isImage = t.type === 'image';
      shared[t.name] = { value: isImage ? this.image : this.audioTexture };
      shared[`_${t.name}_imgSize`] = { value: isImage ? new Vector2(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE) : new Vector2(MEL_BANDS, 1) };
    }
    for (const im of shader.imported) {
      // Imported images are not fetched: the placeholder stands in.
      shared[im.name] = { value: this.image };
      shared[`_${im.name}_imgSize`] = { value: new Vector2(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE) };
      this.warnings.push(`imported image ${im.name} (${im.path}) is not loaded; a placeholder image stands in`);
    }
    // Variables of size expressions: $WIDTH, $HEIGHT and the numeric inputs.
    const numeric = shader.uniforms.filter((u) => u.glslType === 'float' || u.glslType === 'int');
    const varNames = ['WIDTH', 'HEIGHT', ...numeric.map((u) => u.name)];
    this.sizeVars = new Float64Array(varNames.length);
    this.sizeVarIds = new Int32Array(numeric.map((u) => o.ids[u.params[0]] ?? -1));

    const byName = new Map<string, Target>();
    const lastIndex = shader.passes.length - 1;
    // Every buffer first, so each pass's material sees all of them (a pass may read a later one's).
    const passTargets = shader.passes.map((p, i): Target | null => {
      if (p.target !== undefined) return byName.get(p.target) ?? this.makeTarget(p.target, p.float, byName, shared);
      return i !== lastIndex ? this.makeTarget(`isf_scratch${i}`, p.float, byName, shared) : null;
    });
    shader.passes.forEach((p, i) => {
      const target = passTargets[i];
      const expr = (e: string | undefined): SizeExpr | null => {
        if (e === undefined) return null;
        const c = compileSizeExpr(e, varNames);
        if ('error' in c) {
          this.warnings.push(`pass ${i + 1}: ${c.error}; the full size is used`);
          return null;
        }
        return c.expr;
      };
      const renderSize: IUniform<Vector2> = { value: new Vector2(1, 1) };
      const material = new RawShaderMaterial({
        vertexShader,
        fragmentShader,
        glslVersion: '300 es',
        uniforms: { ...shared, PASSINDEX: { value: i }, RENDERSIZE: renderSize },
        depthTest: false,
        depthWrite: false,
      });
      this.passes.push({ material, target, width: expr(p.width), height: expr(p.height), renderSize });
    });
    this.shared = shared;
    const last = this.passes[lastIndex];
    let outMaterial = last.material;
    if (last.target) {
      // The last pass writes a buffer: show that buffer.
      outMaterial = new RawShaderMaterial({
        vertexShader: 'in vec2 isf_Position; out vec2 vUv; void main() { vUv = isf_Position * 0.5 + 0.5; gl_Position = vec4(isf_Position, 0.0, 1.0); }',
        fragmentShader: 'precision highp float; uniform sampler2D src; in vec2 vUv; out vec4 color; void main() { color = texture(src, vUv); }',
        uniforms: { src: last.target.sampler },
        glslVersion: '300 es',
        depthTest: false,
        depthWrite: false,
      });
    }
    this.passMesh = new Mesh(this.geometry, this.passes[0].material);
    this.passMesh.frustumCulled = false;
    this.passScene.add(this.passMesh);
    this.mesh = new Mesh(this.geometry, outMaterial);
    this.mesh.frustumCulled = false;
    // A fullscreen picture is not a pointer target.
    this.mesh.raycast = () => {};
  }

  private makeTarget(name: string, float: boolean, byName: Map<string, Target>, shared: Record<string, IUniform>): Target {
    const make = () =>
      new WebGLRenderTarget(1, 1, {
        type: float && this.o.floatTargets ? HalfFloatType : UnsignedByteType,
        minFilter: LinearFilter,
        magFilter: LinearFilter,
        wrapS: ClampToEdgeWrapping,
        wrapT: ClampToEdgeWrapping,
        depthBuffer: false,
      });
    const sampler: IUniform<Texture | null> = shared[name] ?? { value: null };
    const size: IUniform<Vector2> = shared[`_${name}_imgSize`] ?? { value: new Vector2(1, 1) };
    shared[name] = sampler;
    shared[`_${name}_imgSize`] = size;
    const t: Target = { name, rts: [make(), make()], cur: 0, float, sampler, size };
    byName.set(name, t);
    this.targets.push(t);
    return t;
  }

  /** All passes' materials (for precompiling with renderer.compile). */
  get scene(): Scene {
    return this.passScene;
  }

  /** Render the buffer passes and set the final pass's inputs. Allocates nothing. */
  frame(gl: WebGLRenderer): void {
    const o = this.o;
    const u = o.uniforms;
    updateStandardUniforms(this.binding, u);
    const s = this.shared;
    s.TIME.value = u.time;
    s.TIMEDELTA.value = u.dt;
    s.FRAMEINDEX.value = this.frameIndex++;
    this.date.setTime(Date.now());
    const d = s.DATE.value as Vector4;
    const dt = this.date;
    d.set(dt.getFullYear(), dt.getMonth() + 1, dt.getDate(), dt.getHours() * 3600 + dt.getMinutes() * 60 + dt.getSeconds() + dt.getMilliseconds() / 1000);
    this.feedParams();
    const mel = u.mel;
    for (let i = 0; i < MEL_BANDS; i++) {
      const v = mel[i];
      this.audioBytes[i] = v > 1 ? 255 : v > 0 ? v * 255 : 0;
    }
    this.audioTexture.needsUpdate = true;

    gl.getDrawingBufferSize(this.drawSize);
    const W = this.drawSize.x || 1;
    const H = this.drawSize.y || 1;
    const vars = this.sizeVars;
    vars[0] = W;
    vars[1] = H;
    for (let i = 0; i < this.sizeVarIds.length; i++) vars[2 + i] = o.bank.getOutput(this.sizeVarIds[i]);
    for (let i = 0; i < this.targets.length; i++) this.showNewest(this.targets[i]);

    const previous = gl.getRenderTarget();
    const n = this.passes.length;
    for (let i = 0; i < n; i++) {
      const p = this.passes[i];
      const w = p.width ? clampSize(p.width.evaluate(vars), W, MAX_TARGET) : W;
      const h = p.height ? clampSize(p.height.evaluate(vars), H, MAX_TARGET) : H;
      p.renderSize.value.set(w, h);
      const t = p.target;
      if (t === null) continue; // the final pass: drawn by the scene graph
      const write = t.rts[1 - t.cur];
      if (write.width !== w || write.height !== h) write.setSize(w, h);
      this.passMesh.material = p.material;
      gl.setRenderTarget(write);
      gl.render(this.passScene, this.camera);
      t.cur = 1 - t.cur;
      this.showNewest(t);
    }
    gl.setRenderTarget(previous);
  }

  private showNewest(t: Target): void {
    const rt = t.rts[t.cur];
    t.sampler.value = rt.texture;
    t.size.value.set(rt.width, rt.height);
  }

  private feedParams(): void {
    const bank = this.o.bank;
    for (let i = 0; i < this.feeds.length; i++) {
      const f = this.feeds[i];
      switch (f.kind) {
        case 'float':
          f.u.value = bank.getOutput(f.ids[0]);
          break;
        case 'bool':
          f.u.value = bank.getOutput(f.ids[0]) >= 0.5 ? 1 : 0;
          break;
        case 'int': {
          const idx = Math.round(bank.getOutput(f.ids[0]));
          const vals = f.values;
          f.u.value = vals && vals.length > 0 ? vals[idx < 0 ? 0 : idx >= vals.length ? vals.length - 1 : idx] : idx;
          break;
        }
        case 'vec2':
          (f.u.value as Vector2).set(bank.getOutput(f.ids[0]), bank.getOutput(f.ids[1]));
          break;
        case 'vec4': {
          const c = this.colour;
          if (!bank.getOutputColor(f.ids[0], c)) c[0] = c[1] = c[2] = 0;
          (f.u.value as Vector4).set(c[0], c[1], c[2], f.alpha);
          break;
        }
      }
    }
  }

  dispose(): void {
    for (const p of this.passes) p.material.dispose();
    if (this.mesh.material !== this.passes[this.passes.length - 1].material) (this.mesh.material as RawShaderMaterial).dispose();
    for (const t of this.targets) for (const rt of t.rts) rt.dispose();
    this.geometry.dispose();
    this.image.dispose();
    this.audioTexture.dispose();
    this.binding.spectrumTexture.dispose();
  }
}
