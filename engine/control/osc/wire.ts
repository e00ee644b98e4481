/**
 * The bridge <-> page WebSocket frames. Binary frames start with a frame type byte; a byte of
 * '/' or '#' means a raw OSC packet (page -> bridge: forward to the OSC output). Control
 * records are fixed-size so the page copies them into typed arrays without parsing strings.
 *
 * Records frame: u8 type, 3 pad, u32 count, then `count` records of RECORD_BYTES:
 *   u32 index (entry index for control, param index for values), u32 n (values used),
 *   f64 v0, f64 v1, f64 v2 (little-endian).
 * MIDI frame: u8 FRAME_MIDI, u8 port id length, 6 pad, f64 bridge time (ms), port id (utf-8),
 *   then the raw MIDI bytes.
 * Text frames are JSON set-up messages (hello, status, errors).
 */

export const FRAME_CONTROL = 1;
export const FRAME_VALUES = 2;
export const FRAME_MIDI = 3;
export const RECORD_BYTES = 32;
export const RECORDS_HEADER = 8;
export const OSC_FIRST_BYTE_MESSAGE = 0x2f;
export const OSC_FIRST_BYTE_BUNDLE = 0x23;

/** Page -> bridge, on connect and whenever the bank's parameter set changes. */
export interface HelloMessage {
  type: 'hello';
  role: 'engine';
  /** Resolved declarations in bank id order. */
  params: unknown[];
  sceneIds: string[];
  /** The page's address-space hash (the bridge checks it built the same space). */
  hash: number;
}

/** Bridge -> page after a connection. */
export interface StatusMessage {
  type: 'status';
  midi: string;
  oscPort: number;
  oscOut: string | null;
  hash: number;
}

export function writeRecordsHeader(view: DataView, type: number, count: number): void {
  view.setUint8(0, type);
  view.setUint8(1, 0);
  view.setUint16(2, 0, true);
  view.setUint32(4, count, true);
}

export function writeRecord(view: DataView, i: number, index: number, n: number, v0: number, v1: number, v2: number): void {
  const at = RECORDS_HEADER + i * RECORD_BYTES;
  view.setUint32(at, index, true);
  view.setUint32(at + 4, n, true);
  view.setFloat64(at + 8, v0, true);
  view.setFloat64(at + 16, v1, true);
  view.setFloat64(at + 24, v2, true);
}

/** Records in a frame, or -1 when the frame is not a well-formed records frame of `type`. */
export function recordCount(view: DataView, type: number): number {
  if (view.byteLength < RECORDS_HEADER || view.getUint8(0) !== type) return -1;
  const n = view.getUint32(4, true);
  if (RECORDS_HEADER + n * RECORD_BYTES !== view.byteLength) return -1;
  return n;
}
