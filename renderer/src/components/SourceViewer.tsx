import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { getApi } from '../api/client';
import { useApp } from '../state/app';
import { Highlighted } from './Highlighted';
import { describe } from './location';

const PdfPage = lazy(() => import('./PdfPage').then((m) => ({ default: m.PdfPage })));

export function SourceViewer() {
  const { source, closeSource } = useApp();
  const mark = useRef<HTMLDivElement>(null);
  const [canReveal, setCanReveal] = useState(true);
  const [asText, setAsText] = useState(false);

  useEffect(() => {
    mark.current?.querySelector('mark')?.scrollIntoView({ block: 'center' });
  }, [source, asText]);
  useEffect(() => {
    setAsText(false);
  }, [source]);

  if (!source) return null;
  const { doc, citation } = source;
  const l = doc.location;
  const reveal = async (showInFolder: boolean) => {
    const r = await getApi().call('source.reveal', { collection: l.collection, fileId: l.fileId, showInFolder });
    if (!r.ok) setCanReveal(false);
  };
  const text = doc.text ?? citation.text;
  const span = { start: l.charStart, end: l.charEnd };
  const lines = l.lineStart && !doc.missing && ['code', 'text', 'markdown', 'csv'].includes(l.format);

  return (
    <aside className="viewer" data-testid="source-viewer" aria-label="Source">
      <div className="viewer-head">
        <div>
          <div className="source-title">
            <span className="chip">{citation.n}</span> {describe(l)}
          </div>
          {l.headingPath?.length ? <div className="muted small">{l.headingPath.join(' › ')}</div> : null}
        </div>
        <button className="icon" onClick={closeSource} aria-label="Close source">
          ×
        </button>
      </div>
      <div className="viewer-actions">
        {canReveal && !doc.missing && (
          <>
            <button className="link" onClick={() => void reveal(false)}>
              Open file
            </button>
            <button className="link" onClick={() => void reveal(true)}>
              Show in folder
            </button>
          </>
        )}
        {doc.pdfBase64 && (
          <button className="link" onClick={() => setAsText(!asText)}>
            {asText ? 'Show page' : 'Show text'}
          </button>
        )}
      </div>
      {doc.missing && <p className="note">The original file is not available here (moved, changed, or not included in the pack); showing the indexed passage.</p>}
      <div className="viewer-body" ref={mark}>
        {doc.pdfBase64 && !asText ? (
          <Suspense fallback={<p className="muted">Rendering page {l.page}…</p>}>
            <PdfPage base64={doc.pdfBase64} page={l.page ?? 1} passage={citation.highlights.length ? citation.highlights.map((h) => citation.text.slice(h.start, h.end)).join(' ') : citation.text} />
          </Suspense>
        ) : (
          <pre className={`doc-text ${lines ? 'code' : ''}`}>
            <Highlighted text={text} spans={[span]} testId="source-highlight" />
          </pre>
        )}
      </div>
    </aside>
  );
}
