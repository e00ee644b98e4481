import { useCallback, useEffect } from 'react';
import { SCENES } from '../scenes/registry.ts';
import type { EngineHost } from './engine-host.ts';
import { OutputView } from './OutputView.tsx';
import { OutputsPanel } from './output/OutputsPanel.tsx';
import { BridgeStatus } from './control/BridgeStatus.tsx';
import { BeatPanel } from './panels/BeatPanel.tsx';
import { FeatureMeters } from './panels/FeatureMeters.tsx';
import { InputMeter } from './panels/InputMeter.tsx';
import { IsfPanel } from './panels/IsfPanel.tsx';
import { KeyframePanel } from './panels/KeyframePanel.tsx';
import { FrameStats } from './panels/FrameStats.tsx';
import { MidiPanel } from './panels/MidiPanel.tsx';
import { OscMonitor } from './panels/OscMonitor.tsx';
import { ModulationPanel } from './panels/ModulationPanel.tsx';
import { PresetPanel } from './panels/PresetPanel.tsx';
import { Messages } from './panels/Messages.tsx';
import { SourcePanel } from './panels/SourcePanel.tsx';
import { Spectrogram } from './panels/Spectrogram.tsx';
import { StatusPanel } from './panels/StatusPanel.tsx';
import { shortcuts, useShortcuts } from './shortcuts.ts';
import { sceneShortcuts } from './scene-shortcuts.ts';
import { ShortcutOverlay } from './ShortcutOverlay.tsx';
import { HoldButtons } from './ShowControls.tsx';
import { useStore } from './use-store.ts';

function initialSource(): string {
  return new URLSearchParams(location.search).get('source') ?? 'demo';
}

/** `?scene=<id>` opens that scene (bookmarks, tests, benchmarks); otherwise the first one. */
function initialScene(): string {
  const id = new URLSearchParams(location.search).get('scene');
  return id && SCENES.some((s) => s.id === id) ? id : SCENES[0].id;
}

export function App({ host }: { host: EngineHost }) {
  const audio = useStore((l) => host.audio.subscribe(l), () => host.audio.getStatus());
  // The first request shows its scene at once; later ones run the performer's transition.
  if (host.switcher.selected === '') host.switchScene(initialScene());
  const sceneId = useStore(host.switcher.subscribe, () => host.switcher.selected);
  const setSceneId = useCallback((id: string) => void host.switchScene(id), [host]);
  useShortcuts(() => sceneShortcuts(host), [host]);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      await host.audio.start();
      if (cancelled) return;
      host.audio.watchDevices();
      const src = initialSource();
      if (src === 'mic') await host.audio.useMic();
      else if (src === 'demo') await host.audio.useDemo();
    })();
    return () => {
      cancelled = true;
    };
  }, [host]);

  useEffect(() => {
    // scene switches from OSC (/engine/scene)
    host.bridge.onSceneRequest(setSceneId);
    return () => host.bridge.onSceneRequest(null);
  }, [host, setSceneId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void shortcuts.handle(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [host]);

  return (
    <div className="app">
      <header>
        <h1>Glassforest</h1>
        <span className={`phase phase-${audio.phase}`} data-testid="phase">
          {audio.phase}
        </span>
        <select value={sceneId} onChange={(e) => setSceneId(e.target.value)} aria-label="Scene">
          {SCENES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
        <HoldButtons host={host} />
        <BridgeStatus host={host} />
      </header>
      {!audio.isolated && (
        <div className="banner" role="alert">
          This page is not cross-origin isolated, so shared memory (SharedArrayBuffer) is off and audio analysis cannot run.
          Start the engine with <code>npm start</code>, or serve it with the headers <code>Cross-Origin-Opener-Policy: same-origin</code> and{' '}
          <code>Cross-Origin-Embedder-Policy: require-corp</code>.
        </div>
      )}
      <main>
        <div className="output">
          <OutputView host={host} />
          {audio.phase === 'waiting-for-gesture' && (
            <button className="start-overlay" onClick={() => void host.audio.resume()}>
              Click to start audio
            </button>
          )}
        </div>
        <aside>
          <OutputsPanel host={host} />
          <SourcePanel audio={host.audio} />
          <section className="panel">
            <h2>Input</h2>
            <InputMeter host={host} />
          </section>
          <PresetPanel host={host} />
          <BeatPanel host={host} />
          <KeyframePanel host={host} />
          <ModulationPanel host={host} />
          <MidiPanel host={host} />
          <OscMonitor host={host} />
          <IsfPanel onShow={setSceneId} />
          <FrameStats />
          <StatusPanel host={host} />
          <section className="panel">
            <h2>Features</h2>
            <Spectrogram host={host} />
            <FeatureMeters host={host} />
          </section>
        </aside>
      </main>
      <Messages />
      <ShortcutOverlay />
    </div>
  );
}
