/**
 * The bridge process: UDP OSC in and out, the engine page's WebSocket, hardware MIDI, and the
 * OSCQuery HTTP server with LISTEN/IGNORE streaming. OSC is decoded and resolved here, so the
 * page only receives fixed-size numeric records; floods coalesce per address; malformed
 * input is counted and reported, never thrown.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { ResolvedParam } from '../engine/params/index.ts';
import {
  answerQuery,
  argKindOf,
  buildNamespace,
  cleanSlotAddresses,
  coerceArgs,
  coerceExt,
  COERCE_ERROR_TEXT,
  Coalescer,
  COMMANDS,
  Command,
  BundleScheduler,
  EntryKind,
  encodeMessage,
  FRAME_CONTROL,
  FRAME_MIDI,
  FRAME_VALUES,
  hostInfo,
  IMMEDIATE,
  LEARN_REPORTS,
  MAX_ALIAS_ADDRESS,
  MAX_OSC_EXT,
  OSC_ERROR_TEXT,
  OSC_FIRST_BYTE_BUNDLE,
  OSC_FIRST_BYTE_MESSAGE,
  OscAddressSpace,
  OscDecoder,
  OscExtNames,
  RECORD_BYTES,
  RECORDS_HEADER,
  recordCount,
  validateOscAliases,
  type OscMessage,
  type UnknownAddressMessage,
} from '../engine/control/osc/index.ts';
import { toNormalized } from '../engine/params/index.ts';
import type { BridgeOptions } from './flags.ts';
import { isLoopback } from './flags.ts';
import { openMidi, type MidiSystem } from './midi-system.ts';
import { pureDeclarations } from './namespace-source.ts';

/** How often repeated problems (malformed packets, unknown addresses) are summarised. */
const REPORT_EVERY_MS = 5000;
/** Shortest gap between two frames to the page: a flood coalesces into at most ~500 frames a second. */
const MIN_FLUSH_INTERVAL_MS = 2;
/** A page that cannot keep up gets no more frames until its socket drains this far. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface BridgeStats {
  packets: number;
  messages: number;
  malformed: number;
  malformedByReason: Record<string, number>;
  unknownAddress: number;
  badArguments: number;
  refusedSenders: number;
  scheduled: number;
  coalesced: number;
  droppedEvents: number;
  framesToPage: number;
  recordsToPage: number;
  skippedSlowPage: number;
  noPage: number;
  oscOut: number;
  oscOutMalformed: number;
  midiIn: number;
  pages: number;
  listeners: number;
  /** Paths streamed to LISTEN clients, summed over clients. */
  listenedPaths: number;
  /** Controller aliases and preset slot addresses the page's address space carries. */
  aliases: number;
  slotAddresses: number;
  /** Unknown addresses told to the page while an OSC learn was armed. */
  learnReports: number;
  rssBytes: number;
  heapUsedBytes: number;
}

interface Ports {
  oscPort: number;
  wsPort: number;
  httpPort: number;
}

