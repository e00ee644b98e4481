/**
 * The transition compositor on the GPU: draws the outgoing and incoming scenes' pictures into one
 * with the shader of the chosen transition kind (shaders/transition/transition.frag).
 */
import type { Texture, WebGLRenderTarget, WebGLRenderer } from 'three';
import transitionFrag from '../../shaders/transition/transition.frag?raw';
import { PostQuad, passMaterial, textureUniform } from './post-quad.ts';
import type { TransitionKindId } from './transition.ts';

export class TransitionPass {
  private readonly material = passMaterial(transitionFrag, {
    uFrom: textureUniform(),
    uTo: textureUniform(),
    uMix: { value: 0 },
    uKind: { value: 1 },
    uAspect: { value: 16 / 9 },
  });

  constructor(private readonly quad: PostQuad) {}

  precompile(gl: WebGLRenderer): void {
    this.quad.compile(gl, this.material);
  }

  draw(gl: WebGLRenderer, from: Texture, to: Texture, kind: TransitionKindId, mix: number, aspect: number, out: WebGLRenderTarget): void {
    const u = this.material.uniforms;
    u.uFrom.value = from;
    u.uTo.value = to;
    u.uMix.value = mix;
    u.uKind.value = kind;
    u.uAspect.value = aspect;
    this.quad.draw(gl, this.material, out);
  }

  dispose(): void {
    this.material.dispose();
  }
}
