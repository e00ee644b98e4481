import { describe, expect, it } from 'vitest';
import { bytesPerCall } from '../../engine/params/test-alloc.ts';
import { describeHandover, Handover, STALE_MAX_TICKS, STALE_TICKS } from './handover.ts';

/** A handover whose "engine frame" is counted and ends in frameDone, as the real one (R3F's advance → present) does. */
function rig() {
  let states = 0;
  const h: Handover = new Handover(
    () => h.frameDone(),
    () => states++,
  );
  /** One vsync of the control view's own loop (a native engine frame). */
  const native = (): void => h.frameDone();
  return { h, native, states: () => states };
}

describe('frame handover from the control view to an output window', () => {
  it('does nothing while the control view draws every vsync', () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    for (let i = 0; i < 100; i++) {
      native();
      h.tick(a);
    }
    expect(h.active).toBe(false);
    expect(h.drivenFrames).toBe(0);
    expect(h.nativeFrames).toBe(100);
  });

  it(`takes over after ${STALE_TICKS} output frames without a native frame, then drives one frame per output vsync`, () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    native();
    h.tick(a);
    // The control view's loop stops (hidden window).
    h.tick(a);
    expect(h.active).toBe(false);
    expect(h.drivenFrames).toBe(0);
    h.tick(a);
    expect(h.active).toBe(true);
    expect(h.driver).toBe(a);
    expect(h.reason).toBe('stalled');
    expect(h.drivenFrames).toBe(1);
    for (let i = 0; i < 10; i++) h.tick(a);
    expect(h.drivenFrames).toBe(11);
    expect(h.handovers).toBe(1);
  });

  it('with several outputs only one drives: one engine frame per vsync, whatever order their frames come in', () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    const b = h.watch('out-2');
    native();
    h.tick(a);
    h.tick(b);
    for (let v = 0; v < 60; v++) {
      const before = h.nativeFrames + h.drivenFrames;
      // Both windows' animation frames, in an order that changes from vsync to vsync.
      if (v % 3 === 0) {
        h.tick(b);
        h.tick(a);
      } else {
        h.tick(a);
        h.tick(b);
      }
      const frames = h.nativeFrames + h.drivenFrames - before;
      expect(frames).toBeLessThanOrEqual(1);
      if (v >= 2) expect(frames).toBe(1);
    }
    expect(h.handovers).toBe(1);
  });

  it('lets go as soon as the control view draws again: no doubled frames afterwards', () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    for (let i = 0; i < 5; i++) h.tick(a);
    expect(h.active).toBe(true);
    const driven = h.drivenFrames;
    // The control view is back: its frame comes first in this vsync.
    native();
    h.tick(a);
    expect(h.active).toBe(false);
    expect(h.reason).toBe('');
    expect(h.drivenFrames).toBe(driven);
    for (let i = 0; i < 50; i++) {
      native();
      h.tick(a);
    }
    expect(h.drivenFrames).toBe(driven);
  });

  it('a control view that draws at half the output rate is slow, not stopped; a longer gap still hands over', () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    for (let i = 0; i < 40; i++) {
      if (i % 2 === 0) native();
      h.tick(a);
    }
    expect(h.drivenFrames).toBe(0);
    expect(h.staleTicks(a)).toBe(4);
    // It stops (its last frame came before the loop's last tick): the fourth output frame after it drives.
    for (let i = 0; i < 2; i++) h.tick(a);
    expect(h.active).toBe(false);
    h.tick(a);
    expect(h.active).toBe(true);
  });

  it(`the threshold never exceeds ${STALE_MAX_TICKS} output frames`, () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    for (let i = 0; i < 80; i++) {
      if (i % 8 === 0) native();
      h.tick(a);
    }
    expect(h.staleTicks(a)).toBe(STALE_MAX_TICKS);
  });

  it('when the control view says it is hidden, one output frame without a native frame is enough', () => {
    const { h, native, states } = rig();
    const a = h.watch('out-1');
    native();
    h.tick(a);
    h.setControlHidden(true);
    expect(states()).toBe(1);
    h.tick(a);
    expect(h.active).toBe(true);
    expect(h.reason).toBe('hidden');
    expect(describeHandover('Output 1', h.reason)).toBe('driven by Output 1: control view hidden');
    h.setControlHidden(false);
    expect(h.reason).toBe('stalled');
    native();
    h.tick(a);
    expect(h.active).toBe(false);
  });

  it('a driver that goes away (closed) or stops ticking (its own window hidden) is replaced by another output', () => {
    const { h } = rig();
    const a = h.watch('out-1');
    const b = h.watch('out-2');
    for (let i = 0; i < 4; i++) {
      h.tick(a);
      h.tick(b);
    }
    expect(h.driver).toBe(a);
    // a's window stops getting frames: b notices no frames at all and takes over.
    h.tick(b);
    expect(h.driver).toBe(a);
    h.tick(b);
    expect(h.driver).toBe(b);
    const n = h.drivenFrames;
    h.tick(b);
    expect(h.drivenFrames).toBe(n + 1);
    // b closes: nobody drives until a stale tick of a.
    h.drop(b);
    expect(h.active).toBe(false);
    h.tick(a);
    expect(h.driver).toBe(a);
  });

  it('without a drive function (no engine) nothing is driven, and clearing it lets go', () => {
    const driven: number[] = [];
    const h: Handover = new Handover(() => {
      driven.push(1);
      h.frameDone();
    });
    const a = h.watch('out-1');
    for (let i = 0; i < 3; i++) h.tick(a);
    expect(h.active).toBe(true);
    expect(driven).toHaveLength(2); // the second tick took over
    h.setDrive(null);
    expect(h.active).toBe(false);
    for (let i = 0; i < 3; i++) h.tick(a);
    expect(h.active).toBe(false);
    expect(driven).toHaveLength(2);
  });

  it('a tick allocates nothing, watching or driving', () => {
    const { h, native } = rig();
    const a = h.watch('out-1');
    expect(bytesPerCall((i) => {
      if (i & 1) native();
      h.tick(a);
    })).toBeLessThan(1);
    const d = rig();
    const b = d.h.watch('out-2');
    for (let i = 0; i < 3; i++) d.h.tick(b);
    expect(d.h.active).toBe(true);
    expect(bytesPerCall(() => d.h.tick(b))).toBeLessThan(1);
  });
});
