import { describe, expect, it } from 'vitest';
import { MIDI_EVENT_NAMES, MidiEventType, MidiParser, type MidiEvent } from './parser.ts';

/** Parse bytes and list the events as readable tuples. */
function parse(bytes: number[], opts = {}, oneByOne = false): { events: (string | number)[][]; parser: MidiParser; sysex: number[][] } {
  const events: (string | number)[][] = [];
  const sysex: number[][] = [];
  const parser = new MidiParser((e: MidiEvent) => {
    events.push([MIDI_EVENT_NAMES[e.type], e.channel, e.number, e.value, ...(e.delta ? [e.delta] : [])]);
    if (e.type === MidiEventType.SysEx) sysex.push([...parser.sysex.subarray(0, e.sysexLength), e.truncated ? -1 : 0]);
  }, opts);
  if (oneByOne) for (const b of bytes) parser.byte(b, 0);
  else parser.feed(new Uint8Array(bytes), 0);
  return { events, parser, sysex };
}

describe('MIDI parser on controller byte streams', () => {
  it('a fader burst in running status: one status byte, then value pairs', () => {
    // A fader on CC 7 channel 3 swept quickly, as USB controllers send it (status omitted after the first).
    const { events, parser } = parse([0xb2, 7, 10, 7, 11, 7, 13, 7, 16]);
    expect(events).toEqual([
      ['cc', 2, 7, 10],
      ['cc', 2, 7, 11],
      ['cc', 2, 7, 13],
      ['cc', 2, 7, 16],
    ]);
    expect(parser.stats.strayBytes).toBe(0);
  });

  it('a clock byte in the middle of a note-on leaves the note intact', () => {
    const { events } = parse([0x90, 60, 0xf8, 100, 0xf8, 61, 0xfe, 0]);
    expect(events).toEqual([
      ['clock', -1, 0, 0],
      ['note-on', 0, 60, 100],
      ['clock', -1, 0, 0],
      ['active-sensing', -1, 0, 0],
      ['note-off', 0, 61, 0], // running status note-on with velocity 0 is a note-off
    ]);
  });

  it('note-off, poly and channel pressure, program change, pitch bend', () => {
    const { events } = parse([0x81, 64, 40, 0xa1, 64, 90, 0xd5, 33, 0xc9, 12, 0xe0, 0x00, 0x40, 0xe0, 0x7f, 0x7f, 0xe0, 0, 0]);
    expect(events).toEqual([
      ['note-off', 1, 64, 40],
      ['poly-pressure', 1, 64, 90],
      ['pressure', 5, 0, 33],
      ['program-change', 9, 12, 12],
      ['pitch-bend', 0, 0, 8192],
      ['pitch-bend', 0, 0, 16383],
      ['pitch-bend', 0, 0, 0],
    ]);

  });

  it('a SysEx identity reply is delivered whole, with a clock byte inside it ignored', () => {
    // Universal identity reply (F0 7E dev 06 02 mfr family member version F7), with 0xF8 interleaved.
    const reply = [0xf0, 0x7e, 0x00, 0x06, 0x02, 0x47, 0x29, 0x00, 0x19, 0x00, 0xf8, 0x01, 0x00, 0x00, 0x00, 0xf7];
    const { events, sysex } = parse(reply);
    expect(events.map((e) => e[0])).toEqual(['clock', 'sysex']);
    expect(sysex[0]).toEqual([0x7e, 0x00, 0x06, 0x02, 0x47, 0x29, 0x00, 0x19, 0x00, 0x01, 0x00, 0x00, 0x00, 0]);
  });

  it('an oversized SysEx is cut to the buffer and reported, and parsing goes on', () => {
    const big = [0xf0, ...new Array(100).fill(0x11), 0xf7, 0xb0, 1, 2];
    const { events, sysex, parser } = parse(big, { sysexCapacity: 32 });
    expect(events.map((e) => e[0])).toEqual(['sysex', 'cc']);
    expect(sysex[0].length).toBe(33);
    expect(sysex[0][32]).toBe(-1);
    expect(parser.stats.sysexOverflows).toBe(1);
  });

  it('14-bit pairs: MSB then LSB gives one 14-bit value; later lone LSBs refine it', () => {
    const { events } = parse([0xb0, 1, 0x40, 0xb0, 33, 0x10, 0xb0, 33, 0x11, 0xb0, 1, 0x41, 33, 0x00]);
    const wide = events.filter((e) => e[0] === 'cc14');
    expect(wide).toEqual([
      ['cc14', 0, 1, (0x40 << 7) | 0x10],
      ['cc14', 0, 1, (0x40 << 7) | 0x11],
      ['cc14', 0, 1, 0x41 << 7],
    ]);
  });

  it('CC 32-63 used as plain buttons (nanoKONTROL2 solo) do not fake 14-bit moves', () => {
    // Fader 1 (CC 0), then solo 1 (CC 32) pressed a moment later with another control between.
    const { events } = parse([0xb0, 0, 100, 0xb0, 16, 5, 0xb0, 32, 127, 0xb0, 32, 0]);
    expect(events.filter((e) => e[0] === 'cc14')).toEqual([]);
  });

  it('NRPN: select 99/98, data entry 6/38, increment/decrement', () => {
    const { events } = parse([0xb3, 99, 0x01, 98, 0x05, 6, 0x40, 38, 0x02, 96, 0, 97, 0]);
    const nrpn = events.filter((e) => e[0] === 'nrpn');
    expect(nrpn).toEqual([
      ['nrpn', 3, 133, 0x40 << 7],
      ['nrpn', 3, 133, (0x40 << 7) | 2],
      ['nrpn', 3, 133, 0, 1],
      ['nrpn', 3, 133, 0, -1],
    ]);
    expect(events.filter((e) => e[0] === 'cc14')).toEqual([]);
  });

  it('RPN 0 (pitch-bend range) and the null RPN that deselects', () => {
    const { events } = parse([0xb0, 101, 0, 100, 0, 6, 12, 101, 127, 100, 127, 6, 5]);
    expect(events.filter((e) => e[0] === 'rpn')).toEqual([['rpn', 0, 0, 12 << 7]]);
  });

  it('song position, start/continue/stop', () => {
    const { events } = parse([0xf2, 0x10, 0x01, 0xfa, 0xfb, 0xfc]);
    expect(events).toEqual([
      ['song-position', -1, 0, 0x10 | (1 << 7)],
      ['start', -1, 0, 0],
      ['continue', -1, 0, 0],
      ['stop', -1, 0, 0],
    ]);
  });

  it('junk is skipped and counted: stray data, truncated messages, undefined status, out-of-range values', () => {
    const { events, parser } = parse([5, 6, 0x90, 60, 0xb0, 7, 99, 0xf4, 1, 0xf7, 0xf9, 300, -1], {}, true);
    expect(events).toEqual([['cc', 0, 7, 99]]);
    expect(parser.stats.strayBytes).toBe(5); // 5, 6, the 1 after 0xF4, 300, -1
    expect(parser.stats.truncated).toBe(1); // the note-on cut by 0xB0
    expect(parser.stats.undefinedStatus).toBe(3); // F4, lone F7, F9
  });

  it('a message split across packets (bridge reads) is joined', () => {
    const events: number[][] = [];
    const p = new MidiParser((e) => events.push([e.type, e.value, e.time]));
    p.feed(new Uint8Array([0xb0, 7]), 1);
    p.feed(new Uint8Array([64]), 2);
    expect(events).toEqual([[MidiEventType.ControlChange, 64, 2]]);
  });

  it('100,000 random bytes never throw and valid traffic still parses afterwards', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const junk = new Uint8Array(100_000);
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rnd() * 256);
    const seen: number[] = [];
    const p = new MidiParser((e) => seen.push(e.type));
    expect(() => p.feed(junk, 0)).not.toThrow();
    seen.length = 0;
    p.feed(new Uint8Array([0xf7, 0xb0, 1, 2]), 0); // end any SysEx the junk left open
    expect(seen.includes(MidiEventType.ControlChange)).toBe(true);
  });
});
