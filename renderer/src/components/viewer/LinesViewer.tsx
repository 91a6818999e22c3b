import { useEffect, useRef } from 'react';
import type { LinesView } from '../../../../electron/shared/contract';
import { words } from './match';
import { revealInContainer } from './scroll';

/**
 * A text, Markdown or code file as its numbered lines; the cited lines are shaded and, within them,
 * the lines carrying the supporting sentences are highlighted (all cited lines when none stand out).
 */
export function LinesViewer({
  view,
  lineStart,
  lineEnd,
  passage,
  code,
}: {
  view: LinesView;
  lineStart: number;
  lineEnd: number;
  passage: string;
  code: boolean;
}) {
  const firstRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    revealInContainer(firstRef.current);
  }, [view, lineStart]);
  const wanted = new Set(words(passage));
  const cited = (n: number) => n >= lineStart && n <= lineEnd;
  const numbers = view.lines.map((_, i) => view.first + i);
  // A line counts when it is mostly the sentence's words and carries a fair share of them (a heading
  // like "## Returns" shares two words with many sentences but is not one).
  const best = numbers.filter((n) => {
    if (!cited(n)) return false;
    const w = words(view.lines[n - view.first]);
    const hits = w.filter((x) => wanted.has(x)).length;
    return w.length > 0 && hits / w.length >= 0.6 && (hits >= 5 || hits >= 0.3 * wanted.size);
  });
  const marked = new Set(best.length ? best : numbers.filter(cited));
  const first = Math.min(...marked);
  return (
    <div className={`lines ${code ? 'code' : ''}`} data-testid="line-view">
      {view.lines.map((text, i) => {
        const n = view.first + i;
        const hit = marked.has(n);
        return (
          <div
            key={n}
            ref={n === first ? firstRef : undefined}
            className={`line ${cited(n) ? 'cited' : ''} ${hit ? 'hit' : ''}`}
            data-line={n}
            data-testid={hit ? 'source-highlight' : undefined}
          >
            <span className="ln" aria-hidden="true">
              {n}
            </span>
            <span className="lt">{text || ' '}</span>
          </div>
        );
      })}
    </div>
  );
}
