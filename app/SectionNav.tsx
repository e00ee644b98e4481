/**
 * The control view's right-hand column: every panel stays mounted and in the page (their
 * shortcuts, MIDI learn and meters keep working), grouped into named sections; the bar on top
 * jumps to a section and lights the one in view, so a performer on a laptop screen reaches any
 * panel in one click instead of scrolling through all of them.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly content: ReactNode;
}

export function SectionNav({ sections }: { sections: readonly Section[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(sections[0]?.id ?? '');
  useEffect(() => {
    const root = scroller.current;
    if (!root || typeof IntersectionObserver === 'undefined') return;
    const visible = new Map<string, number>();
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) visible.set((e.target as HTMLElement).dataset.section ?? '', e.intersectionRatio);
        // The topmost section with any part in view.
        for (const s of sections) {
          if ((visible.get(s.id) ?? 0) > 0) {
            setCurrent(s.id);
            break;
          }
        }
      },
      { root, threshold: [0, 0.01, 0.5, 1] },
    );
    for (const el of root.querySelectorAll('[data-section]')) io.observe(el);
    return () => io.disconnect();
  }, [sections]);
  const jump = (id: string) => {
    scroller.current?.querySelector(`[data-section="${id}"]`)?.scrollIntoView({ block: 'start' });
    setCurrent(id);
  };
  return (
    <aside className="control-column">
      <nav className="section-nav" aria-label="Control view sections">
        {sections.map((s) => (
          <button key={s.id} className={s.id === current ? 'on' : ''} aria-current={s.id === current ? 'true' : undefined} onClick={() => jump(s.id)}>
            {s.title}
          </button>
        ))}
      </nav>
      <div className="section-scroll" ref={scroller}>
        {sections.map((s) => (
          <div key={s.id} className="section-group" data-section={s.id}>
            {s.content}
          </div>
        ))}
      </div>
    </aside>
  );
}
