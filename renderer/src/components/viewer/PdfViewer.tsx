import { useEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { Spinner } from './Spinner';
import { mostlyCited, words } from './match';
import { revealInContainer } from './scroll';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * A PDF as printed, one page at a time (pdf.js canvas + text layer): opens at the cited page, with
 * "page n of N", previous/next and a way back to the cited page. While a page renders, a page-sized
 * placeholder with a spinner holds its place. Text runs of the cited passage are highlighted on the
 * cited pages only, and the text layer is clipped to the page.
 */
export function PdfViewer({ base64, citedPage, citedPageEnd, passage }: { base64: string; citedPage: number; citedPageEnd?: number; passage: string }) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(citedPage);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDoc(null);
    setPage(citedPage);
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const task = pdfjs.getDocument({ data: bytes, isEvalSupported: false });
    let cancelled = false;
    task.promise.then(
      (d) => {
        if (cancelled) return;
        setDoc(d);
        setPage(Math.min(Math.max(citedPage, 1), d.numPages));
      },
      (err) => !cancelled && setError(String(err?.message ?? err)),
    );
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [base64, citedPage]);

  if (error) return <p className="error-text">This PDF could not be displayed ({error}). Use “Show text” to read the passage.</p>;
  const total = doc?.numPages ?? 0;
  const isCited = page >= citedPage && page <= (citedPageEnd ?? citedPage);
  return (
    <div className="pdf-viewer">
      <div className="pager" role="group" aria-label="Pages">
        <button onClick={() => setPage(page - 1)} disabled={!doc || page <= 1} aria-label="Previous page">
          ‹ Previous
        </button>
        <span data-testid="pdf-page-indicator" aria-live="polite">
          {doc ? `Page ${page} of ${total}` : `Page ${citedPage}`}
        </span>
        <button onClick={() => setPage(page + 1)} disabled={!doc || page >= total} aria-label="Next page">
          Next ›
        </button>
        <button className="link" onClick={() => setPage(citedPage)} disabled={!doc || isCited} data-testid="pdf-cited-page">
          Cited page {citedPage}
        </button>
      </div>
      {doc ? <PdfPage key={page} doc={doc} page={page} passage={isCited ? passage : ''} /> : <PagePlaceholder label={`Opening page ${citedPage}…`} />}
    </div>
  );
}

function PagePlaceholder({ label, height }: { label: string; height?: number }) {
  return (
    <div className="pdf-placeholder" style={height ? { height } : undefined}>
      <Spinner label={label} />
    </div>
  );
}

function PdfPage({ doc, page, passage }: { doc: PDFDocumentProxy; page: number; passage: string }) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [rendered, setRendered] = useState(false);
  const [height, setHeight] = useState<number | undefined>();
  const [error, setError] = useState<string | null>(null);
  const firstHit = useRef<HTMLElement | null>(null);

  // Only once the page has replaced its placeholder is the highlight where it will stay.
  useEffect(() => {
    if (rendered) revealInContainer(firstHit.current);
  }, [rendered]);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const p = await doc.getPage(page);
      const width = Math.max(200, (box.current?.clientWidth ?? 600) - 2);
      const viewport = p.getViewport({ scale: width / p.getViewport({ scale: 1 }).width });
      if (cancelled) return;
      setHeight(viewport.height);
      const c = canvas.current!;
      const ratio = window.devicePixelRatio || 1;
      c.width = Math.floor(viewport.width * ratio);
      c.height = Math.floor(viewport.height * ratio);
      c.style.width = `${viewport.width}px`;
      c.style.height = `${viewport.height}px`;
      await p.render({ canvas: c, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined }).promise;
      if (cancelled) return;
      const container = layer.current!;
      container.replaceChildren();
      container.style.width = `${viewport.width}px`;
      container.style.height = `${viewport.height}px`;
      container.style.setProperty('--scale-factor', String(viewport.scale));
      container.style.setProperty('--total-scale-factor', String(viewport.scale));
      const text = new pdfjs.TextLayer({ textContentSource: await p.getTextContent(), container, viewport });
      await text.render();
      if (cancelled) return;
      const wanted = new Set(words(passage));
      let first: HTMLElement | null = null;
      if (wanted.size)
        for (const span of Array.from(container.querySelectorAll('span'))) {
          if (mostlyCited(span.textContent ?? '', wanted)) {
            span.classList.add('hl');
            span.dataset.testid = 'source-highlight';
            first ??= span;
          }
        }
      firstHit.current = first;
      setRendered(true);
    })().catch((err) => !cancelled && setError(String(err?.message ?? err)));
    return () => {
      cancelled = true;
    };
  }, [doc, page, passage]);

  if (error)
    return (
      <p className="error-text">
        Page {page} could not be displayed ({error}).
      </p>
    );
  return (
    <div ref={box} className="pdf-frame">
      {!rendered && <PagePlaceholder label={`Rendering page ${page}…`} height={height} />}
      <div className="pdf-page" data-testid="pdf-page" data-page={page} style={rendered ? undefined : { position: 'absolute', visibility: 'hidden' }}>
        <canvas ref={canvas} aria-label={`Page ${page}`} role="img" />
        <div ref={layer} className="textLayer" />
      </div>
    </div>
  );
}
