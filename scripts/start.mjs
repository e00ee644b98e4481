// `npm start`: installs dependencies if needed, makes the demo track, builds and serves the engine.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, checkNode, ensureNodeModules, fail } from './env-check.mjs';

checkNode();
ensureNodeModules();
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const demo = spawnSync(bin('tsx'), ['scripts/make-demo.ts'], { cwd: ROOT, stdio: 'inherit' });
if (demo.status !== 0) fail('Could not generate the demo track (scripts/make-demo.ts).');

// The production build, served as a show would run it (faster to load, no module graph to
// transform); `npm run dev` is the development server with hot reload.
const build = spawnSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) fail('The build failed (vite build): see the messages above.');
const args = process.argv.slice(2);
const vite = spawn(bin('vite'), ['preview', '--port', '5173', '--strictPort', ...args], { cwd: ROOT, stdio: 'inherit' });
console.log('\nGlassforest: open http://127.0.0.1:5173/ in Chrome or Chromium (the demo track starts on its own; click once if the browser asks).\n');
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => vite.kill(sig));
vite.on('exit', (code) => process.exit(code ?? 0));
