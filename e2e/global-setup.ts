/**
 * Builds the app once before the end-to-end tests, into E2E_DIST, which startServer() serves.
 * The demo track must exist first (npm test makes it): the build copies app/public.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { E2E_DIST, ROOT } from './harness.ts';

export default async function setup(): Promise<void> {
  rmSync(E2E_DIST, { recursive: true, force: true });
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: E2E_DIST, emptyOutDir: true } });
  // Test files (forked after this) serve the build only when this run made it.
  process.env.GLASSFOREST_E2E_DIST = E2E_DIST;
}
