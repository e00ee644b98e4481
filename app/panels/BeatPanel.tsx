import { useEffect, useRef, useState } from 'react';
import { CLOCK_SOURCE_NAMES } from '../../engine/clock/index.ts';
import type { EngineHost } from '../engine-host.ts';
import { type Shortcut, useShortcuts } from '../shortcuts.ts';
import { useAnimationFrame } from './use-animation-frame.ts';

/**
 * A tap from an input event: phase in audio time, the interval on the event's own timestamp
 * (page clock, ms), so a busy main thread or a stalling audio clock does not bend the tempo.
 */
export function tapAt(host: EngineHost, eventTimeStamp: number): void {
  const now = performance.now();
  const stamp = eventTimeStamp > 0 && eventTimeStamp <= now ? eventTimeStamp : now;
  // The audio time of the event, not of its handling.
  host.tick.clock.tap(host.audio.audioNow() - (now - stamp) / 1000, stamp / 1000);
}

/** The beat clock's keyboard shortcuts (registered while the panel is mounted; listed in the overlay). */
export function beatShortcuts(host: EngineHost): Shortcut[] {
  const clock = host.tick.clock;
  const group = 'Beat clock';
  return [
    { keys: ['t'], label: 'tap tempo', group, run: (e) => tapAt(host, e.timeStamp) },
    { keys: ['b'], label: 'beat 1 now (phase reset)', group, run: () => clock.resetPhase() },
    { keys: [','], label: 'nudge a 1/16 beat earlier', group, run: () => clock.nudgeBeats(-1 / 16) },
    { keys: ['.'], label: 'nudge a 1/16 beat later', group, run: () => clock.nudgeBeats(1 / 16) },
    { keys: ['-'], label: 'half tempo', group, run: () => clock.half() },
    { keys: ['='], label: 'double tempo', group, run: () => clock.double() },
  ];
}

/** Tempo, leading source and beat position; tap and correction controls. */
export function BeatPanel({ host }: { host: EngineHost }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useShortcuts(() => beatShortcuts(host), [host]);
  const [info, setInfo] = useState({ bpm: 0, leader: 'none', confidence: 0 });
  useEffect(() => {
    const id = setInterval(() => {
      const c = host.tick.clock;
      setInfo({ bpm: c.freeRunning ? 0 : c.bpm, leader: CLOCK_SOURCE_NAMES[c.leader] ?? 'none', confidence: c.confidence });
    }, 250);
    return () => clearInterval(id);
  }, [host]);
  useAnimationFrame(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    const u = host.uniforms;
    const n = Math.max(1, Math.round(u.beatsPerBar));
    const w = c.width / n;
    g.fillStyle = '#11141b';
    g.fillRect(0, 0, c.width, c.height);
    const current = Math.floor(u.barPhase * n);
    for (let i = 0; i < n; i++) {
      g.fillStyle = i === current && u.bpm > 0 ? `rgba(255, 209, 102, ${0.35 + 0.65 * u.beat})` : '#232838';
      g.fillRect(i * w + 2, 2, w - 4, c.height - 4);
    }
  });
  const clock = host.tick.clock;
  return (
    <section className="panel beat">
      <h2>Beat clock</h2>
      <div className="row">
        <span className="bpm" data-testid="bpm">
          {info.bpm > 0 ? `${info.bpm.toFixed(1)} BPM` : '— BPM'}
        </span>
        <span className="dim">
          {info.leader} {info.bpm > 0 ? `(${Math.round(info.confidence * 100)}%)` : ''}
        </span>
      </div>
      <canvas ref={canvas} className="beat-lights" width={420} height={14} />
      <div className="row">
        <button onClick={(e) => tapAt(host, e.timeStamp)} title="T">
          Tap
        </button>
        <button onClick={() => clock.resetPhase()} title="B">
          Beat 1
        </button>
        <button onClick={() => clock.nudgeBeats(-1 / 16)} title=",">
          ◀ nudge
        </button>
        <button onClick={() => clock.nudgeBeats(1 / 16)} title=".">
          nudge ▶
        </button>
        <button onClick={() => clock.half()} title="-">
          ½
        </button>
        <button onClick={() => clock.double()} title="=">
          ×2
        </button>
      </div>
      <p className="hint">T tap · B beat 1 · , . nudge · - = half/double (? lists every shortcut)</p>
    </section>
  );
}
