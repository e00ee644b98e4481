/**
 * Minimal RIFF/WAVE writer (16-bit PCM, 24-bit PCM, 32-bit float; any channel count and sample
 * rate) and a small reader for tests and fixtures. Offline tooling only: allocates freely.
 */
import { writeFile } from 'node:fs/promises';

export type WavSampleFormat = 'pcm16' | 'pcm24' | 'float32';

export interface WavHeader {
  readonly format: WavSampleFormat;
  /** 1 (PCM), 3 (IEEE float), or 0xFFFE (WAVE_FORMAT_EXTENSIBLE). */
  readonly formatTag: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  readonly blockAlign: number;
  /** Sample frames in the data chunk. */
  readonly frames: number;
  /** Byte offset of the first sample in the file. */
  readonly dataOffset: number;
  readonly dataBytes: number;
}

const TAG_PCM = 1;
const TAG_FLOAT = 3;
const TAG_EXTENSIBLE = 0xfffe;
// KSDATAFORMAT_SUBTYPE GUID tail shared by PCM and float: {0000000x-0000-0010-8000-00aa00389b71}
const SUBFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
// Speaker masks for the usual layouts (mono, stereo, 2.1, quad, 5.0, 5.1, 6.1, 7.1).
const CHANNEL_MASKS: Readonly<Record<number, number>> = { 1: 0x4, 2: 0x3, 3: 0x7, 4: 0x33, 5: 0x37, 6: 0x3f, 7: 0x13f, 8: 0x63f };

function bitsOf(format: WavSampleFormat): number {
  return format === 'pcm16' ? 16 : format === 'pcm24' ? 24 : 32;
}

