import { describe, expect, it } from 'vitest';
import { BeatClock } from '../clock/index.ts';
import { F, FEATURE_COUNT } from '../features/layout.ts';
import { ParamBank, defineParams } from '../params/index.ts';
import { ModulationMatrix, checkRoute, parseSource, type ModulationInputs, type RouteSpec } from './index.ts';

interface Inputs extends ModulationInputs {
  meter?: number;
  onset: number;
  bandOnsets: Float32Array;
  beat: number;
  beatPhase: number;
  barPhase: number;
  beatCount: number;
  beatsPerBar: number;
}

function inputs(): Inputs {
  return { onset: 0, bandOnsets: new Float32Array(3), beat: 0, beatPhase: 0, barPhase: 0, beatCount: 0, beatsPerBar: 4 };
}

function rig() {
  const bank = new ParamBank();
  const ids = bank.register(
    defineParams('/scene/t', {
      a: { type: 'number', min: 0, max: 1, default: 0 },
      b: { type: 'number', min: 0, max: 10, default: 5 },
      hz: { type: 'number', min: 20, max: 20000, default: 20, curve: 'exp' },
      tint: { type: 'color', default: '#336699' },
      mode: { type: 'enum', options: ['one', 'two', 'three', 'four'], default: 'one' },
      on: { type: 'boolean', default: false },
      flash: { type: 'trigger' },
    }),
  );
  const m = new ModulationMatrix(bank);
  const smoothed = new Float32Array(FEATURE_COUNT);
  const normalized = new Float32Array(FEATURE_COUNT);
  const inp = inputs();
  /** One frame: modulation then endFrame, as the tick does. */
  const frame = (dt: number) => {
    m.evaluate(dt, smoothed, normalized, inp);
    bank.endFrame();
  };
  return { bank, ids, m, smoothed, normalized, inp, frame };
}

/** Output of /scene/t/a for a constant source through one route. */
function shaped(route: Partial<RouteSpec>, x: number): number {
  const { bank, ids, m, frame } = rig();
  const r = m.add({ source: `const:${x}`, target: '/scene/t/a', amount: 1, ...route });
  expect(r.problems).toEqual([]);
  frame(1 / 60);
  return bank.getOutput(ids.a);
}

describe('route curves', () => {
  it('linear passes the source, exp stays low, log rises early, s-curve eases both ends', () => {
    expect(shaped({}, 0.3)).toBeCloseTo(0.3, 6);
    const exp = shaped({ curve: 'exp' }, 0.5);
    const log = shaped({ curve: 'log' }, 0.5);
    expect(exp).toBeLessThan(0.25);
    expect(log).toBeGreaterThan(0.75);
    expect(exp + log).toBeCloseTo(1, 5); // log mirrors exp
    expect(shaped({ curve: 's-curve' }, 0.1)).toBeLessThan(0.1);
    expect(shaped({ curve: 's-curve' }, 0.9)).toBeGreaterThan(0.9);
    expect(shaped({ curve: 's-curve' }, 0.5)).toBeCloseTo(0.5, 6);
    for (const c of ['exp', 'log', 's-curve'] as const) {
      expect(shaped({ curve: c }, 0)).toBeCloseTo(0, 6);
      expect(shaped({ curve: c }, 1)).toBeCloseTo(1, 6);
    }
  });

  it('steps quantises to N evenly spaced levels including both ends', () => {
    const levels = [0, 0.1, 0.26, 0.49, 0.5, 0.74, 0.76, 0.99, 1].map((x) => shaped({ curve: 'steps', steps: 4 }, x));
    const third = 1 / 3;
    expect(levels.map((v) => Math.round(v * 3) / 3)).toEqual([0, 0, third, third, 2 * third, 2 * third, 1, 1, 1]);
    for (const v of levels) expect(v * 3).toBeCloseTo(Math.round(v * 3), 5);
  });

  it('invert, offset and amount shape the contribution; clamp keeps over-range sources in 0..1', () => {
    expect(shaped({ invert: true }, 0.2)).toBeCloseTo(0.8, 6);
    expect(shaped({ amount: 0.5, offset: 0.1 }, 0.6)).toBeCloseTo(0.4, 6);
    // const:3 clamps to 1 then halves; unclamped it would reach 1.5 and clamp at the range
    expect(shaped({ amount: 0.5 }, 3)).toBeCloseTo(0.5, 6);
    expect(shaped({ amount: 0.5, clamp: false }, 3)).toBeCloseTo(1, 6);
    expect(shaped({ amount: 0.25, clamp: false }, 3)).toBeCloseTo(0.75, 6);
  });
});

