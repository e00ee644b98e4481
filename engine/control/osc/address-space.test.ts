import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../../params/test-alloc.ts';
import { COMMANDS, EntryKind, NORM_SUFFIX, OscAddressSpace } from './address-space.ts';
import { makeFixture } from './test-fixture.ts';

describe('OSC address space', () => {
  it('addresses every parameter of the bank at its path and at <path>/norm, plus the engine commands', () => {
    const { bank, space } = makeFixture();
    for (const d of bank.describe()) {
      const e = space.resolve(d.path);
      expect(e, d.path).toBeGreaterThanOrEqual(0);
      expect(space.entries[e]).toMatchObject({ kind: EntryKind.Param, path: d.path });
      expect(space.params[space.entries[e].param].path).toBe(d.path);
      const n = space.resolve(d.path + NORM_SUFFIX);
      expect(space.entries[n]).toMatchObject({ kind: EntryKind.Norm, param: space.entries[e].param });
    }
    for (const c of ['/engine/scene', '/engine/tap', '/engine/bpm', '/engine/nudge', '/engine/clock/tempo', '/engine/clock/phase', '/engine/clock/bar', '/engine/keyframe/blend']) {
      expect(space.entries[space.resolve(c)]?.kind, c).toBe(EntryKind.Command);
    }
    COMMANDS.forEach((c, i) => expect(c.command).toBe(i));
  });

  it('refuses near misses (no prefix or case matching)', () => {
    const { space } = makeFixture();
    for (const a of ['', '/', '/scene', '/scene/spectral-veil', '/SCENE/spectral-veil/intensity', '/scene/spectral-veil/intensity/', '/engine/tap/norm']) {
      expect(space.resolve(a), a).toBe(-1);
    }
  });

  it('two processes building from the same declarations agree (same hash); a different set does not', () => {
    const a = makeFixture();
    const b = new OscAddressSpace(a.params, a.sceneIds);
    expect(b.hash).toBe(a.space.hash);
    expect(new OscAddressSpace(a.params.slice(1), a.sceneIds).hash).not.toBe(a.space.hash);
    expect(new OscAddressSpace(a.params, [...a.sceneIds].reverse()).hash === a.space.hash).toBe(a.sceneIds.length < 2);
  });

  it('resolves an address without allocating', () => {
    const { space, params } = makeFixture();
    // the strings exist already (as the decoder's output would); the lookup itself must not allocate
    const addresses = params.map((p) => p.path);
    const out = new Int32Array(1);
    const per = bytesPerCall((i) => {
      out[0] = space.resolve(addresses[i % addresses.length]);
    });
    expect(per).toBeLessThan(1);
  });
});
