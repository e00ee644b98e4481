import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  type BufferGeometry,
  CylinderGeometry,
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedMesh,
  Mesh,
  PerspectiveCamera,
  PlaneGeometry,
  ShaderMaterial,
  SphereGeometry,
  Vector3,
} from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { reportOnce } from '../../engine/messages.ts';
import commonGlsl from '../../shaders/crowd-common.glsl?raw';
import figureFrag from '../../shaders/crowd-figure.frag?raw';
import figureVert from '../../shaders/crowd-figure.vert?raw';
import floorFrag from '../../shaders/crowd-floor.frag?raw';
import hallFrag from '../../shaders/crowd-hall.frag?raw';
import worldVert from '../../shaders/crowd-world.vert?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import { createStandardUniforms, updateStandardUniforms, withStandardLibrary } from '../standard-uniforms.ts';
import type { SceneProps } from '../types.ts';
import { MAX_FIGURES, crowdParams } from './info.ts';
import { PLAZA_FAR_Z, STILL_X, STILL_Z, STRIDE_M, createCrowdState, layoutCrowd, resetCrowd, stepCrowd } from './walkers.ts';

const CROWD_SEED = 1312;
/** Name of the readout (host.readout) holding how many walkers are on stage and drawn, the still figure not counted. */
export const WALKERS_READOUT = 'crowd.walkers';
/** The far wall stands a little behind where the walkers' paths end. */
const WALL_Z = PLAZA_FAR_Z - 2;
const EYE = [0, 2.6, 10] as const;
/** The opening crowd is at least this dense, so the scene starts under way and silence then thins it. */
const OPENING_DENSITY = 0.3;
/** Tempo at which the walk is ordinary. */
const WALK_BPM = 120;
/** Overhead lamps: x, z, radius (metres); the first is above the one who stands still. */
const LAMPS = [STILL_X, STILL_Z, 1.6, -7, -3, 2.2, 8, -12, 2.6, -4, -17, 2.8, 6, 1, 2.0, -12, -23, 3.2, 12, -26, 3.2];

type Name = (typeof crowdParams.names)[number];

/** A faceless low-poly figure, about 1.8 m: coat, head, two legs tagged for the stride. */
function buildFigure(): BufferGeometry {
  const tag = (g: BufferGeometry, part: number): BufferGeometry => {
    const n = g.getAttribute('position').count;
    g.setAttribute('aPart', new BufferAttribute(new Float32Array(n).fill(part), 1));
    return g;
  };
  const coat = new CylinderGeometry(0.16, 0.22, 0.85, 7, 1).translate(0, 1.2, 0);
  const shoulders = new SphereGeometry(0.19, 7, 3, 0, Math.PI * 2, 0, Math.PI / 2).scale(1.05, 0.45, 0.75).translate(0, 1.62, 0);
  const head = new SphereGeometry(0.11, 7, 5).scale(1, 1.15, 1).translate(0, 1.8, 0);
  const left = new CylinderGeometry(0.07, 0.055, 0.9, 5, 1).translate(-0.09, 0.45, 0);
  const right = new CylinderGeometry(0.07, 0.055, 0.9, 5, 1).translate(0.09, 0.45, 0);
  const parts = [tag(coat, 0), tag(shoulders, 0), tag(head, 0), tag(left, 1), tag(right, -1)];
  const merged = mergeGeometries(parts);
  for (const p of parts) p.dispose();
  if (!merged) throw new Error('figure geometry could not be merged');
  return merged;
}

