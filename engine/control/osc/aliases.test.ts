import { describe, expect, it } from 'vitest';
import { BeatClock } from '../../clock/index.ts';
import { bytesPerCall } from '../../params/test-alloc.ts';
import { OscAddressSpace, EntryKind, NORM_SUFFIX, COMMANDS } from './address-space.ts';
import { addressProblem, argKindOf, cleanSlotAddresses, learnedAlias, validateOscAliases, MAX_ALIAS_ADDRESS, type AliasContext } from './aliases.ts';
import { OscApplier } from './apply.ts';
import { Coalescer } from './coalesce.ts';
import { OscDecoder, encodeMessage, type OscMessage } from './codec.ts';
import { coerceArgs, CoerceError } from './coerce.ts';
import { buildNamespace, listMethods } from './oscquery.ts';
import { FRAME_CONTROL, RECORD_BYTES, RECORDS_HEADER } from './wire.ts';
import { makeFixture } from './test-fixture.ts';

const CUTOFF = '/scene/test-all/cutoff'; // 20..20000 Hz, exp curve
const SPEED = '/scene/test-all/speed'; // 0..4, linear

function ctxOf(f: ReturnType<typeof makeFixture>): AliasContext {
  return {
    paramType: (p) => (f.bank.has(p) ? f.bank.declOf(f.bank.idOf(p))!.type : undefined),
    taken: (a) => f.space.resolve(a) >= 0,
  };
}

/** Decode one message (the bridge's view of a datagram). */
function decoded(address: string, args: Parameters<typeof encodeMessage>[1]): OscMessage {
  let got: OscMessage | null = null;
  const d = new OscDecoder();
  expect(d.decode(encodeMessage(address, args), (m) => (got = m))).toBe(0);
  return got!;
}

/** Bridge side (resolve + coerce + coalesce + drain) then page side (enqueue + apply), as the real path runs. */
function roundTrip(space: OscAddressSpace, bank: ReturnType<typeof makeFixture>['bank'], applier: OscApplier, messages: [string, Parameters<typeof encodeMessage>[1]][]): number[] {
  const co = new Coalescer(space.entries.length);
  const buf = new ArrayBuffer(RECORDS_HEADER + co.capacity * RECORD_BYTES);
  const v = new Float64Array(3);
  const entries: number[] = [];
  for (const [address, args] of messages) {
    const m = decoded(address, args);
    const e = space.resolve(m.address);
    entries.push(e);
    if (e < 0) continue;
    const n = coerceArgs(space, e, m, v);
    if (n < 0) continue;
    co.push(e, n, v, space.entries[e].kind === EntryKind.Slot);
  }
  const n = co.drain(new DataView(buf), FRAME_CONTROL);
  applier.enqueue(new DataView(buf, 0, RECORDS_HEADER + n * RECORD_BYTES));
  applier.applyQueued(bank, new BeatClock(), 0, 0);
  return entries;
}

