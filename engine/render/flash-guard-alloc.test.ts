import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../params/test-alloc.ts';
import { FlashGuard, IO_LUMINANCE, IO_TIME } from './flash-guard.ts';

// In a file of its own: V8's type feedback is per process, and the bad-input tests would
// otherwise decide what the JIT makes of the per-frame path measured here.
describe('flash guard per frame', () => {
  it('allocates nothing, while limiting or not', () => {
    const strobe = new FlashGuard();
    const busy = bytesPerCall((i) => {
      strobe.io[IO_LUMINANCE] = (i >> 1) % 2 === 0 ? 0.9 : 0.05;
      strobe.io[IO_TIME] = i * 0.0166;
      strobe.step();
    });
    const calm = new FlashGuard();
    const quiet = bytesPerCall((i) => {
      calm.io[IO_LUMINANCE] = 0.5 + (i & 15) * 0.001;
      calm.io[IO_TIME] = i * 0.0166;
      calm.step();
    });
    expect(strobe.limitedFrames).toBeGreaterThan(0);
    expect(busy).toBeLessThan(1);
    expect(quiet).toBeLessThan(1);
  });
});
