/**
 * OSC monitor: the newest OSC messages the engine applied (address, value, age; a controller
 * alias shows under its own address), and the traffic counters in and out, so a performer can see at a glance that the desk or the tablet reaches the
 * engine. It reads the applier's log (a ring the frame loop fills without allocating) a few
 * times a second; nothing here runs in the frame loop.
 */
import { useEffect, useState } from 'react';
import type { EngineHost } from '../engine-host.ts';
import { useStore } from '../use-store.ts';

/** Lines shown. */
const SHOWN = 12;

interface Line {
  n: number;
  address: string;
  value: string;
  atMs: number;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 3);
}

export function OscMonitor({ host }: { host: EngineHost }) {
  const status = useStore(host.bridge.subscribe, host.bridge.getStatus);
  const [lines, setLines] = useState<Line[]>([]);
  const [counts, setCounts] = useState({ applied: 0, dropped: 0, bad: 0, sent: 0, midi: 0 });
  const [now, setNow] = useState(0);
  useEffect(() => {
    let seen = 0;
    const id = setInterval(() => {
      const a = host.bridge.applier;
      const total = a.logCount;
      const ring = a.logEntry.length;
      if (total !== seen) {
        const from = Math.max(seen, total - Math.min(SHOWN, ring));
        const fresh: Line[] = [];
        for (let n = from; n < total; n++) {
          const slot = n % ring;
          fresh.push({ n, address: host.bridge.addressOf(a.logEntry[slot]) || `entry ${a.logEntry[slot]}`, value: fmt(a.logValue[slot]), atMs: a.logAtMs[slot] });
        }
        seen = total;
        setLines((old) => [...fresh.reverse(), ...old].slice(0, SHOWN));
      }
      setCounts((c) =>
        c.applied === a.applied && c.dropped === a.dropped && c.bad === a.badFrames && c.sent === host.bridge.sentOsc && c.midi === host.bridge.midiIn
          ? c
          : { applied: a.applied, dropped: a.dropped, bad: a.badFrames, sent: host.bridge.sentOsc, midi: host.bridge.midiIn },
      );
      setNow(performance.now());
    }, 250);
    return () => clearInterval(id);
  }, [host]);
  return (
    <section className="panel osc-monitor" data-testid="osc-monitor">
      <h2>OSC monitor</h2>
      <p className="dim">
        {status.phase === 'connected' ? `bridge connected${status.oscOut ? ` · out to ${status.oscOut}` : ''}` : `bridge ${status.phase}`} · in {counts.applied}
        {counts.dropped > 0 ? ` (${counts.dropped} dropped)` : ''}
        {counts.bad > 0 ? ` · ${counts.bad} bad frames` : ''} · out {counts.sent} · MIDI in {counts.midi}
        {host.bridge.aliases.list.length > 0 ? ` · ${host.bridge.aliases.list.length} OSC alias${host.bridge.aliases.list.length === 1 ? '' : 'es'}` : ''}
        {status.oscLearn ? ` · OSC learn armed for ${status.oscLearn}` : ''}
      </p>
      <ol className="osc-lines">
        {lines.length === 0 && <li className="dim">no OSC received yet</li>}
        {lines.map((l) => (
          <li key={l.n} data-address={l.address}>
            <span className="age">{Math.max(0, (now - l.atMs) / 1000).toFixed(1)} s</span> <code>{l.address}</code> <span className="value">{l.value}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
