/**
 * Test helper (Node only): measures how many heap bytes a call allocates, so tests can hold
 * hot paths to "allocates nothing". Not imported by runtime code.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null = null;

function gc(): void {
  if (gcFn === null) {
    setFlagsFromString('--expose_gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

function heapGrowth(fn: (i: number) => void, iterations: number): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < iterations; i++) fn(i);
  return process.memoryUsage().heapUsed - before;
}

/**
 * Heap bytes allocated per call of `fn`, the smallest over several rounds (so the figure is the
 * optimised code's, as in a long show; a one-off recompilation can land in one round). Each
 * round runs `iterations` and twice as many calls and divides the difference, which cancels
 * one-off growth unrelated to the calls (V8 bookkeeping, tens of KB). A round stays small
 * enough that no young-generation collection hides its allocations (40k 16-byte objects are
 * ~640 KB), and per-call figures below 1 byte mean "none".
 * `warmup` calls precede each attempt; an expensive `fn` can ask for fewer (a few thousand
 * calls are enough for V8 to optimise it).
 * Note: V8 boxes doubles passed to or returned from calls it does not inline, so a hot loop
 * that calls helpers per element can allocate even though the source has no `new`.
 */
export function bytesPerCall(fn: (i: number) => void, iterations = 20_000, rounds = 5, warmup = 50_000): number {
  // Optimise on the calling thread: on a loaded machine a background compile can miss the whole
  // warm-up, and unoptimised code boxes numbers the optimised code does not.
  setFlagsFromString('--no-concurrent-recompilation');
  let best = Infinity;
  // A real allocation shows in every attempt; a late optimisation only in the first.
  for (let attempt = 0; attempt < 3 && best >= 1; attempt++) {
    for (let i = 0; i < warmup; i++) fn(i); // warm up: let the JIT optimise fn and its callees
    for (let r = 0; r < rounds; r++) {
      const one = heapGrowth(fn, iterations);
      const two = heapGrowth(fn, iterations * 2);
      const per = (two - one) / iterations;
      if (per < best) best = per;
    }
  }
  return best < 0 ? 0 : best;
}
