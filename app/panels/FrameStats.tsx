import { useEffect, useRef } from 'react';
import { flashGuardStatus } from '../flash-guard-status.ts';
import { currentOutputManager } from '../output/output-manager.ts';
import { FrameStats as Stats } from './frame-stats.ts';

const W = 300;
const H = 64;
/** Interval shown at the top of the graph, ms. */
const TOP_MS = 50;

/**
 * Frame rate, a frame-time graph of the last ~5 s and dropped frames (longer than 1.5× the
 * display's median interval), and who drives the frames while the control view's window is
 * hidden (the projector output windows: app/output/handover.ts). Timings go into a ring and a
 * canvas; text updates a few times a second through refs, never React state per frame.
 */
export function FrameStats() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const text = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const stats = new Stats(600, 5000);
    let id = 0;
    let lastRefresh = 0;
    const loop = (ts: number) => {
      id = requestAnimationFrame(loop);
      try {
        stats.push(ts);
        if (ts - lastRefresh > 250) {
          lastRefresh = ts;
          stats.refresh();
          const el = text.current;
          const outputs = currentOutputManager();
          const handover = outputs ? outputs.handoverLine() : '';
          const driven = outputs ? outputs.handover.drivenFrames : 0;
          if (el) {
            el.textContent = `${stats.fps.toFixed(1)} fps · median ${stats.medianMs.toFixed(1)} ms · p99 ${stats.p99Ms.toFixed(1)} ms · dropped ${stats.droppedInWindow} (5 s), ${stats.droppedTotal} total${flashGuardStatus.enabled ? ` · flash guard ${flashGuardStatus.measureMs.toFixed(1)} ms (includes waiting for the GPU)` : ''}${handover ? ` · ${handover}` : ''}${driven > 0 ? ` · ${driven} frames driven by outputs` : ''}`;
            el.dataset.driven = String(driven);
            el.dataset.fps = stats.fps.toFixed(2);
            el.dataset.dropped = String(stats.droppedTotal);
            el.dataset.guardMs = flashGuardStatus.measureMs.toFixed(3);
          }
        }
        draw(canvas.current, stats);
      } catch {
        /* a panel must never stop the page */
      }
    };
    id = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(id);
  }, []);
  return (
    <section className="panel frame-stats">
      <h2>Frames</h2>
      <canvas ref={canvas} width={W} height={H} className="frame-graph" data-testid="frame-graph" />
      <span ref={text} className="dim" data-testid="frame-stats">
        —
      </span>
    </section>
  );
}

function draw(c: HTMLCanvasElement | null, s: Stats): void {
  const g = c?.getContext('2d');
  if (!c || !g) return;
  g.fillStyle = '#0b0d13';
  g.fillRect(0, 0, W, H);
  const n = s.count;
  if (n === 0) return;
  const newest = s.stampAt(n - 1);
  const y = (ms: number) => H - Math.min(1, ms / TOP_MS) * H;
  // Guides: 60 Hz, 30 Hz and the drop threshold.
  g.fillStyle = '#232838';
  g.fillRect(0, y(1000 / 60), W, 1);
  g.fillRect(0, y(1000 / 30), W, 1);
  if (s.medianMs > 0) {
    g.fillStyle = '#5a4a20';
    g.fillRect(0, y(1.5 * s.medianMs), W, 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    const age = newest - s.stampAt(i);
    if (age > s.windowMs) break;
    const x = W - 1 - (age / s.windowMs) * W;
    const ms = s.at(i);
    g.fillStyle = s.isDropped(i) ? '#f25f5c' : '#4cc9f0';
    const top = y(ms);
    g.fillRect(x, top, 1, H - top);
  }
}
