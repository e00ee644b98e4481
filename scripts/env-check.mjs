// Shared by start and test: make sure dependencies and system tools exist, installing them
// where we can (npm packages always; Debian packages when running as root), or stop with a
// message naming what is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function fail(msg) {
  console.error(`\n✖ ${msg}\n`);
  process.exit(1);
}

export function checkNode() {
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) fail(`Node.js ${process.versions.node} is too old: Glassforest needs Node 20.19 or newer.`);
}

/** Install npm dependencies when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const nm = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  const stale = !existsSync(nm) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(nm).mtimeMs + 1000);
  if (!stale) return;
  console.log('Installing dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail('npm ci failed; see the output above.');
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

let aptUpdated = false;
function aptInstall(pkgs) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) return false;
  console.log(`Installing Debian packages: ${pkgs.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  return r.status === 0;
}

/** Path of a Chromium for headless tests: CHROME_PATH, known paths, or Debian's package. */
export function ensureChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  if (aptInstall(['chromium'])) {
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  fail(
    'No Chromium found for the end-to-end tests. Install the Debian package "chromium" (apt-get install chromium) ' +
      'or set CHROME_PATH to a Chromium/Chrome executable.',
  );
}

/** sox makes test signals (FLAC fixtures); install it when we can. */
export function ensureSox() {
  if (which('sox')) return true;
  if (aptInstall(['sox', 'libsox-fmt-all'])) return !!which('sox');
  fail('The tests need "sox" (Debian package "sox") to make audio fixtures. Install it and run again.');
}

/** liblo-tools' oscsend/oscdump are the real OSC clients the bridge tests talk to. */
export function ensureLiblo() {
  if (which('oscsend') && which('oscdump')) return true;
  if (aptInstall(['liblo-tools'])) return !!which('oscsend');
  fail('The OSC tests need "oscsend" and "oscdump" (Debian package "liblo-tools"). Install it and run again.');
}

/** The rhythm evaluation renders its music with fluidsynth and a General MIDI soundfont. */
export function ensureFluidsynth() {
  const sf = ['/usr/share/sounds/sf2/FluidR3_GM.sf2', '/usr/share/sounds/sf2/default-GM.sf2', process.env.GLASSFOREST_SOUNDFONT].filter(Boolean);
  const haveSf = () => sf.some((p) => existsSync(p));
  if (which('fluidsynth') && haveSf()) return true;
  if (aptInstall(['fluidsynth', 'fluid-soundfont-gm'])) return !!which('fluidsynth') && haveSf();
  fail('The rhythm evaluation tests need "fluidsynth" and a General MIDI soundfont (Debian packages "fluidsynth" and "fluid-soundfont-gm"). Install them and run again.');
}

export function runNode(args, opts = {}) {
  return execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}
