import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getHost } from './engine-host.ts';

// Build the host first so essentia.js compiles in its worker while React renders.
const host = getHost();
createRoot(document.getElementById('root')!).render(<App host={host} />);
