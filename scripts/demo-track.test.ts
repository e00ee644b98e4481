/**
 * The demo track: deterministic, written by `make-demo` with its truth, and a real showcase for
 * the analysis (the analyze CLI finds its kicks, follows its lead, hears its chords and levels).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearest, readCsv, readOnsets, runAnalyze, runTs, type CliRun, type Csv } from './cli-test-kit.ts';
import { DEMO_TRACK_VERSION, renderDemoTrack, type DemoTruth } from './demo-track.ts';
import { demoFiles } from './make-demo.ts';
import { encodeWav, readWavHeader } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'gf-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rmsDb(x: Float32Array, t0: number, t1: number, sr: number): number {
  let s = 0;
  const a = Math.round(t0 * sr);
  const b = Math.round(t1 * sr);
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return 10 * Math.log10(s / (b - a) + 1e-20);
}

describe('demo track generator', () => {
  it('renders the same bytes twice, and its truth describes the form', () => {
    const a = renderDemoTrack(48000);
    const b = renderDemoTrack(48000);
    const wa = encodeWav(a.channels, 48000, 'pcm16');
    const wb = encodeWav(b.channels, 48000, 'pcm16');
    expect(Buffer.compare(Buffer.from(wa), Buffer.from(wb))).toBe(0);
    expect(JSON.stringify(a.truth)).toBe(JSON.stringify(b.truth));
    // A different seed changes the noise, so the seed really drives it.
    const c0 = renderDemoTrack(8000);
    const c7 = renderDemoTrack(8000, 7);
    expect(Buffer.compare(Buffer.from(encodeWav(c0.channels, 8000)), Buffer.from(encodeWav(c7.channels, 8000)))).not.toBe(0);

    const t = a.truth;
    expect(t.duration).toBeGreaterThanOrEqual(60);
    expect(t.duration).toBeLessThanOrEqual(90);
    expect(t.bpm).toBeGreaterThanOrEqual(110);
    expect(t.bpm).toBeLessThanOrEqual(120);
    expect(t.sections.map((s) => s.name)).toEqual(['groove-a', 'ambient', 'swell', 'groove-b', 'near-silence']);
    for (let i = 1; i < t.sections.length; i++) expect(t.sections[i].start).toBeCloseTo(t.sections[i - 1].end, 9);
    expect(t.sections.at(-1)!.end).toBeCloseTo(t.duration, 9);
    // Kicks fall on the beat grid of the two grooves only.
    const grooves = t.sections.filter((s) => s.name.startsWith('groove'));
    for (const k of t.kicks) {
      expect(grooves.some((g) => k >= g.start - 1e-9 && k < g.end)).toBe(true);
      const beats = k / t.beatSeconds;
      expect(Math.abs(beats - Math.round(beats)) * t.beatSeconds).toBeLessThan(1 / 48000);
    }
    expect(t.kicks.length).toBe(Math.round((grooves[0].end - grooves[0].start + grooves[1].end - grooves[1].start) / t.beatSeconds));
    // One chord per bar up to the near-silence.
    expect(t.chords.length).toBe(Math.round(t.sections[4].start / t.barSeconds));
    t.chords.forEach((c, i) => {
      expect(c.bar).toBe(i);
      expect(c.start).toBeCloseTo(i * t.barSeconds, 9);
      expect(c.pitchClasses.length).toBeGreaterThanOrEqual(3);
    });

    // Levels tell the sections apart: loud grooves, quieter ambient, near-silence at the end.
    const mono = new Float32Array(a.channels[0].length);
    for (let i = 0; i < mono.length; i++) mono[i] = 0.5 * (a.channels[0][i] + a.channels[1][i]);
    const [ga, amb, , , sil] = t.sections;
    const grooveDb = rmsDb(mono, ga.start, ga.end, 48000);
    const ambientDb = rmsDb(mono, amb.start + 1, amb.end - 1, 48000);
    const silenceDb = rmsDb(mono, sil.start + 1, sil.end, 48000);
    expect(grooveDb).toBeGreaterThan(-14);
    expect(ambientDb).toBeLessThan(grooveDb - 4);
    expect(ambientDb).toBeGreaterThan(-30);
    expect(silenceDb).toBeLessThan(-55);
    expect(silenceDb).toBeGreaterThan(-90); // hiss, not digital zero
  });

  it('rejects a sample rate it cannot render', () => {
    expect(() => renderDemoTrack(4000)).toThrow(/sample rate/);
  });
});

describe('make-demo CLI and the analysis of the demo', () => {
  const files = demoFiles(dir);
  let made: CliRun;
  let truth: DemoTruth;
  let analysed: CliRun;
  let csv: Csv;
  const outDir = join(dir, 'analysis');

  beforeAll(async () => {
    made = await runTs('scripts/make-demo.ts', ['--out', dir]);
    truth = JSON.parse(readFileSync(files.truth, 'utf8')) as DemoTruth;
    analysed = await runAnalyze([files.wav, '--out', outDir]);
    csv = readCsv(join(outDir, 'demo.features.csv'));
    console.log(`demo analysis: ${analysed.stdout.split('\n')[0]}`);
  }, 240_000);

  it('writes a stereo 48 kHz 16-bit WAV, the truth and the version stamp', () => {
    expect(made.code, made.stderr).toBe(0);
    const bytes = readFileSync(files.wav);
    const h = readWavHeader(bytes);
    expect(h).toMatchObject({ format: 'pcm16', channels: 2, sampleRate: 48000 });
    expect(h.frames / 48000).toBeCloseTo(truth.duration, 6);
    expect(bytes.length).toBeLessThan(20 * 1024 * 1024);
    expect(JSON.parse(readFileSync(files.version, 'utf8'))).toEqual({ version: DEMO_TRACK_VERSION, sampleRate: 48000, bytes: bytes.length });
    const fresh = renderDemoTrack(48000);
    expect(Buffer.compare(bytes, Buffer.from(encodeWav(fresh.channels, 48000, 'pcm16')))).toBe(0);
    expect(truth).toEqual(JSON.parse(JSON.stringify(fresh.truth)));
  });

  it('skips the render while the version is unchanged and redoes it when the stamp differs', async () => {
    const before = statSync(files.wav).mtimeMs;
    const again = await runTs('scripts/make-demo.ts', ['--out', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is current/);
    expect(statSync(files.wav).mtimeMs).toBe(before);
    writeFileSync(files.version, JSON.stringify({ version: DEMO_TRACK_VERSION - 1, sampleRate: 48000, bytes: 0 }));
    const redo = await runTs('scripts/make-demo.ts', ['--out', dir]);
    expect(redo.code).toBe(0);
    expect(redo.stdout).toMatch(/wrote/);
    expect(JSON.parse(readFileSync(files.version, 'utf8')).version).toBe(DEMO_TRACK_VERSION);
  });

  it('has its kicks found by the analyze CLI within ±30 ms', () => {
    expect(analysed.code, analysed.stderr).toBe(0);
    const onsets = readOnsets(join(outDir, 'demo.onsets.txt'));
    const err = nearest(truth.kicks, onsets);
    const hit = err.filter((e) => e <= 0.03).length;
    expect(hit / truth.kicks.length, `kicks found ${hit}/${truth.kicks.length}`).toBeGreaterThanOrEqual(0.9);
    // The ambient part has no drums: far fewer onsets there than in a groove of the same length.
    const amb = truth.sections[1];
    const ga = truth.sections[0];
    const inAmb = onsets.filter((t) => t >= amb.start + 0.5 && t < amb.end).length;
    const inGroove = onsets.filter((t) => t >= ga.end - (amb.end - amb.start - 0.5) && t < ga.end).length;
    expect(inAmb).toBeLessThan(inGroove / 3);
  });

  it('gives the analysis something to follow: levels, lead pitch and chords', () => {
    const time = csv.col('time');
    const loud = csv.col('loudness');
    const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
    const between = (col: number[], t0: number, t1: number): number[] => col.filter((_, i) => time[i] >= t0 && time[i] < t1);
    const [ga, , , , sil] = truth.sections;
    expect(mean(between(loud, ga.start + 1, ga.end))).toBeGreaterThan(mean(between(loud, sil.start + 1, sil.end)) + 30);

    // Lead notes: the pitch column sits on the note in the middle of most notes.
    const pitch = csv.col('pitch');
    let onNote = 0;
    for (const n of truth.lead) {
      const mid = between(pitch, n.start + 0.15, n.end - 0.1).sort((a, b) => a - b);
      const med = mid[Math.floor(mid.length / 2)];
      if (Math.abs(1200 * Math.log2(med / n.hz)) < 50) onNote++;
    }
    expect(onNote / truth.lead.length, `lead notes tracked ${onNote}/${truth.lead.length}`).toBeGreaterThanOrEqual(0.7);

    // Chords: matching each bar's mean chroma against the track's chord templates names the right chord.
    const chroma = Array.from({ length: 12 }, (_, k) => csv.col(`chroma.${k}`));
    const templates = new Map(truth.chords.map((c) => [c.chord, c.pitchClasses]));
    let named = 0;
    for (const c of truth.chords) {
      const profile = chroma.map((col) => mean(between(col, c.start + 0.1, c.end)));
      let best = '';
      let bestScore = -1;
      for (const [name, pcs] of templates) {
        const score = pcs.reduce((s, pc) => s + profile[pc], 0) / pcs.length;
        if (score > bestScore) {
          bestScore = score;
          best = name;
        }
      }
      if (best === c.chord) named++;
    }
    expect(named / truth.chords.length, `bars whose chroma names their chord ${named}/${truth.chords.length}`).toBeGreaterThanOrEqual(0.85);
  });
});
