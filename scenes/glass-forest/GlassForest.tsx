import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { firstDraw } from '../../engine/render/first-draw.ts';
import {
  BufferAttribute,
  BufferGeometry,
  ClampToEdgeWrapping,
  Euler,
  FrontSide,
  HalfFloatType,
  InstancedBufferAttribute,
  InstancedMesh,
  LinearFilter,
  Matrix4,
  Mesh,
  OrthographicCamera,
  PerspectiveCamera,
  PlaneGeometry,
  Quaternion,
  Scene,
  ShaderMaterial,
  Vector3,
  WebGLRenderTarget,
} from 'three';
import { reportOnce } from '../../engine/messages.ts';
import fullscreenVert from '../../shaders/fullscreen.vert?raw';
import skyFrag from '../../shaders/glass-forest-sky.frag?raw';
import backdropFrag from '../../shaders/glass-forest-backdrop.frag?raw';
import treeVert from '../../shaders/glass-forest.vert?raw';
import treeFrag from '../../shaders/glass-forest.frag?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import refractionGlsl from '../../shaders/lib/refraction.glsl?raw';
import { createStandardUniforms, updateStandardUniforms, withStandardLibrary } from '../standard-uniforms.ts';
import type { SceneProps } from '../types.ts';
import { growTree, layoutForest, type TreeMesh } from './grow.ts';
import { MAX_TREES, glassForestParams } from './info.ts';

const VARIANTS = 5;
const VARIANT_SEEDS = [11, 23, 37, 41, 59];
/** The camera's home depth, and how fast the drift volume widens with distance from it. */
const EYE_Z = 7;
const WRAP_SLOPE = 0.8;
const NEAR_Z = 2;
const FAR_Z = -30;
/** The background is soft: a fraction of the output size is plenty, and software GL thanks us. */
const BACKGROUND_SCALE = 0.5;
/** Colour of each sky's light (linear), caught by the glass edges. */
const LIGHT = [
  [0.7, 0.82, 1.0],
  [1.0, 0.6, 0.28],
  [0.45, 1.0, 0.78],
];
/** Haze colour per sky (linear), mixed into far glass. */
const HAZE = [
  [0.03, 0.05, 0.09],
  [0.1, 0.045, 0.02],
  [0.02, 0.06, 0.06],
];

type Name = (typeof glassForestParams.names)[number];

interface ForestData {
  trees: TreeMesh[];
  layout: Float32Array;
}

let forestData: ForestData | null = null;

/**
 * The grown trees and their layout: pure, the same on every mount, built once per page. The
 * registry's `warm` builds it in idle time, so switching to the forest does not grow trees
 * inside a frame.
 */
export function warmGlassForest(): ForestData {
  forestData ??= {
    trees: VARIANT_SEEDS.map((seed) => growTree({ seed, depth: 3, sides: 6 })),
    layout: layoutForest(MAX_TREES, 7, EYE_Z, WRAP_SLOPE, NEAR_Z, FAR_Z).data,
  };
  return forestData;
}

function buildTreeGeometry(t: TreeMesh, capacity: number, firstIndex: number, layout: Float32Array): { geometry: BufferGeometry; matrices: Float32Array } {
  const g = new BufferGeometry();
  g.setAttribute('position', new BufferAttribute(t.positions, 3));
  g.setAttribute('normal', new BufferAttribute(t.normals, 3));
  g.setAttribute('aAlong', new BufferAttribute(t.along, 1));
  g.setAttribute('aRadius', new BufferAttribute(t.radius, 1));
  g.setAttribute('aRoot', new BufferAttribute(t.root, 1));
  g.setIndex(new BufferAttribute(t.indices, 1));
  const phases = new Float32Array(capacity);
  const matrices = new Float32Array(capacity * 16);
  const m = new Matrix4();
  const q = new Quaternion();
  const e = new Euler();
  const pos = new Vector3();
  const scale = new Vector3();
  for (let k = 0; k < capacity; k++) {
    const o = (firstIndex + k * VARIANTS) * 8;
    pos.set(layout[o], layout[o + 1], layout[o + 2]);
    e.set(layout[o + 5], layout[o + 3], layout[o + 6], 'YXZ');
    q.setFromEuler(e);
    scale.setScalar(layout[o + 4]);
    m.compose(pos, q, scale);
    m.toArray(matrices, k * 16);
    phases[k] = layout[o + 7];
  }
  g.setAttribute('aPhase', new InstancedBufferAttribute(phases, 1));
  return { geometry: g, matrices };
}

