// essentia.js ships no types: just enough for the ES entry points the web loader imports;
// the loader narrows them to the facade's Raw* interfaces.
declare module 'essentia.js/dist/essentia-wasm.es.js' {
  export const EssentiaWASM: { EssentiaJS?: unknown; onRuntimeInitialized?: () => void };
}
declare module 'essentia.js/dist/essentia.js-core.es.js' {
  const Essentia: new (wasm: unknown, isDebug?: boolean) => unknown;
  export default Essentia;
}
