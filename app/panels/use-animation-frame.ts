import { useEffect, useRef } from 'react';

/** Run `draw` on every animation frame while mounted (canvas panels; no React state per frame). */
export function useAnimationFrame(draw: () => void): void {
  const ref = useRef(draw);
  ref.current = draw;
  useEffect(() => {
    let id = 0;
    const loop = () => {
      try {
        ref.current();
      } catch {
        /* a panel must never stop the page */
      }
      id = requestAnimationFrame(loop);
    };
    id = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(id);
  }, []);
}