function originAllowed(origin: string | undefined): boolean {
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    return isLoopback(new URL(origin).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

export class Bridge {
  readonly token: string | null;
  ports: Ports = { oscPort: 0, wsPort: 0, httpPort: 0 };
  midi: MidiSystem | null = null;
  private space: OscAddressSpace;
  private coalescer: Coalescer;
  private frame: ArrayBuffer;
  private frameView: DataView;
  private readonly scratch = new Float64Array(3);
  private readonly decoder = new OscDecoder();
  /** `/ext/<name>` modulation slots, numbered as names first arrive (records past the address space). */
  private readonly ext = new OscExtNames();
  private readonly scheduler = new BundleScheduler<{ entry: number; n: number; v: [number, number, number]; event: boolean }>();
  private schedTimer: NodeJS.Timeout | null = null;
  private flushQueued = false;
  private lastFlushMs = 0;
  /** Newest native slot values reported by the page, per param index (3 slots each). */
  private mirror: Float64Array;
  private mirrorKnown: Uint8Array;
  private udp: Socket | null = null;
  private out: Socket | null = null;
  private wss: WebSocketServer | null = null;
  private http: Server | null = null;
  private listenWss: WebSocketServer | null = null;
  private readonly pages = new Set<WebSocket>();
  private readonly listeners = new Map<WebSocket, Set<string>>();
  /** Pages with an OSC learn armed: they hear about unknown addresses (each once per arming, a bounded number). */
  private readonly learning = new Set<WebSocket>();
  private readonly learnReported = new Set<string>();
  private readonly counts = {
    packets: 0,
    messages: 0,
    malformed: 0,
    unknownAddress: 0,
    badArguments: 0,
    refusedSenders: 0,
    scheduled: 0,
    framesToPage: 0,
    recordsToPage: 0,
    skippedSlowPage: 0,
    noPage: 0,
    oscOut: 0,
    oscOutMalformed: 0,
    midiIn: 0,
    learnReports: 0,
  };
  private readonly malformedByReason = new Map<string, number>();
  private readonly unknownSeen = new Map<string, number>();
  private readonly refusedSeen = new Set<string>();
  private reportTimer: NodeJS.Timeout | null = null;
  private lastReported = { malformed: 0, unknownAddress: 0, badArguments: 0, dropped: 0 };
  private readonly visit = (m: OscMessage): void => this.onMessage(m);

  constructor(
    readonly options: BridgeOptions,
    private readonly log: (line: string) => void = (l) => console.log(l),
  ) {
    this.token = options.lan ? (options.token ?? randomBytes(12).toString('base64url')) : null;
    const d = pureDeclarations();
    this.space = new OscAddressSpace(d.params, d.sceneIds);
    this.coalescer = new Coalescer(this.space.entries.length + MAX_OSC_EXT);
    this.frame = new ArrayBuffer(RECORDS_HEADER + this.coalescer.capacity * RECORD_BYTES);
    this.frameView = new DataView(this.frame);
    this.mirror = new Float64Array(d.params.length * 3);
    this.mirrorKnown = new Uint8Array(d.params.length);
  }

  /** The address space in use (from the connected page, else the pure declarations). */
  get addressSpace(): OscAddressSpace {
    return this.space;
  }

  // ------------------------------------------------------------------ start / stop

  async start(): Promise<Ports> {
    const o = this.options;
    this.udp = createSocket({ type: o.host.includes(':') ? 'udp6' : 'udp4' });
    this.udp.on('message', (buf, rinfo) => this.onPacket(buf, rinfo.address));
    this.udp.on('error', (err) => this.log(`OSC input error: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      this.udp!.once('error', reject);
      this.udp!.bind(o.oscPort, o.host, () => {
        this.udp!.off('error', reject);
        try {
          // room for bursts while the event loop is busy (the kernel caps this at its rmem_max)
          this.udp!.setRecvBufferSize(4 << 20);
        } catch {
          // keep the default buffer
        }
        resolve();
      });
    });
    this.out = createSocket({ type: o.oscOut?.host.includes(':') ? 'udp6' : 'udp4' });
    this.out.on('error', (err) => this.log(`OSC output error: ${err.message}`));

    this.http = createServer((req, res) => this.onHttp(req, res));
    this.listenWss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.http.on('upgrade', (req, socket, head) => {
      this.listenWss!.handleUpgrade(req, socket, head, (ws) => this.onListener(ws));
    });
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(o.httpPort, o.host, () => resolve());
    });

    this.wss = new WebSocketServer({
      host: o.host,
      port: o.wsPort,
      maxPayload: 4 * 1024 * 1024,
      verifyClient: (info, cb) => {
        const ok = this.token !== null ? new URL(info.req.url ?? '/', 'http://x').searchParams.get('token') === this.token : originAllowed(info.origin);
        if (!ok) this.log(`refused a WebSocket client from ${info.req.socket.remoteAddress} (${this.token !== null ? 'wrong or missing token' : `origin ${info.origin}`})`);
        cb(ok, 403, 'Forbidden');
      },
    });
    this.wss.on('connection', (ws) => this.onPage(ws));
    await new Promise<void>((resolve, reject) => {
      this.wss!.once('error', reject);
      this.wss!.once('listening', () => resolve());
    });
    this.wss.on('error', (err) => this.log(`WebSocket error: ${err.message}`));

    this.ports = {
      oscPort: (this.udp.address() as AddressInfo).port,
      wsPort: (this.wss.address() as AddressInfo).port,
      httpPort: (this.http.address() as AddressInfo).port,
    };
    this.midi = openMidi((port, bytes) => this.onMidi(port, bytes));
    this.log(this.midi.status);
    this.reportTimer = setInterval(() => this.reportProblems(), REPORT_EVERY_MS);
    this.reportTimer.unref();
    return this.ports;
  }

  async close(): Promise<void> {
    if (this.reportTimer) clearInterval(this.reportTimer);
    if (this.schedTimer) clearTimeout(this.schedTimer);
    this.midi?.close();
    for (const ws of this.pages) ws.terminate();
    for (const ws of this.listeners.keys()) ws.terminate();
    await Promise.all([
      new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r())),
      new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r())),
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.out ? this.out.close(() => r()) : r())),
    ]);
  }

  // ------------------------------------------------------------------ OSC in

  private onPacket(buf: Buffer, from: string): void {
    this.counts.packets++;
    const allow = this.options.allowOscFrom;
    if (allow.length > 0 && !allow.includes(from) && !allow.includes(from.replace(/^::ffff:/, ''))) {
      this.counts.refusedSenders++;
      if (!this.refusedSeen.has(from) && this.refusedSeen.size < 100) {
        this.refusedSeen.add(from);
        this.log(`OSC from ${from} refused: not in --allow-osc-from`);
      }
      return;
    }
    const err = this.decoder.decode(buf, this.visit);
    if (err !== 0) {
      this.counts.malformed++;
      const why = OSC_ERROR_TEXT[err] ?? `error ${err}`;
      this.malformedByReason.set(why, (this.malformedByReason.get(why) ?? 0) + 1);
    }
  }

  private onMessage(m: OscMessage): void {
    this.counts.messages++;
    let entry = this.space.resolve(m.address);
    const ext = entry < 0 ? this.ext.resolve(m.address) : -1;
    if (ext >= 0) {
      if (this.ext.isNew(ext)) this.announceExt(ext, null);
      entry = this.space.entries.length + ext;
    }
    if (entry < 0) {
      this.counts.unknownAddress++;
      if (this.unknownSeen.size < 50 || this.unknownSeen.has(m.address)) this.unknownSeen.set(m.address, (this.unknownSeen.get(m.address) ?? 0) + 1);
      if (this.learning.size > 0) this.reportUnknown(m);
      return;
    }
    const v = this.scratch;
    const n = ext >= 0 ? coerceExt(m, v) : coerceArgs(this.space, entry, m, v);
    if (n < 0) {
      this.counts.badArguments++;
      const key = `${m.address}: ${COERCE_ERROR_TEXT[n] ?? 'bad arguments'}`;
      if (this.unknownSeen.size < 50 || this.unknownSeen.has(key)) this.unknownSeen.set(key, (this.unknownSeen.get(key) ?? 0) + 1);
      return;
    }
    // A slot address with 0 (a button's release) fires nothing.
    if (v[0] === 0 && this.space.entries[entry]?.kind === EntryKind.Slot) return;
    const event = this.isEvent(entry);
    if (m.timeMs !== IMMEDIATE) {
      const now = Date.now();
      const r = this.scheduler.schedule(m.timeMs, now, { entry, n, v: [v[0], v[1], v[2]], event });
      if (r === 'later') {
        this.counts.scheduled++;
        this.armScheduler();
        return;
      }
      if (r === 'refused') return;
    }
    this.coalescer.push(entry, n, v, event);
    this.queueFlush();
  }

  /** While a page learns: tell it about an address nothing answers (each address once per arming, at most LEARN_REPORTS). */
  private reportUnknown(m: OscMessage): void {
    if (this.learnReported.size >= LEARN_REPORTS || this.learnReported.has(m.address)) return;
    this.learnReported.add(m.address);
    this.counts.learnReports++;
    const tooLong = m.address.length > MAX_ALIAS_ADDRESS;
    const msg: UnknownAddressMessage = { type: 'unknown', address: tooLong ? m.address.slice(0, MAX_ALIAS_ADDRESS) : m.address, arg: argKindOf(m.argc, m.tags[0]), tooLong };
    const text = JSON.stringify(msg);
    for (const ws of this.learning) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  /** Tell pages (or one page, when it connects) which name an /ext/ slot carries, before any record for it. */
  private announceExt(slot: number, to: WebSocket | null): void {
    const text = JSON.stringify({ type: 'ext', slot, name: this.ext.names[slot] });
    for (const ws of to === null ? this.pages : [to]) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  /** Messages that act every time (triggers, taps, nudges) are events; the rest keep only the newest. */
  private isEvent(entry: number): boolean {
    const e = this.space.entries[entry];
    if (e === undefined) return false; // an /ext/ slot: a continuous value
    if (e.kind === EntryKind.Slot) return true; // a press and its release in one flush must not cancel out
    if (e.kind === EntryKind.Command) {
      const c = COMMANDS[e.command];
      return c.arg === 'bang' || c.command === Command.Nudge;
    }
    return this.space.params[e.param].type === 'trigger';
  }

  private armScheduler(): void {
    if (this.schedTimer) clearTimeout(this.schedTimer);
    const next = this.scheduler.nextDue();
    if (next === Infinity) return;
    this.schedTimer = setTimeout(() => {
      this.schedTimer = null;
      for (const it of this.scheduler.takeDue(Date.now())) {
        this.scratch[0] = it.v[0];
        this.scratch[1] = it.v[1];
        this.scratch[2] = it.v[2];
        this.coalescer.push(it.entry, it.n, this.scratch, it.event);
      }
      this.queueFlush();
      this.armScheduler();
    }, Math.max(0, next - Date.now()));
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    const wait = this.lastFlushMs + MIN_FLUSH_INTERVAL_MS - performance.now();
    // after the current batch of datagrams: one frame carries everything that arrived together
    if (wait <= 0) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushQueued = false;
    this.lastFlushMs = performance.now();
    if (this.coalescer.pending === 0) return;
    if (this.pages.size === 0) {
      this.counts.noPage += this.coalescer.drain(this.frameView, FRAME_CONTROL);
      return;
    }
    let writable = false;
    for (const ws of this.pages) if (ws.bufferedAmount < MAX_BUFFERED_BYTES) writable = true;
    if (!writable) {
      // keep coalescing; try again shortly
      this.counts.skippedSlowPage++;
      setTimeout(() => this.queueFlush(), 5);
      return;
    }
    const n = this.coalescer.drain(this.frameView, FRAME_CONTROL);
    const bytes = new Uint8Array(this.frame, 0, RECORDS_HEADER + n * RECORD_BYTES);
    for (const ws of this.pages) {
      if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(bytes);
    }
    this.counts.framesToPage++;
    this.counts.recordsToPage += n;
  }

  // ------------------------------------------------------------------ the engine page

  private onPage(ws: WebSocket): void {
    this.pages.add(ws);
    this.log(`engine page connected (${this.pages.size} connected)`);
    ws.send(
      JSON.stringify({
        type: 'status',
        midi: this.midi?.status ?? 'MIDI not started',
        oscPort: this.ports.oscPort,
        oscOut: this.options.oscOut ? `${this.options.oscOut.host}:${this.options.oscOut.port}` : null,
        hash: this.space.hash,
      }),
    );
    for (let k = 0; k < this.ext.names.length; k++) this.announceExt(k, ws);
    ws.on('message', (data, isBinary) => {
      try {
        if (isBinary) this.onPageBinary(data as Buffer);
        else this.onPageText(String(data), ws);
      } catch (err) {
        this.log(`bad message from the page: ${(err as Error).message}`);
      }
    });
    ws.on('close', () => {
      this.pages.delete(ws);
      this.learning.delete(ws);
      this.log(`engine page disconnected (${this.pages.size} connected)`);
    });
    ws.on('error', () => {});
  }

  private onPageText(text: string, ws: WebSocket): void {
    const msg = JSON.parse(text) as { type?: string; params?: unknown; sceneIds?: unknown; hash?: unknown; aliases?: unknown; slots?: unknown; on?: unknown };
    if (msg.type === 'learn') {
      // OSC learn armed (on: true) or done: arming starts a fresh list of reported addresses.
      if (msg.on === true) {
        this.learning.add(ws);
        this.learnReported.clear();
      } else this.learning.delete(ws);
      return;
    }
    if (msg.type !== 'hello') return;
    if (!Array.isArray(msg.params) || !Array.isArray(msg.sceneIds)) {
      ws.send(JSON.stringify({ type: 'error', message: 'hello needs params and sceneIds' }));
      return;
    }
    const params = (msg.params as ResolvedParam[]).filter((p) => p && typeof p.path === 'string' && typeof p.type === 'string' && Array.isArray(p.defaults));
    // Controller aliases and the bank's slot addresses (optional): checked again here, never trusted.
    const aliases = msg.aliases === undefined ? { aliases: [], problems: [] } : validateOscAliases(msg.aliases, undefined, 'aliases');
    const slots = cleanSlotAddresses(msg.slots);
    const space = new OscAddressSpace(params, (msg.sceneIds as unknown[]).map(String), { aliases: aliases.aliases, slots });
    if (space.hash !== this.space.hash) {
      const sameParams = space.baseHash === this.space.baseHash && params.length === this.space.params.length;
      this.space = space;
      this.coalescer = new Coalescer(space.entries.length + MAX_OSC_EXT);
      this.frame = new ArrayBuffer(RECORDS_HEADER + this.coalescer.capacity * RECORD_BYTES);
      this.frameView = new DataView(this.frame);
      if (!sameParams) {
        this.mirror = new Float64Array(params.length * 3);
        this.mirrorKnown = new Uint8Array(params.length);
      }
      const named = slots.filter((a) => a !== null).length;
      this.log(`address space from the page: ${params.length} parameters, ${space.sceneIds.length} scenes, ${space.aliases.length} controller alias${space.aliases.length === 1 ? '' : 'es'}, ${named} preset slot address${named === 1 ? '' : 'es'}`);
    }
    const problems = [...aliases.problems, ...space.skipped];
    if (problems.length > 0) {
      const text = `${problems.length} alias/slot address problem${problems.length === 1 ? '' : 's'}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`;
      this.log(`OSC: ${text}`);
      ws.send(JSON.stringify({ type: 'error', message: text }));
    }
    if (msg.hash !== space.hash) this.log(`warning: the page's address space hash ${String(msg.hash)} differs from the bridge's ${space.hash}; OSC may reach the wrong parameters`);
    ws.send(JSON.stringify({ type: 'ready', hash: space.hash, parameters: params.length, aliases: space.aliases.length, slots: space.slots.filter((a) => a !== null).length }));
  }

  private onPageBinary(buf: Buffer): void {
    if (buf.length === 0) return;
    const first = buf[0];
    if (first === OSC_FIRST_BYTE_MESSAGE || first === OSC_FIRST_BYTE_BUNDLE) {
      // features out: check it is OSC, then forward as is
      const err = this.decoder.decode(buf, () => {});
      if (err !== 0) {
        this.counts.oscOutMalformed++;
        return;
      }
      const to = this.options.oscOut;
      if (to && this.out) {
        this.out.send(buf, to.port, to.host);
        this.counts.oscOut++;
      }
      return;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (first === FRAME_VALUES) {
      const n = recordCount(view, FRAME_VALUES);
      if (n < 0) return;
      const changed: number[] = [];
      for (let i = 0; i < n; i++) {
        const at = RECORDS_HEADER + i * RECORD_BYTES;
        const idx = view.getUint32(at, true);
        if (idx >= this.mirrorKnown.length) continue;
        for (let k = 0; k < 3; k++) this.mirror[idx * 3 + k] = view.getFloat64(at + 8 + 8 * k, true);
        this.mirrorKnown[idx] = 1;
        changed.push(idx);
      }
      this.streamValues(changed);
      return;
    }
    if (first === FRAME_MIDI && buf.length >= 16) {
      const len = buf[1];
      const port = buf.subarray(16, 16 + len).toString('utf8');
      this.midi?.send(port, buf.subarray(16 + len));
    }
  }

  private onMidi(port: string, bytes: Uint8Array): void {
    this.counts.midiIn++;
    const name = Buffer.from(port, 'utf8').subarray(0, 255);
    const frame = Buffer.alloc(16 + name.length + bytes.length);
    frame[0] = FRAME_MIDI;
    frame[1] = name.length;
    frame.writeDoubleLE(performance.now(), 8);
    name.copy(frame, 16);
    frame.set(bytes, 16 + name.length);
    for (const ws of this.pages) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  // ------------------------------------------------------------------ OSCQuery

  private valueOf = (i: number): number[] | null => (this.mirrorKnown[i] ? [this.mirror[i * 3], this.mirror[i * 3 + 1], this.mirror[i * 3 + 2]] : null);

  private normOf = (i: number): number | null => {
    const p = this.space.params[i];
    const v = this.mirrorKnown[i] ? this.mirror[i * 3] : p.defaults[0];
    if (p.type === 'color' || p.type === 'trigger') return null;
    if (p.type !== 'number') return p.max > p.min ? (v - p.min) / (p.max - p.min) : 0;
    return toNormalized(p.curve, p.min, p.max, v);
  };

  /** The namespace as served now (values from the page when connected, else defaults). */
  namespace() {
    return buildNamespace(this.space, this.valueOf, this.normOf, `${this.options.name}: every parameter at its path; /norm for 0..1`);
  }

  hostInfo() {
    const wsIp = this.options.host === '0.0.0.0' ? undefined : this.options.host;
    return hostInfo({ name: this.options.name, oscIp: this.options.host, oscPort: this.ports.oscPort, wsIp, wsPort: this.ports.httpPort });
  }

  stats(): BridgeStats {
    const mem = process.memoryUsage();
    return {
      ...this.counts,
      malformedByReason: Object.fromEntries(this.malformedByReason),
      coalesced: this.coalescer.coalesced,
      droppedEvents: this.coalescer.dropped,
      pages: this.pages.size,
      listeners: this.listeners.size,
      listenedPaths: this.listenedPaths(),
      aliases: this.space.aliases.length,
      slotAddresses: this.space.slots.filter((a) => a !== null).length,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
    };
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const allow = this.options.allowOscFrom;
    const from = req.socket.remoteAddress ?? '';
    if (allow.length > 0 && !isLoopback(from) && !allow.includes(from.replace(/^::ffff:/, ''))) {
      res.writeHead(403).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.search.startsWith('?') ? url.search.slice(1) : '';
    let status: number;
    let body: unknown;
    if (query === 'STATS') {
      status = 200;
      body = this.stats();
    } else {
      const r = answerQuery(this.namespace(), url.pathname, query, this.hostInfo());
      status = r.status;
      body = r.body;
    }
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  private listenedPaths(): number {
    let n = 0;
    for (const paths of this.listeners.values()) n += paths.size;
    return n;
  }

  private onListener(ws: WebSocket): void {
    const paths = new Set<string>();
    this.listeners.set(ws, paths);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const m = JSON.parse(String(data)) as { COMMAND?: string; DATA?: string };
        if (typeof m.DATA !== 'string') return;
        if (m.COMMAND === 'LISTEN') paths.add(m.DATA);
        else if (m.COMMAND === 'IGNORE') paths.delete(m.DATA);
      } catch {
        // not JSON: ignored, the proposal defines only LISTEN/IGNORE
      }
    });
    ws.on('close', () => this.listeners.delete(ws));
    ws.on('error', () => {});
  }

  private streamValues(params: readonly number[]): void {
    if (this.listeners.size === 0 || params.length === 0) return;
    for (const [ws, paths] of this.listeners) {
      if (paths.size === 0 || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      for (const i of params) {
        const p = this.space.params[i];
        if (!p) continue;
        if (paths.has(p.path)) {
          const v = this.valueOf(i)!;
          const args = p.type === 'color' ? [v[0], v[1], v[2]] : p.type === 'enum' ? [p.options[Math.round(v[0])] ?? ''] : p.type === 'boolean' ? [v[0] >= 0.5] : [v[0]];
          ws.send(encodeMessage(p.path, args));
        }
        const normPath = p.path + '/norm';
        if (paths.has(normPath)) {
          const nv = this.normOf(i);
          if (nv !== null) ws.send(encodeMessage(normPath, [nv]));
        }
      }
    }
  }

  // ------------------------------------------------------------------ reports

  private reportProblems(): void {
    const c = this.counts;
    const dropped = this.coalescer.dropped;
    const last = this.lastReported;
    if (c.malformed > last.malformed) {
      const reasons = [...this.malformedByReason].map(([k, v]) => `${v} ${k}`).join('; ');
      this.log(`OSC: ${c.malformed - last.malformed} malformed packet(s) ignored in the last ${REPORT_EVERY_MS / 1000} s (since start: ${reasons})`);
    }
    if (c.unknownAddress + c.badArguments > last.unknownAddress + last.badArguments) {
      const top = [...this.unknownSeen].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} (${v})`).join(', ');
      this.log(`OSC: ${c.unknownAddress - last.unknownAddress} message(s) to unknown addresses, ${c.badArguments - last.badArguments} with unusable arguments; most frequent: ${top}`);
    }
    if (dropped > last.dropped) this.log(`OSC: ${dropped - last.dropped} repeated trigger/tap message(s) dropped by the flood limit`);
    this.lastReported = { malformed: c.malformed, unknownAddress: c.unknownAddress, badArguments: c.badArguments, dropped };
    this.unknownSeen.clear();
  }
}
