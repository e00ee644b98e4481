/** What the output's photosensitivity guard is doing, for the indicator and the frame stats (written per frame, read by rAF). */
export const flashGuardStatus = {
  enabled: false,
  /** True while the guard is softening the picture. */
  limiting: false,
  /** Blend factor of the last frame (0 = untouched). */
  k: 0,
  /** Mean relative luminance of the last frame before the guard. */
  luminance: 0,
  /** Cost of measuring (copy, reduce, read-back), ms, smoothed. */
  measureMs: 0,
  /** Frames the guard changed since the page opened. */
  limitedFrames: 0,
};
