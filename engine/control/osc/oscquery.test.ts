import { describe, expect, it } from 'vitest';
import { toNormalized } from '../../params/index.ts';
import { COMMANDS, NORM_SUFFIX } from './address-space.ts';
import { Access, answerQuery, buildNamespace, findNode, hostInfo, listMethods } from './oscquery.ts';
import { makeFixture } from './test-fixture.ts';

const host = hostInfo({ name: 'Glassforest', oscIp: '127.0.0.1', oscPort: 57121, wsIp: '127.0.0.1', wsPort: 57131 });

describe('OSCQuery namespace', () => {
  it('describes every parameter of the bank with FULL_PATH, TYPE, RANGE, VALUE, ACCESS and DESCRIPTION', () => {
    const { bank, space } = makeFixture();
    const root = buildNamespace(space);
    const methods = listMethods(root);
    for (const d of bank.describe()) {
      const n = methods.get(d.path);
      expect(n, d.path).toBeDefined();
      expect(n!.FULL_PATH).toBe(d.path);
      expect(n!.DESCRIPTION).toBe(d.description || d.name);
      switch (d.type) {
        case 'number':
          expect(n).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: d.min, MAX: d.max }], VALUE: [d.value], ACCESS: Access.ReadWrite });
          break;
        case 'enum':
          expect(n).toMatchObject({ TYPE: 's', RANGE: [{ VALS: d.options }], VALUE: [d.value] });
          break;
        case 'boolean':
          expect(n).toMatchObject({ TYPE: 'T', VALUE: [d.value] });
          break;
        case 'color':
          expect(n).toMatchObject({ TYPE: 'fff', VALUE: d.value });
          break;
        case 'trigger':
          expect(n).toMatchObject({ TYPE: 'N', ACCESS: Access.Write });
          break;
      }
      if (d.type !== 'color') expect(methods.get(d.path + NORM_SUFFIX), d.path + NORM_SUFFIX).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: 0, MAX: 1 }] });
    }
    for (const c of COMMANDS) expect(methods.get(c.path), c.path).toMatchObject({ ACCESS: Access.Write });
    // nothing but the bank's parameters, their /norm twins and the commands
    const expected = bank.describe().length + bank.describe().filter((d) => d.type !== 'color').length + COMMANDS.length;
    expect(methods.size).toBe(expected);
  });

  it('containers list their children, and a parameter node also contains its /norm twin', () => {
    const { space } = makeFixture();
    const root = buildNamespace(space);
    expect(Object.keys(root.CONTENTS!).sort()).toEqual(['engine', 'keyframes', 'scene']);
    const speed = findNode(root, '/scene/test-all/speed')!;
    expect(speed.CONTENTS?.norm?.FULL_PATH).toBe('/scene/test-all/speed/norm');
    expect(findNode(root, '/scene/test-all')!.CONTENTS).toHaveProperty('mode');
  });

  it('shows live values when the page has reported them, normalised through the curve under /norm', () => {
    const { space, params } = makeFixture();
    const cutoff = params.findIndex((p) => p.path === '/scene/test-all/cutoff');
    const root = buildNamespace(
      space,
      (i) => (i === cutoff ? [5000, 0, 0] : null),
      (i) => (i === cutoff ? toNormalized('exp', 20, 20000, 5000) : null),
    );
    expect(findNode(root, '/scene/test-all/cutoff')!.VALUE).toEqual([5000]);
    expect(findNode(root, '/scene/test-all/cutoff/norm')!.VALUE![0]).toBeCloseTo(toNormalized('exp', 20, 20000, 5000), 6);
  });

  it('answers HOST_INFO, single paths and single attributes per the proposal', () => {
    const { space } = makeFixture();
    const root = buildNamespace(space);
    const h = answerQuery(root, '/', 'HOST_INFO', host);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ NAME: 'Glassforest', OSC_PORT: 57121, OSC_TRANSPORT: 'UDP', EXTENSIONS: { LISTEN: true, VALUE: true, RANGE: true, ACCESS: true } });
    expect(answerQuery(root, '/scene/test-all/speed', 'VALUE', host)).toEqual({ status: 200, body: { VALUE: [1] } });
    expect(answerQuery(root, '/scene/test-all/speed', 'RANGE', host)).toEqual({ status: 200, body: { RANGE: [{ MIN: 0, MAX: 4 }] } });
    expect(answerQuery(root, '/scene/test-all/speed', '', host).body).toMatchObject({ FULL_PATH: '/scene/test-all/speed' });
    expect(answerQuery(root, '/scene/test-all/nothing', '', host).status).toBe(404);
    expect(answerQuery(root, '/scene', 'VALUE', host).status).toBe(204);
    expect(answerQuery(root, '/scene/test-all/speed', 'BOGUS', host).status).toBe(400);
  });
});
