import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OscDecoder, encodeBundle, encodeMessage, EntryKind, LEARN_REPORTS, IMMEDIATE, FRAME_VALUES, RECORD_BYTES, RECORDS_HEADER, writeRecord, writeRecordsHeader, buildNamespace, listMethods, tidy32, OscAddressSpace, type OscMessage, type OscQueryNode } from '../engine/control/osc/index.ts';
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

describe('controller aliases, preset slot addresses and OSC learn in the bridge', () => {
  const extras = () => {
    const p = firstParam();
    return { p, extras: { aliases: [{ address: '/1/fader3', param: p.path, normalized: true }, { address: '/mix/raw', param: p.path, normalized: false }], slots: [null, '/set/dusk'] } };
  };

  it('resolves an alias into its parameter\'s record (0..1 as /norm, native as the path), refuses bad arguments, and serves it in OSCQuery', async () => {
    const { bridge, udp } = await setup();
    const { p, extras: x } = extras();
    const page = await connectPage(bridge, { extras: x });
    cleanups.push(() => page.ws.close());
    const ready = page.texts.map((t) => JSON.parse(t)).find((m) => m.type === 'ready');
    expect(ready).toMatchObject({ hash: page.space.hash, aliases: 2, slots: 1 });
    expect(page.space.hash).not.toBe(new OscAddressSpace(pureDeclarations().params, pureDeclarations().sceneIds).hash);
    expect(bridge.addressSpace.hash).toBe(page.space.hash);
    await udp.send(encodeMessage('/1/fader3', [0.42]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/1/fader3', ['loud']), bridge.ports.oscPort);
    await udp.send(encodeMessage('/mix/raw', [p.max]), bridge.ports.oscPort);
    await until(() => page.records.length >= 2, 5000, 'alias records');
    const alias = page.space.resolve('/1/fader3');
    expect(page.space.entries[alias]).toMatchObject({ kind: EntryKind.Norm, param: page.space.entries[page.space.resolve(p.path)].param });
    expect(page.records[0]).toMatchObject({ index: alias, n: 1, v: [Math.fround(0.42)] });
    expect(page.records[1]).toMatchObject({ index: page.space.resolve('/mix/raw'), n: 1, v: [Math.fround(p.max)] });
    expect(bridge.stats()).toMatchObject({ badArguments: 1, unknownAddress: 0, aliases: 2, slotAddresses: 1 });
    const methods = listMethods((await getJson(bridge, '/')).body as OscQueryNode);
    expect(methods.get('/1/fader3')).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: 0, MAX: 1 }] });
    expect(methods.get('/mix/raw')).toMatchObject({ RANGE: [{ MIN: p.min, MAX: p.max }] });
    expect(methods.get('/set/dusk')).toMatchObject({ TYPE: 'N' });
    // an alias to a parameter that does not exist, or a bad address: named, and the rest still works
    page.ws.send(JSON.stringify({ type: 'hello', role: 'engine', params: pureDeclarations().params, sceneIds: pureDeclarations().sceneIds, hash: 0, aliases: [{ address: '/1/fader3', param: p.path, normalized: true }, { address: '/1/x', param: '/no/such', normalized: true }, { address: 'no slash', param: p.path }], slots: [] }));
    await until(() => page.texts.some((t) => t.includes('"error"')), 5000, 'error text');
    const err = JSON.parse(page.texts.find((t) => t.includes('"error"'))!).message as string;
    expect(err).toMatch(/aliases\[2\]\.address/);
    expect(err).toMatch(/alias \/1\/x: no parameter \/no\/such/);
    expect(bridge.stats().aliases).toBe(1);
  });

  it('fires a slot address on a bare message or a non-zero number; 0 (a button release) does nothing', async () => {
    const { bridge, udp } = await setup();
    const { extras: x } = extras();
    const page = await connectPage(bridge, { extras: x });
    cleanups.push(() => page.ws.close());
    const slot = page.space.resolve('/set/dusk');
    expect(page.space.entries[slot]).toMatchObject({ kind: EntryKind.Slot, command: 1 });
    await udp.send(encodeMessage('/set/dusk', []), bridge.ports.oscPort);
    await until(() => page.records.length >= 1, 5000, 'slot record');
    await udp.send(encodeMessage('/set/dusk', [0]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/set/dusk', [1]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/set/dusk', [0]), bridge.ports.oscPort);
    await until(() => page.records.length >= 2, 5000, 'second slot record');
    await new Promise((r) => setTimeout(r, 100));
    expect(page.records).toEqual([expect.objectContaining({ index: slot, v: [1] }), expect.objectContaining({ index: slot, v: [1] })]);
    // the /engine/preset command still works beside it
    await udp.send(encodeMessage('/engine/preset', [{ type: 'i', value: 2 }]), bridge.ports.oscPort);
    await until(() => page.records.length >= 3, 5000, 'preset record');
    expect(page.records[2]).toMatchObject({ index: page.space.resolve('/engine/preset'), v: [2] });
  });

  it('tells a learning page about unknown addresses: each once per arming, bounded, none when not armed', async () => {
    const { bridge, udp } = await setup();
    const page = await connectPage(bridge);
    cleanups.push(() => page.ws.close());
    const unknowns = () => page.texts.map((t) => JSON.parse(t)).filter((m) => m.type === 'unknown');
    await udp.send(encodeMessage('/1/fader7', [0.5]), bridge.ports.oscPort);
    await until(() => bridge.stats().unknownAddress === 1, 5000, 'unknown counted');
    page.ws.send(JSON.stringify({ type: 'learn', on: true }));
    await new Promise((r) => setTimeout(r, 50));
    await udp.send(encodeMessage('/1/fader7', [0.5]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/1/fader7', [0.6]), bridge.ports.oscPort);
    await udp.send(encodeMessage('/1/label', ['hello']), bridge.ports.oscPort);
    await udp.send(encodeMessage('/' + 'y'.repeat(400), [1]), bridge.ports.oscPort);
    await until(() => unknowns().length >= 3, 5000, 'unknown reports');
    expect(unknowns()).toEqual([
      { type: 'unknown', address: '/1/fader7', arg: 'number', tooLong: false },
      { type: 'unknown', address: '/1/label', arg: 'string', tooLong: false },
      { type: 'unknown', address: '/' + 'y'.repeat(255), arg: 'number', tooLong: true },
    ]);
    for (let i = 0; i < 60; i++) await udp.send(encodeMessage(`/flood/${i}`, [i]), bridge.ports.oscPort);
    await until(() => bridge.stats().unknownAddress >= 64, 5000, 'flood read');
    await new Promise((r) => setTimeout(r, 50));
    expect(unknowns().length).toBe(LEARN_REPORTS);
    expect(bridge.stats().learnReports).toBe(LEARN_REPORTS);
    // learn off: nothing more; armed again: a fresh list
    page.ws.send(JSON.stringify({ type: 'learn', on: false }));
    await new Promise((r) => setTimeout(r, 50));
    await udp.send(encodeMessage('/after/off', [1]), bridge.ports.oscPort);
    await new Promise((r) => setTimeout(r, 100));
    expect(unknowns().some((m) => m.address === '/after/off')).toBe(false);
    page.ws.send(JSON.stringify({ type: 'learn', on: true }));
    await new Promise((r) => setTimeout(r, 50));
    await udp.send(encodeMessage('/1/fader7', [0.1]), bridge.ports.oscPort);
    await until(() => unknowns().length === LEARN_REPORTS + 1, 5000, 'report after re-arming');
    // the stream was never interrupted
    const p = firstParam();
    await udp.send(encodeMessage(p.path, [p.min]), bridge.ports.oscPort);
    await until(() => page.records.length >= 1, 5000, 'a record');
  });
});
