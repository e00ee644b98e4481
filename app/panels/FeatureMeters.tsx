import { useRef } from 'react';
import { FEATURE_DECLS, F } from '../../engine/features/layout.ts';
import type { EngineHost } from '../engine-host.ts';
import { useAnimationFrame } from './use-animation-frame.ts';

const ROW = 15;
const LABEL_W = 96;
const VALUE_W = 70;

/** Range used to draw each raw feature as a bar (text shows the raw value). */
function barOf(name: string, v: number, sampleRate: number): number {
  switch (name) {
    case 'loudness':
      return (v + 90) / 90;
    case 'centroid':
    case 'rolloff':
    case 'pitch':
      return v <= 0 ? 0 : Math.log2(v / 20) / Math.log2(Math.max(40, sampleRate / 2) / 20);
    case 'mfcc':
      return 0.5 + v / 80;
    case 'zcr':
      return v * 4;
    default:
      return v;
  }
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(3);
}

/** Every feature on the bus, raw values as bars and numbers, vectors as bar groups. */
export function FeatureMeters({ host }: { host: EngineHost }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const rows = FEATURE_DECLS.length;
  useAnimationFrame(() => {
    const c = canvas.current;
    if (!c) return;
    const g = c.getContext('2d');
    if (!g) return;
    const w = c.width;
    g.fillStyle = '#0b0d12';
    g.fillRect(0, 0, w, c.height);
    g.font = '11px ui-monospace, monospace';
    g.textBaseline = 'middle';
    const f = host.snapshot.features;
    const sr = host.snapshot.sampleRate || 48000;
    const barW = w - LABEL_W - VALUE_W - 8;
    for (let r = 0; r < rows; r++) {
      const d = FEATURE_DECLS[r];
      const y = r * ROW;
      const off = F[d.name];
      g.fillStyle = '#8a93a6';
      g.fillText(d.name, 4, y + ROW / 2);
      if (d.size === 1) {
        const v = f[off];
        const b = Math.max(0, Math.min(1, barOf(d.name, v, sr)));
        g.fillStyle = d.name === 'onset' && v > 0 ? '#ffd166' : '#4cc9f0';
        g.fillRect(LABEL_W, y + 3, b * barW, ROW - 6);
        g.fillStyle = '#d8dee9';
        g.fillText(fmt(v), LABEL_W + barW + 6, y + ROW / 2);
      } else {
        const cw = barW / d.size;
        let max = 1e-9;
        if (d.name !== 'mfcc') for (let i = 0; i < d.size; i++) max = Math.max(max, f[off + i]);
        for (let i = 0; i < d.size; i++) {
          const v = f[off + i];
          const b = d.name === 'mfcc' ? Math.max(0, Math.min(1, barOf('mfcc', v, sr))) : Math.max(0, Math.min(1, v / max));
          g.fillStyle = '#80ffdb';
          g.fillRect(LABEL_W + i * cw, y + ROW - 2 - b * (ROW - 4), Math.max(1, cw - 1), b * (ROW - 4));
        }
        g.fillStyle = '#d8dee9';
        g.fillText(`×${d.size}`, LABEL_W + barW + 6, y + ROW / 2);
      }
    }
  });
  return <canvas ref={canvas} className="meters" width={420} height={rows * ROW} data-testid="feature-meters" />;
}
