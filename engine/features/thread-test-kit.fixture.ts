/**
 * Test helpers for real worker_threads tests (not a test itself: tests are *.test.ts).
 * spawnTsWorker runs a TypeScript fixture in a worker through ts-worker-boot.fixture.mjs,
 * which registers tsx's loader inside the thread; fixtures read their input with fixtureData().
 */
import { Worker, workerData } from 'node:worker_threads';
import { seededRandom } from '../../workers/analysis/signals.ts';

export { seededRandom };

const BOOT = new URL('./ts-worker-boot.fixture.mjs', import.meta.url);

export interface TsWorker {
  readonly worker: Worker;
  /** Exit code; listened for from the start, so an early exit is never missed. */
  readonly exit: Promise<number>;
}

/** Start `entry` (a .ts fixture URL) in a worker thread; `data` arrives via fixtureData(). */
export function spawnTsWorker(entry: URL, data: unknown): TsWorker {
  const worker = new Worker(BOOT, { workerData: { entry: entry.href, data } });
  const exit = exited(worker);
  exit.catch(() => {}); // the rejection is seen by whoever awaits `exit`; not unhandled meanwhile
  return { worker, exit };
}

/** Inside a fixture: the `data` given to spawnTsWorker. */
export function fixtureData<T>(): T {
  return (workerData as { data: T }).data;
}

/** The next message from `worker` that passes `accept`; rejects on a worker error or early exit. */
export function nextMessage<T>(worker: Worker, accept: (m: T) => boolean = () => true): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: T): void => {
      if (!accept(m)) return;
      cleanup();
      resolve(m);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`worker exited (code ${code}) before sending the expected message`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Resolves with the exit code; rejects on an uncaught error in the worker. Attach before it can exit. */
function exited(worker: Worker): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
}

/** Busy-wait `ms` without yielding to the event loop (a stalled consumer in tests). */
export function spinFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** A seeded stream of Float32 audio-like samples in [-1, 1); same seed, same stream on any thread. */
export function seededSamples(seed: number): () => number {
  const rnd = seededRandom(seed);
  return () => Math.fround(rnd() * 2 - 1);
}
