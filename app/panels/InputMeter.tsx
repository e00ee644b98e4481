import { useRef } from 'react';
import { F } from '../../engine/features/layout.ts';
import type { EngineHost } from '../engine-host.ts';
import { useAnimationFrame } from './use-animation-frame.ts';

const FLOOR_DB = -72;

/** Input level: RMS bar, peak line with hold, red at clipping. */
export function InputMeter({ host }: { host: EngineHost }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const hold = useRef({ peakDb: FLOOR_DB, at: 0 });
  useAnimationFrame(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    const f = host.snapshot.features;
    const rmsDb = Math.max(FLOOR_DB, f[F.loudness]);
    const peak = f[F.peak];
    const peakDb = peak > 0 ? Math.max(FLOOR_DB, 20 * Math.log10(peak)) : FLOOR_DB;
    const now = performance.now();
    const h = hold.current;
    if (peakDb >= h.peakDb || now - h.at > 1500) {
      h.peakDb = peakDb;
      h.at = now;
    }
    const x = (db: number) => ((db - FLOOR_DB) / -FLOOR_DB) * c.width;
    g.fillStyle = '#11141b';
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = rmsDb > -3 ? '#ef476f' : rmsDb > -12 ? '#ffd166' : '#06d6a0';
    g.fillRect(0, 2, x(rmsDb), c.height - 4);
    g.fillStyle = h.peakDb > -0.5 ? '#ef476f' : '#e5e9f0';
    g.fillRect(Math.max(0, x(h.peakDb) - 2), 0, 2, c.height);
    g.fillStyle = '#d8dee9';
    g.strokeStyle = '#000';
    g.lineWidth = 3;
    g.font = '11px ui-monospace, monospace';
    g.textBaseline = 'middle';
    const label = `${rmsDb.toFixed(1)} dBFS rms · peak ${h.peakDb.toFixed(1)}`;
    g.strokeText(label, 6, c.height / 2);
    g.fillText(label, 6, c.height / 2);
  });
  return <canvas ref={canvas} className="input-meter" width={420} height={18} data-testid="input-meter" />;
}
