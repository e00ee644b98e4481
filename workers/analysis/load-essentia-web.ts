/**
 * Browser (module worker) loader for essentia.js: the ES builds, WASM inlined and compiled
 * synchronously, wrapped in the facade. Waits for the runtime if it is not ready yet.
 */
import { EssentiaWASM } from 'essentia.js/dist/essentia-wasm.es.js';
import Essentia from 'essentia.js/dist/essentia.js-core.es.js';
import { EssentiaFacade, type RawEssentia } from './essentia-facade.ts';

export async function loadEssentiaWeb(): Promise<EssentiaFacade> {
  if (typeof EssentiaWASM.EssentiaJS !== 'function') {
    await new Promise<void>((resolve) => {
      EssentiaWASM.onRuntimeInitialized = resolve;
    });
  }
  return new EssentiaFacade(new Essentia(EssentiaWASM) as RawEssentia);
}
