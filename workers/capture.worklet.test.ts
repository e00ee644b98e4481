/**
 * Loads the real capture.worklet.ts in Node with a minimal AudioWorkletGlobalScope (the
 * names the worklet uses: AudioWorkletProcessor with a port, registerProcessor, sampleRate,
 * currentFrame) and drives process() as the audio thread would. Chromium runs it end to end
 * elsewhere; this pins the wiring: options, no-input behaviour, errors, stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { CAPTURE_PROCESSOR_NAME, CaptureStateReader, CaptureStateSnapshot, createCaptureBuffers, openCaptureRing } from './capture-shared.ts';

interface Processor {
  process(inputs: Float32Array[][], outputs: Float32Array[][], params: Record<string, Float32Array>): boolean;
}
type ProcessorCtor = new (options: { processorOptions?: unknown }) => Processor;

const SR = 44100;
const registered = new Map<string, ProcessorCtor>();
const ports: MessagePort[] = [];
let frame = 0;
let nextPort: MessagePort | null = null;
const saved = new Map<string, PropertyDescriptor | undefined>();

function defineGlobal(name: string, desc: PropertyDescriptor): void {
  saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
  Object.defineProperty(globalThis, name, { configurable: true, ...desc });
}

beforeAll(async () => {
  class AudioWorkletProcessorStub {
    readonly port: MessagePort;
    constructor() {
      if (nextPort === null) throw new Error('test: no port prepared');
      this.port = nextPort;
      nextPort = null;
    }
  }
  defineGlobal('AudioWorkletProcessor', { value: AudioWorkletProcessorStub, writable: true });
  defineGlobal('registerProcessor', { value: (name: string, ctor: ProcessorCtor) => registered.set(name, ctor), writable: true });
  defineGlobal('sampleRate', { value: SR, writable: true });
  defineGlobal('currentFrame', { get: () => frame });
  await import('./capture.worklet.ts');
});

afterAll(() => {
  for (const p of ports) p.close();
  for (const [name, desc] of saved) {
    if (desc === undefined) Reflect.deleteProperty(globalThis, name);
    else Object.defineProperty(globalThis, name, desc);
  }
});

/** Construct the registered processor; returns it and the node-side port. */
function make(processorOptions: unknown): { proc: Processor; nodePort: MessagePort } {
  const ch = new MessageChannel();
  ports.push(ch.port1, ch.port2);
  nextPort = ch.port1;
  const Ctor = registered.get(CAPTURE_PROCESSOR_NAME);
  if (Ctor === undefined) throw new Error('capture processor was not registered');
  return { proc: new Ctor({ processorOptions }), nodePort: ch.port2 };
}

function messageFrom(port: MessagePort): Promise<unknown> {
  return new Promise((resolve) => port.once('message', resolve));
}

describe('capture.worklet', () => {
  it(`registers as ${CAPTURE_PROCESSOR_NAME}`, () => {
    expect(registered.has(CAPTURE_PROCESSOR_NAME)).toBe(true);
  });

  it('copies the downmixed input into the ring and stamps currentFrame', () => {
    const buffers = createCaptureBuffers(1024);
    const { proc } = make(buffers);
    const l = new Float32Array(128).fill(0.5);
    const r = new Float32Array(128).fill(-0.25);
    frame = 44100;
    expect(proc.process([[l, r]], [], {})).toBe(true);
    frame += 128;
    expect(proc.process([[l, r]], [], {})).toBe(true);
    const out = new Float32Array(256);
    expect(openCaptureRing(buffers.ring).pop(out, 256)).toBe(256);
    for (const v of out) expect(v).toBe(0.125);
    const s = new CaptureStateSnapshot();
    new CaptureStateReader(buffers.state).read(s);
    expect(s.sampleRate).toBe(SR);
    expect(s.endFrame).toBe(44100 + 256);
    expect(s.totalWritten).toBe(256);
    expect(s.channels).toBe(2);
  });

  it('with no input connected writes nothing and keeps returning true', () => {
    const buffers = createCaptureBuffers(1024);
    const { proc } = make(buffers);
    for (let i = 0; i < 5; i++) {
      frame = i * 128;
      expect(proc.process([[]], [], {})).toBe(true);
      expect(proc.process([], [], {})).toBe(true);
    }
    expect(openCaptureRing(buffers.ring).availableRead()).toBe(0);
    const s = new CaptureStateSnapshot();
    new CaptureStateReader(buffers.state).read(s);
    expect(s.channels).toBe(0);
    expect(s.clockFrame).toBe(4 * 128 + 128);
    expect(s.running).toBe(true);
  });

  it('reports bad options on its port instead of throwing, and goes inert', async () => {
    const { proc, nodePort } = make({ ring: new ArrayBuffer(16) });
    const msg = await messageFrom(nodePort);
    expect(msg).toEqual({ type: 'error', message: expect.stringMatching(/ring must be a SharedArrayBuffer/) });
    expect(proc.process([[new Float32Array(128)]], [], {})).toBe(false);
  });

  it('stops on a stop message and marks the capture not running', async () => {
    const buffers = createCaptureBuffers(1024);
    const { proc, nodePort } = make(buffers);
    expect(proc.process([[new Float32Array(128)]], [], {})).toBe(true);
    nodePort.postMessage({ type: 'stop' });
    // The message crosses a port: poll (as the audio thread would keep calling) until it lands.
    let alive = true;
    for (let waited = 0; alive && waited < 5000; waited += 5) {
      await new Promise((r) => setTimeout(r, 5));
      alive = proc.process([[new Float32Array(128)]], [], {});
    }
    expect(alive).toBe(false);
    const s = new CaptureStateSnapshot();
    new CaptureStateReader(buffers.state).read(s);
    expect(s.running).toBe(false);
  });
});
