import { XMLParser } from 'fast-xml-parser';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { openZip, text } from './zip.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: () => true });

/** Slides in presentation order; each text paragraph a block, the title as heading, notes included. */
export const pptxParser: Parser = {
  format: 'pptx',
  extensions: ['.pptx'],
  async parse({ bytes }) {
    const files = openZip(bytes, 'presentation', (n) => /^ppt\/(slides|notesSlides)\/(_rels\/)?[^/]+\.xml(\.rels)?$/.test(n) || n === 'ppt/presentation.xml' || n === 'ppt/_rels/presentation.xml.rels');
    if (!files['ppt/presentation.xml']) throw new IngestError('corrupt', 'This presentation is damaged or not really a .pptx file.');
    const order = slideOrder(files);
    const b = new DocBuilder();
    order.forEach((slidePath, i) => {
      const slide = i + 1;
      const doc = xml.parse(text(files[slidePath]));
      const shapes = collect(doc, 'sp');
      let titleText: string | undefined;
      const paras: { text: string; title: boolean }[] = [];
      for (const sp of shapes) {
        const ph = collect(sp, 'ph')[0] as Record<string, unknown> | undefined;
        const isTitle = !!ph && /title/i.test(String((ph as Record<string, unknown>).type ?? ''));
        for (const p of collect(sp, 'p')) {
          const t = collect(p, 't')
            .map((n) => (typeof n === 'object' && n !== null ? String((n as Record<string, unknown>)['#text'] ?? '') : String(n)))
            .join('');
          if (t.trim()) paras.push({ text: t, title: isTitle });
        }
      }
      titleText = paras.find((p) => p.title)?.text.trim();
      for (const p of paras) {
        if (p.title) b.add('heading', p.text, { slide, level: 1, headingPath: [] });
        else b.add('paragraph', p.text, { slide, headingPath: titleText ? [titleText] : [] });
      }
      const rels = text(files[slidePath.replace('slides/', 'slides/_rels/') + '.rels']);
      const notes = rels.match(/Target="\.\.\/notesSlides\/([^"]+)"/)?.[1];
      if (notes && files[`ppt/notesSlides/${notes}`]) {
        const notesText = collect(xml.parse(text(files[`ppt/notesSlides/${notes}`])), 't')
          .map((n) => (typeof n === 'object' && n !== null ? String((n as Record<string, unknown>)['#text'] ?? '') : String(n)))
          .filter((t) => !/^\d+$/.test(t.trim()))
          .join(' ');
        if (notesText.trim()) b.add('paragraph', `Notes: ${notesText}`, { slide, headingPath: titleText ? [titleText] : [] });
      }
    });
    if (b.empty) throw new IngestError('empty', 'The presentation holds no text.');
    return b.build('pptx', { slideCount: order.length });
  },
};

function slideOrder(files: Record<string, Uint8Array>): string[] {
  const rels = text(files['ppt/_rels/presentation.xml.rels']);
  const targets = new Map([...rels.matchAll(/Id="([^"]+)"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="([^"]+)"/g)].map((m) => [m[1] ?? m[4], m[2] ?? m[3]]));
  const ids = [...text(files['ppt/presentation.xml']).matchAll(/<p:sldId [^>]*r:id="([^"]+)"/g)].map((m) => m[1]);
  const ordered = ids.map((id) => targets.get(id)).filter((t): t is string => !!t).map((t) => `ppt/${t.replace(/^\//, '').replace(/^ppt\//, '')}`);
  if (ordered.length) return ordered.filter((p) => files[p]);
  return Object.keys(files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(a.match(/(\d+)/)![1]) - Number(b.match(/(\d+)/)![1]));
}

/** Every descendant node with the given local name, in document order. */
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