/**
 * Encode planar channels as a WAV file. Samples are clipped to [-1, 1] for integer formats
 * (NaN becomes 0); integers use the 2^(bits-1) scale so 0.5 maps exactly to 16384 in 16-bit.
 * More than 2 channels or more than 16 bits use WAVE_FORMAT_EXTENSIBLE, as the format spec asks.
 */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number, format: WavSampleFormat = 'pcm16'): Uint8Array {
  const nch = channels.length;
  if (nch < 1 || nch > 65535) throw new RangeError(`WAV needs 1..65535 channels, got ${nch}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) throw new RangeError(`bad WAV sample rate ${sampleRate}`);
  const frames = channels[0].length;
  for (let c = 1; c < nch; c++) {
    if (channels[c].length !== frames) throw new RangeError('all WAV channels must have the same length');
  }
  const bits = bitsOf(format);
  const bytesPerSample = bits / 8;
  const blockAlign = nch * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const extensible = nch > 2 || bits > 16;
  const isFloat = format === 'float32';
  const fmtBytes = extensible ? 40 : isFloat ? 18 : 16;
  // Non-PCM formats carry a 'fact' chunk with the frame count.
  const factBytes = isFloat ? 12 : 0;
  const pad = dataBytes & 1;
  const total = 12 + 8 + fmtBytes + factBytes + 8 + dataBytes + pad;
  if (total - 8 > 0xffffffff) throw new RangeError('audio too long for a RIFF WAV file (4 GiB limit)');

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let p = 0;
  const ascii = (s: string): void => {
    for (let i = 0; i < 4; i++) out[p + i] = s.charCodeAt(i);
    p += 4;
  };
  const u32 = (v: number): void => {
    dv.setUint32(p, v, true);
    p += 4;
  };
  const u16 = (v: number): void => {
    dv.setUint16(p, v, true);
    p += 2;
  };

  ascii('RIFF');
  u32(total - 8);
  ascii('WAVE');
  ascii('fmt ');
  u32(fmtBytes);
  u16(extensible ? TAG_EXTENSIBLE : isFloat ? TAG_FLOAT : TAG_PCM);
  u16(nch);
  u32(sampleRate);
  u32(sampleRate * blockAlign);
  u16(blockAlign);
  u16(bits);
  if (extensible) {
    u16(22);
    u16(bits);
    u32(CHANNEL_MASKS[nch] ?? 0);
    u16(isFloat ? TAG_FLOAT : TAG_PCM);
    for (const b of SUBFORMAT_TAIL) out[p++] = b;
  } else if (isFloat) {
    u16(0);
  }
  if (isFloat) {
    ascii('fact');
    u32(4);
    u32(frames);
  }
  ascii('data');
  u32(dataBytes);

  if (format === 'float32') {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < nch; c++) {
        dv.setFloat32(p, channels[c][i], true);
        p += 4;
      }
    }
  } else {
    const scale = format === 'pcm16' ? 32768 : 8388608;
    const max = scale - 1;
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < nch; c++) {
        const x = channels[c][i];
        let v = x === x ? Math.round(x * scale) : 0;
        if (v > max) v = max;
        else if (v < -scale) v = -scale;
        if (format === 'pcm16') {
          dv.setInt16(p, v, true);
          p += 2;
        } else {
          out[p] = v & 0xff;
          out[p + 1] = (v >> 8) & 0xff;
          out[p + 2] = (v >> 16) & 0xff;
          p += 3;
        }
      }
    }
  }
  return out;
}

export async function writeWavFile(path: string, channels: readonly Float32Array[], sampleRate: number, format: WavSampleFormat = 'pcm16'): Promise<void> {
  await writeFile(path, encodeWav(channels, sampleRate, format));
}

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

/** Parse the header of a WAV file written by `encodeWav` or a common tool. Throws a clear Error otherwise. */
export function readWavHeader(bytes: Uint8Array): WavHeader {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 12;
  let fmt: { formatTag: number; tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  while (p + 8 <= bytes.length) {
    const id = fourcc(bytes, p);
    const size = dv.getUint32(p + 4, true);
    const body = p + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw new Error('truncated fmt chunk');
      let tag = dv.getUint16(body, true);
      const formatTag = tag;
      if (tag === TAG_EXTENSIBLE) {
        if (size < 40) throw new Error('truncated WAVE_FORMAT_EXTENSIBLE fmt chunk');
        tag = dv.getUint16(body + 24, true);
      }
      fmt = { formatTag, tag, channels: dv.getUint16(body + 2, true), sampleRate: dv.getUint32(body + 4, true), blockAlign: dv.getUint16(body + 12, true), bits: dv.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      let format: WavSampleFormat;
      if (fmt.tag === TAG_PCM && fmt.bits === 16) format = 'pcm16';
      else if (fmt.tag === TAG_PCM && fmt.bits === 24) format = 'pcm24';
      else if (fmt.tag === TAG_FLOAT && fmt.bits === 32) format = 'float32';
      else throw new Error(`unsupported WAV encoding (format tag ${fmt.tag}, ${fmt.bits} bits)`);
      if (fmt.channels < 1 || fmt.blockAlign !== (fmt.channels * fmt.bits) / 8) throw new Error('inconsistent WAV block alignment');
      const dataBytes = Math.min(size, bytes.length - body);
      return {
        format,
        formatTag: fmt.formatTag,
        channels: fmt.channels,
        sampleRate: fmt.sampleRate,
        bitsPerSample: fmt.bits,
        blockAlign: fmt.blockAlign,
        frames: Math.floor(dataBytes / fmt.blockAlign),
        dataOffset: body,
        dataBytes,
      };
    }
    p = body + size + (size & 1); // chunks are word-aligned
  }
  throw new Error('no data chunk');
}

/** Read a WAV file's samples as planar Float32 channels (formats `encodeWav` writes). */
export function decodeWav(bytes: Uint8Array): { header: WavHeader; channels: Float32Array[] } {
  const h = readWavHeader(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels: Float32Array[] = [];
  for (let c = 0; c < h.channels; c++) channels.push(new Float32Array(h.frames));
  const bps = h.bitsPerSample / 8;
  let p = h.dataOffset;
  for (let i = 0; i < h.frames; i++) {
    for (let c = 0; c < h.channels; c++) {
      let v: number;
      if (h.format === 'float32') v = dv.getFloat32(p, true);
      else if (h.format === 'pcm16') v = dv.getInt16(p, true) / 32768;
      else v = (bytes[p] | (bytes[p + 1] << 8) | ((bytes[p + 2] << 24) >> 8)) / 8388608;
      channels[c][i] = v;
      p += bps;
    }
  }
  return { header: h, channels };
}
