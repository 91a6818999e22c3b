import { useEffect, useRef } from 'react';
import type { LinesView } from '../../../../electron/shared/contract';
import { mostlyCited, words } from './match';
import { revealInContainer } from './scroll';

/**
 * A text, Markdown or code file as its numbered lines; the cited lines are shaded and, within them,
 * the lines carrying the supporting sentences are highlighted (all cited lines when none stand out).
 */
export function LinesViewer({ view, lineStart, lineEnd, passage, code }: { view: LinesView; lineStart: number; lineEnd: number; passage: string; code: boolean }) {
  const firstRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    revealInContainer(firstRef.current);
  }, [view, lineStart]);
  const wanted = new Set(words(passage));
  const cited = (n: number) => n >= lineStart && n <= lineEnd;
  const numbers = view.lines.map((_, i) => view.first + i);
  const best = numbers.filter((n) => cited(n) && mostlyCited(view.lines[n - view.first], wanted, 0.8));
  const marked = new Set(best.length ? best : numbers.filter(cited));
  const first = Math.min(...marked);
  return (
    <div className={`lines ${code ? 'code' : ''}`} data-testid="line-view">
      {view.lines.map((text, i) => {
        const n = view.first + i;
        const hit = marked.has(n);
        return (
          <div key={n} ref={n === first ? firstRef : undefined} className={`line ${cited(n) ? 'cited' : ''} ${hit ? 'hit' : ''}`} data-line={n} data-testid={hit ? 'source-highlight' : undefined}>
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
