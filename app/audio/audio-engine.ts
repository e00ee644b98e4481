/**
 * The browser's audio side: one AudioContext, the chosen source (demo track, file, or
 * microphone/line-in), the capture worklet feeding the ring buffer, and the analysis worker.
 * Every failure (denied microphone, unplugged device, undecodable file, crashed worker)
 * is reported in plain words and the engine keeps running on what it had.
 */
import * as Comlink from 'comlink';
import captureWorkletUrl from '../../workers/capture.worklet.ts?worker&url';
import AnalysisWorker from '../../workers/analysis.worker.ts?worker';
import type { AnalysisApi, AnalysisStats } from '../../workers/analysis.worker.ts';
import { createFeatureBusBufferOrFallback } from '../../engine/features/bus.ts';
import { CAPTURE_PROCESSOR_NAME, createCaptureBuffers } from '../../workers/capture-shared.ts';
import { describeError, report } from '../../engine/messages.ts';

export type SourceKind = 'none' | 'demo' | 'file' | 'mic';
export type EnginePhase = 'idle' | 'waiting-for-gesture' | 'starting' | 'analysing' | 'error';

export interface AudioStatus {
  phase: EnginePhase;
  isolated: boolean;
  sampleRate: number;
  source: SourceKind;
  sourceLabel: string;
  playing: boolean;
  loop: boolean;
  duration: number;
  devices: { deviceId: string; label: string }[];
  deviceId: string;
  workerRestarts: number;
}

export interface AudioEngineOptions {
  frameSize?: number;
  hopSize?: number;
  demoUrl?: string;
}

const RING_CAPACITY = 1 << 18;
const MAX_FILE_BYTES = 1024 * 1024 * 1024;

type Listener = () => void;

export class AudioEngine {
  readonly bus: SharedArrayBuffer | ArrayBuffer;
  private ctx: AudioContext | null = null;
  private ring: SharedArrayBuffer | null = null;
  private state: SharedArrayBuffer | null = null;
  private worker: Worker | null = null;
  private api: Comlink.Remote<AnalysisApi> | null = null;
  private capture: AudioWorkletNode | null = null;
  private input: GainNode | null = null;
  private monitor: GainNode | null = null;
  private sourceNode: AudioNode | null = null;
  private micStream: MediaStream | null = null;
  private buffer: AudioBuffer | null = null;
  private startedAt = 0;
  private clockMapAt = -Infinity;
  private clockMapContext = 0;
  private clockMapPage = 0;
  private offset = 0;
  private listeners = new Set<Listener>();
  private opts: Required<AudioEngineOptions>;
  private status: AudioStatus;
  /** performance.now() when the engine was constructed, for start-up figures. */
  readonly createdAt = performance.now();
  readonly essentiaReady: Promise<number>;

  constructor(opts: AudioEngineOptions = {}) {
    this.opts = { frameSize: opts.frameSize ?? 2048, hopSize: opts.hopSize ?? 512, demoUrl: opts.demoUrl ?? '/demo/demo.wav' };
    this.bus = createFeatureBusBufferOrFallback();
    if (globalThis.crossOriginIsolated === true) {
      const b = createCaptureBuffers(RING_CAPACITY);
      this.ring = b.ring;
      this.state = b.state;
    }
    this.status = {
      phase: 'idle',
      isolated: globalThis.crossOriginIsolated === true,
      sampleRate: 0,
      source: 'none',
      sourceLabel: 'no source',
      playing: false,
      loop: true,
      duration: 0,
      devices: [],
      deviceId: '',
      workerRestarts: 0,
    };
    // Start the worker (and essentia's WASM compile) at once, while the page builds.
    this.spawnWorker();
    this.essentiaReady = this.api!.warmUp();
    this.essentiaReady.catch((err) => report('error', `The analysis engine (essentia.js) failed to load: ${describeError(err)}. Visuals keep running without analysis.`));
  }

