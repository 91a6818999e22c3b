import { useEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];

/**
 * One PDF page as printed (pdf.js canvas) with its text layer; text runs that belong to the cited
 * passage are highlighted.
 */
export function PdfPage({ base64, page, passage }: { base64: string; page: number; passage: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const task = pdfjs.getDocument({ data: bytes, isEvalSupported: false });
    (async () => {
      const doc = await task.promise;
      const p = await doc.getPage(Math.min(Math.max(page, 1), doc.numPages));
      const width = (layer.current?.parentElement?.clientWidth ?? 600) - 2;
      const viewport = p.getViewport({ scale: width / p.getViewport({ scale: 1 }).width });
      const c = canvas.current!;
      const ratio = window.devicePixelRatio || 1;
      c.width = viewport.width * ratio;
      c.height = viewport.height * ratio;
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
      const wanted = new Set(words(passage));
      let first: HTMLElement | null = null;
      for (const span of Array.from(container.querySelectorAll('span'))) {
        const w = words(span.textContent ?? '');
        if (w.length && w.filter((x) => wanted.has(x)).length / w.length >= 0.6) {
          span.classList.add('hl');
          span.dataset.testid = 'source-highlight';
          first ??= span;
        }
      }
      first?.scrollIntoView({ block: 'center' });
    })().catch((err) => !cancelled && setError(String(err?.message ?? err)));
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [base64, page, passage]);

  if (error) return <p className="error-text">This PDF could not be displayed: {error}</p>;
  return (
    <div className="pdf-page">
      <canvas ref={canvas} />
      <div ref={layer} className="textLayer" />
    </div>
  );
}
