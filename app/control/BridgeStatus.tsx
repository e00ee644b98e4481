import type { EngineHost } from '../engine-host.ts';
import { useStore } from '../use-store.ts';

const TEXT = {
  off: 'bridge off',
  connecting: 'bridge: connecting…',
  connected: 'bridge connected',
  'not running': 'bridge not running (npm run bridge); retrying',
} as const;

/** One line: is the OSC/MIDI bridge there? */
export function BridgeStatus({ host }: { host: EngineHost }) {
  const s = useStore(host.bridge.subscribe, host.bridge.getStatus);
  const title = s.phase === 'connected' ? [s.url, s.midi, s.oscOut ? `OSC out ${s.oscOut}` : ''].filter(Boolean).join(' · ') : s.url;
  return (
    <span className={`bridge bridge-${s.phase.replace(' ', '-')}`} data-testid="bridge-status" data-phase={s.phase} title={title}>
      {TEXT[s.phase]}
    </span>
  );
}
