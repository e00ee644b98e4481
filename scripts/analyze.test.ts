/**
 * The `analyze` CLI as a user runs it: a real subprocess (tsx), real files, the real Analyzer
 * on essentia.js. Fixtures are generated with known ground truth.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_COLUMNS } from '../engine/features/layout.ts';
import { HAS_SOX, nearest, readCsv, readOnsets, run, runAnalyze, type CliRun, type Csv } from './cli-test-kit.ts';
import { clicks, mix, sine, whiteNoise } from '../workers/analysis/signals.ts';
import { encodeWav, type WavSampleFormat } from './wav.ts';

if (!HAS_SOX) console.warn('analyze.test: sox is not installed (apt-get install sox): SKIPPING the FLAC case');

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Values of `col` on rows whose time lies in [t0, t1]. */
function window(csv: Csv, col: string, t0: number, t1: number): number[] {
  const t = csv.col('time');
  const v = csv.col(col);
  return v.filter((_, i) => t[i] >= t0 && t[i] <= t1);
}

function tone(sampleRate: number, duration: number, amplitude: number): Float32Array {
  return sine({ sampleRate, duration, frequency: 440, amplitude });
}

/** Clicks at `times` over a -70 dBFS noise floor (real recordings are never digital zero). */
function clickTrack(sampleRate: number, duration: number, times: readonly number[]): Float32Array {
  return mix([{ signal: clicks({ sampleRate, duration, times }) }, { signal: whiteNoise({ sampleRate, duration, rms: 0.0003 }) }]);
}

function writeWav(path: string, channels: Float32Array[], sr: number, format: WavSampleFormat = 'pcm16'): string {
  writeFileSync(path, encodeWav(channels, sr, format));
  return path;
}

const CLICK_TIMES = [0.25, 0.7, 1.0, 1.45, 2.0, 2.3, 2.95, 3.5, 3.8, 4.4];
const TOL = 0.03;

