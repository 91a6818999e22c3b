import { posix } from 'node:path';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { openZip, text } from './zip.js';
import { attr, paragraphsOf, scanXml } from './xml-scan.js';
import { coreProperties } from '../doc-meta.js';
import { isHeadingLike } from '../../lexical/highlight.js';

/**
 * Slides in presentation order. Every text a slide shows is read, in the order of its shape tree:
 * text boxes and placeholders (the title as heading), shapes inside groups, tables (one block per
 * row, cells labelled by the header row), SmartArt text, chart titles; then the speaker notes.
 */
export const pptxParser: Parser = {
  format: 'pptx',
  extensions: ['.pptx'],
  async parse({ bytes, onProgress }) {
    // Only slides' relationships are read: the notes', charts' and diagrams' own .rels (a quarter
    // of a PowerPoint deck's parts) would be inflated for nothing.
    const files = openZip(
      bytes,
      'presentation',
      (n) =>
        /^ppt\/(slides|notesSlides|charts|diagrams)\/[^/]+\.xml$/.test(n) ||
        /^ppt\/slides\/_rels\/[^/]+\.xml\.rels$/.test(n) ||
        n === 'ppt/presentation.xml' ||
        n === 'ppt/_rels/presentation.xml.rels' ||
        n === 'docProps/core.xml',
    );
    if (!files['ppt/presentation.xml']) throw new IngestError('corrupt', 'This presentation is damaged or not really a .pptx file.');
    const order = slideOrder(files);
    const b = new DocBuilder();
    order.forEach((slidePath, i) => {
      const slide = i + 1;
      const rels = relsOf(files, slidePath);
      const items = slideItems(text(files[slidePath]), rels, files);
      // No title placeholder (decks made by scripts, blank layouts): a first line that reads as a heading is the title.
      if (!items.some((it) => it.kind === 'title') && items[0]?.kind === 'para' && isHeadingLike(items[0].text)) items[0].kind = 'title';
      const titleText = items.find((it) => it.kind === 'title')?.text;
      const headingPath = titleText ? [titleText] : [];
      for (const it of items) {
        if (it.kind === 'title') b.add('heading', it.text, { slide, level: 1, headingPath: [] });
        else if (it.kind === 'row') b.add('row', it.text, { slide, row: it.row, headingPath });
        else b.add('paragraph', it.text, { slide, headingPath });
      }
      const notesPath = [...rels.values()].find((t) => t.includes('/notesSlides/'));
      if (notesPath && files[notesPath]) {
        const notes = notesText(text(files[notesPath]));
        if (notes) b.add('paragraph', `Notes: ${notes}`, { slide, headingPath });
      }
      if (slide % 25 === 0) onProgress?.(slide, order.length, 'slides');
    });
    if (b.empty) throw new IngestError('empty', 'The presentation holds no text.');
    const props = coreProperties(text(files['docProps/core.xml']));
    return b.build('pptx', { slideCount: order.length, title: props.title, meta: props });
  },
};

type Item = { kind: 'title' | 'para' | 'row'; text: string; row?: number };

