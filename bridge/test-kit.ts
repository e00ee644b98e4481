/** Test helpers for the bridge: a real bridge on free loopback ports and a page stand-in over ws. */
import { createSocket, type Socket } from 'node:dgram';
import { WebSocket } from 'ws';
import { FRAME_MIDI, OscAddressSpace, RECORD_BYTES, RECORDS_HEADER, type SpaceExtras } from '../engine/control/osc/index.ts';
import { Bridge } from './bridge.ts';
import { DEFAULTS, type BridgeOptions } from './flags.ts';
import { pureDeclarations } from './namespace-source.ts';

export interface Record {
  index: number;
  n: number;
  v: number[];
  at: number;
}

export async function startTestBridge(over: Partial<BridgeOptions> = {}): Promise<{ bridge: Bridge; logs: string[] }> {
  const logs: string[] = [];
  const bridge = new Bridge({ ...DEFAULTS, oscPort: 0, wsPort: 0, httpPort: 0, oscOut: null, ...over }, (l) => logs.push(l));
  await bridge.start();
  return { bridge, logs };
}

/** A stand-in for the engine page: says hello with the pure declarations and collects control records. */
export async function connectPage(bridge: Bridge, opts: { token?: string; origin?: string; hello?: boolean; extras?: SpaceExtras } = {}): Promise<{ ws: WebSocket; records: Record[]; texts: string[]; midi: { port: string; bytes: number[] }[]; space: OscAddressSpace }> {
  const d = pureDeclarations();
  const space = new OscAddressSpace(d.params, d.sceneIds, opts.extras);
  const url = `ws://127.0.0.1:${bridge.ports.wsPort}/${opts.token ? `?token=${opts.token}` : ''}`;
  const ws = new WebSocket(url, opts.origin ? { origin: opts.origin } : {});
  const records: Record[] = [];
  const texts: string[] = [];
  const midi: { port: string; bytes: number[] }[] = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      texts.push(String(data));
      return;
    }
    const b = data as Buffer;
    if (b[0] === FRAME_MIDI) {
      midi.push({ port: b.subarray(16, 16 + b[1]).toString('utf8'), bytes: [...b.subarray(16 + b[1])] });
      return;
    }
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const n = v.getUint32(4, true);
    for (let i = 0; i < n; i++) {
      const at = RECORDS_HEADER + i * RECORD_BYTES;
      const k = v.getUint32(at + 4, true);
      records.push({ index: v.getUint32(at, true), n: k, v: [v.getFloat64(at + 8, true), v.getFloat64(at + 16, true), v.getFloat64(at + 24, true)].slice(0, k), at: Date.now() });
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  if (opts.hello !== false) {
    ws.send(JSON.stringify({ type: 'hello', role: 'engine', params: d.params, sceneIds: d.sceneIds, hash: space.hash, ...(opts.extras ? { aliases: opts.extras.aliases ?? [], slots: opts.extras.slots ?? [] } : {}) }));
    await until(() => texts.some((t) => t.includes('"ready"')));
  }
  return { ws, records, texts, midi, space };
}

export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function udpSender(): { send: (bytes: Uint8Array, port: number) => Promise<void>; close: () => void; socket: Socket } {
  const socket = createSocket('udp4');
  return {
    socket,
    send: (bytes, port) => new Promise((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve()))),
    close: () => socket.close(),
  };
}
