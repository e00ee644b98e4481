/**
 * Hardware MIDI through the optional `midi` package, loaded lazily. Where it is missing or
 * the machine has no MIDI system (no ALSA sequencer, no ports) this says so once and the
 * bridge carries on with OSC.
 */
import { createRequire } from 'node:module';

export interface MidiSystem {
  /** One line for the performer: what MIDI the bridge has. */
  readonly status: string;
  readonly available: boolean;
  readonly inputs: string[];
  readonly outputs: string[];
  /** Send bytes to the output port named `portId` (or every output when it is '*'). */
  send(portId: string, bytes: Uint8Array): boolean;
  close(): void;
}

interface RtInput {
  getPortCount(): number;
  getPortName(i: number): string;
  openPort(i: number): void;
  closePort(): void;
  ignoreTypes(sysex: boolean, timing: boolean, sensing: boolean): void;
  on(ev: 'message', cb: (delta: number, msg: number[]) => void): void;
}
interface RtOutput {
  getPortCount(): number;
  getPortName(i: number): string;
  openPort(i: number): void;
  closePort(): void;
  sendMessage(msg: number[]): void;
}

function none(status: string): MidiSystem {
  return { status, available: false, inputs: [], outputs: [], send: () => false, close: () => {} };
}

/** Open every MIDI input and output; `onBytes` gets each input message's raw bytes. */
export function openMidi(onBytes: (portId: string, bytes: Uint8Array) => void): MidiSystem {
  let mod: { Input: new () => RtInput; Output: new () => RtOutput };
  try {
    mod = createRequire(import.meta.url)('midi');
  } catch {
    return none('no MIDI system: the optional "midi" package is not installed (npm install midi; it needs libasound2-dev to build)');
  }
  try {
    const probe = new mod.Input();
    const nIn = probe.getPortCount();
    const outProbe = new mod.Output();
    const nOut = outProbe.getPortCount();
    if (nIn === 0 && nOut === 0) {
      probe.closePort();
      outProbe.closePort();
      return none('no MIDI system: no MIDI ports found (on Linux: no ALSA sequencer, /dev/snd/seq). OSC keeps running; the page can still use Web MIDI.');
    }
    const inputs: RtInput[] = [];
    const inNames: string[] = [];
    for (let i = 0; i < nIn; i++) {
      const name = probe.getPortName(i);
      const input = new mod.Input();
      input.ignoreTypes(false, false, true);
      input.on('message', (_delta, msg) => onBytes(name, Uint8Array.from(msg)));
      input.openPort(i);
      inputs.push(input);
      inNames.push(name);
    }
    const outputs: RtOutput[] = [];
    const outNames: string[] = [];
    for (let i = 0; i < nOut; i++) {
      const out = new mod.Output();
      outNames.push(out.getPortName(i));
      out.openPort(i);
      outputs.push(out);
    }
    probe.closePort();
    outProbe.closePort();
    return {
      status: `MIDI: ${nIn} input(s) [${inNames.join(', ')}], ${nOut} output(s) [${outNames.join(', ')}]`,
      available: true,
      inputs: inNames,
      outputs: outNames,
      send(portId, bytes) {
        let sent = false;
        for (let i = 0; i < outputs.length; i++) {
          if (portId !== '*' && outNames[i] !== portId) continue;
          try {
            outputs[i].sendMessage(Array.from(bytes));
            sent = true;
          } catch {
            // an unplugged device: the show goes on
          }
        }
        return sent;
      },
      close() {
        for (const p of inputs) p.closePort();
        for (const p of outputs) p.closePort();
      },
    };
  } catch (err) {
    return none(`no MIDI system: ${(err as Error).message}`);
  }
}
