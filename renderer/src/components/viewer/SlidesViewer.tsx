import { useEffect, useRef } from 'react';
import type { SlideView } from '../../../../electron/shared/contract';
import { mostlyCited, words } from './match';
import { revealInContainer } from './scroll';

/** Slides in order (title, body, tables, notes); the cited slide is marked and scrolled to, its cited paragraphs highlighted. */
export function SlidesViewer({ slides, cited, passage }: { slides: SlideView[]; cited?: number; passage: string }) {
  const citedRef = useRef<HTMLElement>(null);
  useEffect(() => {
    revealInContainer(citedRef.current, 'start');
  }, [cited, slides]);
  const wanted = new Set(words(passage));
  return (
    <ol className="slides" aria-label="Slides">
      {slides.map((s) => {
        const isCited = s.n === cited;
        const mark = (t: string, i: number) =>
          isCited && mostlyCited(t, wanted, 0.5) ? (
            <mark key={i} data-testid="source-highlight">
              {t}
            </mark>
          ) : (
            t
          );
        return (
          <li key={s.n}>
            <article
              ref={isCited ? citedRef : undefined}
              className={`slide ${isCited ? 'cited' : ''}`}
              data-testid="slide"
              data-slide={s.n}
              aria-current={isCited ? 'true' : undefined}
              aria-label={`Slide ${s.n}${isCited ? ', cited' : ''}`}
            >
              <div className="slide-head">
                <span className="muted small">Slide {s.n}</span>
                {isCited && <span className="badge">Cited</span>}
              </div>
              {s.title && <h3 className="slide-title">{s.title}</h3>}
              {s.body.map((b, i) => (
                <p key={i}>{mark(b, i)}</p>
              ))}
              {s.tables.map((t, ti) => (
                <div key={ti} className="table-scroll" tabIndex={0} role="region" aria-label={`Table ${ti + 1} on slide ${s.n}`}>
                  <table className="grid">
                    <tbody>
                      {t.map((row, ri) => (
                        <tr key={ri}>
                          {row.map((cell, ci) =>
                            ri === 0 ? (
                              <th key={ci} scope="col">
                                {cell}
                              </th>
                            ) : (
                              <td key={ci}>{mark(cell, ci)}</td>
                            ),
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ))}
              {s.notes && (
                <div className="slide-notes">
                  <span className="small muted">Notes</span>
                  <p>{mark(s.notes, 0)}</p>
                </div>
              )}
            </article>
          </li>
        );
      })}
    </ol>
  );
}
