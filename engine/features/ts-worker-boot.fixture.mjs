// Test-only bootstrap for worker_threads: Node 20 cannot load .ts, and `execArgv: ['--import', 'tsx']`
// does not reach a worker's entry module there, so this plain-JS entry registers tsx's ESM loader
// in the worker thread first and then imports the TypeScript fixture named in workerData.entry.
// Use it through spawnTsWorker() in thread-test-kit.fixture.ts.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