  getStatus(): AudioStatus {
    return this.status;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private update(patch: Partial<AudioStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  private spawnWorker(): void {
    const w = new AnalysisWorker({ name: 'glassforest-analysis' });
    w.addEventListener('error', (ev) => {
      ev.preventDefault();
      this.onWorkerCrash(ev.message || 'unknown error');
    });
    this.worker = w;
    this.api = Comlink.wrap<AnalysisApi>(w);
  }

  /**
   * A crashed analysis worker is replaced; the feature bus keeps its last values meanwhile.
   * Restarts back off (0.5 s doubling to 30 s) so a worker that dies at load cannot spin.
   */
  private onWorkerCrash(why: string): void {
    const restarts = this.status.workerRestarts + 1;
    const delay = restarts <= 1 ? 0 : Math.min(30_000, 500 * 2 ** (restarts - 2));
    report(
      'error',
      `The analysis worker stopped (${why}). Restarting it${delay > 0 ? ` in ${(delay / 1000).toFixed(1)} s` : ''}; visuals keep the last features.`,
    );
    this.api?.[Comlink.releaseProxy]();
    this.api = null;
    this.worker?.terminate();
    this.worker = null;
    this.update({ workerRestarts: restarts });
    setTimeout(() => {
      this.spawnWorker();
      if (this.ctx) {
        this.initAnalysis().catch((err) => report('error', `The restarted analysis worker could not start: ${describeError(err)}`));
      }
    }, delay);
  }

  /** Create the context and the capture chain. Needs a user gesture unless autoplay is allowed. */
  async start(): Promise<void> {
    if (!this.status.isolated) {
      report(
        'error',
        'This page is not cross-origin isolated, so SharedArrayBuffer is unavailable and audio analysis cannot run. ' +
          'Serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (npm start does).',
      );
      this.update({ phase: 'error' });
      return;
    }
    if (!this.ctx) {
      this.update({ phase: 'starting' });
      try {
        this.ctx = new AudioContext({ latencyHint: 'interactive' });
        await this.ctx.audioWorklet.addModule(captureWorkletUrl);
        this.capture = new AudioWorkletNode(this.ctx, CAPTURE_PROCESSOR_NAME, {
          numberOfInputs: 1,
          numberOfOutputs: 1,
          outputChannelCount: [1],
          channelCountMode: 'max',
          processorOptions: { ring: this.ring, state: this.state },
        });
        // A muted path to the destination keeps the worklet pulled on every render quantum.
        const mute = new GainNode(this.ctx, { gain: 0 });
        this.capture.connect(mute).connect(this.ctx.destination);
        this.input = new GainNode(this.ctx, { gain: 1 });
        this.input.connect(this.capture);
        this.monitor = new GainNode(this.ctx, { gain: 1 });
        this.monitor.connect(this.ctx.destination);
        this.ctx.addEventListener('statechange', () => {
          const state = this.ctx?.state;
          if (state === 'suspended' && this.status.phase === 'analysing') this.update({ phase: 'waiting-for-gesture' });
          else if (state === 'running' && this.status.phase === 'waiting-for-gesture') this.update({ phase: 'analysing' });
        });
        this.update({ sampleRate: this.ctx.sampleRate });
        await this.initAnalysis();
      } catch (err) {
        report('error', `Audio could not start: ${describeError(err)}`);
        this.update({ phase: 'error' });
        return;
      }
    }
    if (this.ctx.state !== 'running') {
      try {
        await Promise.race([this.ctx.resume(), new Promise((r) => setTimeout(r, 300))]);
      } catch {
        /* resume needs a gesture: handled below */
      }
    }
    if (this.ctx.state !== 'running') {
      this.update({ phase: 'waiting-for-gesture' });
      return;
    }
    this.update({ phase: 'analysing' });
    void this.refreshDevices();
  }

  /** Resume after a user gesture (click on the start overlay). */
  async resume(): Promise<void> {
    if (!this.ctx) return this.start();
    await this.ctx.resume();
    if (this.ctx.state === 'running') this.update({ phase: 'analysing' });
  }

  private async initAnalysis(): Promise<void> {
    if (!this.ctx || !this.api || !this.ring || !this.state || !(this.bus instanceof SharedArrayBuffer)) return;
    await this.api.init({
      ring: this.ring,
      state: this.state,
      bus: this.bus,
      sampleRate: this.ctx.sampleRate,
      frameSize: this.opts.frameSize,
      hopSize: this.opts.hopSize,
    });
  }

  async stats(): Promise<AnalysisStats | null> {
    try {
      return this.api ? await this.api.stats() : null;
    } catch {
      return null;
    }
  }

  async configureAnalysis(frameSize: number, hopSize: number): Promise<void> {
    try {
      await this.api?.configure({ frameSize, hopSize });
      this.opts.frameSize = frameSize;
      this.opts.hopSize = hopSize;
    } catch (err) {
      report('warning', `Analysis settings not changed: ${describeError(err)}`);
    }
  }

  /**
   * The audio-clock time (context seconds) of the sound reaching the listener now. The
   * context-to-page clock mapping is refreshed a few times a second (getOutputTimestamp
   * allocates) and extrapolated in between, so per-frame calls allocate nothing.
   */
  audioNow(): number {
    const ctx = this.ctx;
    if (!ctx) return 0;
    const now = performance.now();
    if (now - this.clockMapAt > 250) {
      this.clockMapAt = now;
      const ts = ctx.getOutputTimestamp();
      if (ts.contextTime !== undefined && ts.performanceTime !== undefined && ts.performanceTime > 0) {
        this.clockMapContext = ts.contextTime;
        this.clockMapPage = ts.performanceTime;
      } else {
        this.clockMapContext = ctx.currentTime - (ctx.outputLatency || 0);
        this.clockMapPage = now;
      }
    }
    return this.clockMapContext + (now - this.clockMapPage) / 1000;
  }

  get context(): AudioContext | null {
    return this.ctx;
  }

  private detachSource(): void {
    if (this.sourceNode) {
      try {
        if (this.sourceNode instanceof AudioBufferSourceNode) {
          this.sourceNode.onended = null;
          this.sourceNode.stop();
        }
      } catch {
        /* already stopped */
      }
      this.sourceNode.disconnect();
      this.sourceNode = null;
    }
    if (this.micStream) {
      for (const t of this.micStream.getTracks()) t.stop();
      this.micStream = null;
    }
  }

  /** The built-in demo track (generated by the project's own script). */
  async useDemo(): Promise<boolean> {
    try {
      const res = await fetch(this.opts.demoUrl);
      if (!res.ok) throw new Error(`the demo track is missing (${res.status}); run "npm run demo-audio"`);
      return await this.useEncoded(await res.arrayBuffer(), 'Demo track', 'demo');
    } catch (err) {
      report('error', `Demo track unavailable: ${describeError(err)}`);
      return false;
    }
  }

  /** An audio file from the picker or a drop. The current source keeps playing if it fails. */
  async useFile(file: Blob, name: string): Promise<boolean> {
    if (file.size === 0) {
      report('error', `"${name}" is empty: nothing to play. The current source keeps running.`);
      return false;
    }
    if (file.size > MAX_FILE_BYTES) {
      report('error', `"${name}" is larger than 1 GB; choose a shorter file. The current source keeps running.`);
      return false;
    }
    return this.useEncoded(await file.arrayBuffer(), name, 'file');
  }

  private async useEncoded(data: ArrayBuffer, label: string, kind: 'demo' | 'file'): Promise<boolean> {
    if (!this.ctx) await this.start();
    const ctx = this.ctx;
    if (!ctx) return false;
    let buffer: AudioBuffer;
    try {
      buffer = await ctx.decodeAudioData(data);
    } catch (err) {
      report(
        'error',
        `"${label}" could not be decoded as audio (${describeError(err)}). Use WAV, MP3, OGG or FLAC. The current source keeps running.`,
      );
      return false;
    }
    if (buffer.length === 0) {
      report('error', `"${label}" decodes to no samples. The current source keeps running.`);
      return false;
    }
    this.detachSource();
    this.buffer = buffer;
    this.offset = 0;
    this.update({ source: kind, sourceLabel: label, duration: buffer.duration });
    this.play();
    report('info', `Playing ${label} (${buffer.numberOfChannels} ch, ${buffer.sampleRate} Hz, ${buffer.duration.toFixed(1)} s).`);
    return true;
  }

  /** Start the loaded file at a given context time (tests use this for exact onset timing). */
  play(when?: number): number {
    const ctx = this.ctx;
    if (!ctx || !this.buffer || !this.input || !this.monitor) return -1;
    if (this.sourceNode instanceof AudioBufferSourceNode) this.detachSource();
    const node = new AudioBufferSourceNode(ctx, { buffer: this.buffer, loop: this.status.loop });
    node.connect(this.input);
    node.connect(this.monitor);
    const at = when ?? ctx.currentTime + 0.02;
    node.start(at, this.offset % this.buffer.duration);
    node.onended = () => {
      if (this.sourceNode === node) {
        this.offset = 0;
        this.update({ playing: false });
      }
    };
    this.sourceNode = node;
    this.startedAt = at - this.offset;
    this.update({ playing: true });
    return at;
  }

  pause(): void {
    const ctx = this.ctx;
    if (!ctx || !(this.sourceNode instanceof AudioBufferSourceNode) || !this.buffer) return;
    // A pause before the scheduled start would give a negative position.
    this.offset = Math.max(0, (ctx.currentTime - this.startedAt) % this.buffer.duration);
    this.detachSource();
    this.update({ playing: false });
  }

  setLoop(loop: boolean): void {
    if (this.sourceNode instanceof AudioBufferSourceNode) this.sourceNode.loop = loop;
    this.update({ loop });
  }

  /** Context time at which the current file/demo position 0 played (for onset alignment). */
  sourceStartTime(): number {
    return this.startedAt;
  }

  /** Playback position of the file/demo in seconds. */
  position(): number {
    if (!this.ctx || !this.buffer) return 0;
    if (!this.status.playing) return this.offset;
    const p = this.ctx.currentTime - this.startedAt;
    return this.status.loop ? p % this.buffer.duration : Math.min(p, this.buffer.duration);
  }

  /** Microphone or line-in, with every browser processing stage off. */
  async useMic(deviceId?: string): Promise<boolean> {
    if (!navigator.mediaDevices?.getUserMedia) {
      report('error', 'This browser offers no audio input (getUserMedia is missing). The current source keeps running.');
      return false;
    }
    if (!this.ctx) await this.start();
    const ctx = this.ctx;
    if (!ctx || !this.input) return false;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          deviceId: deviceId ? { exact: deviceId } : undefined,
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
          channelCount: { ideal: 2 },
        },
      });
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      const why =
        name === 'NotAllowedError'
          ? 'permission to use the microphone was denied; allow it in the browser’s site settings'
          : name === 'NotFoundError' || name === 'OverconstrainedError'
            ? 'no such audio input device is connected'
            : name === 'NotReadableError'
              ? 'the device is busy or was unplugged'
              : describeError(err);
      report('error', `Audio input unavailable: ${why}. The current source keeps running.`);
      return false;
    }
    this.detachSource();
    this.buffer = null;
    this.micStream = stream;
    const track = stream.getAudioTracks()[0];
    const label = track?.label || 'Audio input';
    track?.addEventListener('ended', () => {
      if (this.micStream !== stream) return;
      report('error', `The audio input "${label}" was disconnected. Visuals continue on silence; choose another input.`);
      this.detachSource();
      this.update({ source: 'none', sourceLabel: 'input lost', playing: false });
      void this.refreshDevices();
    });
    const node = new MediaStreamAudioSourceNode(ctx, { mediaStream: stream });
    node.connect(this.input);
    this.sourceNode = node;
    this.update({
      source: 'mic',
      sourceLabel: label,
      playing: true,
      duration: 0,
      deviceId: track?.getSettings().deviceId ?? deviceId ?? '',
    });
    void this.refreshDevices();
    return true;
  }

  async refreshDevices(): Promise<void> {
    try {
      const all = await navigator.mediaDevices?.enumerateDevices();
      if (!all) return;
      const devices = all
        .filter((d) => d.kind === 'audioinput')
        .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Input ${i + 1}` }));
      this.update({ devices });
    } catch {
      /* device listing is optional */
    }
  }

  watchDevices(): void {
    navigator.mediaDevices?.addEventListener?.('devicechange', () => void this.refreshDevices());
  }

  /** Stop the source (silence in, visuals keep running). */
  stopSource(): void {
    this.detachSource();
    this.update({ source: 'none', sourceLabel: 'no source', playing: false });
  }
}
