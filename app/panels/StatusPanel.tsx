import { useEffect, useState } from 'react';
import type { AnalysisStats } from '../../workers/analysis.worker.ts';
import type { EngineHost } from '../engine-host.ts';
import { useStore } from '../use-store.ts';

interface Figures {
  stats: AnalysisStats | null;
  fps: number;
  ageMedianMs: number;
  ageP99Ms: number;
  startupMs: number;
}

/** Engine status, refreshed a few times a second (never per frame through React). */
export function StatusPanel({ host }: { host: EngineHost }) {
  const audio = useStore((l) => host.audio.subscribe(l), () => host.audio.getStatus());
  const [fig, setFig] = useState<Figures>({ stats: null, fps: 0, ageMedianMs: 0, ageP99Ms: 0, startupMs: -1 });
  useEffect(() => {
    let alive = true;
    const id = setInterval(async () => {
      const stats = await host.audio.stats();
      if (!alive) return;
      const age = host.featureAgeStats();
      setFig({ stats, fps: host.fps(), ageMedianMs: age.median * 1000, ageP99Ms: age.p99 * 1000, startupMs: host.startupMs() });
    }, 500);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [host]);
  const s = fig.stats;
  const rows: [string, string][] = [
    ['state', audio.phase],
    ['isolation', audio.isolated ? 'cross-origin isolated' : 'NOT isolated'],
    ['sample rate', audio.sampleRate ? `${audio.sampleRate} Hz` : '—'],
    ['frame / hop', s ? `${s.frameSize} / ${s.hopSize} (${((s.hopSize / (s.sampleRate || 1)) * 1000).toFixed(1)} ms)` : '—'],
    ['analysis / hop', s ? `${s.costMedianMs.toFixed(3)} ms median, ${s.costP99Ms.toFixed(3)} p99` : '—'],
    ['feature age', `${fig.ageMedianMs.toFixed(1)} ms median, ${fig.ageP99Ms.toFixed(1)} p99 (negative: ahead of the sound)`],
    ['hops', s ? `${s.hops} (skipped ${s.skippedHops})` : '—'],
    ['overruns', s ? String(s.overruns) : '—'],
    ['frame rate', `${fig.fps.toFixed(0)} fps at ${(host.renderScale * 100).toFixed(0)}% resolution`],
    ['start-up', fig.startupMs >= 0 ? `${fig.startupMs.toFixed(0)} ms to first live frame` : '—'],
    ['essentia load', s ? `${s.essentiaLoadMs.toFixed(0)} ms` : '—'],
  ];
  if (s?.lastError) rows.push(['analysis error', s.lastError]);
  return (
    <section className="panel status">
      <h2>Engine</h2>
      <dl data-testid="engine-status" data-phase={audio.phase}>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
