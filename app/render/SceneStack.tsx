/**
 * The output's render pipeline: every mounted scene renders into its own target through an r3f
 * portal (own THREE.Scene and camera); a compositor blends the outgoing and incoming pictures with
 * the chosen transition, then post-processing draws to the canvas. The flash guard (an r3f
 * after-effect) still runs last, on what the audience sees. This is the only place that takes over
 * r3f's render loop (useFrame priority 1).
 *
 * Before a switch becomes visible, the incoming scene is mounted hidden, its materials compiled
 * (`compileAsync`) and rendered once off-screen; a scene that fails to compile or throws is dropped
 * with a message and the running scene stays.
 */
import { createPortal, useFrame, useThree } from '@react-three/fiber';
import { Component, useEffect, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { LinearFilter, PerspectiveCamera, Scene, UnsignedByteType, Vector2, WebGLRenderTarget, type Material, type Mesh, type Object3D, type WebGLRenderer } from 'three';
import { describeError, report, reportOnce } from '../../engine/messages.ts';
import { PostPipeline } from '../../engine/render/post-pipeline.ts';
import { gradeIsNeutral, postIds, postPlan, readPost } from '../../engine/render/post.ts';
import { firstDraw } from '../../engine/render/first-draw.ts';
import { TransitionPass } from '../../engine/render/transition-pass.ts';
import { TransitionKind, TransitionPhase } from '../../engine/render/transition.ts';
import { SCENES, getScene } from '../../scenes/registry.ts';
import type { SceneDef } from '../../scenes/types.ts';
import type { EngineHost } from '../engine-host.ts';
import { useStore } from '../use-store.ts';

const SlotStage = { Mounted: 0, Compiling: 1, Compiled: 2, Warming: 3, Ready: 4, Failed: 5 } as const;
type SlotStageId = (typeof SlotStage)[keyof typeof SlotStage];

interface Slot {
  readonly id: string;
  readonly scene: Scene;
  readonly camera: PerspectiveCamera;
  readonly target: WebGLRenderTarget;
  stage: SlotStageId;
  problem: string;
  /** The object compiled on an earlier frame, still to be drawn for the first time (null: none). */
  firstDraw: Object3D | null;
  /** Its next first draw: 0 with rasterisation off (vertex stage), 1 into one pixel. */
  drawStep: number;
  /** Frames still to leave to the scene's own first-frame work before compiling. */
  settle: number;
  /** One object per distinct material of the scene (software GL only): the rehearsal's draws. */
  materials: Object3D[];
  /** Objects still to compile, one per frame, when shaders cannot compile in parallel. */
  pending: Object3D[];
  /** Next rehearsal step of the blend path (see `warm`). */
  warmStep: number;
}

/** Slots by scene id, shared by the slot components (mount/unmount) and the compositor (per frame). */
type SlotRegistry = Map<string, Slot>;

/** The portal scene's programs that failed to compile or link (after a render or compile). */
function brokenPrograms(gl: WebGLRenderer, root: Scene): string {
  let problem = '';
  root.traverse((o) => {
    const mat = (o as Mesh).material as Material | Material[] | undefined;
    if (!mat || problem) return;
    const list = Array.isArray(mat) ? mat : [mat];
    for (const m of list) {
      const p = gl.properties.get(m) as { currentProgram?: { diagnostics?: { runnable: boolean; programLog?: string; fragmentShader?: { log?: string }; vertexShader?: { log?: string } } } };
      const d = p.currentProgram?.diagnostics;
      if (d && !d.runnable) problem = (d.fragmentShader?.log || d.vertexShader?.log || d.programLog || 'link error').trim().slice(0, 240);
    }
  });
  return problem;
}

/** Catches a scene that throws while mounting so the running scene stays on screen. */
class SlotBoundary extends Component<{ slot: Slot; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(err: unknown): void {
    this.props.slot.stage = SlotStage.Failed;
    this.props.slot.problem = describeError(err);
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

function SceneSlot({ def, host, registry }: { def: SceneDef; host: EngineHost; registry: SlotRegistry }) {
  const size = useThree((s) => s.size);
  const slot = useMemo<Slot>(() => {
    const camera = new PerspectiveCamera(75, 16 / 9, 0.1, 1000);
    camera.position.z = 5; // r3f's default camera, which scenes were written against
    const target = new WebGLRenderTarget(1, 1, { type: UnsignedByteType, depthBuffer: true, minFilter: LinearFilter, magFilter: LinearFilter });
    return { id: def.id, scene: new Scene(), camera, target, stage: SlotStage.Mounted, problem: '', materials: [], pending: [], firstDraw: null, drawStep: 0, settle: 0, warmStep: 0 };
  }, [def.id]);
  // Runs after the scene's own effects: its objects are in the portal scene by now.
  useLayoutEffect(() => {
    registry.set(slot.id, slot);
    return () => {
      if (registry.get(slot.id) === slot) registry.delete(slot.id);
    };
  }, [registry, slot]);
  useEffect(() => () => slot.target.dispose(), [slot]);
  const SceneComponent = def.Component;
  return createPortal(
    <SlotBoundary slot={slot}>
      <SceneComponent host={host} />
    </SlotBoundary>,
    slot.scene,
    { camera: slot.camera, size },
  );
}

export function SceneStack({ host }: { host: EngineHost }) {
  const switcher = host.switcher;
  const machine = switcher.machine;
  const version = useStore(switcher.subscribe, () => machine.version);
  const registry = useMemo<SlotRegistry>(() => new Map(), []);
  const gl = useThree((s) => s.gl);

  const from = machine.from;
  const to = machine.to;
  const fromDef = from ? getScene(from) : undefined;
  const toDef = to ? getScene(to) : undefined;

  useEffect(() => {
    // Routes follow what is mounted: both scenes' during a switch, then the shown one's.
    if (fromDef) host.sceneRoutesFor(fromDef, toDef ?? null);
  }, [host, version, fromDef, toDef]);

  const rig = useMemo(() => {
    const post = new PostPipeline();
    const transition = new TransitionPass(post.quad);
    const mixTarget = new WebGLRenderTarget(1, 1, { type: UnsignedByteType, depthBuffer: false, minFilter: LinearFilter, magFilter: LinearFilter });
    const ids = postIds(host.bank);
    return { post, transition, mixTarget, ids, values: new Float32Array(ids.length), size: new Vector2(), prevBeat: 0, prevBar: 0, compiled: false };
  }, [host]);
  useEffect(
    () => () => {
      rig.post.dispose();
      rig.transition.dispose();
      rig.mixTarget.dispose();
    },
    [rig],
  );
  const lastError = useRef(0);

  useEffect(() => {
    // Build every scene's reusable data in idle time, one scene per idle slice, so a later switch
    // mounts without that work. A scene that fails here reports and builds again when it mounts.
    const queue = SCENES.filter((d) => d.warm);
    const idle = (fn: () => void): number => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 5000 }) : window.setTimeout(fn, 200));
    const cancel = (h: number): void => (typeof cancelIdleCallback === 'function' ? cancelIdleCallback(h) : window.clearTimeout(h));
    let handle = 0;
    const next = (): void => {
      const def = queue.shift();
      if (!def) return;
      try {
        def.warm?.();
      } catch (err) {
        reportOnce(`scene ${def.id} preparation`, err);
      }
      handle = idle(next);
    };
    handle = idle(next);
    return () => cancel(handle);
  }, []);

  useFrame(() => {
    try {
      if (!rig.compiled) {
        rig.compiled = true;
        rig.post.precompile(gl);
        rig.transition.precompile(gl);
      }
      const u = host.uniforms;
      const clock = host.tick.clock;
      // A beat or bar start fell in this frame: the clock says so, or the phase wrapped (free-running clock).
      const beatCrossed = clock.beatsCrossed > 0 || u.beatPhase < rig.prevBeat;
      const barCrossed = clock.barsCrossed > 0 || u.barPhase < rig.prevBar;
      rig.prevBeat = u.beatPhase;
      rig.prevBar = u.barPhase;
      machine.step(u.dt, (u.dt * clock.bpm) / 60, beatCrossed, barCrossed);

      if (machine.phase === TransitionPhase.Preparing) prepare(gl, switcher.precompile, registry.get(machine.to));

      gl.getDrawingBufferSize(rig.size);
      const w = rig.size.x;
      const h = rig.size.y;
      const outgoing = registry.get(machine.from);
      if (outgoing?.stage === SlotStage.Failed && machine.from !== '') reportOnce(`scene ${machine.from}`, outgoing.problem);
      if (!outgoing) {
        gl.setRenderTarget(null);
        gl.clear();
        switcher.sync();
        return;
      }
      readPost(host.bank, rig.ids, rig.values);
      const blending = machine.phase === TransitionPhase.Blending && registry.has(machine.to);
      if (!blending && postPlan(rig.values) === 0 && gradeIsNeutral(rig.values)) {
        // Nothing to blend or grade: the scene draws straight to the canvas, no copy pass (on
        // software GL the copy costs more per frame than the one-off work it saves at a switch).
        renderSlot(gl, outgoing, w, h, null);
        rig.post.idle();
        switcher.sync();
        return;
      }
      renderSlot(gl, outgoing, w, h);
      let input = outgoing.target.texture;
      if (blending) {
        const incoming = registry.get(machine.to);
        if (incoming) {
          renderSlot(gl, incoming, w, h);
          if (rig.mixTarget.width !== w || rig.mixTarget.height !== h) rig.mixTarget.setSize(w, h);
          const kind = machine.spec.kind === TransitionKind.Cut ? TransitionKind.Crossfade : machine.spec.kind;
          rig.transition.draw(gl, outgoing.target.texture, incoming.target.texture, kind, machine.mix, h > 0 ? w / h : 1, rig.mixTarget);
          input = rig.mixTarget.texture;
        }
      }
      rig.post.setSize(w, h);
      rig.post.render(gl, input, rig.values, u.dt, u.time, null);
      switcher.sync();
    } catch (err) {
      // Never throw out of the frame: report at most once a second and keep going.
      const now = host.uniforms.time;
      if (now - lastError.current > 1) {
        lastError.current = now;
        reportOnce('output compositor', err);
      }
    }
  }, 1);

  /** Incoming scene: compile its programs, render it once off-screen, then let the blend start. */
  function prepare(renderer: WebGLRenderer, precompile: boolean, slot: Slot | undefined): void {
    if (!slot) return; // not mounted yet (React commits next)
    switcher.preparing = slot.stage * 10 + (slot.stage === SlotStage.Warming ? slot.warmStep : slot.firstDraw !== null ? 5 + slot.drawStep : 0);
    if (slot.stage === SlotStage.Failed) {
      const failed = machine.fail();
      const shown = getScene(machine.from)?.title ?? machine.from;
      report('error', `Scene "${getScene(failed)?.title ?? failed}" could not start (${slot.problem}); "${shown}" keeps playing.`);
      switcher.sync();
      return;
    }
    if (!precompile) {
      slot.stage = SlotStage.Ready;
      machine.ready();
      return;
    }
    if (slot.stage === SlotStage.Mounted && !renderer.extensions.has('KHR_parallel_shader_compile')) {
      // Software GL compiles on the calling thread, and builds a program's machine code at its
      // first draw: one material per frame, compiled and drawn alone off screen, spreads the cost.
      const seen = new Set<Material>();
      slot.scene.traverse((o) => {
        const m = (o as Mesh).material as Material | Material[] | undefined;
        const first = Array.isArray(m) ? m[0] : m;
        if (first && !seen.has(first)) {
          seen.add(first);
          slot.pending.push(o);
        }
      });
      renderer.getDrawingBufferSize(rig.size);
      if (slot.target.width !== rig.size.x || slot.target.height !== rig.size.y) slot.target.setSize(rig.size.x, rig.size.y);
      slot.materials = slot.pending.slice();
      slot.stage = slot.pending.length > 0 ? SlotStage.Compiling : SlotStage.Compiled;
      // The scene's own first frames run now and on the next two (an off-screen pass compiles,
      // then first draws its vertex and fragment stages, as the glass forest's sky does): leave
      // those frames to them.
      slot.settle = 2;
      return;
    }
    if (slot.settle > 0) {
      slot.settle--;
      return;
    }
    if (slot.stage === SlotStage.Compiling && (slot.pending.length > 0 || slot.firstDraw !== null)) {
      // Three frames per material: compile and link it; draw it with rasterisation off (software
      // GL builds the vertex stage's machine code); draw it once more (the fragment stage's).
      // No two of these costs land on one frame.
      const drawn = slot.firstDraw;
      if (drawn === null) {
        const next = slot.pending.shift() as Object3D;
        renderer.compile(next, slot.camera, slot.scene);
        slot.firstDraw = next;
        slot.drawStep = 0;
        return;
      }
      // One instance: the driver builds the program's code all the same, without paying for a
      // whole draw of hundreds of instances on top. The fragment stage's draw covers the whole
      // target: texture samplers are built the first time a fragment really samples.
      renderer.setRenderTarget(slot.target);
      const vertexOnly = slot.drawStep === 0;
      firstDraw(renderer, drawn, slot.camera, vertexOnly);
      if (vertexOnly) {
        slot.drawStep = 1;
        return;
      }
      slot.firstDraw = null;
      if (slot.pending.length === 0) slot.stage = SlotStage.Compiled;
      return;
    }
    if (slot.stage === SlotStage.Mounted) {
      slot.stage = SlotStage.Compiling;
      renderer.compileAsync(slot.scene, slot.camera).then(
        () => {
          if (slot.stage === SlotStage.Compiling) slot.stage = SlotStage.Compiled;
        },
        (err: unknown) => {
          slot.stage = SlotStage.Failed;
          slot.problem = describeError(err);
        },
      );
      return;
    }
    if (slot.stage === SlotStage.Compiled) {
      gl.getDrawingBufferSize(rig.size);
      // The whole scene once (every object, every state it draws with), into one pixel.
      onePixel(slot.target, true);
      renderSlot(renderer, slot, rig.size.x, rig.size.y);
      onePixel(slot.target, false);
      const problem = brokenPrograms(renderer, slot.scene);
      if (problem) {
        slot.stage = SlotStage.Failed;
        slot.problem = `shader error: ${problem}`;
        return;
      }
      slot.stage = SlotStage.Warming;
      slot.warmStep = 0;
      return;
    }
    if (slot.stage === SlotStage.Warming && warm(renderer, slot)) {
      slot.stage = SlotStage.Ready;
      machine.ready();
    }
  }

  /**
   * Rehearse the blend path off screen, one step per frame, so its first visible frame does no
   * first-time work: a GPU driver (software GL most of all) builds a program's machine code for
   * each target format at its first draw, and a target's storage at its first use. Steps: the
   * outgoing scene into its own target (it may have drawn straight to the canvas until now), the
   * transition into the mix target at mix 0, the post chain to the canvas when it has been idle,
   * and the incoming scene straight to the canvas as it will draw once the blend is over (the
   * outgoing scene's own draw to the canvas later this frame covers both). Returns true
   * when the rehearsal is done.
   */
  function warm(renderer: WebGLRenderer, incoming: Slot): boolean {
    const outgoing = registry.get(machine.from);
    if (!outgoing) return true;
    renderer.getDrawingBufferSize(rig.size);
    const w = rig.size.x;
    const h = rig.size.y;
    const step = incoming.warmStep++;
    // Each rehearsal draws into one pixel of its real target: the first-time work (program code
    // per target format, target storage) is the same, the raster work is not paid twice.
    if (step === 0) {
      if (outgoing.target.width !== w || outgoing.target.height !== h) outgoing.target.setSize(w, h);
      onePixel(outgoing.target, true);
      renderSlot(renderer, outgoing, w, h);
      onePixel(outgoing.target, false);
      return false;
    }
    if (step === 1) {
      if (rig.mixTarget.width !== w || rig.mixTarget.height !== h) rig.mixTarget.setSize(w, h);
      const kind = machine.spec.kind === TransitionKind.Cut ? TransitionKind.Crossfade : machine.spec.kind;
      onePixel(rig.mixTarget, true);
      rig.transition.draw(renderer, outgoing.target.texture, incoming.target.texture, kind, 0, h > 0 ? w / h : 1, rig.mixTarget);
      onePixel(rig.mixTarget, false);
      return false;
    }
    if (step === 2) {
      readPost(host.bank, rig.ids, rig.values);
      if (postPlan(rig.values) === 0 && gradeIsNeutral(rig.values)) {
        rig.post.setSize(w, h);
        rig.post.render(renderer, rig.mixTarget.texture, rig.values, 0, host.uniforms.time, null);
        rig.post.idle();
      }
      return false;
    }
    const k = step - 3;
    if (k < incoming.materials.length && postPlan(rig.values) === 0 && gradeIsNeutral(rig.values)) {
      // After the blend, a scene with nothing to grade draws straight to the canvas: rehearse that
      // draw too, one material per frame, one instance into one pixel that the outgoing scene's
      // draw later this frame covers.
      renderer.setRenderTarget(null);
      renderer.setScissor(0, 0, 1, 1);
      renderer.setScissorTest(true);
      firstDraw(renderer, incoming.materials[k], incoming.camera, false);
      renderer.setScissorTest(false);
      return false;
    }
    // The blend starts on the next frame, not on top of the last rehearsal step.
    return true;
  }

  return (
    <>
      {fromDef && <SceneSlot key={fromDef.id} def={fromDef} host={host} registry={registry} />}
      {toDef && <SceneSlot key={toDef.id} def={toDef} host={host} registry={registry} />}
    </>
  );
}

/** Limit draws into `target` to its first pixel (on), or give it back its whole area (off). */
function onePixel(target: WebGLRenderTarget, on: boolean): void {
  if (on) target.scissor.set(0, 0, 1, 1);
  target.scissorTest = on;
}

/** Render a slot's scene into its own target, or into `into` (null: the canvas). */
function renderSlot(gl: WebGLRenderer, slot: Slot, w: number, h: number, into: WebGLRenderTarget | null = slot.target): void {
  if (into === slot.target && (slot.target.width !== w || slot.target.height !== h)) slot.target.setSize(w, h);
  const aspect = h > 0 ? w / h : 1;
  if (slot.camera.aspect !== aspect) {
    slot.camera.aspect = aspect;
    slot.camera.updateProjectionMatrix();
  }
  gl.setRenderTarget(into);
  gl.render(slot.scene, slot.camera);
}

export { SlotStage };