describe('sum and clamp on the parameter', () => {
  it('adds routes on the normalised scale on top of the performer base, clamps to the range, and never writes the base', () => {
    const { bank, ids, m, frame } = rig();
    bank.set(ids.b, 4); // performer: 0.4 of 0..10
    m.add({ source: 'const:1', target: '/scene/t/b', amount: 0.2 });
    const k2 = m.add({ source: 'const:1', target: '/scene/t/b', amount: 0.1 }).key;
    frame(1 / 60);
    expect(bank.getOutput(ids.b)).toBeCloseTo(7, 4);
    expect(bank.get(ids.b)).toBe(4);
    m.update(k2, { amount: 0.9 });
    frame(1 / 60);
    expect(bank.getOutput(ids.b)).toBe(10);
    m.update(k2, { amount: -2 });
    frame(1 / 60);
    expect(bank.getOutput(ids.b)).toBe(0);
    // the performer moves the knob: modulation follows the new base
    m.update(k2, { amount: 0 });
    bank.set(ids.b, 1);
    frame(1 / 60);
    expect(bank.getOutput(ids.b)).toBeCloseTo(3, 4);
    // no routes left: output mirrors the base again
    m.setRoutes([]);
    frame(1 / 60);
    expect(bank.getOutput(ids.b)).toBe(1);
  });

  it('modulates through the parameter curve (an exp Hz knob moves geometrically)', () => {
    const { bank, ids, m, frame } = rig();
    bank.setNormalized(ids.hz, 0.25);
    m.add({ source: 'const:1', target: '/scene/t/hz', amount: 0.25 });
    frame(1 / 60);
    // 20..20000 Hz exp: 0.5 of the travel is the geometric middle, 632 Hz
    expect(bank.getOutput(ids.hz)).toBeCloseTo(Math.sqrt(20 * 20000), 0);
  });

  it('modulates colour components, enums and booleans; refuses triggers; waits for unregistered targets', () => {
    const { bank, ids, m, frame } = rig();
    m.setRoutes([
      { source: 'const:1', target: '/scene/t/tint.r', amount: 1 },
      { source: 'const:1', target: '/scene/t/tint', amount: -0.2 },
      { source: 'const:0.7', target: '/scene/t/mode', amount: 1 },
      { source: 'const:0.6', target: '/scene/t/on', amount: 1 },
      { source: 'const:1', target: '/scene/t/flash', amount: 1 },
      { source: 'const:1', target: '/scene/later/x', amount: 0.5 },
    ]);
    frame(1 / 60);
    const c = [0, 0, 0];
    bank.getOutputColor(ids.tint, c);
    expect(c[0]).toBeCloseTo(1, 5); // base 0.2 + 1 - 0.2
    expect(c[1]).toBeCloseTo(0.4 - 0.2, 5);
    expect(c[2]).toBeCloseTo(0.6 - 0.2, 5);
    expect(bank.getOutput(ids.mode)).toBe(2);
    expect(bank.getOutput(ids.on)).toBe(1);
    expect(bank.getOutput(ids.flash)).toBe(0);
    const st = m.status();
    expect(st[4].active).toBe(false);
    expect(st[4].message).toMatch(/trigger/);
    expect(st[5].active).toBe(false);
    expect(st[5].message).toMatch(/no parameter \/scene\/later\/x/);
    // the scene mounts: the waiting route takes effect with no edit
    const later = bank.register(defineParams('/scene/later', { x: { type: 'number', min: 0, max: 1, default: 0.25 } }));
    frame(1 / 60);
    expect(bank.getOutput(later.x)).toBeCloseTo(0.75, 6);
  });

  it('routes a feature, an onset envelope, the beat clock and an external slot', () => {
    const { bank, ids, m, smoothed, normalized, inp, frame } = rig();
    m.setRoutes([
      { source: 'centroid', target: '/scene/t/a', amount: 1 },
      { source: 'bands3.0:raw', target: '/scene/t/b', amount: 0.5 },
      { source: 'onset:high', target: '/scene/t/tint.g', amount: 1 },
      { source: 'clock:bar-phase', target: '/scene/t/tint.b', amount: 1 },
      { source: 'ext:midi/cc/1', target: '/scene/t/hz', amount: 1 },
    ]);
    smoothed[F.centroid] = 0.42;
    normalized[F.bands3] = 0.8;
    inp.bandOnsets[2] = 0.3;
    inp.barPhase = 0.125;
    m.setExternal(m.externalSlot('midi/cc/1'), 1);
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBeCloseTo(0.42, 6);
    expect(bank.getOutput(ids.b)).toBeCloseTo(9, 5);
    const c = [0, 0, 0];
    bank.getOutputColor(ids.tint, c);
    expect(c[1]).toBeCloseTo(0.4 + 0.3, 5);
    expect(c[2]).toBeCloseTo(0.6 + 0.125, 5);
    expect(bank.getOutput(ids.hz)).toBe(20000);
  });
});

