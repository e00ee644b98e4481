/**
 * Post-processing on the GPU: feedback trails, bloom (threshold, quarter-size separable blur),
 * then one grade pass to the canvas (bloom add, chromatic aberration, exposure, white balance,
 * lift/gamma/gain, contrast, saturation, vignette, grain). Trails and bloom run only when their
 * amount is above zero; targets are created once and resized only when the output size changes.
 * Nothing is allocated per frame.
 */
import { HalfFloatType, LinearFilter, UnsignedByteType, WebGLRenderTarget, type Texture, type WebGLRenderer } from 'three';
import brightFrag from '../../shaders/post/bright.frag?raw';
import blurFrag from '../../shaders/post/blur.frag?raw';
import feedbackFrag from '../../shaders/post/feedback.frag?raw';
import gradeFrag from '../../shaders/post/grade.frag?raw';
import { PostIndex as I, PostPass, postPlan } from './post.ts';
import { PostQuad, passMaterial, textureUniform } from './post-quad.ts';

/** Bloom works at this fraction of the output size (per side). */
const BLOOM_DIVISOR = 4;

function target(w: number, h: number, half: boolean): WebGLRenderTarget {
  return new WebGLRenderTarget(w, h, { type: half ? HalfFloatType : UnsignedByteType, depthBuffer: false, minFilter: LinearFilter, magFilter: LinearFilter });
}

export class PostPipeline {
  readonly quad = new PostQuad();
  /** Passes run in the last frame (PostPass bits), for tests and the stats. */
  lastPlan = 0;
  private width = 1;
  private height = 1;
  private feedbackA = target(1, 1, true);
  private feedbackB = target(1, 1, true);
  private feedbackValid = false;
  private readonly bloomA = target(1, 1, true);
  private readonly bloomB = target(1, 1, true);

  private readonly bright = passMaterial(brightFrag, { uInput: textureUniform(), uThreshold: { value: 0.6 }, uTexel: { value: new Float32Array(2) } });
  private readonly blur = passMaterial(blurFrag, { uInput: textureUniform(), uStep: { value: new Float32Array(2) } });
  private readonly feedback = passMaterial(feedbackFrag, { uInput: textureUniform(), uPrevious: textureUniform(), uKeep: { value: 0 } });
  private readonly grade = passMaterial(gradeFrag, {
    uInput: textureUniform(),
    uBloom: textureUniform(),
    uBloomAmount: { value: 0 },
    uChromatic: { value: 0 },
    uExposure: { value: 0 },
    uContrast: { value: 1 },
    uSaturation: { value: 1 },
    uTemperature: { value: 0 },
    uTint: { value: 0 },
    uLift: { value: 0 },
    uGamma: { value: 1 },
    uGain: { value: 1 },
    uVignette: { value: 0 },
    uGrain: { value: 0 },
    uGrainSeed: { value: 0 },
    uAspect: { value: 16 / 9 },
  });

  /** Compile every pass now (at start-up), so turning an effect on mid-show does not stall. */
  precompile(gl: WebGLRenderer): void {
    this.quad.compile(gl, this.bright);
    this.quad.compile(gl, this.blur);
    this.quad.compile(gl, this.feedback);
    this.quad.compile(gl, this.grade);
  }

  setSize(width: number, height: number): void {
    const w = Math.max(1, Math.floor(width));
    const h = Math.max(1, Math.floor(height));
    if (w === this.width && h === this.height) return;
    this.width = w;
    this.height = h;
    this.feedbackA.setSize(w, h);
    this.feedbackB.setSize(w, h);
    this.feedbackValid = false;
    const bw = Math.max(1, Math.round(w / BLOOM_DIVISOR));
    const bh = Math.max(1, Math.round(h / BLOOM_DIVISOR));
    this.bloomA.setSize(bw, bh);
    this.bloomB.setSize(bw, bh);
  }

