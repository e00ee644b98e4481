/**
 * Capture worklet: copies the input, downmixed to mono, into the shared sample ring and stamps
 * the audio clock. It does nothing else, so the audio thread never waits on analysis.
 * Load with `import url from './capture.worklet.ts?worker&url'` then
 * `ctx.audioWorklet.addModule(url)`; construct the node with
 * `processorOptions: createCaptureBuffers()` (capture-shared.ts).
 * Port messages: in `{ type: 'stop' }`; out `{ type: 'error', message }` when set-up fails.
 */
import { CAPTURE_PROCESSOR_NAME, CaptureProcessorCore, RENDER_QUANTUM_FRAMES, validateCaptureBuffers, type CaptureBuffers } from './capture-shared.ts';

// AudioWorkletGlobalScope names. TypeScript ships no AudioWorklet lib; declared here, module-local,
// so no other file in the project sees a global `sampleRate` or `currentFrame`.
declare const sampleRate: number;
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}
declare function registerProcessor(name: string, ctor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly core: CaptureProcessorCore | null = null;
  private readonly quantum: number;
  private alive = true;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const rq = (globalThis as { renderQuantumSize?: unknown }).renderQuantumSize;
    this.quantum = typeof rq === 'number' && rq > 0 ? rq : RENDER_QUANTUM_FRAMES;
    const opts: unknown = options?.processorOptions;
    const problem = validateCaptureBuffers(opts);
    if (problem !== null) {
      this.port.postMessage({ type: 'error', message: problem });
      return;
    }
    try {
      this.core = new CaptureProcessorCore(opts as CaptureBuffers, sampleRate, this.quantum);
    } catch (e) {
      this.port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.port.onmessage = (ev: MessageEvent) => {
      const data: unknown = ev.data;
      if (data !== null && typeof data === 'object' && (data as { type?: unknown }).type === 'stop') this.alive = false;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const core = this.core;
    if (core === null) return false; // misconfigured: the error went out in the constructor
    if (!this.alive) {
      core.stop();
      return false;
    }
    const input = inputs[0];
    // No input connected: zero channels; write nothing but keep the clock and the node alive.
    const channels = input === undefined ? 0 : input.length;
    const frames = channels > 0 ? input[0].length : this.quantum;
    core.processBlock(channels > 0 ? input : EMPTY, frames, currentFrame);
    return true;
  }
}

const EMPTY: Float32Array[] = [];

registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
