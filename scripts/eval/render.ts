/**
 * Renders the evaluation set: each clip's notes through fluidsynth and a General MIDI soundfont
 * (Debian packages `fluidsynth` and `fluid-soundfont-gm`), then the clip's own treatment
 * (silence gaps, quiet gain, drive into clipping, tape hiss) in code, to a mono 16-bit WAV
 * beside its ground truth (`<name>.truth.json`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../workers/analysis/signals.ts';
import { decodeWav, encodeWav } from '../wav.ts';
import { writeMidiFile } from './midi-file.ts';
import { compose, type ClipDef, type Truth } from './set.ts';

export const EVAL_SAMPLE_RATE = 44100;
const SOUNDFONTS = ['/usr/share/sounds/sf2/FluidR3_GM.sf2', '/usr/share/sounds/sf2/default-GM.sf2'];

export interface Renderer {
  readonly fluidsynth: string;
  readonly soundfont: string;
}

/** Finds fluidsynth and a GM soundfont, or says which Debian packages to install. */
export function findRenderer(): Renderer | { missing: string } {
  const sf = [process.env.GLASSFOREST_SOUNDFONT, ...SOUNDFONTS].find((p): p is string => !!p && existsSync(p));
  let fluidsynth = '';
  try {
    execFileSync('fluidsynth', ['--version'], { stdio: 'ignore' });
    fluidsynth = 'fluidsynth';
  } catch {
    /* not installed */
  }
  if (!fluidsynth || !sf) {
    const need = [!fluidsynth ? 'fluidsynth' : '', !sf ? 'fluid-soundfont-gm' : ''].filter(Boolean).join(' ');
    return { missing: `the evaluation set is rendered with fluidsynth and a General MIDI soundfont: install the Debian packages ${need} (apt-get install ${need}), or set GLASSFOREST_SOUNDFONT to a .sf2 file` };
  }
  return { fluidsynth, soundfont: sf };
}

function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

/** Hiss: white noise through a gentle high shelf (first difference mixed in), at `db` dBFS RMS. */
function addHiss(x: Float32Array, db: number, seed: number): void {
  const rnd = seededRandom(seed);
  const target = dbToGain(db);
  const noise = new Float32Array(x.length);
  let prev = 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) {
    const w = rnd() * 2 - 1;
    const v = 0.6 * w + 0.4 * (w - prev);
    prev = w;
    noise[i] = v;
    sq += v * v;
  }
  const g = target / Math.sqrt(sq / Math.max(1, x.length));
  for (let i = 0; i < x.length; i++) x[i] += noise[i] * g;
}

/** Zero the audio inside each silence (after a 150 ms natural decay, with a 50 ms fade). */
function applySilences(x: Float32Array, truth: Truth, sr: number): void {
  for (const s of truth.silences) {
    const fadeStart = Math.round((s.start + 0.15) * sr);
    const fadeLen = Math.round(0.05 * sr);
    const end = Math.min(x.length, Math.round(s.end * sr));
    for (let i = fadeStart; i < end; i++) {
      const k = i - fadeStart;
      x[i] *= k < fadeLen ? 1 - k / fadeLen : 0;
    }
  }
}

/** Render one clip to `<dir>/<name>.wav` and `<dir>/<name>.truth.json`; returns the truth. */
export function renderClip(r: Renderer, def: ClipDef, dir: string): Truth {
  mkdirSync(dir, { recursive: true });
  const { notes, programs, truth } = compose(def);
  const mid = join(dir, `${def.name}.mid`);
  const raw = join(dir, `${def.name}.raw.wav`);
  writeFileSync(mid, writeMidiFile(notes, programs));
  execFileSync(r.fluidsynth, ['-ni', '-q', '-g', '0.6', '-r', String(EVAL_SAMPLE_RATE), '-O', 'float', '-T', 'wav', '-F', raw, r.soundfont, mid], { stdio: 'pipe' });
  const { channels, header } = decodeWav(readFileSync(raw));
  rmSync(raw, { force: true });
  const sr = header.sampleRate;
  const len = Math.round(truth.duration * sr);
  const x = new Float32Array(len);
  for (const ch of channels) for (let i = 0; i < Math.min(len, ch.length); i++) x[i] += ch[i] / channels.length;
  applySilences(x, truth, sr);
  let peak = 0;
  for (let i = 0; i < len; i++) peak = Math.max(peak, Math.abs(x[i]));
  // Peak-normalise to -1 dBFS, then the clip's treatment.
  const norm = peak > 0 ? dbToGain(-1) / peak : 1;
  const gain = norm * dbToGain(def.gainDb ?? 0) * (def.drive ?? 1);
  for (let i = 0; i < len; i++) x[i] = Math.max(-1, Math.min(1, x[i] * gain));
  if (def.hissDb !== undefined) addHiss(x, def.hissDb, len);
  for (let i = 0; i < len; i++) x[i] = Math.max(-1, Math.min(1, x[i]));
  writeFileSync(join(dir, `${def.name}.wav`), encodeWav([x], sr, 'pcm16'));
  writeFileSync(join(dir, `${def.name}.truth.json`), JSON.stringify({ clip: def, ...truth }, null, 1) + '\n');
  return truth;
}
