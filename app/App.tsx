import { useCallback, useEffect, useMemo } from 'react';
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
import { type Section, SectionNav } from './SectionNav.tsx';
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
  // Every panel stays mounted (shortcuts, MIDI learn and meters keep working); the column jumps between groups.
  const sections = useMemo<Section[]>(
    () => [
      { id: 'show', title: 'Presets', content: <PresetPanel host={host} /> },
      { id: 'keyframes', title: 'Keyframes', content: <KeyframePanel host={host} /> },
      { id: 'modulation', title: 'Modulation', content: <ModulationPanel host={host} /> },
      {
        id: 'control',
        title: 'MIDI / OSC',
        content: (
          <>
            <MidiPanel host={host} />
            <OscMonitor host={host} />
          </>
        ),
      },
      { id: 'outputs', title: 'Outputs', content: <OutputsPanel host={host} /> },
      { id: 'scenes', title: 'ISF', content: <IsfPanel onShow={setSceneId} /> },
      {
        id: 'audio',
        title: 'Audio',
        content: (
          <>
            <SourcePanel audio={host.audio} />
            <section className="panel">
              <h2>Input</h2>
              <InputMeter host={host} />
            </section>
            <StatusPanel host={host} />
          </>
        ),
      },
    ],
    [host, setSceneId],
  );

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
        <span className="hint header-hint">? shortcuts</span>
      </header>
      {!audio.isolated && (
        <div className="banner" role="alert">
          This page is not cross-origin isolated, so shared memory (SharedArrayBuffer) is off and audio analysis cannot run.
          Start the engine with <code>npm start</code>, or serve it with the headers <code>Cross-Origin-Opener-Policy: same-origin</code> and{' '}
          <code>Cross-Origin-Embedder-Policy: require-corp</code>.
        </div>
      )}
      <main>
        <div className="stage">
          <div className="output">
            <OutputView host={host} />
            {audio.phase === 'waiting-for-gesture' && (
              <button className="start-overlay" onClick={() => void host.audio.resume()}>
                Click to start audio
              </button>
            )}
          </div>
          {/* What a performer watches while playing: beat, sound, frame rate. */}
          <div className="monitors">
            <BeatPanel host={host} />
            <section className="panel features">
              <h2>Features</h2>
              <Spectrogram host={host} />
              <FeatureMeters host={host} />
            </section>
            <FrameStats />
          </div>
        </div>
        <SectionNav sections={sections} />
      </main>
      <Messages />
      <ShortcutOverlay />
    </div>
  );
}
