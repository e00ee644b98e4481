import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { BeatClock } from '../../engine/clock/index.ts';
import { encodeMessage } from '../../engine/control/osc/index.ts';
import { ParamBank } from '../../engine/params/index.ts';
import { SCENE_INFOS } from '../../scenes/infos.ts';
import { startTestBridge, udpSender, until } from '../../bridge/test-kit.ts';
import { BridgeClient } from './bridge-client.ts';
import { OSC_ALIASES_STORAGE_KEY, OscAliases } from './osc-aliases.ts';

function bank(): ParamBank {
  const b = new ParamBank();
  for (const s of SCENE_INFOS) b.register(s.params);
  return b;
}

/** A number parameter with a curve that is not linear (so 0..1 through the curve is checked). */
function curvedParam(b: ParamBank): string {
  const d = b.describe().find((p) => p.type === 'number' && p.curve !== 'linear' && p.max > p.min && !(p.step > 0));
  if (!d) throw new Error('no curved number parameter in the scenes');
  return d.path;
}

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the page\'s OSC aliases', () => {
  it('replace, add, remove and switch 0..1 with problems named by field; kept in storage like the MIDI mappings', () => {
    const b = bank();
    const path = curvedParam(b);
    const storage = new MemoryStorage();
    const a = new OscAliases(b, storage as unknown as Storage);
    const problems = a.set([
      { address: '/1/fader3', param: path, normalized: true },
      { address: '/1/fader4', param: '/scene/none/speed', normalized: true },
      { address: path, param: path, normalized: false },
    ]);
    expect(a.list).toEqual([{ address: '/1/fader3', param: path, normalized: true }]);
    expect(problems.join('\n')).toMatch(/osc\[1\]\.param: no parameter "\/scene\/none\/speed" here; skipped/);
    expect(problems.join('\n')).toMatch(/osc\[2\]\.address: .* is already an address of the engine/);
    expect(a.add({ address: '/mix/a', param: path, normalized: false })).toEqual([]);
    expect(a.setNormalized(1, true)).toEqual([]);
    expect(a.list.map((x) => [x.address, x.normalized])).toEqual([
      ['/1/fader3', true],
      ['/mix/a', true],
    ]);
    // a preset slot's address is taken too
    a.otherAddresses = () => [null, '/set/dusk'];
    expect(a.add({ address: '/set/dusk', param: path, normalized: true }).join('')).toMatch(/alias\[0\]\.address: "\/set\/dusk" is already an address of the engine/);
    a.remove(0);
    expect(a.list.map((x) => x.address)).toEqual(['/mix/a']);
    expect(JSON.parse(storage.getItem(OSC_ALIASES_STORAGE_KEY)!)).toEqual({ version: 1, aliases: [{ address: '/mix/a', param: path, normalized: true }] });
    // read back when the page opens, including an alias to a parameter a scene registers later
    storage.setItem(OSC_ALIASES_STORAGE_KEY, JSON.stringify({ version: 1, aliases: [{ address: '/mix/a', param: path, normalized: true }, { address: '/later', param: '/scene/later/x', normalized: true }, { address: 'bad' }] }));
    const again = new OscAliases(b, storage as unknown as Storage);
    expect(again.list.map((x) => x.address)).toEqual(['/mix/a', '/later']);
    // a learn refuses what cannot drive the parameter and says why
    const r = again.learn(path, '/1/label', 'string');
    expect('problem' in r && r.problem).toMatch(/sent a string/);
    expect(again.list.length).toBe(2);
  });
});

describe('OSC learn through a real bridge', () => {
  it('the next unknown address becomes the armed parameter\'s alias, and then moves it through its curve', async () => {
    const g = globalThis as { WebSocket?: unknown };
    const had = g.WebSocket;
    g.WebSocket ??= NodeWebSocket;
    cleanups.push(() => {
      g.WebSocket = had;
    });
    const { bridge } = await startTestBridge();
    cleanups.push(() => bridge.close());
    const udp = udpSender();
    cleanups.push(() => udp.close());
    const b = bank();
    const path = curvedParam(b);
    const client = new BridgeClient(b, SCENE_INFOS.map((s) => s.id), `ws://127.0.0.1:${bridge.ports.wsPort}`);
    client.start();
    cleanups.push(() => client.stop());
    await until(() => client.connected && bridge.stats().pages === 1, 5000, 'page connected');
    const clock = new BeatClock();
    const frame = () => client.applyInput(clock, 0, performance.now());
    const hashBefore = bridge.addressSpace.hash;

    client.learnAlias(path);
    expect(client.getStatus().oscLearn).toBe(path);
    await new Promise((r) => setTimeout(r, 50));
    // a label sends a string first: refused with a reason, learn stays armed
    await udp.send(encodeMessage('/1/label', ['Bloom']), bridge.ports.oscPort);
    await until(() => client.getStatus().oscLearnMessage !== '', 5000, 'refusal');
    expect(client.getStatus().oscLearnMessage).toMatch(/sent a string.*still listening/);
    expect(client.getStatus().oscLearn).toBe(path);
    await udp.send(encodeMessage('/1/fader3', [0.42]), bridge.ports.oscPort);
    await until(() => client.aliases.list.length === 1, 5000, 'learned alias');
    expect(client.aliases.list).toEqual([{ address: '/1/fader3', param: path, normalized: true }]);
    expect(client.getStatus()).toMatchObject({ oscLearn: '', oscLearnMessage: `Learned /1/fader3 for ${path}.` });
    // the bridge got the new space (hash changed and agrees with the page's)
    await until(() => bridge.stats().aliases === 1, 5000, 'bridge has the alias');
    expect(bridge.addressSpace.hash).not.toBe(hashBefore);
    // now the fader moves the parameter: 0..1 through its curve
    await udp.send(encodeMessage('/1/fader3', [0.25]), bridge.ports.oscPort);
    const id = b.idOf(path);
    await until(
      () => {
        frame();
        return Math.abs(b.getNormalized(id) - 0.25) < 1e-5;
      },
      5000,
      'parameter moved',
    );
    const d = b.declOf(id)!;
    expect(b.getByPath(path)).not.toBeCloseTo(d.min + (d.max - d.min) * 0.25, 3);
    // removing the alias: the address is unknown again
    client.aliases.remove(0);
    await until(() => bridge.stats().aliases === 0, 5000, 'alias removed at the bridge');
    const unknownBefore = bridge.stats().unknownAddress;
    await udp.send(encodeMessage('/1/fader3', [0.9]), bridge.ports.oscPort);
    await until(() => bridge.stats().unknownAddress === unknownBefore + 1, 5000, 'unknown again');
    frame();
    expect(b.getNormalized(id)).toBeCloseTo(0.25, 5);
  });
});
