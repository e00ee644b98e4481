import { describe, expect, it } from 'vitest';
import { FeatureBusReader, FeatureBusWriter, createFeatureBusBuffer } from '../engine/features/bus.ts';
import { F, FEATURE_COUNT } from '../engine/features/layout.ts';
import type { MessageLevel } from '../engine/messages.ts';
import { ParamBank, defineParams } from '../engine/params/index.ts';
import { EngineTick } from '../engine/tick.ts';
import { glassForestInfo } from '../scenes/glass-forest/info.ts';
import { SCENE_INFOS } from '../scenes/infos.ts';
import { spectralVeilInfo } from '../scenes/spectral-veil/info.ts';
import type { SceneInfo } from '../scenes/types.ts';
import { activateSceneRoutes, resetSceneRoutes, routesKey, saveSceneRoutes, type RouteStorage } from './scene-routes.ts';

const GF = '/scene/glass-forest/';

class MapStorage implements RouteStorage {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

function engine() {
  const sab = createFeatureBusBuffer();
  const writer = new FeatureBusWriter(sab, 48000, 512, 2048);
  const bank = new ParamBank();
  for (const s of SCENE_INFOS) bank.register(s.params);
  bank.register(defineParams('/engine/test', { level: { type: 'number', min: 0, max: 1, default: 0.5 } }));
  const tick = new EngineTick(new FeatureBusReader(sab), bank);
  const messages: { level: MessageLevel; text: string }[] = [];
  const reportTo = (level: MessageLevel, text: string) => void messages.push({ level, text });
  return { writer, bank, tick, matrix: tick.modulation!, messages, reportTo };
}

/** Two seconds of sound whose spectral centroid sits at `centroidHz`, one tick per 1/60 s from `t0`. */
function play(e: ReturnType<typeof engine>, t0: number, centroidHz: number): number {
  const f = new Float32Array(FEATURE_COUNT);
  f[F.rms] = 0.2;
  f[F.loudness] = -14;
  f[F.centroid] = centroidHz;
  let t = t0;
  for (let k = 0; k < 120; k++) {
    t += 1 / 60;
    e.writer.publish(f, t, false, -1, 0, 0, 0);
    e.tick.tick(t, t, 10, 10);
  }
  return t;
}

describe('scene routes in the modulation matrix', () => {
  it("runs the glass forest's default routes: brighter sound moves dispersion's output, not the performer's value", () => {
    const e = engine();
    activateSceneRoutes(e.matrix, glassForestInfo, null, e.reportTo);
    expect(e.messages).toEqual([]);
    expect(e.matrix.count).toBe(glassForestInfo.defaultRoutes!.length);
    const id = e.bank.idOf(`${GF}dispersion`);
    e.bank.set(id, 0.5); // the performer's value
    let t = play(e, 0, 300);
    const dull = e.bank.getOutput(id);
    t = play(e, t, 6000);
    const bright = e.bank.getOutput(id);
    expect(e.tick.smoothed[F.centroid]).toBeGreaterThan(0.3);
    expect(bright - dull, `dull ${dull}, bright ${bright}`).toBeGreaterThan(0.1);
    expect(bright).toBeLessThanOrEqual(1); // clamped to the range
    expect(e.bank.get(id)).toBe(0.5);
    expect(dull).toBeGreaterThanOrEqual(0.5); // the routes add to the performer's value
  });

  it("a scene switch replaces the previous scene's routes and keeps routes onto global parameters", () => {
    const e = engine();
    activateSceneRoutes(e.matrix, glassForestInfo, null, e.reportTo);
    expect(e.matrix.add({ source: 'centroid', target: '/engine/test/level', amount: 0.2 }).ok).toBe(true);
    const veil: SceneInfo = { ...spectralVeilInfo, defaultRoutes: [{ source: 'onset', target: '/scene/spectral-veil/flash', amount: 0.5 }] };
    activateSceneRoutes(e.matrix, veil, null, e.reportTo);
    expect(e.matrix.specs().map((r) => `${r.source} ${r.target}`)).toEqual(['centroid /engine/test/level', 'onset /scene/spectral-veil/flash']);
  });

  it("restores the performer's edited routes on reload, and reset brings the defaults back", () => {
    const storage = new MapStorage();
    const first = engine();
    activateSceneRoutes(first.matrix, glassForestInfo, storage, first.reportTo);
    const [sway] = first.matrix.status().filter((s) => s.route.target === `${GF}sway`);
    first.matrix.update(sway.key, { amount: 0.9, enabled: false });
    first.matrix.add({ source: 'lfo:sine:1bar', target: `${GF}haze`, amount: 0.3 });
    saveSceneRoutes(first.matrix, glassForestInfo.id, storage, first.reportTo);

    const reloaded = engine();
    activateSceneRoutes(reloaded.matrix, glassForestInfo, storage, reloaded.reportTo);
    const specs = reloaded.matrix.specs();
    expect(specs).toEqual(first.matrix.specs());
    expect(specs.find((r) => r.target === `${GF}sway`)).toMatchObject({ amount: 0.9, enabled: false });

    resetSceneRoutes(reloaded.matrix, glassForestInfo, storage, reloaded.reportTo);
    expect(storage.getItem(routesKey(glassForestInfo.id))).toBeNull();
    expect(reloaded.matrix.count).toBe(glassForestInfo.defaultRoutes!.length);
  });

  it('reports bad routes by field and runs the good ones', () => {
    const e = engine();
    const scene: SceneInfo = {
      ...glassForestInfo,
      defaultRoutes: [
        { source: 'onset', target: `${GF}flash`, amount: 0.8 },
        { source: 'centriod', target: `${GF}haze`, amount: 0.2 },
      ],
    };
    activateSceneRoutes(e.matrix, scene, null, e.reportTo);
    expect(e.matrix.count).toBe(1);
    expect(e.messages).toHaveLength(1);
    expect(e.messages[0].level).toBe('warning');
    expect(e.messages[0].text).toMatch(/route 2 .*centriod.*did you mean centroid/);
  });

  it('unreadable saved routes fall back to the defaults with a message', () => {
    const e = engine();
    const storage = new MapStorage();
    storage.setItem(routesKey(glassForestInfo.id), '{not json');
    activateSceneRoutes(e.matrix, glassForestInfo, storage, e.reportTo);
    expect(e.matrix.count).toBe(glassForestInfo.defaultRoutes!.length);
    expect(e.messages.map((m) => m.text).join()).toMatch(/unreadable/);
  });
});
