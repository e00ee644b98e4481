import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OscDecoder, encodeBundle, encodeMessage, IMMEDIATE, FRAME_VALUES, RECORD_BYTES, RECORDS_HEADER, writeRecord, writeRecordsHeader, buildNamespace, listMethods, tidy32, OscAddressSpace, type OscMessage, type OscQueryNode } from '../engine/control/osc/index.ts';
import type { Bridge } from './bridge.ts';
import { pureDeclarations } from './namespace-source.ts';
import { connectPage, startTestBridge, udpSender, until } from './test-kit.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(over = {}) {
  const b = await startTestBridge(over);
  cleanups.push(() => b.bridge.close());
  const udp = udpSender();
  cleanups.push(() => udp.close());
  return { ...b, udp };
}

async function getJson(bridge: Bridge, path: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`http://127.0.0.1:${bridge.ports.httpPort}${path}`);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

const firstParam = () => pureDeclarations().params.find((p) => p.type === 'number')!;

describe('the bridge', () => {
  it('turns an OSC message into a control record for the page, and counts what it cannot use', async () => {
    const { bridge, udp } = await setup();
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    const p = firstParam();
    const mid = (p.min + p.max) / 2;
    await udp.send(encodeMessage(p.path, [mid]), bridge.ports.oscPort);
    await udp.send(encodeMessage(p.path + '/norm', [0.25]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/no/such/address', [1]), bridge.ports.oscPort);
    await udp.send(encodeMessage(p.path, ['loud']), bridge.ports.oscPort);
    await udp.send(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), bridge.ports.oscPort);
    await until(() => page.records.length >= 2 && bridge.stats().malformed >= 1, 5000, 'records');
    expect(page.records[0]).toMatchObject({ index: page.space.resolve(p.path), n: 1, v: [Math.fround(mid)] });
    expect(page.records[1]).toMatchObject({ index: page.space.resolve(p.path + '/norm'), v: [0.25] });
    const s = bridge.stats();
    expect(s).toMatchObject({ unknownAddress: 1, badArguments: 1, malformed: 1 });
    expect(Object.keys(s.malformedByReason)).toEqual(['address does not start with "/" or is not terminated']);
  });

  it('honours bundle time tags: a future bundle waits for its time, a past one goes at once', async () => {
    const { bridge, udp } = await setup();
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    const p = firstParam();
    const due = Date.now() + 300;
    await udp.send(encodeBundle(due, [encodeMessage(p.path, [p.max])]), bridge.ports.oscPort);
    await udp.send(encodeBundle(Date.now() - 5000, [encodeMessage(p.path + '/norm', [0.5])]), bridge.ports.oscPort);
    await udp.send(encodeBundle(IMMEDIATE, [encodeMessage('/engine/bpm', [128])]), bridge.ports.oscPort);
    await until(() => page.records.length >= 3, 5000, 'three records');
    const future = page.records.find((r) => r.index === page.space.resolve(p.path))!;
    // the scheduled one came last, and not before its time (1 ms: Date.now() resolution)
    expect(page.records.indexOf(future)).toBe(2);
    expect(future.at).toBeGreaterThanOrEqual(due - 1);
    expect(bridge.stats().scheduled).toBe(1);
  });

  it('coalesces a flood per address: the page gets the newest value, the bridge keeps answering', async () => {
    const { bridge, udp } = await setup();
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    const p = firstParam();
    const N = 30_000;
    const packets = Array.from({ length: 64 }, (_, i) => encodeMessage(p.path, [p.min + ((p.max - p.min) * i) / 64]));
    // bursts of 500 (the bridge shares this process's event loop, so it reads between bursts)
    for (let i = 0; i < N; i++) {
      udp.socket.send(packets[i % 64], bridge.ports.oscPort, '127.0.0.1');
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 1));
    }
    // loopback UDP drops what overflows the socket buffer: wait for the flood to be read, then a valid message must get through
    let seen = -1;
    await until(() => {
      const now = bridge.stats().packets;
      const still = now === seen;
      seen = now;
      return still;
    }, 10_000, 'flood to be read');
    await new Promise((r) => setTimeout(r, 20));
    await udp.send(encodeMessage(p.path, [p.max]), bridge.ports.oscPort);
    await until(() => page.records.at(-1)?.v[0] === p.max, 10_000, 'final value').catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify({ ...bridge.stats(), last: page.records.at(-1) })}`);
    });
    const s = bridge.stats();
    expect(page.records.length).toBeLessThan(s.messages);
    expect(s.coalesced).toBeGreaterThan(0);
    expect((await getJson(bridge, '/?HOST_INFO')).status).toBe(200);
  });

  it('serves the OSCQuery namespace from the pure declarations at start, then live values and LISTEN streams', async () => {
    const { bridge } = await setup();
    const d = pureDeclarations();
    const ns = await getJson(bridge, '/');
    expect(ns.status).toBe(200);
    const served = listMethods(ns.body as OscQueryNode);
    expect([...served.keys()].sort()).toEqual([...listMethods(buildNamespace(new OscAddressSpace(d.params, d.sceneIds))).keys()].sort());
    for (const q of d.params) if (q.type === 'number') expect(served.get(q.path)?.VALUE, q.path).toEqual([tidy32(q.defaults[0])]);
    const p = firstParam();
    const idx = d.params.indexOf(p);
    expect((await getJson(bridge, `${p.path}?VALUE`)).body).toEqual({ VALUE: [p.defaults[0]] });

    const listener = new WebSocket(`ws://127.0.0.1:${bridge.ports.httpPort}/`);
    cleanups.push(() => listener.close());
    const got: { address: string; value: number }[] = [];
    const dec = new OscDecoder();
    listener.on('message', (data) => dec.decode(data as Buffer, (m: OscMessage) => got.push({ address: m.address, value: m.nums[0] })));
    await new Promise((r) => listener.once('open', r));
    listener.send(JSON.stringify({ COMMAND: 'LISTEN', DATA: p.path }));

    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    const frame = new DataView(new ArrayBuffer(RECORDS_HEADER + RECORD_BYTES));
    writeRecordsHeader(frame, FRAME_VALUES, 1);
    writeRecord(frame, 0, idx, 1, p.max, 0, 0);
    await until(() => bridge.stats().listenedPaths === 1, 5000, 'LISTEN to arrive'); // it travels on another socket
    page.ws.send(new Uint8Array(frame.buffer));
    await until(() => got.length > 0, 5000, 'LISTEN value');
    expect(got[0]).toEqual({ address: p.path, value: p.max });
    expect((await getJson(bridge, `${p.path}?VALUE`)).body).toEqual({ VALUE: [p.max] });

    listener.send(JSON.stringify({ COMMAND: 'IGNORE', DATA: p.path }));
    await until(() => bridge.stats().listenedPaths === 0, 5000, 'IGNORE to arrive');
    writeRecord(frame, 0, idx, 1, p.min, 0, 0);
    page.ws.send(new Uint8Array(frame.buffer));
    await until(() => (bridge.stats().pages > 0 && JSON.stringify(bridge.namespace()).includes(`"VALUE":[${p.min}]`)), 5000, 'value update');
    expect(got.length).toBe(1);
  });

  it('forwards features out from the page to --osc-out, and drops malformed ones', async () => {
    const sink = createSocket('udp4');
    cleanups.push(() => sink.close());
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    const received: string[] = [];
    sink.on('message', (b) => new OscDecoder().decode(b, (m) => received.push(`${m.address} ${m.nums[0]}`)));
    const { bridge } = await setup({ oscOut: { host: '127.0.0.1', port: (sink.address() as AddressInfo).port } });
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    page.ws.send(encodeMessage('/glassforest/feature/loudness', [0.5]));
    page.ws.send(new Uint8Array([0x2f, 0x61, 0, 0, 0x2c])); // '/a' then a truncated tag string
    page.ws.send(encodeMessage('/glassforest/beat', [3, 120]));
    await until(() => received.length >= 2, 5000, 'forwarded OSC');
    expect(received).toEqual(['/glassforest/feature/loudness 0.5', '/glassforest/beat 3']);
    expect(bridge.stats()).toMatchObject({ oscOut: 2, oscOutMalformed: 1 });
  });

  it('security: foreign web origins are refused on loopback; LAN mode needs the token; senders can be restricted', async () => {
    const loop = await setup();
    await expect(connectPage(loop.bridge, { origin: 'http://evil.example', hello: false })).rejects.toThrow(/403/);
    const ok = await connectPage(loop.bridge, { origin: 'http://127.0.0.1:5173', hello: false });
    ok.ws.close();

    // LAN mode bound to loopback here: tests never listen beyond this machine
    const lan = await setup({ lan: true, host: '127.0.0.1', token: 'correct-horse', allowOscFrom: ['10.9.9.9'] });
    await expect(connectPage(lan.bridge, { hello: false })).rejects.toThrow(/403/);
    await expect(connectPage(lan.bridge, { token: 'wrong-token', hello: false })).rejects.toThrow(/403/);
    const page = await connectPage(lan.bridge, { token: 'correct-horse' });
    cleanups.push(() => page.ws.close());
    await lan.udp.send(encodeMessage(firstParam().path, [1]), lan.bridge.ports.oscPort);
    await until(() => lan.bridge.stats().refusedSenders === 1, 5000, 'refusal');
    expect(page.records).toEqual([]);
    expect(lan.logs.some((l) => l.includes('not in --allow-osc-from'))).toBe(true);
  });

  it('carries hardware MIDI bytes to the page as they came, with the port name', async () => {
    const { bridge } = await setup();
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    // what RtMidi hands over for a port (no ports exist on this machine, so the callback is called directly)
    const fromPort = (bridge as unknown as { onMidi(port: string, bytes: Uint8Array): void }).onMidi.bind(bridge);
    fromPort('APC40 mkII', Uint8Array.of(0x90, 53, 127));
    fromPort('APC40 mkII', Uint8Array.of(0xf0, 0x47, 0x7f, 0x29, 0xf7));
    await until(() => page.midi.length === 2, 5000, 'MIDI frames');
    expect(page.midi).toEqual([
      { port: 'APC40 mkII', bytes: [0x90, 53, 127] },
      { port: 'APC40 mkII', bytes: [0xf0, 0x47, 0x7f, 0x29, 0xf7] },
    ]);
    expect(bridge.stats().midiIn).toBe(2);
  });

  it('/ext/<name> becomes a modulation slot: the page hears the name before its first record, and late pages hear every name', async () => {
    const { bridge, udp } = await setup();
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    const order: string[] = [];
    page.ws.on('message', (d, binary) => order.push(binary ? 'records' : String((JSON.parse(String(d)) as { type: string }).type)));
    await udp.send(encodeMessage('/ext/touchosc/fader1', [0.25]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/ext/pad', [true]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/ext/pad', ['loud']), bridge.ports.oscPort);
    await until(() => page.records.length >= 2, 5000, 'ext records');
    const base = page.space.entries.length;
    expect(page.records.slice(0, 2)).toMatchObject([
      { index: base, n: 1, v: [0.25] },
      { index: base + 1, n: 1, v: [1] },
    ]);
    expect(order.indexOf('ext')).toBeLessThan(order.indexOf('records'));
    expect(page.texts.filter((t) => t.includes('"ext"')).map((t) => JSON.parse(t))).toEqual([
      { type: 'ext', slot: 0, name: 'touchosc/fader1' },
      { type: 'ext', slot: 1, name: 'pad' },
    ]);
    expect(bridge.stats().badArguments).toBe(1);
    const late = await connectPage(bridge);
    cleanups.push(() => late.ws.close());
    expect(late.texts.filter((t) => t.includes('"ext"')).length).toBe(2);
  });

  it('says once that there is no MIDI system and keeps serving', async () => {
    const { bridge, logs } = await setup();
    const midiLines = logs.filter((l) => /MIDI/.test(l));
    expect(midiLines.length).toBe(1);
    expect(bridge.midi?.available ? midiLines[0] : midiLines[0]).toMatch(bridge.midi?.available ? /^MIDI: / : /^no MIDI system/);
    expect((await getJson(bridge, '/?HOST_INFO')).status).toBe(200);
  });
});
