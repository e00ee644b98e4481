/**
 * A procedural stand-in for image inputs until texture keyframes exist: soft glassy bands and
 * blurred discs, so filters have something to work on.
 */
import { DataTexture, LinearFilter, RGBAFormat, RepeatWrapping, UnsignedByteType } from 'three';

export const PLACEHOLDER_SIZE = 256;

export function createPlaceholderImage(): DataTexture {
  const n = PLACEHOLDER_SIZE;
  const data = new Uint8Array(n * n * 4);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const u = x / n;
      const v = y / n;
      const band = 0.5 + 0.5 * Math.sin((u * 3 + v * 2) * Math.PI * 2);
      const d1 = Math.hypot(u - 0.3, v - 0.6);
      const d2 = Math.hypot(u - 0.72, v - 0.35);
      const disc = Math.exp(-d1 * d1 * 40) + 0.8 * Math.exp(-d2 * d2 * 60);
      const i = (y * n + x) * 4;
      data[i] = Math.min(255, 40 + 90 * band * v + 150 * disc);
      data[i + 1] = Math.min(255, 60 + 80 * band + 120 * disc);
      data[i + 2] = Math.min(255, 110 + 100 * (1 - v) + 60 * disc);
      data[i + 3] = 255;
    }
  }
  const tex = new DataTexture(data, n, n, RGBAFormat, UnsignedByteType);
  tex.magFilter = LinearFilter;
  tex.minFilter = LinearFilter;
  tex.wrapS = tex.wrapT = RepeatWrapping;
  tex.needsUpdate = true;
  return tex;
}