describe('npm run analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gf-analyze-'));
  const out = join(dir, 'out');
  let main: CliRun;
  const lossyMade: string[] = [];
  let inputs: string[] = [];
  const f = {
    clicks: join(dir, 'clicks.wav'),
    clicksNoisy: join(dir, 'clicks-noisy.wav'),
    clicksFlac: join(dir, 'clicks-flac.flac'),
    clicksMp3: join(dir, 'clicks-mp3.mp3'),
    clicksOgg: join(dir, 'clicks-ogg.ogg'),
    sr4k: join(dir, 'sr4k.wav'),
    sine: join(dir, 'sine.wav'),
    stereo: join(dir, 'stereo.wav'),
    eight: join(dir, 'eight.wav'),
    sr8k: join(dir, 'sr8k.wav'),
    sr192k: join(dir, 'sr192k.wav'),
    text: join(dir, 'notes.wav'),
    empty: join(dir, 'empty.wav'),
    missing: join(dir, 'missing.wav'),
  };

  beforeAll(async () => {
    writeWav(f.clicks, [clicks({ sampleRate: 44100, duration: 5, times: CLICK_TIMES })], 44100);
    writeWav(f.clicksNoisy, [clickTrack(44100, 5, CLICK_TIMES)], 44100);
    if (HAS_SOX) {
      const r = spawnSync('sox', [f.clicksNoisy, f.clicksFlac], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sox failed to make the FLAC fixture: ${r.stderr}`);
      // MP3 and Ogg Vorbis need optional sox codecs: those cases skip (visibly) when absent.
      for (const lossy of [f.clicksMp3, f.clicksOgg]) {
        const e = spawnSync('sox', [f.clicks, lossy], { encoding: 'utf8' });
        if (e.status === 0) lossyMade.push(lossy);
        else console.warn(`analyze.test: sox cannot write ${lossy.slice(-3)} here (${e.stderr.trim()}): SKIPPING that case`);
      }
    }
    writeWav(f.sr4k, [tone(4000, 1, 0.5)], 4000);
    writeWav(f.sine, [tone(44100, 3, 0.5)], 44100);
    // Downmix is the channel average: 0.6 and 0.2 in phase give amplitude 0.4.
    writeWav(f.stereo, [tone(48000, 2, 0.6), tone(48000, 2, 0.2)], 48000, 'pcm24');
    const eight: Float32Array[] = [];
    for (let c = 0; c < 8; c++) eight.push(c === 3 ? tone(48000, 2, 0.8) : new Float32Array(96000));
    writeWav(f.eight, eight, 48000, 'float32');
    writeWav(f.sr8k, [tone(8000, 3, 0.5)], 8000);
    writeWav(f.sr192k, [tone(192000, 1.5, 0.5)], 192000, 'pcm24');
    writeFileSync(f.text, 'These are my set notes, not audio.\n'.repeat(40));
    writeFileSync(f.empty, '');
    inputs = [f.clicks, f.clicksNoisy, ...(HAS_SOX ? [f.clicksFlac] : []), ...lossyMade, f.sine, f.text, f.stereo, f.empty, f.eight, f.missing, f.sr8k, f.sr4k, f.sr192k];
    main = await runAnalyze([...inputs, '--out', out]);
  }, 240_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each bad file in one clear line, processes the rest and exits non-zero', () => {
    expect(main.code, main.stderr).toBe(1);
    const errLines = main.stderr.trim().split('\n');
    expect(errLines).toHaveLength(4);
    expect(errLines.find((l) => l.startsWith(f.text))).toMatch(/FAILED: not a recognised audio file/);
    expect(errLines.find((l) => l.startsWith(f.empty))).toMatch(/FAILED: empty file/);
    expect(errLines.find((l) => l.startsWith(f.missing))).toMatch(/FAILED: file not found/);
    expect(errLines.find((l) => l.startsWith(f.sr4k))).toMatch(/FAILED: unsupported sample rate 4000 Hz \(need 8000–192000 Hz\)/);
    for (const name of ['notes', 'empty', 'missing', 'sr4k']) expect(existsSync(join(out, `${name}.features.csv`))).toBe(false);
    for (const name of ['clicks', 'sine', 'stereo', 'eight', 'sr8k', 'sr192k']) {
      expect(existsSync(join(out, `${name}.onsets.txt`))).toBe(true);
      expect(existsSync(join(out, `${name}.features.csv`))).toBe(true);
    }
    // One summary line per analysed file with duration, hops, onsets and realtime factor.
    const summary = main.stdout.split('\n').find((l) => l.startsWith(f.clicks + ':'));
    expect(summary).toMatch(/5\.00 s, 44100 Hz, 1 ch → 431 hops, \d+ onsets; analysis [\d.]+ s \([\d.]+x realtime\)/);
    expect(main.stdout).toMatch(new RegExp(`analyze: ${inputs.length - 4} of ${inputs.length} files analysed`));
  });

  it('finds every click within ±30 ms and nothing else', () => {
    const onsets = readOnsets(join(out, 'clicks.onsets.txt'));
    const err = nearest(CLICK_TIMES, onsets);
    expect(Math.max(...err), `onsets ${onsets.join(' ')}`).toBeLessThanOrEqual(TOL);
    expect(onsets, 'no extra onsets').toHaveLength(CLICK_TIMES.length);
    // The onset column flags exactly those hops.
    const csv = readCsv(join(out, 'clicks.features.csv'));
    expect(csv.col('onset').filter((v) => v === 1)).toHaveLength(onsets.length);
  });

  it('finds the same clicks over a -70 dBFS noise floor, without a false onset where the file starts', () => {
    const onsets = readOnsets(join(out, 'clicks-noisy.onsets.txt'));
    expect(Math.max(...nearest(CLICK_TIMES, onsets)), `onsets ${onsets.join(' ')}`).toBeLessThanOrEqual(TOL);
    expect(onsets, `no extra onsets: ${onsets.join(' ')}`).toHaveLength(CLICK_TIMES.length);
  });

  it('writes one row per hop, stamped with the time of the hop’s last sample, under the layout’s header', () => {
    const csv = readCsv(join(out, 'clicks.features.csv'));
    expect(csv.header).toEqual(['time', ...FEATURE_COLUMNS]);
    expect(csv.rows).toHaveLength(Math.ceil((5 * 44100) / 512));
    const t = csv.col('time');
    expect(t[0]).toBeCloseTo(511 / 44100, 5);
    expect(t[100]).toBeCloseTo((101 * 512 - 1) / 44100, 5);
    for (const r of csv.rows) {
      expect(r).toHaveLength(FEATURE_COLUMNS.length + 1);
      for (const v of r) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it.skipIf(!HAS_SOX)('decodes a FLAC made by sox and finds the same onsets as in the WAV', () => {
    const wav = readOnsets(join(out, 'clicks-noisy.onsets.txt'));
    const flac = readOnsets(join(out, 'clicks-flac.onsets.txt'));
    expect(flac).toHaveLength(wav.length);
    for (let i = 0; i < wav.length; i++) expect(Math.abs(flac[i] - wav[i])).toBeLessThanOrEqual(0.001);
    expect(Math.max(...nearest(CLICK_TIMES, flac))).toBeLessThanOrEqual(TOL);
  });

  it('decodes MP3 and Ogg Vorbis made by sox and finds the clicks', (ctx) => {
    if (lossyMade.length === 0) ctx.skip();
    for (const path of lossyMade) {
      const name = path.endsWith('.mp3') ? 'clicks-mp3' : 'clicks-ogg';
      const onsets = readOnsets(join(out, `${name}.onsets.txt`));
      expect(onsets, name).toHaveLength(CLICK_TIMES.length);
      // MP3 keeps the encoder's priming delay (about 26 ms at 44.1 kHz): allow for it there.
      const tol = name === 'clicks-mp3' ? 0.06 : TOL;
      expect(Math.max(...nearest(CLICK_TIMES, onsets)), `${name}: ${onsets.join(' ')}`).toBeLessThanOrEqual(tol);
    }
  });

  it('measures a 440 Hz sine of amplitude 0.5: pitch ≈ 440 Hz, rms ≈ 0.3536', () => {
    const csv = readCsv(join(out, 'sine.features.csv'));
    expect(Math.abs(median(window(csv, 'pitch', 0.3, 2.7)) - 440)).toBeLessThan(2);
    expect(median(window(csv, 'pitchConfidence', 0.3, 2.7))).toBeGreaterThan(0.8);
    expect(Math.abs(median(window(csv, 'rms', 0.3, 2.7)) - 0.5 / Math.SQRT2)).toBeLessThan(0.002);
  });

  it('downmixes stereo and 8-channel files by averaging the channels', () => {
    const stereo = readCsv(join(out, 'stereo.features.csv'));
    expect(Math.abs(median(window(stereo, 'rms', 0.3, 1.7)) - 0.4 / Math.SQRT2)).toBeLessThan(0.002);
    expect(Math.abs(median(window(stereo, 'pitch', 0.3, 1.7)) - 440)).toBeLessThan(2);
    const eight = readCsv(join(out, 'eight.features.csv'));
    expect(Math.abs(median(window(eight, 'rms', 0.3, 1.7)) - 0.1 / Math.SQRT2)).toBeLessThan(0.001);
    expect(main.stdout).toMatch(/eight\.wav: 2\.00 s, 48000 Hz, 8 ch/);
  });

  it('handles 8 kHz and 192 kHz files', () => {
    for (const [name, sr, seconds] of [['sr8k', 8000, 3], ['sr192k', 192000, 1.5]] as const) {
      const csv = readCsv(join(out, `${name}.features.csv`));
      expect(csv.rows).toHaveLength(Math.ceil((sr * seconds) / 512));
      expect(csv.col('time').at(-1)).toBeCloseTo((Math.ceil((sr * seconds) / 512) * 512 - 1) / sr, 5);
      expect(Math.abs(median(window(csv, 'pitch', 0.5, seconds - 0.2)) - 440), name).toBeLessThan(3);
      expect(Math.abs(median(window(csv, 'rms', 0.5, seconds - 0.2)) - 0.3536), name).toBeLessThan(0.002);
    }
  });

  it('runs through the npm script with custom hop and frame sizes and exits 0', async () => {
    const out2 = join(dir, 'out2');
    const r = await run('npm', ['run', '--silent', 'analyze', '--', f.clicks, '--out', out2, '--hop', '256', '--frame', '1024']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/clicks\.wav: 5\.00 s, 44100 Hz, 1 ch → 862 hops/);
    const csv = readCsv(join(out2, 'clicks.features.csv'));
    expect(csv.rows).toHaveLength(Math.ceil((5 * 44100) / 256));
    expect(csv.col('time')[0]).toBeCloseTo(255 / 44100, 5);
    const onsets = readOnsets(join(out2, 'clicks.onsets.txt'));
    expect(Math.max(...nearest(CLICK_TIMES, onsets))).toBeLessThanOrEqual(TOL);
    expect(onsets).toHaveLength(CLICK_TIMES.length);
  });

  it('prints usage for --help and rejects bad arguments with exit code 2', async () => {
    const help = await runAnalyze(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: npm run analyze -- <audio files\.\.\.> --out <dir>/);
    const none = await runAnalyze([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no input files/);
    const bad = await runAnalyze([f.clicks, '--hop', '4096', '--frame', '1024', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid analysis sizes/);
    const junk = await runAnalyze([f.clicks, '--hop', 'lots']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/--hop needs a whole number/);
  });

  it('uses distinct output names when two inputs share a stem', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    const a = writeWav(join(sub, 'clicks.wav'), [clickTrack(22050, 1, [0.5])], 22050);
    const out3 = join(dir, 'out3');
    const r = await runAnalyze([f.clicks, a, '--out', out3]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out3, 'clicks.wav.features.csv'))).toBe(true);
    expect(existsSync(join(out3, 'clicks.wav-2.features.csv'))).toBe(true);
  });
});

describe('npm run analyze: beats, downbeats and tempo', () => {
  it('writes beats on a 120 BPM kick-accented click track within ±70 ms after lock, downbeats on the accents, and the tempo as it evolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gf-beats-'));
    try {
      const sr = 44100;
      const beats = Array.from({ length: 24 }, (_, i) => 0.5 + i * 0.5);
      const accents = beats.filter((_, i) => i % 4 === 0);
      // Every beat a click; every bar's first beat also a low 60 Hz thump, so the bar start is audible.
      const thump = new Float32Array(Math.round(13 * sr));
      for (const t of accents) {
        const s0 = Math.round(t * sr);
        for (let k = 0; k < 0.12 * sr && s0 + k < thump.length; k++) thump[s0 + k] += 0.8 * Math.sin((2 * Math.PI * 60 * k) / sr) * Math.exp(-k / (0.04 * sr));
      }
      const track = mix([{ signal: clicks({ sampleRate: sr, duration: 13, times: beats }) }, { signal: thump }]);
      const path = writeWav(join(dir, 'pulse120.wav'), [track], sr);
      const out = join(dir, 'out');
      const r = await runAnalyze([path, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const base = join(out, 'pulse120');
      // After lock and while the clicks last (the predictor may run on up to a second into the silence).
      const end = beats[beats.length - 1] + 0.1;
      const got = readOnsets(base + '.beats.txt').filter((t) => t > 5 && t < end);
      expect(got.length).toBeGreaterThanOrEqual(12);
      for (const t of got) expect(nearest([t], beats)[0], `beat at ${t}`).toBeLessThan(0.07);
      const downs = readOnsets(base + '.downbeats.txt').filter((t) => t > 5 && t < end);
      expect(downs.length).toBeGreaterThanOrEqual(3);
      for (const t of downs) expect(nearest([t], accents)[0], `downbeat at ${t}`).toBeLessThan(0.07);
      const bpm = readFileSync(base + '.bpm.txt', 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
      expect(bpm[0][1]).toBe(0); // nothing locked at the start
      // The estimate in force when the clicks stop; it returns to 0 in the silence after them.
      const during = bpm.filter(([t]) => t < end);
      const last = during[during.length - 1];
      expect(last[1]).toBeGreaterThan(120 * 0.96);
      expect(last[1]).toBeLessThan(120 * 1.04);
      expect(bpm[bpm.length - 1][1]).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