export function Crowd({ host }: SceneProps) {
  const camera = useThree((s) => s.camera);

  const rig = useMemo(() => {
    const binding = createStandardUniforms(host.uniforms);
    const shared = {
      uLamps: { value: Array.from({ length: LAMPS.length / 3 }, (_, i) => new Vector3(LAMPS[i * 3], LAMPS[i * 3 + 1], LAMPS[i * 3 + 2])) },
      uLights: { value: 0.5 },
      uDusk: { value: 0.6 },
      uHaze: { value: 0.35 },
      uExposure: { value: 0 },
      uTintHue: { value: 0 },
      uTintAmount: { value: 0.3 },
    };
    const lib = (body: string) => withStandardLibrary(gradeGlsl + '\n' + commonGlsl + '\n' + body);
    const hallMaterial = new ShaderMaterial({ vertexShader: worldVert, fragmentShader: lib(hallFrag), uniforms: { ...binding.uniforms, ...shared } });
    const floorMaterial = new ShaderMaterial({ vertexShader: worldVert, fragmentShader: lib(floorFrag), uniforms: { ...binding.uniforms, ...shared, uFarZ: { value: WALL_Z } } });
    const figureUniforms = { ...binding.uniforms, ...shared, uSway: { value: 0 }, uBounce: { value: 0 }, uStriding: { value: 1 }, uUnison: { value: 0 } };
    const figureMaterial = new ShaderMaterial({ vertexShader: figureVert, fragmentShader: lib(figureFrag), uniforms: figureUniforms });

    const hall = new Mesh(new PlaneGeometry(140, 40), hallMaterial);
    hall.position.set(0, 20, WALL_Z);
    const floor = new Mesh(new PlaneGeometry(120, EYE[2] + 4 - WALL_Z).rotateX(-Math.PI / 2), floorMaterial);
    floor.position.set(0, 0, (EYE[2] + 4 + WALL_Z) / 2);

    const layout = layoutCrowd(CROWD_SEED, MAX_FIGURES);
    const state = createCrowdState(layout);
    const densityId = host.bank.idOf(`${crowdParams.scope}/density`);
    resetCrowd(layout, state, Math.max(OPENING_DENSITY, host.bank.getOutput(densityId)), CROWD_SEED);

    const geometry = buildFigure();
    const walk = new InstancedBufferAttribute(new Float32Array(MAX_FIGURES * 4), 4);
    walk.setUsage(DynamicDrawUsage);
    const look = new InstancedBufferAttribute(new Float32Array(MAX_FIGURES * 4), 4);
    look.setUsage(DynamicDrawUsage);
    for (let i = 0; i < MAX_FIGURES; i++) {
      walk.array[i * 4 + 2] = Math.atan2(layout.dirX[i], layout.dirZ[i]);
      look.array[i * 4 + 1] = layout.seed[i];
      look.array[i * 4 + 2] = 0.9 + 0.2 * layout.seed[(i * 7 + 3) % MAX_FIGURES];
      look.array[i * 4 + 3] = i === 0 ? 1 : 0;
    }
    geometry.setAttribute('aWalk', walk);
    geometry.setAttribute('aLook', look);
    const figures = new InstancedMesh(geometry, figureMaterial, MAX_FIGURES);
    figures.frustumCulled = false; // the vertex shader places the figures

    const ids = Int32Array.from(crowdParams.params, (p) => host.bank.idOf(p.path));
    const at = {} as Record<Name, number>;
    crowdParams.names.forEach((n, k) => (at[n] = k));
    return {
      /** Walkers on stage and drawn this frame (host.readout), written in place each frame. */
      walkers: new Float64Array(1),
      binding,
      shared,
      figureUniforms,
      materials: [hallMaterial, floorMaterial, figureMaterial],
      hall,
      floor,
      figures,
      walk,
      look,
      layout,
      state,
      ids,
      at,
      values: new Float32Array(ids.length),
      clock: { cameraTime: 0 },
      lookAt: new Vector3(),
    };
  }, [host]);

  useEffect(() => {
    host.readout.set(WALKERS_READOUT, rig.walkers);
    const cam = camera as PerspectiveCamera;
    const fov = cam.fov;
    const far = cam.far;
    if (cam.isPerspectiveCamera) {
      cam.fov = 38;
      cam.far = 120;
      cam.updateProjectionMatrix();
    }
    return () => {
      if (cam.isPerspectiveCamera) {
        cam.fov = fov;
        cam.far = far;
        cam.updateProjectionMatrix();
      }
      if (host.readout.get(WALKERS_READOUT) === rig.walkers) host.readout.delete(WALKERS_READOUT);
      for (const m of rig.materials) m.dispose();
      rig.hall.geometry.dispose();
      rig.floor.geometry.dispose();
      rig.figures.geometry.dispose();
      rig.figures.dispose();
      rig.binding.spectrumTexture.dispose();
    };
  }, [rig, camera, host]);

  useFrame(() => {
    try {
      const u = host.uniforms;
      updateStandardUniforms(rig.binding, u);
      const dt = u.dt > 0 ? u.dt : 0; // the tick already caps it
      const p = rig.values;
      for (let k = 0; k < p.length; k++) p[k] = host.bank.getOutput(rig.ids[k]);
      const at = rig.at;

      // The walk follows the tempo when a clock leads, within an ordinary range of paces.
      const follow = p[at.tempoFollow];
      const tempoRatio = u.bpm > 0 ? Math.min(1.6, Math.max(0.5, u.bpm / WALK_BPM)) : 1;
      const pace = p[at.pace] * (1 - follow + follow * tempoRatio);
      stepCrowd(rig.layout, rig.state, dt, pace, p[at.density]);

      const L = rig.layout;
      const along = rig.state.along;
      const onStage = rig.state.onStage;
      const walk = rig.walk.array as Float32Array;
      const look = rig.look.array as Float32Array;
      const count = Math.min(MAX_FIGURES, Math.max(1, p[at.figures] | 0));
      let walkers = 0;
      for (let i = 0; i < count; i++) {
        const s = along[i];
        walk[i * 4] = L.startX[i] + L.dirX[i] * s;
        walk[i * 4 + 1] = L.startZ[i] + L.dirZ[i] * s;
        walk[i * 4 + 3] = s / STRIDE_M + L.seed[i];
        look[i * 4] = i === 0 ? p[at.alone] : onStage[i];
        if (i > 0) walkers += onStage[i];
      }
      rig.walkers[0] = walkers;
      // Whole-buffer uploads (a few KB): update ranges would pile up while the scene is not drawn.
      rig.walk.needsUpdate = true;
      rig.look.needsUpdate = true;
      rig.figures.count = count;

      const sh = rig.shared;
      sh.uLights.value = p[at.lights];
      sh.uDusk.value = p[at.dusk];
      sh.uHaze.value = p[at.haze];
      sh.uExposure.value = p[at.exposure];
      sh.uTintHue.value = p[at.tintHue];
      sh.uTintAmount.value = p[at.tintAmount];
      const fu = rig.figureUniforms;
      fu.uSway.value = p[at.sway];
      fu.uBounce.value = p[at.bounce];
      fu.uStriding.value = Math.min(1, pace * 1.5);
      fu.uUnison.value = p[at.unison];

      // A slow, watching point of view: drifting a little sideways and in height.
      const c = rig.clock;
      const cd = p[at.cameraDrift];
      c.cameraTime += dt * cd;
      const ct = c.cameraTime;
      camera.position.set(EYE[0] + Math.sin(ct * 0.21) * 2.5 * cd, EYE[1] + Math.sin(ct * 0.13) * 0.5 * cd, EYE[2] + Math.sin(ct * 0.17) * 1.5 * cd);
      rig.lookAt.set(STILL_X * 0.5 + Math.sin(ct * 0.11 + 1) * 1.5 * cd, 1.4, -10);
      camera.lookAt(rig.lookAt);
    } catch (err) {
      reportOnce('crowd scene update', err);
    }
  });

  return (
    <>
      <primitive object={rig.hall} />
      <primitive object={rig.floor} />
      <primitive object={rig.figures} />
    </>
  );
}
