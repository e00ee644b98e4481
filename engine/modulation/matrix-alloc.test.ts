import { describe, expect, it } from 'vitest';
import { F, FEATURE_COUNT } from '../features/layout.ts';
import { ParamBank, defineParams } from '../params/index.ts';
import { bytesPerCall } from '../params/test-alloc.ts';
import { ModulationMatrix, type RouteSpec } from './index.ts';

// In a file of its own: V8's type feedback is per process, and the many small rigs of
// matrix.test.ts would otherwise decide what the JIT makes of the hot path measured here.
describe('evaluation cost', () => {
  it('allocates nothing per frame with 256 routes of every source kind', () => {
    const bank = new ParamBank();
    const m = new ModulationMatrix(bank);
    const smoothed = new Float32Array(FEATURE_COUNT);
    const inp = { onset: 0, bandOnsets: new Float32Array(3), beat: 0, beatPhase: 0, barPhase: 0, beatCount: 0, beatsPerBar: 4 };
    const names: Record<string, { type: 'number'; min: number; max: number; default: number }> = {};
    for (let i = 0; i < 64; i++) names[`p${i}`] = { type: 'number', min: 0, max: 1, default: 0.5 };
    bank.register(defineParams('/scene/many', names));
    const sources = ['centroid', 'bands3.0', 'mel.3:raw', 'onset:all', 'onset:mid:0.3', 'clock:beat', 'lfo:sine:1/4', 'lfo:sample-hold:1bar', 'lfo:square:2hz', 'const:0.2', 'ext:osc/fader', 'chroma'];
    const curves = ['linear', 'exp', 'log', 's-curve', 'steps'] as const;
    const specs: RouteSpec[] = [];
    for (let i = 0; i < 256; i++) {
      specs.push({ source: sources[i % sources.length], target: `/scene/many/p${i % 64}`, amount: 0.1, curve: curves[i % 5], attack: (i % 3) * 0.05, release: 0.1 });
    }
    expect(m.setRoutes(specs).every((r) => r.ok)).toBe(true);
    const clock = new Float64Array(1);
    const bytes = bytesPerCall((i) => {
      clock[0] += 1 / 60;
      smoothed[F.centroid] = (i & 15) / 15;
      inp.beatPhase = clock[0] % 1;
      m.evaluate(1 / 60, smoothed, smoothed, inp);
      bank.endFrame();
    }, 5_000, 3); // 256 routes per call: fewer calls than the default keep the test short
    expect(m.activeRoutes).toBe(256);
    expect(bytes).toBeLessThan(1);
  });
});