describe('source names scene authors use', () => {
  it('reads onset, onset.low, beat, beatPhase, barPhase and chroma as the derived sources, feature:<column> as the columns', () => {
    const { bank, m, smoothed, inp, frame } = rig();
    const names = ['onsetAll', 'onsetLow', 'beat', 'beatPhase', 'barPhase', 'chroma', 'flag', 'rawPhase'];
    const decl: Record<string, { type: 'number'; min: number; max: number; default: number }> = {};
    for (const n of names) decl[n] = { type: 'number', min: 0, max: 1, default: 0 };
    const ids = bank.register(defineParams('/scene/alias', decl));
    const res = m.setRoutes(
      ['onset', 'onset.low', 'beat', 'beatPhase', 'barPhase', 'chroma', 'feature:onset', 'feature:beatPhase'].map((source, i) => ({ source, target: `/scene/alias/${names[i]}`, amount: 1 })),
    );
    expect(res.every((r) => r.ok)).toBe(true);
    inp.onset = 0.9;
    inp.bandOnsets[0] = 0.4;
    inp.beat = 0.7;
    inp.beatPhase = 0.3;
    inp.barPhase = 0.6;
    smoothed[F.onset] = 0.05;
    smoothed[F.beatPhase] = 0.55;
    smoothed[F.chroma + 7] = 1; // G alone: one step round the circle of fifths
    frame(1 / 60);
    const got = Object.fromEntries(names.map((n) => [n, Number(bank.getOutput(ids[n]).toFixed(4))]));
    expect(got).toEqual({ onsetAll: 0.9, onsetLow: 0.4, beat: 0.7, beatPhase: 0.3, barPhase: 0.6, chroma: Number((1 / 12).toFixed(4)), flag: 0.05, rawPhase: 0.55 });
    // silence keeps the last hue rather than jumping to red
    smoothed[F.chroma + 7] = 0;
    frame(1 / 60);
    expect(bank.getOutput(ids.chroma)).toBeCloseTo(1 / 12, 4);
  });
});

describe('the absolute level source', () => {
  it('loudness:dbfs reads the fixed-scale meter, not the adaptive loudness column; 0 when the inputs carry none', () => {
    expect(parseSource('loudness:dbfs')).toMatchObject({ ok: true, source: { id: 'loudness:dbfs' } });
    expect(parseSource('feature:loudness:dbfs')).toMatchObject({ ok: true, source: { id: 'loudness:dbfs' } });
    expect(parseSource('centroid:dbfs').ok).toBe(false);
    const { bank, ids, m, smoothed, normalized, inp, frame } = rig();
    expect(m.setRoutes([
      { source: 'loudness:dbfs', target: '/scene/t/a', amount: 1 },
      { source: 'loudness', target: '/scene/t/b', amount: 0.5 },
    ]).every((r) => r.ok)).toBe(true);
    // A near-silent room the normaliser has adapted to: its faint tail reads loud on the adaptive
    // column, low on the meter.
    smoothed[F.loudness] = 0.9;
    normalized[F.loudness] = 0.9;
    inp.meter = 0.1;
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBeCloseTo(0.1, 6);
    expect(bank.getOutput(ids.b)).toBeCloseTo(5 + 0.9 * 0.5 * 10, 4);
    inp.meter = 0.85;
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBeCloseTo(0.85, 6);
    delete inp.meter;
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBe(0);
    inp.meter = Number.NaN;
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBe(0);
  });
});

