import { marked, type Token, type Tokens } from 'marked';
import { decodeText } from '../detect-encoding.js';
import { DocBuilder, HeadingTrail } from '../doc-builder.js';
import { MARKDOWN_EXTENSIONS } from '../extensions.js';
import { IngestError, type Parser } from '../types.js';
import { linesToBlocks } from './text.js';

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/;

/** Markdown, block by block, with each block's heading path and source line range. */
export const markdownParser: Parser = {
  format: 'markdown',
  extensions: MARKDOWN_EXTENSIONS,
  async parse({ bytes }) {
    const { text: raw, encoding, warning } = decodeText(bytes);
    let source = raw.replace(/\r\n?/g, '\n');
    let line = 1;
    const fm = source.match(FRONT_MATTER);
    if (fm) {
      line += countLines(fm[0]);
      source = source.slice(fm[0].length);
    }
    const b = new DocBuilder();
    const trail = new HeadingTrail();
    let title: string | undefined;
    const visit = (tokens: Token[]) => {
      for (const t of tokens) {
        const lineStart = line;
        const lines = countLines(t.raw);
        const lineEnd = lineStart + Math.max(0, lines - (t.raw.endsWith('\n') ? 1 : 0));
        const loc = { lineStart, lineEnd: Math.max(lineStart, lineEnd) };
        switch (t.type) {
          case 'heading': {
            const h = t as Tokens.Heading;
            const text = plain(h.text);
            const enclosing = trail.enter(h.depth, text);
            if (h.depth === 1 && !title) title = text;
            b.add('heading', text, { level: h.depth, headingPath: enclosing, ...loc });
            break;
          }
          case 'code':
            b.add('code', (t as Tokens.Code).text, { headingPath: trail.path(), ...loc });
            break;
          case 'table': {
            const tbl = t as Tokens.Table;
            const header = tbl.header.map((c) => plain(c.text));
            tbl.rows.forEach((row, i) => {
              const cells = row.map((c, j) => (header[j] ? `${header[j]}: ${plain(c.text)}` : plain(c.text)));
              b.add('row', cells.join('; '), { headingPath: trail.path(), row: i + 1, lineStart: lineStart + 2 + i, lineEnd: lineStart + 2 + i });
            });
            break;
          }
          case 'list':
            for (const item of (t as Tokens.List).items) {
              const itemLines = countLines(item.raw);
              b.add('list', plain(item.text), { headingPath: trail.path(), lineStart: line, lineEnd: line + Math.max(0, itemLines - 1) });
              line += itemLines - (item.raw.endsWith('\n') ? 1 : 0);
            }
            line = lineStart;
            break;
          case 'blockquote':
            b.add('quote', plain((t as Tokens.Blockquote).text), { headingPath: trail.path(), ...loc });
            break;
          case 'paragraph':
          case 'text':
          case 'html':
            b.add('paragraph', plain((t as Tokens.Paragraph).text ?? t.raw), { headingPath: trail.path(), ...loc });
            break;
          default:
            break;
        }
        line = lineStart + countNewlines(t.raw);
      }
    };
    let tokens: Token[];
    try {
      tokens = marked.lexer(source, { gfm: true });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      // Structure nested past the parser's stack (50,000 quote marks): the words are still worth finding.
      const plainText = linesToBlocks(source, 'paragraph', line);
      if (plainText.empty) throw new IngestError('empty', 'The file holds no text.');
      const nested = 'Its Markdown structure is nested too deeply to follow, so it was indexed as plain text.';
      return plainText.build('markdown', { encoding, warnings: [warning, nested].filter((w): w is string => !!w) });
    }
    visit(tokens);
    if (b.empty) throw new IngestError('empty', 'The file holds no text.');
    return b.build('markdown', { encoding, title, warnings: warning ? [warning] : undefined });
  },
};

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function countLines(s: string): number {
  return countNewlines(s) + (s.endsWith('\n') ? 0 : 1);
}

/** Inline Markdown to plain text: links keep their label, emphasis and code marks go. */
function plain(md: string): string {
  return md
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/(\*\*|__|\*|_|`|~~)(.+?)\1/g, '$2')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
