import { useThree } from '@react-three/fiber';
import { Vector4 } from 'three';
import fragment from '../../shaders/memory-haze.frag?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import { FullscreenQuad, useFullscreenShader } from '../fullscreen-scene.tsx';
import type { SceneProps } from '../types.ts';
import { FRAGMENT_STRIDE, layoutFragments } from './fragments.ts';
import { MAX_FRAGMENTS, memoryHazeParams } from './info.ts';

const FRAGMENT = gradeGlsl + '\n' + fragment;
const FRAGMENT_SEED = 1987;
/** Slowest drift (units of drift time per second) so even silence keeps breathing. */
const MIN_DRIFT_RATE = 0.05;
const DRIFT_RATE = 0.9;
/** Decay of a performer's flare, seconds. */
const FLARE_DECAY = 0.6;

type Name = (typeof memoryHazeParams.names)[number];

/** The memory haze: fixed fragment shapes; drift time and the flare are kept on the CPU. */
export function MemoryHaze({ host }: SceneProps) {
  const size = useThree((s) => s.size);
  const { material } = useFullscreenShader({
    host,
    where: 'memory haze scene update',
    fragment: FRAGMENT,
    params: memoryHazeParams,
    setup: (ids) => {
      const layout = layoutFragments(FRAGMENT_SEED, MAX_FRAGMENTS);
      const shapes: Vector4[] = [];
      const meta: Vector4[] = [];
      for (let i = 0; i < MAX_FRAGMENTS; i++) {
        const o = i * FRAGMENT_STRIDE;
        shapes.push(new Vector4(layout[o], layout[o + 1], layout[o + 2], layout[o + 3]));
        meta.push(new Vector4(layout[o + 4], layout[o + 5], layout[o + 6], layout[o + 7]));
      }
      const uniforms = {
        uShapes: { value: shapes },
        uShapeMeta: { value: meta },
        uFragments: { value: 7 },
        uDevelop: { value: 0.35 },
        uExposure: { value: 0 },
        uBreath: { value: 0 },
        uLeak: { value: 0 },
        uHalation: { value: 0.5 },
        uWarmth: { value: 0.3 },
        uTintHue: { value: 0 },
        uTintAmount: { value: 0.25 },
        uPulse: { value: 0 },
        uShimmer: { value: 0 },
        uGrain: { value: 0.5 },
        uFade: { value: 0.5 },
        uDriftTime: { value: 0 },
        uAspect: { value: 16 / 9 },
      };
      // Every output is read into one float array each frame, indexed by name through `at`.
      const order = Int32Array.from(memoryHazeParams.names, (n) => ids[n]);
      const at = {} as Record<Name, number>;
      memoryHazeParams.names.forEach((n, k) => (at[n] = k));
      return { uniforms, state: { order, at, values: new Float32Array(order.length), driftTime: 0, flare: 0 } };
    },
    frame: ({ uniforms: m, ids, state: s }) => {
      const dt = host.uniforms.dt > 0 ? host.uniforms.dt : 0; // the tick already caps it
      const p = s.values;
      for (let k = 0; k < p.length; k++) p[k] = host.bank.getOutput(s.order[k]);
      const at = s.at;
      if (host.bank.get(ids.flare) > 0) s.flare = 1;
      s.flare *= Math.exp(-dt / FLARE_DECAY);
      // The beat's pulse surges the drift as well as the zoom.
      s.driftTime = (s.driftTime + dt * (MIN_DRIFT_RATE + p[at.drift] * DRIFT_RATE) * (1 + 1.5 * p[at.pulse])) % 10000;

      m.uFragments.value = p[at.fragments];
      m.uDevelop.value = p[at.develop];
      m.uExposure.value = p[at.exposure];
      m.uBreath.value = p[at.breath];
      m.uLeak.value = Math.max(p[at.leak], s.flare);
      m.uHalation.value = p[at.halation];
      m.uWarmth.value = p[at.warmth];
      m.uTintHue.value = p[at.tintHue];
      m.uTintAmount.value = p[at.tintAmount];
      m.uPulse.value = p[at.pulse];
      m.uShimmer.value = p[at.shimmer];
      m.uGrain.value = p[at.grain];
      m.uFade.value = p[at.fade];
      m.uDriftTime.value = s.driftTime;
      m.uAspect.value = size.height > 0 ? size.width / size.height : 16 / 9;
    },
  });
  return <FullscreenQuad material={material} />;
}