describe('smoothing and decays are frame-rate independent', () => {
  function stepResponse(fps: number, route: Partial<RouteSpec>, seconds: number[]): number[] {
    const { bank, ids, m, frame } = rig();
    m.add({ source: 'ext:x', target: '/scene/t/a', amount: 1, ...route });
    const slot = m.externalSlot('x');
    frame(1 / fps); // primed at 0
    const out: number[] = [];
    let t = 0;
    let p = 0;
    for (let k = 1; p < seconds.length; k++) {
      // Up for the first second, down after.
      m.setExternal(slot, t < 1 - 1e-9 ? 1 : 0);
      frame(1 / fps);
      t = k / fps;
      if (Math.abs(t - seconds[p]) < 1e-9) {
        out.push(bank.getOutput(ids.a));
        p++;
      }
    }
    return out;
  }

  it('attack and release give the same curve at 30, 60 and 144 fps', () => {
    const probes = [0.5, 1, 1.5, 2];
    const r = { attack: 0.3, release: 0.6 };
    const [a, b, c] = [30, 60, 144].map((fps) => stepResponse(fps, r, probes));
    for (let i = 0; i < probes.length; i++) {
      expect(b[i]).toBeCloseTo(a[i], 5);
      expect(c[i]).toBeCloseTo(a[i], 5);
    }
    // and it is the exponential it claims to be
    expect(a[0]).toBeCloseTo(1 - Math.exp(-0.5 / 0.3), 5);
    expect(a[2]).toBeCloseTo(a[1] * Math.exp(-0.5 / 0.6), 5);
  });

  it('an onset envelope with a longer decay holds the peak and halves per half-life at any frame rate', () => {
    const got = [30, 60, 144].map((fps) => {
      const { bank, ids, m, inp, frame } = rig();
      m.add({ source: 'onset:low:0.5', target: '/scene/t/a', amount: 1 });
      const out: number[] = [];
      for (let k = 0; k <= fps * 2; k++) {
        inp.bandOnsets[0] = k === 0 ? 1 : 0; // one hit, then the analysed envelope is gone
        frame(k === 0 ? 0 : 1 / fps);
        if (k % (fps / 2) === 0) out.push(bank.getOutput(ids.a));
      }
      return out;
    });
    expect(got[0]).toEqual(got[0].map((_, i) => expect.closeTo(0.5 ** i, 5)));
    expect(got[1].map((v) => v.toFixed(5))).toEqual(got[0].map((v) => v.toFixed(5)));
    expect(got[2].slice(0, 4).map((v) => v.toFixed(5))).toEqual(got[0].slice(0, 4).map((v) => v.toFixed(5)));
  });
});

