import { useRef, useSyncExternalStore } from 'react';
import { useFileDrop } from './file-drop.ts';
import { getLastIsfLoad, getUserIsf, ISF_USER_SCENE_ID, loadUserIsf, subscribeUserIsf } from '../../scenes/isf/user-shader.ts';

/**
 * Load an ISF shader (.fs) as a scene: file picker or drag-and-drop. A file that fails to parse
 * or compile is listed with its line numbers and the running scene stays.
 */
export function IsfPanel({ onShow }: { onShow: (sceneId: string) => void }) {
  const loaded = useSyncExternalStore(subscribeUserIsf, getUserIsf);
  const last = useSyncExternalStore(subscribeUserIsf, getLastIsfLoad);
  const input = useRef<HTMLInputElement>(null);
  const onFiles = async (files: FileList | null) => {
    const f = files?.[0];
    if (!f) return;
    let text: string;
    try {
      text = await f.text();
    } catch (err) {
      loadUserIsf(f.name, `/* could not read the file: ${String(err)} */`);
      return;
    }
    if (loadUserIsf(f.name, text).ok) onShow(ISF_USER_SCENE_ID);
  };
  const drop = useFileDrop((files) => void onFiles(files));

  return (
    <section
      className={`panel isf ${drop.dragging ? 'dragging' : ''}`}
      data-testid="isf-panel"
      {...drop.dropProps}
    >
      <h2>ISF shader</h2>
      <div className="row">
        <button onClick={() => input.current?.click()}>Open .fs file…</button>
        <span className="dim">{loaded ? loaded.fileName : 'or drop one here'}</span>
        <input
          ref={input}
          type="file"
          accept=".fs,.frag,.glsl,.txt"
          hidden
          data-testid="isf-file-input"
          {...drop.pickerProps}
        />
      </div>
      {last.problems.length > 0 && (
        <ul className={`isf-problems ${last.ok ? 'ok' : 'failed'}`} data-testid="isf-problems" data-ok={last.ok ? '1' : '0'}>
          {last.problems.slice(0, 8).map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
