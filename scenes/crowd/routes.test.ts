/**
 * The crowd's default sound mapping on recorded features: the engine tick replays a fixture on
 * the fixed frame clock, the scene's routes drive its density, and the walkers step as the scene
 * steps them. A near-silent room (faint hiss with a decaying tail now and then) must thin the
 * crowd; music must fill it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeFixture } from '../../engine/fixtures/fixture.ts';
import { FixtureRun } from '../../engine/fixtures/player.ts';
import { ParamBank } from '../../engine/params/index.ts';
import { EngineTick } from '../../engine/tick.ts';
import { crowdParams, crowdRoutes } from './info.ts';
import { countOnStage, createCrowdState, layoutCrowd, resetCrowd, stepCrowd } from './walkers.ts';

const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'e2e', 'fixtures');
/** Walkers drawn at the default figure count, and the opening density of the scene. */
const FIGURES = 360;
const OPENING_DENSITY = 0.3;

/** Settle the routes for `from` seconds, open the crowd, then walk it for `seconds` of fixture time. */
function replay(fixture: string, from: number, seconds: number): { density: number; opening: number; walkers: number } {
  const r = decodeFixture(JSON.parse(readFileSync(join(FIXTURE_DIR, `${fixture}.fixture.json`), 'utf8')));
  if (!r.ok) throw new Error(r.message);
  const run = new FixtureRun(r.fixture, { startAt: from });
  const bank = new ParamBank();
  bank.register(crowdParams);
  const tick = new EngineTick(run.player, bank);
  expect(tick.modulation!.setRoutes(crowdRoutes).every((x) => x.ok)).toBe(true);
  const density = bank.idOf(`${crowdParams.scope}/density`);
  const pace = bank.idOf(`${crowdParams.scope}/pace`);
  const layout = layoutCrowd(1312, FIGURES);
  const state = createCrowdState(layout);
  resetCrowd(layout, state, OPENING_DENSITY, 1312);
  const opening = countOnStage(state);
  let densitySum = 0;
  const frames = Math.round(seconds * 60);
  for (let f = 0; f < frames; f++) {
    run.step(tick, 320, 180);
    stepCrowd(layout, state, tick.uniforms.dt, bank.getOutput(pace), bank.getOutput(density));
    densitySum += bank.getOutput(density);
  }
  return { density: densitySum / frames, opening, walkers: countOnStage(state) };
}

describe('crowd: default routes on recorded features', () => {
  it('a near-silent room thins the crowd (its faint tails do not fill it); the dance fixture fills it', () => {
    const quiet = replay('near-silence', 12, 20);
    const dance = replay('dance', 12, 20);
    // The base density is 0.15: silence leaves a few passers-by, the tails add little.
    expect(quiet.density, 'near-silence density').toBeLessThan(0.3);
    expect(dance.density, 'dance density').toBeGreaterThan(0.8);
    expect(quiet.walkers, `near-silence: ${quiet.opening} → ${quiet.walkers}`).toBeLessThan(quiet.opening * 0.85);
    expect(dance.walkers, `dance: ${dance.opening} → ${dance.walkers}`).toBeGreaterThan(dance.opening * 2);
    expect(quiet.walkers).toBeLessThan(0.35 * dance.walkers);
  });
});