/** The slide's texts in shape-tree order. */
function slideItems(xml: string, rels: Map<string, string>, files: Record<string, Uint8Array>): Item[] {
  const items: Item[] = [];
  let spDepth = 0;
  let spIsTitle = false;
  let para: string[] | null = null;
  let inText = 0;
  // Tables: rows of cells, each cell the text of its paragraphs.
  let table: string[][] | null = null;
  let cell: string[] | null = null;
  scanXml(xml, {
    open(name, attrs, self) {
      switch (name) {
        case 'sp':
          if (!self) {
            spDepth++;
            spIsTitle = false;
          }
          break;
        case 'ph':
          if (spDepth && /^(title|ctrTitle)$/.test(attr(attrs, 'type') ?? '')) spIsTitle = true;
          break;
        case 'tbl':
          table = [];
          break;
        case 'tr':
          table?.push([]);
          break;
        case 'tc':
          if (table && !self) cell = [];
          break;
        case 'p':
          if (!self) para = [];
          break;
        case 't':
          if (!self) inText++;
          break;
        case 'br':
        case 'tab':
          para?.push(' ');
          break;
        case 'chart': {
          const target = rels.get(attr(attrs, 'r:id') ?? '');
          if (target && files[target]) {
            const title = chartTitle(text(files[target]));
            if (title) items.push({ kind: 'para', text: `Chart: ${title}` });
          }
          break;
        }
        case 'relIds': {
          const target = rels.get(attr(attrs, 'r:dm') ?? '');
          if (target && files[target]) for (const t of paragraphsOf(text(files[target]))) items.push({ kind: 'para', text: t });
          break;
        }
      }
    },
    close(name) {
      switch (name) {
        case 't':
          inText = Math.max(0, inText - 1);
          break;
        case 'p': {
          const t = (para ?? []).join('').replace(/\s+/g, ' ').trim();
          para = null;
          if (!t) break;
          if (cell) cell.push(t);
          else if (!table) items.push({ kind: spDepth && spIsTitle ? 'title' : 'para', text: t });
          break;
        }
        case 'tc':
          if (table && cell) table[table.length - 1].push(cell.join(' '));
          cell = null;
          break;
        case 'tbl':
          if (table) items.push(...tableRows(table));
          table = null;
          break;
        case 'sp':
          spDepth = Math.max(0, spDepth - 1);
          spIsTitle = false;
          break;
      }
    },
    text(t) {
      if (inText && para) para.push(t);
    },
  });
  return items;
}

/** Table rows as labelled blocks: the first row names the columns ("Region: North; Target: 120"). */
function tableRows(rows: string[][]): Item[] {
  const nonEmpty = rows.filter((r) => r.some(Boolean));
  if (nonEmpty.length === 0) return [];
  const header = nonEmpty.length > 1 ? nonEmpty[0] : null;
  const out: Item[] = [];
  if (header) out.push({ kind: 'row', text: header.filter(Boolean).join('; '), row: 1 });
  nonEmpty.slice(header ? 1 : 0).forEach((r, i) => {
    const text = r
      .map((c, j) => (c && header?.[j] ? `${header[j]}: ${c}` : c))
      .filter(Boolean)
      .join('; ');
    if (text) out.push({ kind: 'row', text, row: i + (header ? 2 : 1) });
  });
  return out;
}

function chartTitle(xml: string): string {
  const m = /<c:title>([\s\S]*?)<\/c:title>/.exec(xml);
  return m ? paragraphsOf(m[1]).join(' ') : '';
}

/** Notes text without the slide-number and slide-image placeholders. */
function notesText(xml: string): string {
  const parts: string[] = [];
  for (const sp of xml.split(/<p:sp>|<p:sp\s/).slice(1)) {
    if (/<p:ph[^>]*type="(sldNum|sldImg|hdr|ftr|dt)"/.test(sp)) continue;
    parts.push(...paragraphsOf(sp));
  }
  return parts.filter((t) => !/^\d+$/.test(t)).join(' ');
}

/** A part's relationships: id → part path inside the archive. */
function relsOf(files: Record<string, Uint8Array>, part: string): Map<string, string> {
  const dir = posix.dirname(part);
  const relsPath = `${dir}/_rels/${posix.basename(part)}.rels`;
  const out = new Map<string, string>();
  for (const m of text(files[relsPath]).matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target && attr(m[0], 'TargetMode') !== 'External')
      out.set(id, target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target)));
  }
  return out;
}

function slideOrder(files: Record<string, Uint8Array>): string[] {
  const targets = relsOf(files, 'ppt/presentation.xml');
  const ids = [...text(files['ppt/presentation.xml']).matchAll(/<p:sldId [^>]*r:id="([^"]+)"/g)].map((m) => m[1]);
  const ordered = ids.map((id) => targets.get(id)).filter((t): t is string => !!t && !!files[t]);
  if (ordered.length) return ordered;
  return Object.keys(files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(a.match(/(\d+)/)![1]) - Number(b.match(/(\d+)/)![1]));
}
