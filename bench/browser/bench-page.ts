/**
 * The bench page: starts the module worker and exposes `runAnalysisBench(request)` for the
 * Node driver to call through page.evaluate.
 */
import type { BrowserBenchReply, BrowserBenchRequest, BrowserBenchResult } from './protocol.ts';

function runAnalysisBench(request: BrowserBenchRequest): Promise<BrowserBenchResult> {
  const worker = new Worker(new URL('./analysis-bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BrowserBenchResult>((resolve, reject) => {
    worker.onmessage = (ev: MessageEvent<BrowserBenchReply>) => {
      worker.terminate();
      if (ev.data.ok) resolve(ev.data.result);
      else reject(new Error(ev.data.error));
    };
    worker.onerror = (ev: ErrorEvent) => {
      worker.terminate();
      reject(new Error(`bench worker failed to start or crashed: ${ev.message || 'no message (module load error?)'}`));
    };
    worker.postMessage(request);
  });
}

(globalThis as { runAnalysisBench?: typeof runAnalysisBench }).runAnalysisBench = runAnalysisBench;