describe('tempo-synced LFOs', () => {
  /** Drive a real beat clock through a tempo ramp and sample LFO routes each frame. */
  function ride(fps: number, routes: RouteSpec[], tempoAt: (t: number) => number, seconds: number) {
    const { bank, m, inp, frame } = rig();
    const ids = bank.register(defineParams('/scene/lfo', { a: { type: 'number', min: 0, max: 1, default: 0 }, b: { type: 'number', min: 0, max: 1, default: 0 }, c: { type: 'number', min: 0, max: 1, default: 0 } }));
    m.setRoutes(routes);
    const clock = new BeatClock();
    const rows: { t: number; pos: number; bar: number; a: number; b: number; c: number }[] = [];
    for (let k = 0; k <= seconds * fps; k++) {
      const t = k / fps;
      clock.setTempo(tempoAt(t), t);
      clock.update(t);
      inp.beatPhase = clock.beatPhase;
      inp.beatCount = clock.beatCount;
      inp.barPhase = clock.barPhase;
      inp.beatsPerBar = clock.beatsPerBar;
      frame(k === 0 ? 0 : 1 / fps);
      rows.push({ t, pos: clock.position, bar: clock.barPhase, a: bank.getOutput(ids.a), b: bank.getOutput(ids.b), c: bank.getOutput(ids.c) });
    }
    return rows;
  }

  it('stays locked to the beat count and phase while the tempo ramps and jumps', () => {
    const tempo = (t: number) => (t < 4 ? 120 : t < 8 ? 120 + (t - 4) * 10 : 90);
    const rows = ride(60, [
      { source: 'lfo:saw:1/4', target: '/scene/lfo/a', amount: 1 },
      { source: 'lfo:saw:1/16', target: '/scene/lfo/b', amount: 1 },
      { source: 'lfo:saw:2bars', target: '/scene/lfo/c', amount: 1 },
    ], tempo, 12);
    let maxJump = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const frac = (x: number) => x - Math.floor(x);
      expect(r.a).toBeCloseTo(frac(r.pos), 4); // one cycle per beat, zero on the beat
      expect(r.b).toBeCloseTo(frac(r.pos * 4), 3);
      // two bars: the bar LFO's phase within each bar matches the clock's bar phase
      expect(frac(r.c * 2)).toBeCloseTo(r.bar, 4);
      if (i > 0) {
        // continuous: the phase moves by the beats travelled this frame, never jumps
        const travelled = rows[i].pos - rows[i - 1].pos;
        let d = r.a - rows[i - 1].a;
        d -= Math.round(d);
        maxJump = Math.max(maxJump, Math.abs(d - travelled));
      }
    }
    expect(maxJump).toBeLessThan(1e-4);
    // the tempo really moved: beats per second at the end differ from the start
    const early = rows[60].pos - rows[0].pos;
    const late = rows[rows.length - 1].pos - rows[rows.length - 61].pos;
    expect(early).toBeCloseTo(2, 2);
    expect(late).toBeCloseTo(1.5, 2);
  });

  it('draws each shape from the beat: sine and triangle 0 on the beat and 1 half-way, square high then low', () => {
    const { bank, m, inp, frame } = rig();
    const ids = bank.register(defineParams('/scene/shape', { sine: { type: 'number', min: 0, max: 1, default: 0 }, tri: { type: 'number', min: 0, max: 1, default: 0 }, sq: { type: 'number', min: 0, max: 1, default: 0 }, late: { type: 'number', min: 0, max: 1, default: 0 } }));
    m.setRoutes([
      { source: 'lfo:sine:1/4', target: '/scene/shape/sine', amount: 1 },
      { source: 'lfo:triangle:1/4', target: '/scene/shape/tri', amount: 1 },
      { source: 'lfo:square:1/4', target: '/scene/shape/sq', amount: 1 },
      { source: 'lfo:saw:1/4:0.25', target: '/scene/shape/late', amount: 1 },
    ]);
    const at = (beatCount: number, beatPhase: number) => {
      inp.beatCount = beatCount;
      inp.beatPhase = beatPhase;
      frame(1 / 60);
      return [ids.sine, ids.tri, ids.sq, ids.late].map((id) => Number(bank.getOutput(id).toFixed(4)));
    };
    expect(at(7, 0)).toEqual([0, 0, 1, 0.25]);
    expect(at(7, 0.25)).toEqual([0.5, 0.5, 1, 0.5]);
    expect(at(7, 0.5)).toEqual([1, 1, 0, 0.75]);
    expect(at(7, 0.75)).toEqual([0.5, 0.5, 0, 0]);
  });

  it('gives the same values at 30, 60 and 144 fps at the same times, sample-and-hold included', () => {
    const routes: RouteSpec[] = [
      { source: 'lfo:sine:1/2', target: '/scene/lfo/a', amount: 1 },
      { source: 'lfo:sample-hold:1/8', target: '/scene/lfo/b', amount: 1 },
      { source: 'lfo:triangle:0.7hz:0.25', target: '/scene/lfo/c', amount: 1 },
    ];
    const tempo = (t: number) => (t < 2 ? 128 : 100);
    const at = (rows: ReturnType<typeof ride>, t: number) => rows.find((r) => Math.abs(r.t - t) < 1e-9)!;
    const runs = [30, 60, 144].map((fps) => ride(fps, routes, tempo, 5));
    for (const t of [0.5, 1, 2.5, 3, 4, 5]) {
      const ref = at(runs[0], t);
      for (const run of runs.slice(1)) {
        const r = at(run, t);
        expect(r.a).toBeCloseTo(ref.a, 3);
        expect(r.b).toBeCloseTo(ref.b, 6);
        expect(r.c).toBeCloseTo(ref.c, 6);
      }
    }
    // sample-and-hold changes on eighth notes and holds between them
    const r60 = runs[1];
    const distinct = new Set(r60.map((r) => r.b.toFixed(6)));
    expect(distinct.size).toBeGreaterThan(10);
  });
});