  /**
   * Process `input` (the composited scenes) with post values `v` (POST_PARAMS order) and draw it
   * to `output` (null: the canvas). `dt` seconds since the last frame keeps trails frame-rate
   * independent; `time` seeds the grain.
   */
  render(gl: WebGLRenderer, input: Texture, v: Float32Array, dt: number, time: number, output: WebGLRenderTarget | null = null): void {
    const plan = postPlan(v);
    this.lastPlan = plan;
    let src = input;

    if ((plan & PostPass.Feedback) !== 0) {
      const u = this.feedback.uniforms;
      u.uInput.value = src;
      u.uPrevious.value = this.feedbackB.texture;
      // Trails are set as the fraction kept per 60 Hz frame.
      u.uKeep.value = this.feedbackValid ? Math.pow(v[I.trails], (dt > 0 && dt < 0.25 ? dt : 1 / 60) * 60) : 0;
      this.quad.draw(gl, this.feedback, this.feedbackA);
      src = this.feedbackA.texture;
      this.swapFeedback();
      this.feedbackValid = true;
    } else {
      this.feedbackValid = false;
    }

    const g = this.grade.uniforms;
    if ((plan & PostPass.Bloom) !== 0) {
      const bw = this.bloomA.width;
      const bh = this.bloomA.height;
      const b = this.bright.uniforms;
      b.uInput.value = src;
      b.uThreshold.value = v[I['bloom-threshold']];
      const texel = b.uTexel.value as Float32Array;
      texel[0] = 1 / this.width;
      texel[1] = 1 / this.height;
      this.quad.draw(gl, this.bright, this.bloomA);
      const radius = v[I['bloom-radius']];
      const bu = this.blur.uniforms;
      const step = bu.uStep.value as Float32Array;
      // Two rounds, the second twice as wide: a soft halo without a big kernel.
      for (let round = 1; round <= 2; round++) {
        bu.uInput.value = this.bloomA.texture;
        step[0] = (radius * round) / bw;
        step[1] = 0;
        this.quad.draw(gl, this.blur, this.bloomB);
        bu.uInput.value = this.bloomB.texture;
        step[0] = 0;
        step[1] = (radius * round) / bh;
        this.quad.draw(gl, this.blur, this.bloomA);
      }
      g.uBloomAmount.value = v[I.bloom];
    } else {
      g.uBloomAmount.value = 0;
    }
    g.uBloom.value = this.bloomA.texture;
    g.uInput.value = src;
    g.uChromatic.value = v[I.chromatic];
    g.uExposure.value = v[I.exposure];
    g.uContrast.value = v[I.contrast];
    g.uSaturation.value = v[I.saturation];
    g.uTemperature.value = v[I.temperature];
    g.uTint.value = v[I.tint];
    g.uLift.value = v[I.lift];
    g.uGamma.value = v[I.gamma] > 0.01 ? v[I.gamma] : 0.01;
    g.uGain.value = v[I.gain];
    g.uVignette.value = v[I.vignette];
    g.uGrain.value = v[I.grain];
    g.uGrainSeed.value = time % 1000;
    g.uAspect.value = this.height > 0 ? this.width / this.height : 1;
    this.quad.draw(gl, this.grade, output);
  }

  /** The output skipped post-processing this frame (all neutral): trails start afresh next time. */
  idle(): void {
    this.feedbackValid = false;
    this.lastPlan = 0;
  }

  private swapFeedback(): void {
    // Keep the newest output in B so the next frame reads it while writing A.
    const a = this.feedbackA;
    this.feedbackA = this.feedbackB;
    this.feedbackB = a;
  }

  dispose(): void {
    this.feedbackA.dispose();
    this.feedbackB.dispose();
    this.bloomA.dispose();
    this.bloomB.dispose();
    this.bright.dispose();
    this.blur.dispose();
    this.feedback.dispose();
    this.grade.dispose();
    this.quad.dispose();
  }
}
