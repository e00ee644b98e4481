/**
 * OSC control figures:
 *  - transport: UDP send -> WebSocket message at a Node client, through our bridge (a child
 *    process) and through osc-js's BridgePlugin (the peer), same packets, same clock;
 *  - latency from an `oscsend`-style UDP message to the parameter applied in a frame of the real
 *    app, median and p99 (page and Node clocks aligned by round trips: the error is printed),
 *    and its in-page part: socket arrival to the frame that applied it (one clock, exact);
 *  - bridge throughput: the decode -> resolve -> coerce -> coalesce pipeline in a loop against
 *    osc-js's own message decoding, and UDP messages per second through the bridge process.
 * Prints figures only; never passes or fails on time.
 */
import { createSocket } from 'node:dgram';
import OSC from 'osc-js';
import { Coalescer, coerceArgs, encodeMessage, OscAddressSpace, OscDecoder } from '../engine/control/osc/index.ts';
import { pureDeclarations } from '../bridge/namespace-source.ts';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preview } from 'vite';
import { ROOT, launch } from '../e2e/harness.ts';
import { freeTcpPort, freeUdpPort, startBridgeProcess, stats } from '../e2e/osc-kit.ts';
import { WebSocket, WebSocketServer } from 'ws';
import type { Page } from 'playwright-core';
import { summarize } from './stats.ts';

const SAMPLES = Number(process.env.OSC_SAMPLES ?? 200);
const epochNow = () => performance.timeOrigin + performance.now();
const ms = (v: number) => v.toFixed(2).padStart(8);

function pipelineThroughput(): { ours: number; peer: number } {
  const d = pureDeclarations();
  const space = new OscAddressSpace(d.params, d.sceneIds);
  const numbers = d.params.filter((p) => p.type === 'number');
  const packets = numbers.map((p, i) => encodeMessage(p.path, [p.min + ((p.max - p.min) * (i % 7)) / 7]));
  const dec = new OscDecoder();
  const co = new Coalescer(space.entries.length);
  const out = new Float64Array(3);
  const frame = new DataView(new ArrayBuffer(8 + co.capacity * 32));
  const visit = (m: Parameters<Parameters<OscDecoder['decode']>[1]>[0]) => {
    const e = space.resolve(m.address);
    const n = coerceArgs(space, e, m, out);
    if (n > 0) co.push(e, n, out, false);
  };
  const N = 400_000;
  const run = (fn: (i: number) => void): number => {
    for (let i = 0; i < 50_000; i++) fn(i);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) fn(i);
    return N / ((performance.now() - t0) / 1000);
  };
  const ours = run((i) => {
    dec.decode(packets[i % packets.length], visit);
    if ((i & 255) === 255) co.drain(frame, 1);
  });
  const views = packets.map((p) => new DataView(p.buffer, p.byteOffset, p.byteLength));
  const peer = run((i) => {
    const packet = new OSC.Packet();
    packet.unpack(views[i % views.length]);
  });
  return { ours, peer };
}

async function clockOffset(page: Page): Promise<{ offset: number; bestRtt: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const conn = new Promise<WebSocket>((r) => wss.once('connection', r));
  await page.evaluate((p) => {
    const ws = new WebSocket(`ws://127.0.0.1:${p}`);
    ws.onmessage = () => ws.send(String(performance.timeOrigin + performance.now()));
  }, port);
  const ws = await conn;
  let offset = 0;
  let bestRtt = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = epochNow();
    const reply = await new Promise<number>((r) => {
      ws.once('message', (d) => r(Number(String(d))));
      ws.send('p');
    });
    const b = epochNow();
    if (b - a < bestRtt) {
      bestRtt = b - a;
      offset = reply - (a + b) / 2;
    }
    await new Promise((r) => setTimeout(r, 3));
  }
  ws.close();
  wss.close();
  return { offset, bestRtt };
}

