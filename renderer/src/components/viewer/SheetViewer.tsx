import { useEffect, useRef, useState } from 'react';
import type { Citation, SheetView } from '../../../../electron/shared/contract';
import { formatNumber, count } from '../../format';
import { highlightedLines, mostlyCited, words } from './match';
import { revealInContainer } from './scroll';

/**
 * A workbook or CSV file as a grid: sheet tabs, the header row, row numbers, and the cited row(s)
 * highlighted and scrolled into view. When a passage spans several rows, the rows holding its
 * supporting sentences are the ones marked (all of them if none can be told apart).
 */
export function SheetViewer({
  sheets,
  citedSheet,
  row,
  rowEnd,
  passage,
  citation,
}: {
  sheets: SheetView[];
  citedSheet?: string;
  row?: number;
  rowEnd?: number;
  passage: string;
  citation: Citation;
}) {
  const initial = Math.max(
    0,
    sheets.findIndex((s) => s.name === citedSheet),
  );
  const [tab, setTab] = useState(initial);
  const citedRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => setTab(initial), [initial, sheets]);
  useEffect(() => {
    revealInContainer(citedRef.current);
  }, [tab, row, sheets]);
  const sheet = sheets[tab];
  if (!sheet) return null;
  const onCitedSheet = sheet.name === citedSheet || (sheets.length === 1 && !citedSheet);
  const inRange = (r: number) => onCitedSheet && row !== undefined && r >= row && r <= (rowEnd ?? row);
  const wanted = new Set(words(passage));
  const candidates = sheet.rows.filter((r) => inRange(r.row));
  // The passage holds one row per line, in order: its best highlight names the cited row exactly,
  // other highlighted rows are shaded more lightly.
  const lines = highlightedLines(citation);
  const byLine = lines ? lines.map((i) => candidates[i]).filter(Boolean) : [];
  const fallback = candidates.filter((r) => mostlyCited(r.cells.join(' '), wanted, 0.8));
  const primary = byLine[0] ?? fallback[0] ?? candidates[0];
  const marked = new Set(primary ? [primary.row] : []);
  const also = new Set(byLine.slice(1).map((r) => r.row));
  const firstMarked = [...marked][0];
  const width = Math.max(sheet.header?.length ?? 0, ...sheet.rows.map((r) => r.cells.length));
  const cols = Array.from({ length: width }, (_, i) => i);
  return (
    <div className="sheet-viewer">
      {sheets.length > 1 && (
        <div className="sheet-tabs" role="tablist" aria-label="Sheets">
          {sheets.map((s, i) => (
            <button key={s.name} role="tab" aria-selected={i === tab} className={i === tab ? 'active' : ''} onClick={() => setTab(i)}>
              {s.name}
            </button>
          ))}
        </div>
      )}
      <div className="table-scroll grid-scroll" tabIndex={0} role="region" aria-label={`Sheet ${sheet.name}`}>
        <table className="grid" data-testid="sheet-grid">
          {sheet.header && (
            <thead>
              <tr>
                <th scope="col" className="rownum">
                  <span className="visually-hidden">Row</span>
                </th>
                {cols.map((c) => (
                  <th key={c} scope="col">
                    {sheet.header![c] ?? ''}
                  </th>
                ))}
              </tr>
            </thead>
          )}
          <tbody>
            {sheet.rows.map((r) => {
              const hit = marked.has(r.row);
              return (
                <tr
                  key={r.row}
                  ref={r.row === firstMarked ? citedRef : undefined}
                  className={hit ? 'cited' : also.has(r.row) ? 'also' : inRange(r.row) ? 'in-passage' : ''}
                  data-testid={hit ? 'source-highlight' : undefined}
                  data-row={r.row}
                  aria-current={hit ? 'true' : undefined}
                >
                  <th scope="row" className="rownum">
                    {formatNumber(r.row)}
                  </th>
                  {cols.map((c) => (
                    <td key={c}>{r.cells[c] ?? ''}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {sheet.omitted > 0 && <p className="small muted">Showing the rows around the cited one; {count(sheet.omitted, 'row')} not shown.</p>}
    </div>
  );
}
