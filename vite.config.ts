import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// SharedArrayBuffer needs cross-origin isolation: both dev and preview send COOP/COEP.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'app',
  publicDir: 'public',
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  worker: { format: 'es' },
  assetsInclude: ['**/*.wasm'],
  // One local app, not a website: the engine's large chunks (three, the analysis WASM glue) are expected.
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
});
