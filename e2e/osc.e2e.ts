/**
 * OSC with real third-party clients (Debian liblo-tools): `oscsend` into the bridge changes the
 * picture in the page, `oscdump` receives the page's features and beats, the OSCQuery
 * namespace over HTTP matches the page's parameter bank, garbage does not hurt, and the page
 * finds the bridge whichever starts first.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeMessage, encodeBundle, IMMEDIATE, listMethods, type OscQueryNode } from '../engine/control/osc/index.ts';
import { grabOutput, launch, meanAbsDiff, openApp, type TestServer } from './harness.ts';
import { freeTcpPort, freeUdpPort, oscdump, oscsend, requireLiblo, startBridgeProcess, startStableServer, stats, type BridgeProcess, type Dump } from './osc-kit.ts';

let server: TestServer;
let url: string;
let browser: Browser;
let bridge: BridgeProcess | null = null;
let dump: Dump | null = null;
let page: Page;
let errors: string[];
let wsPort: number;
let dumpPort: number;

const G = () => (globalThis as any).glassforest;

const grab = grabOutput;

async function bridgePhase(p: Page): Promise<string> {
  return p.evaluate(() => (globalThis as any).glassforest.bridge.getStatus().phase as string);
}

async function waitBridge(p: Page, phase: string, timeout = 20_000): Promise<void> {
  await p.waitForFunction((ph) => (globalThis as any).glassforest?.bridge.getStatus().phase === ph, phase, { timeout, polling: 100 });
}

/** Wait until the page's bank holds `value` at `path` (applied in a frame). */
async function waitParam(p: Page, path: string, value: unknown, timeout = 10_000): Promise<void> {
  await p.waitForFunction(([pa, v]) => JSON.stringify((globalThis as any).glassforest.bank.getByPath(pa)) === JSON.stringify(v), [path, value] as const, { timeout, polling: 20 });
}

/** Let a few frames render after a change. */
async function frames(p: Page, n: number): Promise<void> {
  const f0 = await p.evaluate(() => (globalThis as any).glassforest.frames as number);
  await p.waitForFunction((f) => (globalThis as any).glassforest.frames >= f, f0 + n, { timeout: 20_000, polling: 50 });
}

beforeAll(async () => {
  requireLiblo();
  wsPort = await freeTcpPort();
  dumpPort = await freeUdpPort();
  ({ server, url } = await startStableServer());
  browser = await launch();
});

afterAll(async () => {
  dump?.stop();
  await bridge?.stop();
  await browser?.close();
  await server?.close();
});