describe('OSC alias validation', () => {
  it('keeps good aliases and names every bad one by field', () => {
    const f = makeFixture();
    const r = validateOscAliases(
      [
        { address: '/1/fader3', param: CUTOFF, normalized: true },
        { address: '/1/fader 4', param: SPEED },
        { address: '/1/*', param: SPEED },
        { address: '/' + 'x'.repeat(MAX_ALIAS_ADDRESS), param: SPEED },
        { address: '/1/fader5', param: '/scene/nope/speed', normalized: true },
        { address: '/1/tint', param: '/scene/test-all/tint', normalized: true },
        { address: SPEED, param: CUTOFF },
        { address: '/ext/fader', param: SPEED },
        { address: '/1/fader6', param: SPEED, normalized: 'yes' },
        'nonsense',
        { address: '/1/fader3', param: SPEED, normalized: true },
      ],
      ctxOf(f),
    );
    expect(r.aliases).toEqual([
      { address: '/1/fader6', param: SPEED, normalized: false },
      { address: '/1/fader3', param: SPEED, normalized: true },
    ]);
    const text = r.problems.join('\n');
    expect(text).toMatch(/osc\[1\]\.address: .*not a plain OSC address/);
    expect(text).toMatch(/osc\[2\]\.address/);
    expect(text).toMatch(/osc\[3\]\.address: the address is 257 characters long; at most 256/);
    expect(text).toMatch(/osc\[4\]\.param: no parameter "\/scene\/nope\/speed" here; skipped/);
    expect(text).toMatch(/osc\[5\]\.normalized: a colour has no 0\.\.1 position/);
    expect(text).toMatch(/osc\[6\]\.address: .* is already an address of the engine/);
    expect(text).toMatch(/osc\[7\]\.address: .*under \/ext\//);
    expect(text).toMatch(/osc\[8\]\.normalized: expected true or false/);
    expect(text).toMatch(/osc\[9\]: expected \{address, param, normalized\}/);
    expect(text).toMatch(/osc\[10\]\.address: "\/1\/fader3" is also an earlier alias; this later one is kept/);
    expect(validateOscAliases('x').problems[0]).toMatch(/expected a list/);
    expect(validateOscAliases({ version: 1, aliases: [{ address: '/a', param: '/b' }] }).aliases).toEqual([{ address: '/a', param: '/b', normalized: false }]);
  });

  it('learn: a fader (a number) becomes a 0..1 alias; strings, colours and huge addresses are refused with a reason', () => {
    expect(learnedAlias(CUTOFF, 'number', '/1/fader3', 'number')).toEqual({ alias: { address: '/1/fader3', param: CUTOFF, normalized: true } });
    expect(learnedAlias('/scene/test-all/flash', 'trigger', '/1/push1', 'bang')).toEqual({ alias: { address: '/1/push1', param: '/scene/test-all/flash', normalized: false } });
    expect(learnedAlias('/scene/test-all/mirror', 'boolean', '/1/toggle1', 'bool')).toEqual({ alias: { address: '/1/toggle1', param: '/scene/test-all/mirror', normalized: false } });
    expect(learnedAlias('/scene/test-all/mirror', 'boolean', '/1/toggle1', 'number')).toEqual({ alias: { address: '/1/toggle1', param: '/scene/test-all/mirror', normalized: true } });
    expect((learnedAlias(CUTOFF, 'number', '/1/label', 'string') as { problem: string }).problem).toMatch(/sent a string; an alias takes numbers/);
    expect((learnedAlias(CUTOFF, 'number', '/1/push', 'bang') as { problem: string }).problem).toMatch(/sent no value/);
    expect((learnedAlias('/scene/test-all/tint', 'color', '/1/xy', 'number') as { problem: string }).problem).toMatch(/colour/);
    expect((learnedAlias(CUTOFF, 'number', '/' + 'a'.repeat(300), 'number') as { problem: string }).problem).toMatch(/at most 256/);
    expect(addressProblem('/set/dusk')).toBeNull();
    expect(argKindOf(0, 0)).toBe('bang');
    expect(argKindOf(1, 0x66)).toBe('number');
    expect(argKindOf(1, 0x73)).toBe('string');
    expect(cleanSlotAddresses(['/set/a', null, 'bad', '/set/a', 3, '/set/b'])).toEqual(['/set/a', null, null, null, null, '/set/b']);
  });
});

describe('aliases and slot addresses in the address space', () => {
  it('come after the declared entries, resolve to their parameter, and change the hash (targets too)', () => {
    const f = makeFixture();
    const plain = new OscAddressSpace(f.params, f.sceneIds);
    expect(plain.hash).toBe(f.space.hash);
    expect(plain.baseHash).toBe(plain.hash);
    const aliases = [
      { address: '/1/fader3', param: CUTOFF, normalized: true },
      { address: '/mix/speed', param: SPEED, normalized: false },
      { address: '/1/fader9', param: '/scene/none/x', normalized: true },
      { address: COMMANDS[0].path, param: SPEED, normalized: false },
    ];
    const s = new OscAddressSpace(f.params, f.sceneIds, { aliases, slots: ['/set/dusk', null, '/1/fader3', '/set/glare'] });
    // declared entries keep their numbers
    for (let i = 0; i < plain.entries.length; i++) expect(s.entries[i]).toEqual(plain.entries[i]);
    expect(s.baseCount).toBe(plain.entries.length);
    const a = s.entries[s.resolve('/1/fader3')];
    expect(a).toMatchObject({ kind: EntryKind.Norm, param: f.bank.idOf(CUTOFF) });
    expect(s.entries[s.resolve('/mix/speed')]).toMatchObject({ kind: EntryKind.Param, param: f.bank.idOf(SPEED) });
    expect(s.resolve('/1/fader9')).toBe(-1);
    expect(s.resolve(COMMANDS[0].path)).toBe(plain.resolve(COMMANDS[0].path));
    expect(s.entries[s.resolve('/set/dusk')]).toMatchObject({ kind: EntryKind.Slot, command: 0 });
    expect(s.entries[s.resolve('/set/glare')]).toMatchObject({ kind: EntryKind.Slot, command: 3 });
    expect(s.slots).toEqual(['/set/dusk', null, null, '/set/glare']);
    expect(s.skipped.join('\n')).toMatch(/alias \/1\/fader9: no parameter/);
    expect(s.skipped.join('\n')).toMatch(/slot 3 address \/1\/fader3: the address is already in use/);
    expect(s.hash).not.toBe(plain.hash);
    expect(s.baseHash).toBe(plain.hash);
    // the same extras give the same hash (page and bridge agree); another target gives another
    expect(new OscAddressSpace(f.params, f.sceneIds, { aliases, slots: ['/set/dusk', null, '/1/fader3', '/set/glare'] }).hash).toBe(s.hash);
    const moved = aliases.map((x) => (x.address === '/mix/speed' ? { ...x, param: CUTOFF } : x));
    expect(new OscAddressSpace(f.params, f.sceneIds, { aliases: moved, slots: ['/set/dusk', null, '/1/fader3', '/set/glare'] }).hash).not.toBe(s.hash);
    expect(new OscAddressSpace(f.params, f.sceneIds, { aliases: aliases.map((x) => ({ ...x, normalized: !x.normalized })) }).hash).not.toBe(s.hash);
  });

  it('a 0..1 alias sets its parameter through the curve exactly like <path>/norm; a native alias in native units', () => {
    const f = makeFixture();
    const s = new OscAddressSpace(f.params, f.sceneIds, {
      aliases: [
        { address: '/1/fader3', param: CUTOFF, normalized: true },
        { address: '/mix/speed', param: SPEED, normalized: false },
      ],
    });
    const applier = new OscApplier();
    applier.bind(s, f.bank);
    roundTrip(s, f.bank, applier, [['/1/fader3', [0.42]], ['/mix/speed', [3.5]]]);
    const viaAlias = f.bank.getByPath(CUTOFF) as number;
    expect(f.bank.getNormalized(f.bank.idOf(CUTOFF))).toBeCloseTo(0.42, 5);
    // not a linear mapping: the exp curve is applied
    expect(Math.abs(viaAlias - (20 + (20000 - 20) * 0.42))).toBeGreaterThan(1000);
    expect(f.bank.getByPath(SPEED)).toBe(3.5);
    // the declared /norm address gives the same value
    f.bank.setByPath(CUTOFF, 1000);
    roundTrip(s, f.bank, applier, [[CUTOFF + NORM_SUFFIX, [0.42]]]);
    expect(f.bank.getByPath(CUTOFF)).toBe(viaAlias);
    // out of range: clamped as /norm does; a string: refused by coercion, nothing applied
    roundTrip(s, f.bank, applier, [['/1/fader3', [7]]]);
    expect(f.bank.getByPath(CUTOFF)).toBe(20000);
    const v = new Float64Array(3);
    expect(coerceArgs(s, s.resolve('/1/fader3'), decoded('/1/fader3', ['loud']), v)).toBe(CoerceError.WrongType);
    expect(applier.logEntry[(applier.logCount - 1) % applier.logEntry.length]).toBe(s.resolve('/1/fader3'));
  });

  it('a slot address fires its slot through the /engine/preset path on a bare message or a non-zero number, not on 0', () => {
    const f = makeFixture();
    const s = new OscAddressSpace(f.params, f.sceneIds, { slots: [null, '/set/dusk', '/set/glare'] });
    const applier = new OscApplier();
    applier.bind(s, f.bank);
    const fired: number[] = [];
    applier.onPreset = (v) => fired.push(v);
    const v = new Float64Array(3);
    const e = s.resolve('/set/dusk');
    expect(coerceArgs(s, e, decoded('/set/dusk', []), v)).toBe(1);
    expect(v[0]).toBe(1);
    expect(coerceArgs(s, e, decoded('/set/dusk', [0]), v)).toBe(1);
    expect(v[0]).toBe(0);
    expect(coerceArgs(s, e, decoded('/set/dusk', [-1]), v)).toBe(1);
    expect(v[0]).toBe(1);
    expect(coerceArgs(s, e, decoded('/set/dusk', ['go']), v)).toBe(CoerceError.WrongType);
    roundTrip(s, f.bank, applier, [['/set/dusk', []]]);
    expect(fired).toEqual([1]);
    roundTrip(s, f.bank, applier, [['/set/glare', [0]]]);
    expect(fired).toEqual([1]);
    // a press and its release in one frame still fire (slot records are events)
    roundTrip(s, f.bank, applier, [['/set/glare', [1]], ['/set/glare', [0]]]);
    expect(fired).toEqual([1, 2]);
  });

  it('applying alias and slot records allocates nothing on the frame tick', () => {
    const f = makeFixture();
    const s = new OscAddressSpace(f.params, f.sceneIds, { aliases: [{ address: '/1/fader3', param: CUTOFF, normalized: true }], slots: ['/set/a'] });
    const applier = new OscApplier();
    applier.bind(s, f.bank);
    applier.onPreset = () => {};
    const co = new Coalescer(s.entries.length);
    const buf = new ArrayBuffer(RECORDS_HEADER + co.capacity * RECORD_BYTES);
    const v = new Float64Array([0.3, 0, 0]);
    co.push(s.resolve('/1/fader3'), 1, v, false);
    v[0] = 1;
    co.push(s.resolve('/set/a'), 1, v, true);
    const n = co.drain(new DataView(buf), FRAME_CONTROL);
    const view = new DataView(buf, 0, RECORDS_HEADER + n * RECORD_BYTES);
    const clock = new BeatClock();
    const per = bytesPerCall(() => {
      applier.enqueue(view);
      applier.applyQueued(f.bank, clock, 1, 2);
    });
    expect(per).toBeLessThan(1);
  });

  it('OSCQuery lists aliases (with their parameter\'s type and range) and slot addresses', () => {
    const f = makeFixture();
    const s = new OscAddressSpace(f.params, f.sceneIds, {
      aliases: [
        { address: '/1/fader3', param: CUTOFF, normalized: true },
        { address: '/mix/speed', param: SPEED, normalized: false },
      ],
      slots: ['/set/dusk'],
    });
    const m = listMethods(buildNamespace(s));
    expect(m.get('/1/fader3')).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: 0, MAX: 1 }] });
    expect(m.get('/1/fader3')!.DESCRIPTION).toMatch(/Alias of \/scene\/test-all\/cutoff\/norm/);
    expect(m.get('/mix/speed')).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: 0, MAX: 4 }], VALUE: [1] });
    expect(m.get('/set/dusk')).toMatchObject({ TYPE: 'N', ACCESS: 2 });
    expect(m.get('/set/dusk')!.DESCRIPTION).toMatch(/slot 1/);
    expect(m.has(SPEED)).toBe(true);
  });
});