export function GlassForest({ host }: SceneProps) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);

  const rig = useMemo(() => {
    const binding = createStandardUniforms(host.uniforms);
    const std = binding.uniforms;
    const target = new WebGLRenderTarget(64, 36, { type: HalfFloatType, depthBuffer: false, magFilter: LinearFilter, minFilter: LinearFilter });
    target.texture.wrapS = ClampToEdgeWrapping;
    target.texture.wrapT = ClampToEdgeWrapping;

    const skyUniforms = {
      ...std,
      uSky: { value: 0 },
      uHaze: { value: 0.45 },
      uGlow: { value: 0.6 },
      uFlash: { value: 0 },
      uDriftTime: { value: 0 },
      uCamShift: { value: new Float32Array(2) },
      uAspect: { value: 16 / 9 },
    };
    const skyMaterial = new ShaderMaterial({ vertexShader: fullscreenVert, fragmentShader: withStandardLibrary(skyFrag), uniforms: skyUniforms, depthTest: false, depthWrite: false });
    const skyScene = new Scene();
    const skyQuad = new Mesh(new PlaneGeometry(2, 2), skyMaterial);
    skyQuad.frustumCulled = false;
    skyScene.add(skyQuad);
    const skyCamera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);

    const gradeUniforms = { uExposure: { value: 0 }, uTemperature: { value: 0 } };
    const backdropMaterial = new ShaderMaterial({
      vertexShader: fullscreenVert,
      fragmentShader: withStandardLibrary(gradeGlsl + '\n' + backdropFrag),
      uniforms: { ...std, ...gradeUniforms, uBackground: { value: target.texture } },
      depthTest: false,
      depthWrite: false,
    });

    const treeUniforms = {
      ...std,
      uBackground: { value: target.texture },
      uTint: { value: new Vector3(0.8, 0.9, 1) },
      uTintHue: { value: 0 },
      uTintAmount: { value: 0.3 },
      uIor: { value: 1.5 },
      uRefraction: { value: 0.5 },
      uDispersion: { value: 0.2 },
      uFresnel: { value: 0.7 },
      uHaze: skyUniforms.uHaze,
      uGlow: skyUniforms.uGlow,
      uExposure: gradeUniforms.uExposure,
      uTemperature: gradeUniforms.uTemperature,
      uShimmer: { value: 0 },
      uFlash: skyUniforms.uFlash,
      uRoots: { value: 1 },
      uHazeColour: { value: new Vector3(...HAZE[0]) },
      uLightColour: { value: new Vector3(...LIGHT[0]) },
      uLightDir: { value: new Vector3(-0.45, 0.55, -1).normalize() },
      uSway: { value: 0 },
      uPulse: { value: 0 },
      uGrowth: { value: 0.8 },
      uDriftOffset: { value: 0 },
      uEyeZ: { value: EYE_Z },
      uWrapSlope: { value: WRAP_SLOPE },
    };
    const treeMaterial = new ShaderMaterial({
      vertexShader: treeVert,
      fragmentShader: withStandardLibrary(gradeGlsl + '\n' + refractionGlsl + '\n' + treeFrag),
      uniforms: treeUniforms,
      side: FrontSide,
    });

    const { trees, layout } = warmGlassForest();
    const meshes: InstancedMesh[] = [];
    for (let v = 0; v < VARIANTS; v++) {
      const capacity = Math.ceil((MAX_TREES - v) / VARIANTS);
      const { geometry, matrices } = buildTreeGeometry(trees[v], capacity, v, layout);
      const mesh = new InstancedMesh(geometry, treeMaterial, capacity);
      mesh.instanceMatrix.array.set(matrices);
      mesh.instanceMatrix.needsUpdate = true;
      mesh.frustumCulled = false; // the vertex shader moves the trees
      meshes.push(mesh);
    }

    // Scene parameters by name; each frame reads their output (the performer's value plus the matrix's routes).
    const names = glassForestParams.names;
    const ids = Int32Array.from(glassForestParams.params, (p) => host.bank.idOf(p.path));
    const at = {} as Record<Name, number>;
    names.forEach((n, k) => (at[n] = k));
    const tintId = host.bank.idOf(`${glassForestParams.scope}/tint`);
    const strikeId = host.bank.idOf(`${glassForestParams.scope}/strike`);
    return {
      binding,
      target,
      skyScene,
      skyCamera,
      skyMaterial,
      skyUniforms,
      backdropMaterial,
      treeMaterial,
      treeUniforms,
      meshes,
      ids,
      values: new Float32Array(ids.length),
      at,
      tintId,
      strikeId,
      tint: new Float32Array(3),
      state: { drift: 0, driftTime: 0, strike: 0, cameraTime: 0, skyFrames: 0 },
      lookAt: new Vector3(),
    };
  }, [host]);

  useEffect(() => {
    const cam = camera as PerspectiveCamera;
    const fov = cam.fov;
    if (cam.isPerspectiveCamera) {
      cam.fov = 40;
      cam.near = 0.1;
      cam.far = 80;
      cam.updateProjectionMatrix();
    }
    return () => {
      if (cam.isPerspectiveCamera) {
        cam.fov = fov;
        cam.updateProjectionMatrix();
      }
      rig.target.dispose();
      rig.skyMaterial.dispose();
      rig.backdropMaterial.dispose();
      rig.treeMaterial.dispose();
      for (const m of rig.meshes) {
        m.geometry.dispose();
        m.dispose();
      }
      (rig.skyScene.children[0] as Mesh).geometry.dispose();
      rig.binding.spectrumTexture.dispose();
    };
  }, [rig, camera]);

  useFrame(() => {
    try {
      const u = host.uniforms;
      updateStandardUniforms(rig.binding, u);
      // The engine's frame step only: a fixture replay at a fixed time must give the same picture.
      const dt = u.dt;
      const p = rig.values;
      for (let k = 0; k < p.length; k++) p[k] = host.bank.getOutput(rig.ids[k]);
      const at = rig.at;
      const s = rig.state;

      if (host.bank.get(rig.strikeId) > 0) s.strike = 1;
      s.strike *= Math.exp(-dt / 0.3);
      s.drift = (s.drift + dt * p[at.drift] * 2.5) % 4096; // wraps per tree in the shader
      s.driftTime += dt * (0.3 + p[at.drift] * 2);
      s.cameraTime += dt * p[at.cameraDrift];

      const sky = rig.skyUniforms;
      const skyIndex = p[at.sky] | 0;
      sky.uSky.value = skyIndex;
      sky.uHaze.value = p[at.haze];
      sky.uGlow.value = p[at.glow];
      sky.uFlash.value = Math.max(p[at.flash], s.strike);
      sky.uDriftTime.value = s.driftTime;

      const tr = rig.treeUniforms;
      host.bank.getOutputColor(rig.tintId, rig.tint);
      tr.uTint.value.set(rig.tint[0], rig.tint[1], rig.tint[2]);
      const haze = HAZE[skyIndex] ?? HAZE[0];
      tr.uHazeColour.value.set(haze[0], haze[1], haze[2]);
      const light = LIGHT[skyIndex] ?? LIGHT[0];
      tr.uLightColour.value.set(light[0], light[1], light[2]);
      tr.uTintHue.value = p[at.tintHue];
      tr.uTintAmount.value = p[at.tintAmount];
      tr.uIor.value = p[at.ior];
      tr.uRefraction.value = p[at.refraction];
      tr.uDispersion.value = p[at.dispersion];
      tr.uFresnel.value = p[at.fresnel];
      tr.uExposure.value = p[at.exposure];
      tr.uTemperature.value = p[at.temperature];
      tr.uShimmer.value = p[at.shimmer];
      tr.uRoots.value = p[at.roots];
      tr.uSway.value = p[at.sway];
      tr.uPulse.value = p[at.pulse];
      tr.uGrowth.value = p[at.growth];
      tr.uDriftOffset.value = s.drift;

      const trees = p[at.trees] | 0;
      for (let v = 0; v < VARIANTS; v++) {
        const n = Math.ceil((trees - v) / VARIANTS);
        rig.meshes[v].count = n > 0 ? n : 0;
      }

      // The point of view wanders slowly; the sky shifts a little with it (parallax).
      const ct = s.cameraTime;
      const cd = 0.4 + p[at.cameraDrift];
      camera.position.set(Math.sin(ct * 0.31) * 1.6 * cd, 1.1 + Math.sin(ct * 0.23) * 0.45 * cd, EYE_Z + Math.sin(ct * 0.17) * 1.2 * cd);
      rig.lookAt.set(Math.sin(ct * 0.19 + 1) * 1.2 * cd, 0.0 + Math.sin(ct * 0.27) * 0.3 * cd, -12);
      camera.lookAt(rig.lookAt);
      const shift = sky.uCamShift.value;
      shift[0] = (rig.lookAt.x - camera.position.x) * 0.02;
      shift[1] = (rig.lookAt.y - camera.position.y) * 0.02;

      // Render the background texture (at a fraction of the output size) before the scene.
      const w = Math.max(16, Math.round(u.resolution[0] * BACKGROUND_SCALE));
      const h = Math.max(9, Math.round(u.resolution[1] * BACKGROUND_SCALE));
      if (rig.target.width !== w || rig.target.height !== h) rig.target.setSize(w, h);
      sky.uAspect.value = u.resolution[1] > 0 ? u.resolution[0] / u.resolution[1] : 16 / 9;
      const previous = gl.getRenderTarget();
      gl.setRenderTarget(rig.target);
      const skyFrame = s.skyFrames++;
      if (skyFrame === 0) {
        // First frame: compile and link the sky only. Second: draw it with rasterisation off
        // (software GL builds the vertex stage's machine code). It draws from the third frame on,
        // so none of these first-time costs share a frame.
        gl.compile(rig.skyScene, rig.skyCamera);
        gl.clear();
      } else if (skyFrame === 1) firstDraw(gl, rig.skyScene, rig.skyCamera, true);
      else gl.render(rig.skyScene, rig.skyCamera);
      gl.setRenderTarget(previous);
    } catch (err) {
      reportOnce('glass forest scene update', err);
    }
  });

  return (
    <>
      <mesh frustumCulled={false} renderOrder={-1}>
        <planeGeometry args={[2, 2]} />
        <primitive object={rig.backdropMaterial} attach="material" />
      </mesh>
      {rig.meshes.map((m, i) => (
        <primitive key={i} object={m} />
      ))}
    </>
  );
}
