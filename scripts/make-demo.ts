/**
 * `npm run demo-audio [-- --out <dir>] [--force]`: render the demo track to
 * `app/public/demo/demo.wav` (stereo, 48 kHz, 16-bit) with `demo.truth.json` (ground truth) and
 * `demo.version.json` (generator version: an unchanged version skips the render).
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TRACK_VERSION, renderDemoTrack } from './demo-track.ts';
import { encodeWav } from './wav.ts';

export const DEMO_SAMPLE_RATE = 48000;
export const DEMO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'app', 'public', 'demo');

export interface DemoFiles {
  readonly wav: string;
  readonly truth: string;
  readonly version: string;
}

export function demoFiles(dir: string): DemoFiles {
  return { wav: join(dir, 'demo.wav'), truth: join(dir, 'demo.truth.json'), version: join(dir, 'demo.version.json') };
}

interface VersionStamp {
  version: number;
  sampleRate: number;
  bytes: number;
}

async function upToDate(files: DemoFiles): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(files.version, 'utf8')) as VersionStamp;
    if (stamp.version !== DEMO_TRACK_VERSION || stamp.sampleRate !== DEMO_SAMPLE_RATE) return false;
    const [wav, truth] = await Promise.all([stat(files.wav), stat(files.truth)]);
    return wav.size === stamp.bytes && truth.size > 0;
  } catch {
    return false;
  }
}

/** Write the demo files into `dir` unless they are current. Returns whether it rendered. */
export async function makeDemo(dir: string, force = false): Promise<{ rendered: boolean; files: DemoFiles; bytes: number; seconds: number }> {
  const files = demoFiles(dir);
  if (!force && (await upToDate(files))) {
    const stamp = JSON.parse(await readFile(files.version, 'utf8')) as VersionStamp;
    return { rendered: false, files, bytes: stamp.bytes, seconds: 0 };
  }
  const t0 = performance.now();
  const track = renderDemoTrack(DEMO_SAMPLE_RATE);
  const wav = encodeWav(track.channels, track.sampleRate, 'pcm16');
  await mkdir(dir, { recursive: true });
  // Write then rename so a reader never sees half a file.
  await writeFile(files.wav + '.tmp', wav);
  await rename(files.wav + '.tmp', files.wav);
  await writeFile(files.truth, JSON.stringify(track.truth, null, 1) + '\n');
  const stamp: VersionStamp = { version: DEMO_TRACK_VERSION, sampleRate: DEMO_SAMPLE_RATE, bytes: wav.byteLength };
  await writeFile(files.version, JSON.stringify(stamp) + '\n');
  return { rendered: true, files, bytes: wav.byteLength, seconds: (performance.now() - t0) / 1000 };
}

const USAGE = `usage: npm run demo-audio [-- --out <dir>] [--force]
  Renders the demo track (stereo 48 kHz 16-bit WAV) and its ground truth.
  --out <dir>  output folder (default app/public/demo)
  --force      render even when the files are current`;

async function main(argv: readonly string[]): Promise<number> {
  let dir = DEMO_DIR;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a === '--force') force = true;
    else if (a === '--out') {
      const v = argv[++i];
      if (!v) {
        console.error('demo-audio: --out needs a folder');
        return 2;
      }
      dir = resolve(v);
    } else {
      console.error(`demo-audio: unknown argument '${a}'\n${USAGE}`);
      return 2;
    }
  }
  const r = await makeDemo(dir, force);
  const mb = (r.bytes / 1048576).toFixed(1);
  if (r.rendered) console.log(`demo-audio: wrote ${r.files.wav} (${mb} MiB, v${DEMO_TRACK_VERSION}) in ${r.seconds.toFixed(1)} s`);
  else console.log(`demo-audio: ${r.files.wav} is current (v${DEMO_TRACK_VERSION}, ${mb} MiB); use --force to render again`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`demo-audio: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
