/**
 * Worker-thread side of bus.test.ts (run via spawnTsWorker, see thread-test-kit.fixture.ts).
 * Roles: 'writer' publishes hops 1, 2, 3... as fast as it can through the real FeatureBusWriter;
 * 'unlocked-writer' does the same with the sequence lock taken out (the sequence only moves after
 * the data is written), a deliberately broken writer that proves the torn-read check can fail;
 * 'reader' reads and checks continuously. All stop when control[0] becomes 1.
 */
import { parentPort } from 'node:worker_threads';
import { FeatureBusReader, FeatureBusWriter, FeatureSnapshot } from './bus.ts';
import { BUS_FRAME, BUS_HOP, BUS_SAMPLE_RATE, MAX_HOP, newReadStats, publishHop, readAndCheck } from './bus-check.fixture.ts';
import { fixtureData } from './thread-test-kit.fixture.ts';
import { FEATURE_COUNT } from './layout.ts';

export interface BusJob {
  role: 'writer' | 'unlocked-writer' | 'reader';
  bus: SharedArrayBuffer;
  /** Int32: [0] stop flag. */
  control: SharedArrayBuffer;
}

interface LockHooks {
  begin(): void;
  end(): void;
  ints: Int32Array;
}

/** FeatureBusWriter whose begin() does nothing and whose end() bumps the sequence by a whole step. */
class UnlockedBusWriter extends FeatureBusWriter {}
{
  const base = FeatureBusWriter.prototype as unknown as Partial<LockHooks>;
  if (typeof base.begin !== 'function' || typeof base.end !== 'function') {
    throw new Error('bus-worker.fixture: FeatureBusWriter no longer has begin()/end(); update the unlocked writer');
  }
  const proto = UnlockedBusWriter.prototype as unknown as LockHooks;
  proto.begin = function begin(): void {};
  proto.end = function end(this: LockHooks): void {
    Atomics.add(this.ints, 0, 2);
  };
}

const job = fixtureData<BusJob>();
const control = new Int32Array(job.control);

if (job.role === 'reader') {
  const reader = new FeatureBusReader(job.bus);
  const snap = new FeatureSnapshot();
  const prev = new Float64Array(3);
  const st = newReadStats();
  parentPort!.postMessage({ type: 'ready' });
  while (Atomics.load(control, 0) === 0) readAndCheck((o) => reader.read(o), snap, prev, st);
  st.retries = reader.retries;
  parentPort!.postMessage({ type: 'stats', stats: st });
} else {
  const Writer = job.role === 'writer' ? FeatureBusWriter : UnlockedBusWriter;
  const writer = new Writer(job.bus, BUS_SAMPLE_RATE, BUS_HOP, BUS_FRAME);
  const scratch = new Float32Array(FEATURE_COUNT);
  parentPort!.postMessage({ type: 'ready' });
  let k = 0;
  while (Atomics.load(control, 0) === 0 && k < MAX_HOP) publishHop(writer, ++k, scratch);
  parentPort!.postMessage({ type: 'done', published: k });
}
