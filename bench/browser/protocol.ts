/**
 * Messages between the bench driver (Node, through the page) and the bench worker.
 * Set-up only: the timing loop itself runs inside the worker.
 */
import type { Summary } from '../stats.ts';

export interface BrowserBenchRequest {
  hops: number;
  warmup: number;
}

export interface BrowserBenchRow {
  name: string;
  summary: Summary;
}

export interface BrowserBenchResult {
  userAgent: string;
  crossOriginIsolated: boolean;
  /** Smallest non-zero step seen in performance.now() (ms): the timer's resolution. */
  timerStepMs: number;
  essentiaLoadMs: number;
  signalChecksum: string;
  /** Sum of one output per hop of every variant (keeps the work observable). */
  sink: number;
  rows: BrowserBenchRow[];
}

export type BrowserBenchReply = { ok: true; result: BrowserBenchResult } | { ok: false; error: string };