async function main(): Promise<void> {
  const tp = pipelineThroughput();
  console.log('bridge pipeline (decode, resolve, coerce, coalesce), one core:');
  console.log(`  ours        ${(tp.ours / 1e6).toFixed(2)} M messages/s`);
  console.log(`  osc-js      ${(tp.peer / 1e6).toFixed(2)} M messages/s (Packet.unpack: decode only; peer)`);
  console.log(`  ratio       ${(tp.ours / tp.peer).toFixed(2)}x`);

  const wsPort = await freeTcpPort();
  const bridge = await startBridgeProcess(['--osc-port', '0', '--http-port', '0', '--ws-port', String(wsPort), '--osc-out', 'none']);
  const sock = createSocket('udp4');
  const path = '/scene/spectral-veil/intensity';
  try {
    // ---- UDP throughput through the bridge process (before the browser loads the machine)
    {
      const s0 = await stats(bridge.ports.httpPort);
      const N = 200_000;
      const packets = Array.from({ length: 64 }, (_, i) => encodeMessage(path, [i / 64]));
      const t0 = performance.now();
      for (let i = 0; i < N; i++) {
        sock.send(packets[i & 63], bridge.ports.oscPort, '127.0.0.1');
        if ((i & 255) === 255) await new Promise((r) => setImmediate(r));
      }
      const sent = performance.now();
      let s1 = await stats(bridge.ports.httpPort);
      for (let tries = 0; tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 50));
        const s = await stats(bridge.ports.httpPort);
        if (s.packets === s1.packets) break;
        s1 = s;
      }
      const secs = (sent - t0) / 1000;
      const got = s1.packets - s0.packets;
      console.log(`\nbridge process, UDP in: ${N} messages offered in ${secs.toFixed(2)} s (${(N / secs / 1000).toFixed(0)} k/s offered): ${got} read (${((got / N) * 100).toFixed(1)}%, the rest dropped by the kernel's socket buffer), ${(got / secs / 1000).toFixed(0)} k messages/s; no page connected; RSS ${(s1.rssBytes / 1e6).toFixed(0)} MB`);
    }

    // ---- transport, UDP -> WebSocket at a Node client: ours vs osc-js BridgePlugin
    const peerUdp = await freeUdpPort();
    const peerWs = await freeTcpPort();
    // in a child process too, like ours, so both pay the same scheduling between processes
    const peerScript = `const OSC = require('osc-js'); const osc = new OSC({ plugin: new OSC.BridgePlugin({ udpServer: { host: '127.0.0.1', port: ${peerUdp} }, wsServer: { host: '127.0.0.1', port: ${peerWs} }, receiver: 'ws' }) }); osc.open(); setInterval(() => {}, 1000);`;
    const peer = spawn(process.execPath, ['-e', peerScript], { cwd: ROOT, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1500));
    const oursWs = new WebSocket(`ws://127.0.0.1:${wsPort}`);
    const peerClient = new WebSocket(`ws://127.0.0.1:${peerWs}`);
    await Promise.all([new Promise((r) => oursWs.once('open', r)), new Promise((r) => peerClient.once('open', r))]);
    let oursAt = 0;
    let peerAt = 0;
    oursWs.on('message', (_d, bin) => {
      if (bin) oursAt = performance.now();
    });
    peerClient.on('message', () => (peerAt = performance.now()));
    const WARM = 20;
    const T = 500;
    const tOurs = new Float64Array(T);
    const tPeer = new Float64Array(T);
    for (let j = -WARM; j < T; j++) {
      const i = Math.max(0, j);
      const packet = encodeMessage(path, [(i % 100) / 50]);
      oursAt = peerAt = 0;
      const t0 = performance.now();
      sock.send(packet, bridge.ports.oscPort, '127.0.0.1');
      sock.send(packet, peerUdp, '127.0.0.1');
      while (oursAt === 0 || peerAt === 0) {
        await new Promise((r) => setImmediate(r));
        if (performance.now() - t0 > 2000) break;
      }
      if (j >= 0) {
        tOurs[i] = oursAt - t0;
        tPeer[i] = peerAt - t0;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    oursWs.close();
    peerClient.close();
    peer.kill();
    const O = summarize(tOurs);
    const Pp = summarize(tPeer);
    console.log(`\ntransport, UDP send -> WebSocket message at a Node client (${T} messages after ${WARM} warm-up, one clock; both bridges are child processes):`);
    console.log('                                   median      p99      max');
    console.log(`  ours (bridge process)          ${ms(O.median)} ${ms(O.p99)} ${ms(O.max)}  ms`);
    console.log(`  osc-js BridgePlugin (peer)     ${ms(Pp.median)} ${ms(Pp.p99)} ${ms(Pp.max)}  ms`);
    console.log(`  ratio ours/peer (median)       ${(O.median / Pp.median).toFixed(2)}x (ours also decodes, resolves, coerces and coalesces)`);

    // ---- the real app: applied in a frame
    // built and served like production (a dev server would also reload on every edited file)
    const outDir = mkdtempSync(join(tmpdir(), 'glassforest-osc-bench-'));
    const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
    const server = await preview({ configFile: join(ROOT, 'vite.config.ts'), build: { outDir }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('preview server has no URL');
    const browser = await launch();
    try {
      const page = await (await browser.newContext({ viewport: { width: 640, height: 360 } })).newPage();
      await page.goto(`${url}?source=none&scene=spectral-veil&bridge=${wsPort}`);
      await page.waitForFunction(() => (globalThis as any).glassforest?.bridge.getStatus().phase === 'connected', null, { timeout: 60_000, polling: 50 });
      await page.waitForTimeout(2000);
      // clock offset page - node from the tightest of many WebSocket pings (page.evaluate round trips are far slower)
      const { offset, bestRtt } = await clockOffset(page);
      const applied = new Float64Array(SAMPLES);
      const wait = new Float64Array(SAMPLES);
      let k = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const value = Math.fround(0.1 + (i % 150) / 100 + 0.001);
        const before = await page.evaluate(() => (globalThis as any).glassforest.bridge.applier.logCount as number);
        const t0 = epochNow();
        sock.send(encodeMessage(path, [value]), bridge.ports.oscPort, '127.0.0.1');
        const r = await page.waitForFunction(
          ([b, v]) => {
            const g = (globalThis as any).glassforest;
            const a = g.bridge.applier;
            if (a.logCount <= b) return false;
            const slot = (a.logCount - 1) % 256;
            if (Math.abs(a.logValue[slot] - v) > 1e-6) return false;
            const arrived = g.bridge.arrivalMs[(g.bridge.arrivalCount - 1) & 255];
            return { applied: performance.timeOrigin + a.logAtMs[slot], wait: a.logAtMs[slot] - arrived };
          },
          [before, value] as const,
          { timeout: 5000, polling: 'raf' },
        );
        const x = (await r.jsonValue()) as { applied: number; wait: number };
        applied[k] = x.applied - offset - t0;
        wait[k] = x.wait;
        k++;
        await page.waitForTimeout(15 + (i % 7) * 5);
      }
      const fps = await page.evaluate(() => (globalThis as any).glassforest.fps() as number);
      const A = summarize(applied.subarray(0, k));
      const W = summarize(wait.subarray(0, k));
      console.log(`\nthe app (spectral-veil, ${fps.toFixed(0)} fps on SwiftShader), ${k} messages:`);
      console.log('                                   median      p99      max');
      console.log(`  UDP send -> applied in a frame ${ms(A.median)} ${ms(A.p99)} ${ms(A.max)}  ms  (clocks aligned to ±${(bestRtt / 2).toFixed(2)} ms)`);
      console.log(`  page socket -> applied (frame)  ${ms(W.median)} ${ms(W.p99)} ${ms(W.max)}  ms  (one clock)`);
    } finally {
      await browser.close();
      await new Promise<void>((r) => server.httpServer.close(() => r()));
      rmSync(outDir, { recursive: true, force: true });
    }
  } finally {
    sock.close();
    await bridge.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
