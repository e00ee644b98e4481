import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from './eval.ts';

// Renders real music with fluidsynth (npm test installs it) and runs the live analyser over it.
const out = mkdtempSync(join(tmpdir(), 'gf-eval-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface ClipJson {
  name: string;
  beats: { f: number } | null;
  onsets: { f: number } | null;
  tempoOctave: number | null;
  lockTimes: (number | 'never')[];
  falseBeatsInSilence: number;
  beatsOnBeatless: number;
}

describe('npm run eval on three clips of the set', () => {
  it('tracks house beats and onsets, stops in a silence gap and relocks, and stays quiet on beatless pads', { timeout: 300_000 }, async () => {
    const json = join(out, 'scores.json');
    const code = await runEval(['--only', 'house-124,gaps-110,pad-ambient', '--out', out, '--json', json, '--no-peer']);
    expect(code).toBeLessThanOrEqual(1);
    const clips = JSON.parse(readFileSync(json, 'utf8')).clips as ClipJson[];
    const by = (n: string): ClipJson => clips.find((c) => c.name === n)!;
    const house = by('house-124');
    expect(house.beats!.f).toBeGreaterThanOrEqual(0.9);
    expect(house.onsets!.f).toBeGreaterThanOrEqual(0.9);
    expect(house.tempoOctave).toBeGreaterThanOrEqual(0.9);
    expect(house.lockTimes[0]).toBeLessThanOrEqual(4);
    const gaps = by('gaps-110');
    expect(gaps.falseBeatsInSilence).toBe(0);
    expect(gaps.lockTimes).toHaveLength(2);
    for (const t of gaps.lockTimes) expect(t).toBeLessThanOrEqual(4);
    expect(gaps.beats!.f).toBeGreaterThanOrEqual(0.9);
    expect(by('pad-ambient').beatsOnBeatless).toBe(0);
  });

  it('names unknown clips and bad arguments instead of running', async () => {
    expect(await runEval(['--only', 'no-such-clip'])).toBe(2);
    expect(await runEval(['--frobnicate'])).toBe(2);
  });
});
