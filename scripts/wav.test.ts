import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decode from 'audio-decode';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, readWavHeader, type WavSampleFormat } from './wav.ts';

const FORMATS: readonly WavSampleFormat[] = ['pcm16', 'pcm24', 'float32'];
const STEP: Readonly<Record<WavSampleFormat, number>> = { pcm16: 1 / 32768, pcm24: 1 / 8388608, float32: 0 };
const BITS: Readonly<Record<WavSampleFormat, number>> = { pcm16: 16, pcm24: 24, float32: 32 };

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Random channels in [-1, 1) plus the edge values every writer must get right. */
function signal(channels: number, frames: number, seed: number): Float32Array[] {
  const r = seeded(seed);
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const ch = new Float32Array(frames);
    for (let i = 0; i < frames; i++) ch[i] = r() * 2 - 1;
    ch[0] = -1;
    ch[1] = 0.5;
    ch[2] = -0.25;
    ch[3] = 0;
    ch[4] = (c + 1) / (channels + 1); // distinct per channel: catches swapped channels
    out.push(ch);
  }
  return out;
}

function maxError(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const hasSox = spawnSync('sox', ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'gf-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encodeWav / decodeWav round trip', () => {
  for (const format of FORMATS) {
    for (const channels of [1, 2, 3, 8]) {
      for (const rate of [8000, 44100, 192000]) {
        it(`${format}, ${channels} ch, ${rate} Hz`, async () => {
          const frames = 1001; // odd: exercises the pad byte for 24-bit mono
          const src = signal(channels, frames, channels * 7919 + rate);
          const bytes = encodeWav(src, rate, format);
          const { header, channels: got } = decodeWav(bytes);
          expect(header).toMatchObject({ format, channels, sampleRate: rate, bitsPerSample: BITS[format], frames, blockAlign: (channels * BITS[format]) / 8 });
          expect(header.formatTag).toBe(channels > 2 || format !== 'pcm16' ? 0xfffe : 1);
          expect(bytes.length % 2).toBe(0);
          for (let c = 0; c < channels; c++) {
            expect(maxError(src[c], got[c])).toBeLessThanOrEqual(STEP[format] / 2 + 1e-12);
            expect(got[c][1]).toBe(0.5);
            expect(got[c][2]).toBe(-0.25);
            expect(got[c][0]).toBe(-1);
          }
          // An independent decoder reads the same samples (it scales positive integers by
          // 2^(bits-1) - 1, so allow one quantisation step).
          const other = await decode(bytes);
          expect(other.sampleRate).toBe(rate);
          expect(other.channelData.length).toBe(channels);
          for (let c = 0; c < channels; c++) expect(maxError(got[c], other.channelData[c])).toBeLessThanOrEqual(STEP[format] + 1e-7);
        });
      }
    }
  }

  it('writes the canonical 44-byte header for 16-bit stereo', () => {
    const bytes = encodeWav(signal(2, 10, 1), 48000, 'pcm16');
    expect(bytes.length).toBe(44 + 10 * 4);
    expect(readWavHeader(bytes).dataOffset).toBe(44);
  });

  it('clips out-of-range integer samples and turns NaN into silence', () => {
    const ch = new Float32Array([1.5, -1.5, 1, NaN, Infinity, -Infinity]);
    for (const format of ['pcm16', 'pcm24'] as const) {
      const got = decodeWav(encodeWav([ch], 8000, format)).channels[0];
      const top = 1 - STEP[format];
      expect(Array.from(got)).toEqual([top, -1, top, 0, top, -1]);
    }
    const f = decodeWav(encodeWav([ch], 8000, 'float32')).channels[0];
    expect(f[0]).toBe(1.5); // float keeps headroom
  });

  it('rejects bad input with clear messages', () => {
    expect(() => encodeWav([], 48000)).toThrow(/channels/);
    expect(() => encodeWav([new Float32Array(3), new Float32Array(4)], 48000)).toThrow(/same length/);
    expect(() => encodeWav([new Float32Array(3)], 44100.5)).toThrow(/sample rate/);
    expect(() => readWavHeader(new TextEncoder().encode('hello, this is not audio'))).toThrow(/not a RIFF\/WAVE/);
    expect(() => readWavHeader(new Uint8Array(0))).toThrow(/not a RIFF\/WAVE/);
  });

  it('skips unknown chunks, including odd-sized ones with their pad byte', () => {
    const plain = encodeWav([new Float32Array([0.5, -0.5, 0.25])], 22050, 'pcm16');
    const list = new Uint8Array([...new TextEncoder().encode('LIST'), 3, 0, 0, 0, 1, 2, 3, 0]);
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 36));
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.length);
    new DataView(withList.buffer).setUint32(4, withList.length - 8, true);
    const { header, channels } = decodeWav(withList);
    expect(header.dataOffset).toBe(44 + list.length);
    expect(Array.from(channels[0])).toEqual([0.5, -0.5, 0.25]);
  });

  it.skipIf(!hasSox)('sox reads every format and channel count as written', () => {
    for (const format of FORMATS) {
      for (const channels of [1, 2, 6, 8]) {
        const path = join(dir, `sox-${format}-${channels}.wav`);
        writeFileSync(path, encodeWav(signal(channels, 480, 3), 96000, format));
        const info = spawnSync('soxi', [path], { encoding: 'utf8' });
        expect(info.status, info.stderr).toBe(0);
        expect(info.stdout).toMatch(new RegExp(`Channels\\s*: ${channels}\\b`));
        expect(info.stdout).toMatch(/Sample Rate\s*: 96000/);
        expect(info.stdout).toMatch(new RegExp(`Precision\\s*: ${format === 'pcm24' ? 24 : format === 'pcm16' ? 16 : 25}-bit`));
        expect(info.stdout).toMatch(/= 480 samples/);
      }
    }
  });
});
if (!hasSox) console.warn('wav.test: sox not installed (apt-get install sox): skipping the sox cross-check');
