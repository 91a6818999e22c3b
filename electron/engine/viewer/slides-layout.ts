import { XMLParser } from 'fast-xml-parser';
import { openZip, text } from '../ingest/parsers/zip.js';
import type { SlideView } from '../../shared/contract.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: () => true, preserveOrder: false });

/**
 * A presentation as slides for the viewer, in presentation order: title, body paragraphs, tables
 * (rows of cells) and speaker notes. Kept apart from the indexing parser so the viewer can show
 * structure (tables, notes) without changing what is indexed.
 */
export function slidesOf(bytes: Uint8Array): SlideView[] {
  const files = openZip(
    bytes,
    'presentation',
    (n) => /^ppt\/(slides|notesSlides)\/(_rels\/)?[^/]+\.xml(\.rels)?$/.test(n) || n === 'ppt/presentation.xml' || n === 'ppt/_rels/presentation.xml.rels',
  );
  return slideOrder(files).map((slidePath, i) => {
    const doc = xml.parse(text(files[slidePath]));
    let title = '';
    const body: string[] = [];
    for (const sp of collect(doc, 'sp')) {
      const ph = collect(sp, 'ph')[0] as Record<string, unknown> | undefined;
      const isTitle = !!ph && /title/i.test(String(ph.type ?? ''));
      for (const p of collect(sp, 'p')) {
        const t = runs(p);
        if (!t.trim()) continue;
        if (isTitle) title = title ? `${title} ${t.trim()}` : t.trim();
        else body.push(t);
      }
    }
    const tables = collect(doc, 'tbl').map((tbl) =>
      collect(tbl, 'tr').map((tr) => collect(tr, 'tc').map((tc) => collect(tc, 'p').map(runs).join('\n').trim())),
    );
    const rels = text(files[slidePath.replace('slides/', 'slides/_rels/') + '.rels']);
    const notesFile = rels.match(/Target="\.\.\/notesSlides\/([^"]+)"/)?.[1];
    let notes = '';
    if (notesFile && files[`ppt/notesSlides/${notesFile}`]) {
      const notesDoc = xml.parse(text(files[`ppt/notesSlides/${notesFile}`]));
      // The notes page repeats the slide image and number; only the body placeholder is the notes.
      notes = collect(notesDoc, 'sp')
        .filter((sp) => /body/i.test(String((collect(sp, 'ph')[0] as Record<string, unknown> | undefined)?.type ?? '')))
        .flatMap((sp) => collect(sp, 'p').map(runs))
        .filter((t) => t.trim())
        .join('\n');
    }
    return { n: i + 1, title, body, tables, notes };
  });
}

function runs(p: unknown): string {
  return collect(p, 't')
    .map((n) => (typeof n === 'object' && n !== null ? String((n as Record<string, unknown>)['#text'] ?? '') : String(n)))
    .join('');
}

function slideOrder(files: Record<string, Uint8Array>): string[] {
  const rels = text(files['ppt/_rels/presentation.xml.rels']);
  const targets = new Map([...rels.matchAll(/Id="([^"]+)"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="([^"]+)"/g)].map((m) => [m[1] ?? m[4], m[2] ?? m[3]]));
  const ids = [...text(files['ppt/presentation.xml']).matchAll(/<p:sldId [^>]*r:id="([^"]+)"/g)].map((m) => m[1]);
  const ordered = ids
    .map((id) => targets.get(id))
    .filter((t): t is string => !!t)
    .map((t) => `ppt/${t.replace(/^\//, '').replace(/^ppt\//, '')}`);
  if (ordered.length) return ordered.filter((p) => files[p]);
  return Object.keys(files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(a.match(/(\d+)/)![1]) - Number(b.match(/(\d+)/)![1]));
}

/** Every descendant node with the given local name, in document order (not inside a match). */
function collect(node: unknown, name: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, name, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === name) (Array.isArray(v) ? v : [v]).forEach((x) => out.push(x));
      else if (typeof v === 'object') collect(v, name, out);
    }
  }
  return out;
}
