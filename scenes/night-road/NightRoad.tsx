import fragment from '../../shaders/night-road.frag?raw';
import gradeGlsl from '../../shaders/lib/grade.glsl?raw';
import { FullscreenQuad, useFullscreenShader } from '../fullscreen-scene.tsx';
import type { SceneProps } from '../types.ts';
import { BILLBOARD_SLOTS, BILLBOARD_STRIDE, RoadDrive, billboardsAhead, type DriveInput } from './drive.ts';
import { nightRoadParams } from './info.ts';

const FRAGMENT = gradeGlsl + '\n' + fragment;
/** Lamps, dashes and the road's bend all repeat within this distance, so the shader gets small numbers. */
const ROAD_WRAP_M = 3600;
/** Speed that counts as "full" for the lights and the dash streaks. */
const FULL_SPEED_MPS = 30;

/** The night road: the drive and the billboards ahead are stepped on the CPU, the road drawn by the shader. */
export function NightRoad({ host }: SceneProps) {
  const { material } = useFullscreenShader({
    host,
    where: 'night road scene update',
    fragment: FRAGMENT,
    params: nightRoadParams,
    setup: () => {
      const boards = new Float32Array(BILLBOARD_SLOTS * BILLBOARD_STRIDE);
      const input: DriveInput = { dt: 0, bpm: 0, beatPhase: 0, throttle: 0, cruise: 0, tempoLock: 0 };
      const uniforms = {
        uDashPhase: { value: 0 },
        uRoadMetres: { value: 0 },
        uSpeed01: { value: 0 },
        uCurve: { value: 0 },
        uBoards: { value: boards },
        uThrottle: { value: 0 },
        uFlicker: { value: 0 },
        uHum: { value: 0 },
        uNeon: { value: 0 },
        uRain: { value: 0 },
        uDistant: { value: 0 },
        uGlow: { value: 1 },
        uSeed: { value: 0 },
      };
      return { uniforms, state: { drive: new RoadDrive(), boards, input } };
    },
    frame: ({ uniforms: u, ids, state: { drive, boards, input } }) => {
      const su = host.uniforms;
      const bank = host.bank;
      input.dt = su.dt;
      input.bpm = su.bpm;
      input.beatPhase = su.beatPhase;
      input.throttle = bank.getOutput(ids.throttle);
      input.cruise = bank.getOutput(ids.cruise);
      input.tempoLock = bank.getOutput(ids.tempoLock);
      drive.step(input);
      const seed = Math.round(bank.getOutput(ids.seed));
      billboardsAhead(drive.distance, seed, bank.getOutput(ids.signEvery), bank.getOutput(ids.signs), boards);
      const d = drive.distance;
      u.uDashPhase.value = drive.dashPhase();
      u.uRoadMetres.value = d - Math.floor(d / ROAD_WRAP_M) * ROAD_WRAP_M;
      u.uSpeed01.value = Math.min(1, drive.speed / FULL_SPEED_MPS);
      // A slow, endless meander: two incommensurate bends.
      u.uCurve.value = 0.0009 * Math.sin(d * 0.0013 + seed) + 0.0005 * Math.sin(d * 0.0037 + 2 * seed);
      u.uThrottle.value = input.throttle;
      u.uFlicker.value = bank.getOutput(ids.flicker);
      u.uHum.value = bank.getOutput(ids.hum);
      u.uNeon.value = bank.getOutput(ids.neon);
      u.uRain.value = bank.getOutput(ids.rain);
      u.uDistant.value = bank.getOutput(ids.distant);
      u.uGlow.value = bank.getOutput(ids.glow);
      u.uSeed.value = seed % 97;
    },
  });
  return <FullscreenQuad material={material} />;
}
