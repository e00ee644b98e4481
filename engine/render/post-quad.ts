/** One fullscreen quad shared by the compositor's passes: swap the material, render to a target. */
import { Mesh, OrthographicCamera, PlaneGeometry, Scene, ShaderMaterial, type IUniform, type Texture, type WebGLRenderTarget, type WebGLRenderer } from 'three';
import fullscreenVert from '../../shaders/fullscreen.vert?raw';

export class PostQuad {
  private readonly scene = new Scene();
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly mesh: Mesh;

  constructor() {
    this.mesh = new Mesh(new PlaneGeometry(2, 2));
    this.mesh.frustumCulled = false;
    this.scene.add(this.mesh);
  }

  /** Draw `material` over the whole of `target` (null: the canvas). */
  draw(gl: WebGLRenderer, material: ShaderMaterial, target: WebGLRenderTarget | null): void {
    this.mesh.material = material;
    gl.setRenderTarget(target);
    gl.render(this.scene, this.camera);
  }

  /** Compile a pass's program now, so its first use in a show causes no stall. */
  compile(gl: WebGLRenderer, material: ShaderMaterial): void {
    this.mesh.material = material;
    gl.compile(this.scene, this.camera);
  }

  dispose(): void {
    this.mesh.geometry.dispose();
  }
}

/** A fullscreen pass material: no depth, display values in and out. */
export function passMaterial(fragmentShader: string, uniforms: Record<string, IUniform>): ShaderMaterial {
  return new ShaderMaterial({ vertexShader: fullscreenVert, fragmentShader, uniforms, depthTest: false, depthWrite: false });
}

/** Uniform holder for a texture that changes every frame. */
export function textureUniform(): { value: Texture | null } {
  return { value: null };
}
