import fragment from '../../shaders/breath.frag?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import { FullscreenQuad, useFullscreenShader } from '../fullscreen-scene.tsx';
import type { SceneProps } from '../types.ts';
import { breathParams } from './info.ts';
import { FogResponse, TraceRing } from './response.ts';

const FRAGMENT = gradeGlsl + '\n' + fragment;

/** Breath on cold glass: fog and finger traces are stepped on the CPU, the pane drawn by the shader. */
export function Breath({ host }: SceneProps) {
  const { material } = useFullscreenShader({
    host,
    where: 'breath scene update',
    fragment: FRAGMENT,
    params: breathParams,
    setup: (ids) => {
      const seed = Math.round(host.bank.getOutput(ids.seed));
      const state = { fog: new FogResponse(), traces: new TraceRing(seed), seed };
      const uniforms = {
        uFog: { value: 0 },
        uHaze: { value: 0 },
        uTraces: { value: state.traces.data },
        uTraceLife: { value: 7 },
        uWarmth: { value: 0 },
        uVoice: { value: 0 },
        uHue: { value: 0 },
        uPulse: { value: 0 },
        uCold: { value: 0 },
        uDrops: { value: 0 },
        uSeed: { value: seed },
      };
      return { uniforms, state };
    },
    frame: ({ uniforms: u, ids, state }) => {
      const bank = host.bank;
      const dt = host.uniforms.dt;
      const seed = Math.round(bank.getOutput(ids.seed));
      // A new seed is a new pane: its traces start over (rare, performer-driven, so the allocation is fine).
      if (seed !== state.seed) {
        state.seed = seed;
        state.traces = new TraceRing(seed);
        u.uTraces.value = state.traces.data;
      }
      state.fog.step(dt, bank.getOutput(ids.breath), bank.getOutput(ids.sensitivity));
      state.traces.step(dt, bank.getOutput(ids.trace));
      u.uFog.value = state.fog.fog;
      u.uHaze.value = bank.getOutput(ids.haze);
      u.uTraceLife.value = bank.getOutput(ids.traceLife);
      u.uWarmth.value = bank.getOutput(ids.warmth);
      u.uVoice.value = bank.getOutput(ids.voice);
      u.uHue.value = bank.getOutput(ids.hue);
      u.uPulse.value = bank.getOutput(ids.pulse);
      u.uCold.value = bank.getOutput(ids.cold);
      u.uDrops.value = bank.getOutput(ids.drops);
      u.uSeed.value = seed % 97;
    },
  });
  return <FullscreenQuad material={material} />;
}
