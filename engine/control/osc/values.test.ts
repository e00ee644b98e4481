import { describe, expect, it } from 'vitest';
import { ValueReporter } from './values.ts';
import { FRAME_VALUES, RECORD_BYTES, RECORDS_HEADER, recordCount } from './wire.ts';
import { makeFixture } from './test-fixture.ts';

function read(bytes: Uint8Array | null): { index: number; n: number; v: number[] }[] {
  if (bytes === null) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = recordCount(view, FRAME_VALUES);
  const out = [];
  for (let i = 0; i < n; i++) {
    const at = RECORDS_HEADER + i * RECORD_BYTES;
    const k = view.getUint32(at + 4, true);
    out.push({ index: view.getUint32(at, true), n: k, v: [view.getFloat64(at + 8, true), view.getFloat64(at + 16, true), view.getFloat64(at + 24, true)].slice(0, k) });
  }
  return out;
}

describe('value reports for OSCQuery', () => {
  it('first reports every parameter, then only those that changed, colours with three values', () => {
    const { bank } = makeFixture();
    const r = new ValueReporter();
    expect(read(r.collect(bank)).length).toBe(bank.count);
    expect(r.collect(bank)).toBeNull();
    bank.setByPath('/scene/test-all/speed', 2.5);
    bank.setByPath('/scene/test-all/tint', [0, 1, 0]);
    expect(read(r.collect(bank))).toEqual([
      { index: bank.idOf('/scene/test-all/speed'), n: 1, v: [2.5] },
      { index: bank.idOf('/scene/test-all/tint'), n: 3, v: [0, 1, 0] },
    ]);
    r.resend();
    expect(read(r.collect(bank)).length).toBe(bank.count);
  });
});
