/**
 * Node loader for essentia.js: loads the UMD build with require() and wraps it in the facade.
 * The UMD build installs process-wide uncaughtException/unhandledRejection handlers (an
 * unrelated promise rejection would then abort the whole process); they are removed again
 * here so the host keeps its own error handling.
 */
import { createRequire } from 'node:module';
import { EssentiaFacade, type RawEssentia, type RawEssentiaModule } from './essentia-facade.ts';

interface EssentiaPackage {
  Essentia: new (wasm: RawEssentiaModule) => RawEssentia;
  EssentiaWASM: RawEssentiaModule;
}

let cached: EssentiaPackage | undefined;

function loadPackage(): EssentiaPackage {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const beforeException = process.listeners('uncaughtException');
  const beforeRejection = process.listeners('unhandledRejection');
  let pkg: EssentiaPackage;
  try {
    pkg = require('essentia.js') as EssentiaPackage;
  } catch (e) {
    throw new Error(`essentia.js could not be loaded (is the npm package installed?): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!beforeException.includes(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!beforeRejection.includes(l)) process.removeListener('unhandledRejection', l);
  }
  if (typeof pkg?.Essentia !== 'function' || typeof pkg.EssentiaWASM?.EssentiaJS !== 'function') {
    throw new Error('essentia.js loaded but has no Essentia/EssentiaWASM.EssentiaJS export: unsupported version');
  }
  cached = pkg;
  return pkg;
}

/** A new facade over a new essentia instance (all instances share the one WASM module). */
export function loadEssentiaNode(): EssentiaFacade {
  const pkg = loadPackage();
  return new EssentiaFacade(new pkg.Essentia(pkg.EssentiaWASM));
}

/** The raw package, for the naive-usage benchmark only. */
export function loadEssentiaPackageNode(): EssentiaPackage {
  return loadPackage();
}
