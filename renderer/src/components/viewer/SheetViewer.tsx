import { useEffect, useRef, useState } from 'react';
import type { SheetView } from '../../../../electron/shared/contract';
import { formatNumber, count } from '../../format';
import { mostlyCited, words } from './match';

/**
 * A workbook or CSV file as a grid: sheet tabs, the header row, row numbers, and the cited row(s)
 * highlighted and scrolled into view. When a passage spans several rows, the rows holding its
 * supporting sentences are the ones marked (all of them if none can be told apart).
 */
export function SheetViewer({ sheets, citedSheet, row, rowEnd, passage }: { sheets: SheetView[]; citedSheet?: string; row?: number; rowEnd?: number; passage: string }) {
  const initial = Math.max(0, sheets.findIndex((s) => s.name === citedSheet));
  const [tab, setTab] = useState(initial);
  const citedRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => setTab(initial), [initial, sheets]);
  useEffect(() => {
    citedRef.current?.scrollIntoView({ block: 'center' });
  }, [tab, row, sheets]);
  const sheet = sheets[tab];
  if (!sheet) return null;
  const onCitedSheet = sheet.name === citedSheet || (sheets.length === 1 && !citedSheet);
  const inRange = (r: number) => onCitedSheet && row !== undefined && r >= row && r <= (rowEnd ?? row);
  const wanted = new Set(words(passage));
  const candidates = sheet.rows.filter((r) => inRange(r.row));
  const best = candidates.filter((r) => mostlyCited(r.cells.join(' '), wanted, 0.5));
  const marked = new Set((best.length ? best : candidates).map((r) => r.row));
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
                <tr key={r.row} ref={r.row === firstMarked ? citedRef : undefined} className={hit ? 'cited' : inRange(r.row) ? 'in-passage' : ''} data-testid={hit ? 'source-highlight' : undefined} data-row={r.row} aria-current={hit ? 'true' : undefined}>
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