describe('route specs from presets', () => {
  it('turns invalid specs into per-field messages and skips them, keeping the valid ones', () => {
    const { m } = rig();
    const res = m.setRoutes([
      { source: 'centroid', target: '/scene/t/a', amount: 0.5 },
      { source: 'centriod', target: '/scene/t/a', amount: 0.5 },
      { source: 'lfo:sine:3/7', target: 'scene t', amount: 'lots' },
      { source: 'const:1', target: '/scene/t/a', amount: 1, curve: 'wobbly', steps: 1, attack: -1, invert: 'yes' },
      null,
      42,
      { source: 'lfo:square:1bar', target: '/scene/t/b', amount: 0.2, amout: 3 },
    ]);
    expect(res.map((r) => r.ok)).toEqual([true, false, false, false, false, false, true]);
    expect(res[1].problems).toEqual([{ field: 'source', message: expect.stringMatching(/unknown source "centriod" \(did you mean centroid/) }]);
    expect(res[2].problems.map((p) => p.field).sort()).toEqual(['amount', 'source', 'target']);
    expect(res[2].problems.find((p) => p.field === 'source')!.message).toMatch(/unknown rate "3\/7"/);
    expect(res[3].problems.map((p) => p.field).sort()).toEqual(['attack', 'curve', 'invert', 'steps']);
    expect(res[4].problems[0].message).toMatch(/must be an object/);
    expect(res[6].warnings).toEqual([{ field: 'amout', message: expect.stringMatching(/unknown field "amout"/) }]);
    expect(m.count).toBe(2);
    expect(() => m.setRoutes('nope' as unknown)).not.toThrow();
  });

  it('fills defaults and round-trips through JSON', () => {
    const c = checkRoute({ source: 'onset:low', target: '/scene/t/a', amount: 0.3 });
    expect(c.ok && c.route).toEqual({ source: 'onset:low', target: '/scene/t/a', amount: 0.3, offset: 0, curve: 'linear', steps: 4, attack: 0, release: 0, invert: false, clamp: true, enabled: true });
    const { m } = rig();
    m.setRoutes([{ source: 'lfo:saw:1/8d', target: '/scene/t/a', amount: -0.4, curve: 'steps', steps: 8, release: 0.2 }]);
    const saved = JSON.parse(JSON.stringify(m.specs()));
    const { m: m2 } = rig();
    expect(m2.setRoutes(saved).every((r) => r.ok)).toBe(true);
    expect(m2.specs()).toEqual(m.specs());
  });

  it('a disabled route contributes nothing; editing keeps smoothing state', () => {
    const { bank, ids, m, frame } = rig();
    const k = m.add({ source: 'const:1', target: '/scene/t/a', amount: 0.5, enabled: false }).key;
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBe(0);
    m.update(k, { enabled: true });
    frame(1 / 60);
    expect(bank.getOutput(ids.a)).toBeCloseTo(0.5, 6);
    expect(m.update(k, { amount: Number.NaN }).ok).toBe(false);
    expect(m.specs()[0].amount).toBe(0.5);
    expect(m.remove(k)).toBe(true);
    expect(m.remove(k)).toBe(false);
  });
});