describe('OSC through the bridge', () => {
  it('the page started first finds the bridge when it starts later', async () => {
    ({ page, errors } = await openApp(browser, url, `?source=none&bridge=${wsPort}`));
    // OSC needs only the frame loop, not audio analysis
    await page.waitForFunction(() => ((globalThis as any).glassforest?.frames ?? 0) > 10, null, { timeout: 60_000, polling: 100 });
    await waitBridge(page, 'not running');
    expect(await page.textContent('[data-testid="bridge-status"]')).toMatch(/not running/);
    dump = await oscdump(dumpPort);
    bridge = await startBridgeProcess(['--osc-port', '0', '--http-port', '0', '--ws-port', String(wsPort), '--osc-out', `127.0.0.1:${dumpPort}`]);
    expect(bridge.output.join('')).toMatch(/no MIDI system/);
    await waitBridge(page, 'connected');
    expect(await page.textContent('[data-testid="bridge-status"]')).toMatch(/connected/);
  });

  it('oscsend switches the scene and changes a parameter, and the picture changes', async () => {
    const osc = bridge!.ports.oscPort;
    oscsend(osc, '/engine/scene', 's', 'glass-forest');
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Scene"]') as HTMLSelectElement).value === 'glass-forest', null, { timeout: 10_000 });
    oscsend(osc, '/scene/glass-forest/exposure', 'f', -3);
    await waitParam(page, '/scene/glass-forest/exposure', -3);
    await frames(page, 5);
    const darkA = await grab(page);
    await frames(page, 5);
    const darkB = await grab(page);
    const drift = meanAbsDiff(darkA, darkB);
    // a double (d) through the normalised address: 1 is the top of the range (+3 EV)
    oscsend(osc, '/scene/glass-forest/exposure/norm', 'd', 1);
    await waitParam(page, '/scene/glass-forest/exposure', 3);
    await frames(page, 5);
    const bright = await grab(page);
    const change = meanAbsDiff(darkB, bright);
    expect(change, `picture change ${change.toFixed(2)}, drift ${drift.toFixed(2)}`).toBeGreaterThan(Math.max(5, drift * 3));
    // other type tags: enum by name, boolean as T/F, colour as three floats
    oscsend(osc, '/scene/glass-forest/sky', 's', 'aurora');
    oscsend(osc, '/scene/glass-forest/roots', 'F');
    oscsend(osc, '/scene/glass-forest/tint', 'fff', 1, 0, 0.5);
    await waitParam(page, '/scene/glass-forest/sky', 'aurora');
    await waitParam(page, '/scene/glass-forest/roots', false);
    await waitParam(page, '/scene/glass-forest/tint', [1, 0, 0.5]);
    // The control view's OSC monitor lists what arrived, by address, newest first.
    await page.waitForSelector('[data-testid="osc-monitor"] li[data-address="/scene/glass-forest/tint"]', { timeout: 5000 });
    const shown = await page.$$eval('[data-testid="osc-monitor"] li[data-address]', (els) => els.map((e) => (e as HTMLElement).dataset.address));
    expect(shown).toContain('/scene/glass-forest/sky');
    expect(shown).toContain('/scene/glass-forest/exposure/norm');
  });

  it('oscdump receives features and beats from the page', async () => {
    const osc = bridge!.ports.oscPort;
    // an OSC tempo leads the beat clock, so beats go out
    oscsend(osc, '/engine/bpm', 'f', 150);
    await page.waitForFunction(() => Math.abs((globalThis as any).glassforest.tick.clock.bpm - 150) < 0.5, null, { timeout: 10_000 });
    const t0 = dump!.lines.length;
    // features go out after each frame (at most 30 a second), so how long this takes depends on
    // the frame rate: software GL on a busy machine may draw the glass forest at a few frames a
    // second. Wait for the messages rather than for a fixed time.
    const count = (got: string[], what: string) => got.filter((l) => l.includes(what)).length;
    const enough = (got: string[]) =>
      count(got, ' /glassforest/feature/loudness f ') > 10 &&
      count(got, ' /glassforest/feature/bands3 fff ') > 10 &&
      count(got, ' /glassforest/beat ff ') >= 3;
    const until = Date.now() + 60_000;
    while (!enough(dump!.lines.slice(t0)) && Date.now() < until) await page.waitForTimeout(200);
    const got = dump!.lines.slice(t0);
    const features = got.filter((l) => l.includes(' /glassforest/feature/loudness f '));
    const bands = got.filter((l) => l.includes(' /glassforest/feature/bands3 fff '));
    const beats = got.filter((l) => l.includes(' /glassforest/beat ff '));
    expect(features.length, got.slice(0, 5).join('\n')).toBeGreaterThan(10);
    expect(bands.length).toBeGreaterThan(10);
    // one message per beat crossed, however many frames it takes
    expect(beats.length).toBeGreaterThanOrEqual(3);
    const bpm = Number(beats.at(-1)!.trim().split(/\s+/).at(-1));
    expect(bpm).toBeCloseTo(150, 0);
  });

  it('the OSCQuery namespace fetched over HTTP matches the page\'s parameter bank', async () => {
    const http = bridge!.ports.httpPort;
    const host = await (await fetch(`http://127.0.0.1:${http}/?HOST_INFO`)).json();
    expect(host).toMatchObject({ OSC_PORT: bridge!.ports.oscPort, OSC_TRANSPORT: 'UDP', EXTENSIONS: { LISTEN: true } });
    // values are reported by the page ten times a second
    await page.waitForTimeout(400);
    const bank = (await page.evaluate(() => (globalThis as any).glassforest.bank.describe())) as { path: string; type: string; min: number; max: number; value: unknown; options: string[] }[];
    const ns = (await (await fetch(`http://127.0.0.1:${http}/`)).json()) as OscQueryNode;
    const methods = listMethods(ns);
    expect(bank.length).toBeGreaterThan(10);
    for (const d of bank) {
      const n = methods.get(d.path);
      expect(n, d.path).toBeDefined();
      if (d.type === 'number') {
        expect(n!.RANGE, d.path).toEqual([{ MIN: d.min, MAX: d.max }]);
        expect(n!.VALUE, d.path).toEqual([d.value]);
      } else if (d.type === 'enum') expect(n!.VALUE, d.path).toEqual([d.value]);
      else if (d.type === 'boolean') expect(n!.VALUE, d.path).toEqual([d.value]);
      else if (d.type === 'color') expect(n!.VALUE, d.path).toEqual(d.value);
    }
    const one = await (await fetch(`http://127.0.0.1:${http}/scene/glass-forest/exposure?VALUE`)).json();
    expect(one).toEqual({ VALUE: [3] });
  });

  it('100,000 random and malformed packets: no crash, memory flat, and valid OSC still reaches the page', async () => {
    const osc = bridge!.ports.oscPort;
    const before = await stats(bridge!.ports.httpPort);
    const sock = createSocket('udp4');
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const good = encodeBundle(IMMEDIATE, [encodeMessage('/scene/glass-forest/haze', [0.3]), encodeMessage('/engine/nudge', [0.01])]);
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      let p: Uint8Array;
      const kind = i % 4;
      if (kind === 0) {
        p = new Uint8Array(4 + Math.floor(rand() * 120));
        for (let k = 0; k < p.length; k++) p[k] = Math.floor(rand() * 256);
      } else if (kind === 1) {
        p = good.slice();
        for (let k = 0; k < 3; k++) p[Math.floor(rand() * p.length)] = Math.floor(rand() * 256);
      } else if (kind === 2) {
        p = good.subarray(0, Math.floor(rand() * good.length));
      } else {
        p = encodeMessage(`/scene/glass-forest/${['haze', 'nope', 'sky', 'tint'][i % 16 >> 2]}`, [rand() < 0.5 ? 'x' : rand() * 1e9]);
      }
      sock.send(p, osc, '127.0.0.1');
      if (i % 250 === 249) await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 500));
    sock.close();
    const after = await stats(bridge!.ports.httpPort);
    expect(bridge!.child.exitCode).toBeNull();
    expect(after.packets - before.packets).toBeGreaterThan(N * 0.5); // loopback UDP may drop some under the burst
    expect(after.malformed - before.malformed).toBeGreaterThan(N * 0.2);
    const growthMb = (after.rssBytes - before.rssBytes) / 1e6;
    console.log(`bad input: ${after.packets - before.packets} of ${N} packets read, ${after.malformed - before.malformed} malformed, ${after.unknownAddress - before.unknownAddress} unknown addresses, ${after.badArguments - before.badArguments} bad arguments; bridge RSS ${(before.rssBytes / 1e6).toFixed(0)} -> ${(after.rssBytes / 1e6).toFixed(0)} MB, heap ${(before.heapUsedBytes / 1e6).toFixed(0)} -> ${(after.heapUsedBytes / 1e6).toFixed(0)} MB`);
    expect(growthMb, `bridge RSS grew ${growthMb.toFixed(1)} MB`).toBeLessThan(40);
    oscsend(osc, '/scene/glass-forest/glow', 'f', 1.75);
    await waitParam(page, '/scene/glass-forest/glow', 1.75);
    expect(await bridgePhase(page)).toBe('connected');
    // The bridge summarises problems every 5 s rather than per packet: wait for that summary.
    const reportBy = Date.now() + 8000;
    while (!/malformed packet\(s\) ignored/.test(bridge!.output.join('')) && Date.now() < reportBy) await new Promise((r) => setTimeout(r, 100));
    expect(bridge!.output.join('')).toMatch(/malformed packet\(s\) ignored/);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('when the bridge restarts, the page reconnects and OSC flows again', async () => {
    await bridge!.stop();
    await waitBridge(page, 'not running');
    bridge = await startBridgeProcess(['--osc-port', '0', '--http-port', '0', '--ws-port', String(wsPort), '--osc-out', 'none']);
    await waitBridge(page, 'connected');
    oscsend(bridge.ports.oscPort, '/scene/glass-forest/glow', 'f', 0.25);
    await waitParam(page, '/scene/glass-forest/glow', 0.25);
    expect(errors).toEqual([]);
  });

  it('OSC learn in the panel: a controller address becomes an alias that moves its parameter through its curve', async () => {
    // A page of its own on the lightest scene (this test reads no pixels); the glass forest's page
    // goes, so only one page tells the bridge its aliases.
    await page.context().close();
    const p2 = await openApp(browser, url, `?source=none&bridge=${wsPort}&dpr=0.25&scene=spectral-veil`);
    page = p2.page;
    errors = p2.errors;
    await page.waitForFunction(() => ((globalThis as any).glassforest?.frames ?? 0) > 2, null, { timeout: 60_000, polling: 100 });
    await waitBridge(page, 'connected');
    const osc = bridge!.ports.oscPort;
    // A number parameter with a curve (so 0..1 through the curve differs from a straight line) and no step.
    const target = await page.evaluate(() => {
      const d = (globalThis as any).glassforest.bank.describe() as { path: string; type: string; curve: string; step: number; min: number; max: number }[];
      return d.find((x) => x.type === 'number' && x.curve !== 'linear' && !(x.step > 0) && x.max > x.min)!;
    });
    expect(target).toBeDefined();
    const norm = () => page.evaluate((path) => { const b = (globalThis as any).glassforest.bank; return b.getNormalized(b.idOf(path)) as number; }, target.path);
    const before = await norm();
    await page.click('[data-testid="osc-learn"]');
    await page.click(`[data-testid="osc-param"][data-path="${target.path}"]`);
    await page.waitForFunction((path) => (globalThis as any).glassforest.bridge.getStatus().oscLearn === path, target.path, { timeout: 5000 });
    oscsend(osc, '/1/fader3', 'f', 0.42);
    const alias = `[data-testid="osc-alias"][data-address="/1/fader3"]`;
    await page.waitForSelector(alias, { timeout: 10_000 });
    expect(await page.getAttribute(alias, 'data-param')).toBe(target.path);
    expect(await page.textContent('[data-testid="osc-learn-message"]')).toMatch(/Learned \/1\/fader3/);
    expect(await norm()).toBeCloseTo(before, 6); // the learning message itself moved nothing
    // The bridge serves the alias (OSCQuery), then the fader moves the parameter: 0..1 through its curve.
    const ns = listMethods((await (await fetch(`http://127.0.0.1:${bridge!.ports.httpPort}/`)).json()) as OscQueryNode);
    expect(ns.get('/1/fader3')).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: 0, MAX: 1 }] });
    oscsend(osc, '/1/fader3', 'f', 0.25);
    await page.waitForFunction((path) => { const b = (globalThis as any).glassforest.bank; return Math.abs(b.getNormalized(b.idOf(path)) - 0.25) < 1e-5; }, target.path, { timeout: 10_000, polling: 20 });
    const value = (await page.evaluate((path) => (globalThis as any).glassforest.bank.getByPath(path), target.path)) as number;
    expect(Math.abs(value - (target.min + (target.max - target.min) * 0.25))).toBeGreaterThan((target.max - target.min) * 1e-3);
    await page.waitForSelector('[data-testid="osc-monitor"] li[data-address="/1/fader3"]', { timeout: 5000 });
    // A string to the alias is refused by the bridge and changes nothing; the stream goes on.
    oscsend(osc, '/1/fader3', 's', 'loud');
    oscsend(osc, '/1/fader3', 'f', 1);
    await page.waitForFunction((path) => { const b = (globalThis as any).glassforest.bank; return Math.abs(b.getNormalized(b.idOf(path)) - 1) < 1e-5; }, target.path, { timeout: 10_000, polling: 20 });
    expect((await stats(bridge!.ports.httpPort)).badArguments).toBeGreaterThanOrEqual(1);
    // Removed in the panel: the address is unknown again.
    await page.click(`${alias} [data-testid="osc-alias-delete"]`);
    await page.waitForFunction(() => (globalThis as any).glassforest.bridge.aliases.list.length === 0, null, { timeout: 5000 });
    const unknown = (await stats(bridge!.ports.httpPort)).unknownAddress;
    const until = Date.now() + 5000;
    while ((await stats(bridge!.ports.httpPort)).aliases !== 0 && Date.now() < until) await page.waitForTimeout(50);
    oscsend(osc, '/1/fader3', 'f', 0.1);
    while ((await stats(bridge!.ports.httpPort)).unknownAddress === unknown && Date.now() < until) await page.waitForTimeout(50);
    expect((await stats(bridge!.ports.httpPort)).unknownAddress).toBe(unknown + 1);
    await frames(page, 3);
    expect(await norm()).toBeCloseTo(1, 5);
    expect(errors).toEqual([]);
  });
});
