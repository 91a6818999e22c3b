import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { getApi } from '../api/client';
import type { Citation } from '../../../electron/shared/contract';
import { useApp } from '../state/app';
import { Highlighted } from './Highlighted';
import { describe } from './location';
import { citedText } from './viewer/match';
import { SlidesViewer } from './viewer/SlidesViewer';
import { SheetViewer } from './viewer/SheetViewer';
import { LinesViewer } from './viewer/LinesViewer';
import { Spinner } from './viewer/Spinner';
import { revealInContainer } from './viewer/scroll';

const PdfViewer = lazy(() => import('./viewer/PdfViewer').then((m) => ({ default: m.PdfViewer })));

/**
 * The cited source, in the viewer its format calls for: PDF pages, slides, a grid, numbered lines,
 * or the extracted text (DOCX, HTML, EPUB). A column beside the chat on wide windows, a drawer over
 * it on narrow ones (CSS decides); it takes focus when opened and gives it back when closed.
 */
export function SourceViewer() {
  const { source, pending, closeSource, info } = useApp();
  const heading = useRef<HTMLHeadingElement>(null);
  const [revealError, setRevealError] = useState<string | null>(null);
  const [asText, setAsText] = useState(false);
  const textRef = useRef<HTMLPreElement>(null);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  useEffect(() => {
    setAsText(false);
    setRevealError(null);
    // The document replaced the "opening" view: its title takes the focus again.
    if (source) heading.current?.focus();
  }, [source]);
  useEffect(() => {
    revealInContainer(textRef.current?.querySelector('mark'));
  }, [source, asText]);

  if (!source && pending) return <OpeningViewer citation={pending} heading={heading} onClose={closeSource} />;
  if (!source) return null;
  const { doc, citation } = source;
  const l = doc.location;
  // The citation names the row, lines or page of the supporting sentence; the document's location is the whole passage.
  const c = citation.location;
  const title = describe({
    ...l,
    page: c.page ?? l.page,
    pageEnd: c.pageEnd,
    slide: c.slide ?? l.slide,
    row: c.row ?? l.row,
    rowEnd: c.rowEnd,
    lineStart: c.lineStart ?? l.lineStart,
    lineEnd: c.lineEnd,
    doc: c.doc ?? l.doc,
  });
  const openFiles = info?.openFiles ?? { supported: true };
  const revealReason = doc.missing ? 'The original file is not on this computer.' : !openFiles.supported ? openFiles.reason : undefined;
  const reveal = async (showInFolder: boolean) => {
    try {
      const r = await getApi().call('source.reveal', { collection: l.collection, fileId: l.fileId, showInFolder });
      setRevealError(r.ok ? null : (r.reason ?? 'Lantern could not open it.'));
    } catch (err) {
      setRevealError((err as Error).message);
    }
  };
  const passage = citedText(citation);
  const layout = doc.layout;
  const text = doc.text ?? citation.text;

  const body = () => {
    if (doc.pdfBase64 && !asText)
      return (
        <Suspense fallback={<Spinner label={`Opening page ${l.page ?? 1}…`} />}>
          <PdfViewer base64={doc.pdfBase64} citedPage={l.page ?? 1} citedPageEnd={l.pageEnd} passage={passage} />
        </Suspense>
      );
    if (layout?.kind === 'slides' && !doc.missing) return <SlidesViewer slides={layout.slides} cited={l.slide} passage={passage} />;
    if (layout?.kind === 'sheets' && !doc.missing)
      return <SheetViewer sheets={layout.sheets} citedSheet={l.sheet} row={l.row} rowEnd={l.rowEnd} passage={passage} citation={citation} />;
    if (layout?.kind === 'lines' && !doc.missing && l.lineStart)
      return <LinesViewer view={layout} lineStart={l.lineStart} lineEnd={l.lineEnd ?? l.lineStart} passage={passage} code={l.format === 'code'} />;
    return (
      <pre className="doc-text" ref={textRef}>
        <Highlighted text={text} spans={[{ start: l.charStart, end: l.charEnd }]} testId="source-highlight" />
      </pre>
    );
  };

  return (
    <aside className="viewer" data-testid="source-viewer" aria-labelledby="viewer-title" data-format={l.format}>
      <div className="viewer-head">
        <div className="viewer-title-box">
          <ViewerTitle n={citation.n} title={title} heading={heading} />
          {l.headingPath?.length ? (
            <div className="muted small truncate" title={l.headingPath.join(' › ')}>
              {l.headingPath.join(' › ')}
            </div>
          ) : null}
        </div>
        <button className="icon close" onClick={closeSource} aria-label="Close source" data-testid="close-source">
          ×
        </button>
      </div>
      <div className="viewer-actions">
        <button
          className="link"
          onClick={() => void reveal(false)}
          disabled={!!revealReason}
          aria-describedby={revealReason ? 'reveal-reason' : undefined}
          data-testid="open-file"
        >
          Open file
        </button>
        <button
          className="link"
          onClick={() => void reveal(true)}
          disabled={!!revealReason}
          aria-describedby={revealReason ? 'reveal-reason' : undefined}
          data-testid="show-in-folder"
        >
          Show in folder
        </button>
        {doc.pdfBase64 && (
          <button className="link" onClick={() => setAsText(!asText)}>
            {asText ? 'Show page' : 'Show text'}
          </button>
        )}
      </div>
      {(revealReason || revealError) && (
        <p className="small muted viewer-reason" id="reveal-reason" role={revealError ? 'alert' : undefined} data-testid="reveal-reason">
          {revealError ?? revealReason}{' '}
          <span className="mono path" title={l.path}>
            {l.path}
          </span>
        </p>
      )}
      {doc.missing && (
        <p className="note">The original file is not available here (moved, changed, or not included in the pack); showing the indexed passage.</p>
      )}
      <div className="viewer-body" tabIndex={0} role="region" aria-label={`Contents of ${l.relPath.split('/').pop()}`}>
        {body()}
      </div>
    </aside>
  );
}

/** The viewer's heading: the citation's number and where it points; focused when the viewer opens. */
function ViewerTitle({ n, title, heading }: { n: number; title: string; heading: React.RefObject<HTMLHeadingElement | null> }) {
  return (
    <h2 id="viewer-title" className="viewer-title" ref={heading} tabIndex={-1} title={title}>
      <span className="chip" aria-hidden="true">
        {n}
      </span>{' '}
      <span className="visually-hidden">Source {n}: </span>
      <span className="truncate" data-testid="viewer-file-name">
        {title}
      </span>
    </h2>
  );
}

/** While the document is fetched (a large PDF takes seconds), the viewer already shows where it will open. */
function OpeningViewer({ citation, heading, onClose }: { citation: Citation; heading: React.RefObject<HTMLHeadingElement | null>; onClose: () => void }) {
  const title = describe(citation.location);
  return (
    <aside className="viewer" data-testid="source-viewer" aria-labelledby="viewer-title" aria-busy="true">
      <div className="viewer-head">
        <div className="viewer-title-box">
          <ViewerTitle n={citation.n} title={title} heading={heading} />
        </div>
        <button className="icon close" onClick={onClose} aria-label="Close source" data-testid="close-source">
          ×
        </button>
      </div>
      <div className="viewer-body">
        <Spinner label={`Opening ${citation.location.relPath.split('/').pop()}${citation.location.page ? ` at page ${citation.location.page}` : ''}…`} />
      </div>
    </aside>
  );
}
