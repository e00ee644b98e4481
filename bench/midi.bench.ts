/**
 * MIDI input cost: a controller burst (running-status faders, 14-bit pairs, pads, clock, an
 * encoder, SysEx) through the router the page uses (parse, clock to the beat clock, queue, drain
 * into 64 mappings), against a naive peer written the way many web MIDI handlers are (an object
 * and an array per message, string-keyed Map lookup, bank.setNormalized), doing the same work in
 * the same run. Run: npx tsx bench/midi.bench.ts [--bursts N]
 * Prints figures only; never passes or fails on time.
 */
import { BeatClock } from '../engine/clock/index.ts';
import { MidiRouter, type MidiMapping } from '../engine/control/midi/index.ts';
import { ParamBank, defineParams, type ParamDecl } from '../engine/params/index.ts';
import { formatTable, summarize, timeEach } from './stats.ts';

const argBursts = process.argv.indexOf('--bursts');
const BURSTS = argBursts > 0 ? Number(process.argv[argBursts + 1]) : 20_000;
const WARMUP = 3_000;
const PARAMS = 64;

function bank(): ParamBank {
  const d: Record<string, ParamDecl> = {};
  for (let i = 0; i < PARAMS; i++) d[`p${i}`] = { type: 'number', min: 0, max: i % 3 === 0 ? 20000 : 1, default: 0.5, curve: i % 3 === 0 ? 'exp' : 'linear' };
  const b = new ParamBank();
  b.register(defineParams('/scene/bench', d));
  return b;
}

function mappings(): MidiMapping[] {
  const out: MidiMapping[] = [];
  for (let i = 0; i < 48; i++) out.push({ control: { kind: 'cc', channel: i >> 4, number: 40 + (i & 15) }, param: `/scene/bench/p${i}` });
  for (let i = 0; i < 8; i++) out.push({ control: { kind: 'cc14', channel: 0, number: i }, param: `/scene/bench/p${48 + i}` });
  for (let i = 0; i < 8; i++) out.push({ control: { kind: 'note', channel: 9, number: 36 + i }, param: `/scene/bench/p${56 + i}`, mode: 'gate' });
  return out;
}

/** One burst as a controller sends it within a few milliseconds: ~60 bytes in 8 packets. */
function burst(): { data: Uint8Array; starts: number[]; lengths: number[] } {
  const packets: number[][] = [
    [0xb0, 40, 10, 41, 20, 42, 30, 43, 40], // faders in running status
    [0xf8],
    [0xb0, 1, 64, 0xb0, 33, 17], // 14-bit pair
    [0x99, 36, 100, 37, 90],
    [0xb1, 44, 1, 44, 1, 44, 127], // encoder-ish absolute CC on channel 2
    [0xf8],
    [0x89, 36, 0, 0x89, 37, 0],
    [0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7],
  ];
  const data = new Uint8Array(packets.reduce((n, p) => n + p.length, 0));
  const starts: number[] = [];
  const lengths: number[] = [];
  let o = 0;
  for (const p of packets) {
    starts.push(o);
    lengths.push(p.length);
    data.set(p, o);
    o += p.length;
  }
  return { data, starts, lengths };
}

/** The peer: objects per message, string keys, no running-status tricks beyond the basics. */
function naiveRig(b: ParamBank) {
  const byKey = new Map<string, { id: number; max: number }>();
  for (const m of mappings()) {
    const key = `${m.control.kind}:${m.control.channel}:${m.control.number}`;
    byKey.set(key, { id: b.idOf(m.param), max: m.control.kind === 'cc14' ? 16383 : 127 });
  }
  const clock = new BeatClock();
  let status = 0;
  let pending: number[] = [];
  const msb = new Map<string, number>();
  const queue: { kind: string; channel: number; number: number; value: number }[] = [];
  const apply = (msg: { kind: string; channel: number; number: number; value: number }) => {
    const target = byKey.get(`${msg.kind}:${msg.channel}:${msg.number}`);
    if (target) b.setNormalized(target.id, msg.value / target.max);
  };
  return (data: Uint8Array, t: number) => {
    const bytes = Array.from(data);
    for (const x of bytes) {
      if (x >= 0xf8) {
        clock.midiByte(x, t);
        continue;
      }
      if (x >= 0x80) {
        status = x;
        pending = [];
        continue;
      }
      if (status === 0xf0 || status === 0) continue;
      pending.push(x);
      const kind = status & 0xf0;
      const need = kind === 0xc0 || kind === 0xd0 ? 1 : 2;
      if (pending.length < need) continue;
      const [d0, d1] = pending;
      pending = [];
      const channel = status & 15;
      if (kind === 0xb0) {
        queue.push({ kind: 'cc', channel, number: d0, value: d1 });
        if (d0 < 32) msb.set(`${channel}:${d0}`, d1);
        else if (d0 < 64 && msb.has(`${channel}:${d0 - 32}`)) queue.push({ kind: 'cc14', channel, number: d0 - 32, value: (msb.get(`${channel}:${d0 - 32}`)! << 7) | d1 });
      } else if (kind === 0x90 || kind === 0x80) {
        queue.push({ kind: 'note', channel, number: d0, value: kind === 0x90 ? d1 : 0 });
      }
    }
    for (const m of queue.splice(0)) apply(m);
  };
}

function routerRig(b: ParamBank) {
  const router = new MidiRouter(b, new BeatClock());
  router.setMappings(mappings());
  router.addPort('bench');
  return router;
}

const { data, starts, lengths } = burst();
const ours = routerRig(bank());
const peer = naiveRig(bank());
const oursBurst = (i: number) => {
  const t = i * 0.004;
  for (let k = 0; k < starts.length; k++) ours.feed('bench', data, t, starts[k], lengths[k]);
  ours.drain();
};
const views = starts.map((s, k) => data.subarray(s, s + lengths[k]));
const peerBurst = (i: number) => {
  const t = i * 0.004;
  for (let k = 0; k < views.length; k++) peer(views[k], t);
};

for (let i = 0; i < WARMUP; i++) {
  oursBurst(i);
  peerBurst(i);
}
// Interleaved halves so machine load hits both alike.
const half = BURSTS >> 1;
const a1 = timeEach(half, oursBurst);
const b1 = timeEach(half, peerBurst);
const a2 = timeEach(half, (i) => oursBurst(i + half));
const b2 = timeEach(half, (i) => peerBurst(i + half));
const join = (x: Float64Array, y: Float64Array) => {
  const o = new Float64Array(x.length + y.length);
  o.set(x);
  o.set(y, x.length);
  return o;
};
const a = summarize(join(a1, a2));
const b = summarize(join(b1, b2));
const us = (ms: number) => (ms * 1000).toFixed(2);
console.log(`MIDI input: ${BURSTS} bursts of ${data.length} bytes in ${starts.length} packets, ${mappings().length} mappings`);
console.log(
  formatTable(
    ['path', 'median µs/burst', 'p99 µs/burst', 'mean µs/burst'],
    [
      ['router (parse, clock, queue, drain, map)', us(a.median), us(a.p99), us(a.mean)],
      ['naive peer (objects, string keys)', us(b.median), us(b.p99), us(b.mean)],
    ],
  ),
);
console.log(`ratio peer/router (mean): ${(b.mean / a.mean).toFixed(2)}; router events applied: ${ours.mapper.applied}`);
