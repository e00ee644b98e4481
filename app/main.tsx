import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getHost } from './engine-host.ts';
import { outputWindowId, renderOutputWindow } from './output/OutputWindow.tsx';

/** Longest the first render waits for the saved working state (IndexedDB is usually a few ms). */
const RESTORE_WAIT_MS = 1500;

const outputId = outputWindowId(location.search);
if (outputId !== null) {
  // A projector output window: no engine of its own, the control view that opened it feeds it.
  renderOutputWindow(document.getElementById('root')!, outputId);
} else {
  // Build the host first so essentia.js compiles in its worker while the saved state is read.
  const host = getHost();
  let rendered = false;
  const render = (): void => {
    if (rendered) return;
    rendered = true;
    createRoot(document.getElementById('root')!).render(<App host={host} />);
  };
  // The saved scene is the first one shown (no transition from the default); a slow read does not hold the page.
  void host.restored.then(render, render);
  setTimeout(render, RESTORE_WAIT_MS);
}
