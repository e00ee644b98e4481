import { useRef } from 'react';
import type { AudioEngine } from '../audio/audio-engine.ts';
import { useStore } from '../use-store.ts';
import { useFileDrop } from './file-drop.ts';

export function SourcePanel({ audio }: { audio: AudioEngine }) {
  const status = useStore((l) => audio.subscribe(l), () => audio.getStatus());
  const fileInput = useRef<HTMLInputElement>(null);
  const onFiles = (files: FileList | null) => {
    const f = files?.[0];
    if (f) void audio.useFile(f, f.name);
  };
  const drop = useFileDrop(onFiles);

  return (
    <section
      className={`panel source ${drop.dragging ? 'dragging' : ''}`}
      {...drop.dropProps}
    >
      <h2>Audio source</h2>
      <div className="row">
        <button className={status.source === 'demo' ? 'on' : ''} onClick={() => void audio.useDemo()}>
          Demo track
        </button>
        <button onClick={() => fileInput.current?.click()}>Open file…</button>
        <button className={status.source === 'mic' ? 'on' : ''} onClick={() => void audio.useMic(status.deviceId || undefined)}>
          Input
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="audio/*,.wav,.mp3,.ogg,.flac"
          hidden
          data-testid="file-input"
          {...drop.pickerProps}
        />
      </div>
      <label className="row">
        <span>Input device</span>
        <select
          value={status.deviceId}
          onFocus={() => void audio.refreshDevices()}
          onChange={(e) => void audio.useMic(e.target.value)}
        >
          {status.devices.length === 0 && <option value="">(none listed)</option>}
          {status.devices.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <span className="now" data-testid="source-label" title={status.sourceLabel}>
          {status.sourceLabel}
        </span>
        {(status.source === 'file' || status.source === 'demo') && (
          <>
            <button onClick={() => (status.playing ? audio.pause() : audio.play())}>{status.playing ? 'Pause' : 'Play'}</button>
            <label>
              <input type="checkbox" checked={status.loop} onChange={(e) => audio.setLoop(e.target.checked)} /> loop
            </label>
          </>
        )}
      </div>
      <p className="hint">Drop an audio file here (WAV, MP3, OGG, FLAC).</p>
    </section>
  );
}
