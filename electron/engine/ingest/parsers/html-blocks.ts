import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { DocBuilder, HeadingTrail } from '../doc-builder.js';
import type { Block } from '../types.js';
import { LIMITS } from '../limits.js';

/** Deeper than this, an element's content is read as plain text: recursion must not exhaust the stack. */
const MAX_DEPTH = 200;

const SKIP = new Set(['script', 'style', 'noscript', 'nav', 'footer', 'head', 'template', 'svg', 'form', 'button', 'iframe']);
const BLOCK_TAGS = new Set(['p', 'li', 'pre', 'blockquote', 'dt', 'dd', 'figcaption', 'caption', 'address', 'td', 'th']);
const CONTAINERS = new Set([
  'div',
  'section',
  'article',
  'main',
  'body',
  'html',
  'aside',
  'header',
  'ul',
  'ol',
  'dl',
  'figure',
  'details',
  'summary',
  'center',
  'span',
  'font',
]);

/**
 * Walks an HTML tree into blocks: headings set the heading path, paragraphs, list items, quotes
 * and preformatted text become blocks, and each table row becomes one row block with its cells
 * labelled by the header row ("Plan: Gold; Copay: $20"). Loose text in containers is kept too.
 */
export function htmlToBlocks(
  html: string,
  b: DocBuilder,
  extra: Omit<Block, 'kind' | 'start' | 'end'> = {},
  trail = new HeadingTrail(),
  budget = { elements: LIMITS.htmlElements },
): { title?: string; truncated?: boolean } {
  const cut = cutAtElements(html, budget.elements);
  budget.elements -= cut.elements;
  // parse5 (cheerio's default, spec-exact) is quadratic in nesting depth: 20,000 nested elements
  // took 19 s; and its tree takes twice htmlparser2's memory (500k paragraphs: 501 vs 251 MB of
  // heap). Deeply nested or very large markup goes to htmlparser2 instead, ordinary pages keep parse5.
  const $ =
    cut.elements > LARGE || maxDepth(cut.html) > DEEP ? cheerio.load(cut.html, { xml: { xmlMode: false, decodeEntities: true } }) : cheerio.load(cut.html);
  const title = textContent($('title').get(0)).trim() || undefined;
  let firstH1: string | undefined;

  const textOf = (el: AnyNode) => textContent(el);
  const visit = (nodes: AnyNode[], depth = 0) => {
    let loose: string[] = [];
    const flushLoose = () => {
      const t = loose.join(' ');
      loose = [];
      if (t.trim()) b.add('paragraph', t, { ...extra, headingPath: trail.path() });
    };
    for (const node of nodes) {
      if (node.type === 'text') {
        loose.push((node as unknown as { data: string }).data);
        continue;
      }
      if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
      const el = node as Element;
      const tag = el.tagName.toLowerCase();
      if (SKIP.has(tag)) continue;
      if (tag === 'br') {
        loose.push(' ');
        continue;
      }
      if (!CONTAINERS.has(tag) && !BLOCK_TAGS.has(tag) && !/^h[1-6]$/.test(tag) && tag !== 'table') {
        loose.push(textOf(el));
        continue;
      }
      flushLoose();
      if (/^h[1-6]$/.test(tag)) {
        const level = Number(tag[1]);
        const text = textOf(el).replace(/\s+/g, ' ').trim();
        if (!text) continue;
        if (level === 1 && !firstH1) firstH1 = text;
        b.add('heading', text, { ...extra, level, headingPath: trail.enter(level, text) });
      } else if (tag === 'table') {
        tableRows($, el, b, { ...extra, headingPath: trail.path() });
      } else if (tag === 'pre') {
        b.add('code', textOf(el), { ...extra, headingPath: trail.path() });
      } else if (tag === 'li' || tag === 'blockquote' || tag === 'dd' || tag === 'td' || tag === 'th') {
        // Nested lists and paragraphs inside items are part of the item's text.
        const nested = $(el).children('ul,ol,p,div,table').length > 0 && tag !== 'li';
        if (nested && depth < MAX_DEPTH) visit(el.children, depth + 1);
        else b.add(tag === 'li' ? 'list' : tag === 'blockquote' ? 'quote' : 'paragraph', textOf(el), { ...extra, headingPath: trail.path() });
      } else if (BLOCK_TAGS.has(tag)) {
        b.add('paragraph', textOf(el), { ...extra, headingPath: trail.path() });
      } else if (depth < MAX_DEPTH) {
        visit(el.children, depth + 1);
      } else {
        b.add('paragraph', textOf(el), { ...extra, headingPath: trail.path() });
      }
    }
    flushLoose();
  };
  const body = $('body').get(0);
  visit(body ? body.children : $.root().get(0)!.children);
  return { title: title ?? firstH1, truncated: cut.truncated };
}

/**
 * The markup up to its `max`-th element, so a page with a million paragraphs is read in part
 * rather than built into a DOM of gigabytes. Counts start tags, linearly.
 */
function cutAtElements(html: string, max: number): { html: string; elements: number; truncated: boolean } {
  const tag = /<[a-zA-Z]/g;
  let n = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    if (++n > max) return { html: html.slice(0, m.index), elements: max, truncated: true };
  }
  return { html, elements: n, truncated: false };
}

const DEEP = 500;
/** Elements past which a page is parsed by htmlparser2 for its smaller tree (a long manual has ~20k). */
const LARGE = 100_000;
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'td',
  'tr',
  'th',
  'option',
]);

/** The deepest nesting of start tags, roughly (void and self-closing tags ignored), in one pass. */
function maxDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const tag = /<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    if (m[3] || VOID.has(m[2].toLowerCase())) continue;
    depth += m[1] ? -1 : 1;
    if (depth > max) max = depth;
  }
  return max;
}

/** An element's text, iteratively (cheerio's .text() recurses and overflows on deep nesting). */
function textContent(node: AnyNode | undefined): string {
  if (!node) return '';
  const out: string[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') out.push((n as unknown as { data: string }).data);
    else if ('children' in n && (n.type === 'tag' || n.type === 'root' || n.type === 'cdata')) {
      const kids = (n as Element).children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }
  return out.join('');
}

function tableRows($: cheerio.CheerioAPI, table: Element, b: DocBuilder, meta: Omit<Block, 'kind' | 'start' | 'end'>): void {
  const rows = $(table).find('tr').toArray();
  let header: string[] | null = null;
  rows.forEach((tr, i) => {
    const cells = $(tr)
      .children('th,td')
      .toArray()
      .map((c) => textContent(c).replace(/\s+/g, ' ').trim());
    const isHeader = $(tr).children('th').length === cells.length && cells.length > 0;
    if (i === 0 && (isHeader || rows.length > 1)) {
      header = cells;
      if (isHeader) return;
      // A first row of plain cells names the columns: kept as itself, not labelled by itself.
      b.add('row', cells.filter(Boolean).join('; '), { ...meta, row: 1 });
      return;
    }
    const text = cells
      .map((c, j) => (header && header[j] && c ? `${header[j]}: ${c}` : c))
      .filter(Boolean)
      .join('; ');
    b.add('row', text, { ...meta, row: i + 1 });
  });
}
