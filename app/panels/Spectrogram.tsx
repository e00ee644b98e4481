import { useRef } from 'react';
import { MEL_BANDS } from '../../engine/features/layout.ts';
import type { EngineHost } from '../engine-host.ts';
import { useAnimationFrame } from './use-animation-frame.ts';

/** Scrolling mel spectrogram, newest column on the right, low bands at the bottom. */
export function Spectrogram({ host }: { host: EngineHost }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const state = useRef({ img: null as ImageData | null, seq: -1 });
  useAnimationFrame(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    const s = state.current;
    if (!s.img) s.img = g.createImageData(1, MEL_BANDS);
    if (host.snapshot.seq === s.seq) return;
    s.seq = host.snapshot.seq;
    g.drawImage(c, -1, 0);
    const mel = host.uniforms.mel;
    const px = s.img.data;
    for (let i = 0; i < MEL_BANDS; i++) {
      const v = Math.max(0, Math.min(1, mel[i]));
      const o = (MEL_BANDS - 1 - i) * 4;
      px[o] = 255 * Math.min(1, v * 1.6);
      px[o + 1] = 255 * v * v;
      px[o + 2] = 90 + 165 * Math.sqrt(v) * (1 - v);
      px[o + 3] = 255;
    }
    g.putImageData(s.img, c.width - 1, 0);
  });
  return <canvas ref={canvas} className="spectrogram" width={420} height={MEL_BANDS} data-testid="spectrogram" />;
}
