/**
 * The performer's panic controls on the output: blackout (every output shows black) and freeze
 * (every output holds the picture shown when it was pressed). Both are parameters, so OSC, MIDI
 * learn and modulation reach them like any other; scenes, analysis and transitions keep running
 * underneath, so releasing either shows the live picture at once, with nothing to warm up.
 *
 * They are momentary show states, not part of a look: presets and the saved working state leave
 * them out (`HOLD_PATHS`), so loading a preset or reloading the page never blacks out a show.
 */
import { Color, FramebufferTexture, Mesh, OrthographicCamera, PlaneGeometry, RawShaderMaterial, Scene, Vector2, type WebGLRenderer } from 'three';
import { defineParams, ENGINE_SCOPE } from '../params/index.ts';

export const HOLD_PARAMS = defineParams(ENGINE_SCOPE, {
  blackout: {
    type: 'boolean',
    default: false,
    description: 'Panic blackout: every output shows black; scenes and analysis keep running underneath',
  },
  freeze: {
    type: 'boolean',
    default: false,
    description: 'Freeze: every output holds the picture shown when it was switched on; scenes keep running underneath',
  },
});

/** Paths of the hold parameters: show states that presets and the saved working state leave out. */
export const HOLD_PATHS: readonly string[] = HOLD_PARAMS.params.map((p) => p.path);

const VERT = `in vec3 position; out vec2 vUv; void main() { vUv = position.xy * 0.5 + 0.5; gl_Position = vec4(position.xy, 0.0, 1.0); }`;
const FRAG = `precision highp float; uniform sampler2D held; in vec2 vUv; out vec4 color; void main() { color = vec4(texture(held, vUv).rgb, 1.0); }`;

/** What the hold pass did on the last frame (for the badge and tests). */
export interface HoldState {
  blackout: boolean;
  frozen: boolean;
  /** Frames drawn from the held picture since the page opened. */
  heldFrames: number;
}

/**
 * Runs after everything else that draws into the canvas (the flash guard included), so freeze
 * holds exactly what the audience saw. Allocates nothing per frame; the held texture is made
 * when freeze is switched on at a new canvas size (a resize while frozen stretches the held frame:
 * there is nothing newer to hold).
 */
export class HoldPass {
  readonly state: HoldState = { blackout: false, frozen: false, heldFrames: 0 };
  private held: FramebufferTexture | null = null;
  private readonly size = new Vector2();
  private readonly clearColor = new Color();
  private readonly scene = new Scene();
  private readonly camera = new OrthographicCamera();
  private readonly geometry = new PlaneGeometry(2, 2);
  private readonly material = new RawShaderMaterial({
    vertexShader: VERT,
    fragmentShader: FRAG,
    glslVersion: '300 es',
    uniforms: { held: { value: null } },
    depthTest: false,
    depthWrite: false,
  });
  private readonly mesh = new Mesh(this.geometry, this.material);

  constructor() {
    this.mesh.frustumCulled = false;
    this.scene.add(this.mesh);
  }

  /** Apply the controls to the frame now in the canvas. */
  apply(gl: WebGLRenderer, blackout: boolean, freeze: boolean): void {
    const restore = gl.getRenderTarget();
    const autoClear = gl.autoClear;
    gl.autoClear = false;
    gl.setRenderTarget(null);
    if (freeze) {
      gl.getDrawingBufferSize(this.size);
      const w = this.size.x | 0;
      const h = this.size.y | 0;
      if (!this.state.frozen) {
        // Switched on: keep the frame just drawn (the canvas still holds it).
        if (!this.held || this.held.image.width !== w || this.held.image.height !== h) {
          this.held?.dispose();
          this.held = new FramebufferTexture(w, h);
        }
        gl.copyFramebufferToTexture(this.held);
        this.state.frozen = true;
      } else {
        this.material.uniforms.held.value = this.held;
        gl.render(this.scene, this.camera);
        this.state.heldFrames++;
      }
    } else {
      this.state.frozen = false;
    }
    if (blackout) {
      gl.getClearColor(this.clearColor);
      const alpha = gl.getClearAlpha();
      gl.setClearColor(0x000000, 1);
      gl.clear(true, false, false);
      gl.setClearColor(this.clearColor, alpha);
    }
    this.state.blackout = blackout;
    gl.autoClear = autoClear;
    gl.setRenderTarget(restore);
  }

  dispose(): void {
    this.held?.dispose();
    this.geometry.dispose();
    this.material.dispose();
  }
}
