import { basename, dirname, extname } from 'node:path';
import type { DocumentMeta } from '../../shared/contract.js';
import { decodeEntities } from './parsers/xml-scan.js';
import type { ParsedDocument } from './types.js';

/**
 * What a document says about itself: title, version, issued/effective date and status, from its
 * properties (Office core properties, PDF info), its first page and its path, in that order of
 * trust for the title and in the reverse order for the rest — a cover page's "Rev 3, effective
 * 2025-03-01" is what a reader goes by, and properties are often stale template values.
 */
export function documentMeta(doc: ParsedDocument, path: string): DocumentMeta | undefined {
  const props = doc.meta ?? {};
  const cover = metaFromText(doc.text.slice(0, coverEnd(doc)));
  const fromPath = metaFromPath(path);
  const meta: DocumentMeta = {
    title: props.title ?? doc.title,
    version: cover.version ?? props.version ?? fromPath.version,
    date: cover.date ?? fromPath.date ?? props.date,
    status: fromPath.status ?? props.status ?? cover.status,
  };
  for (const k of Object.keys(meta) as (keyof DocumentMeta)[]) if (meta[k] === undefined) delete meta[k];
  return Object.keys(meta).length ? meta : undefined;
}

/** The cover: the first page, slide or chapter's first blocks, at most ~1,500 characters. */
function coverEnd(doc: ParsedDocument): number {
  const first = doc.blocks[0];
  if (!first) return 0;
  const unit = first.page ?? first.slide ?? first.section;
  let end = first.end;
  for (const b of doc.blocks) {
    if ((b.page ?? b.slide ?? b.section) !== unit || b.start > 1500) break;
    end = b.end;
  }
  return Math.min(end, 1500);
}

const VERSION = /\b(?:rev(?:ision)?|version|ver|edition|issue)\.?\s*(?:no\.?\s*)?[:#]?\s*([a-z]?\d+(?:\.\d+){0,3}[a-z]?)\b/i;
const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const DATE_CUE = new RegExp(
  String.raw`\b(?:effective|issued|issue date|dated?|published|approved|valid from|release date|updated)\b[^\n\d]{0,20}?` +
    String.raw`((?:19|20)\d\d-\d\d-\d\d|\d{1,2}\s+(?:${MONTHS})[a-z]*\.?\s+(?:19|20)\d\d|(?:${MONTHS})[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d|(?:${MONTHS})[a-z]*\.?\s+(?:19|20)\d\d|(?:19|20)\d\d)`,
  'i',
);

export function metaFromText(text: string): DocumentMeta {
  const meta: DocumentMeta = {};
  const v = VERSION.exec(text);
  if (v) meta.version = normaliseVersion(v[0], v[1]);
  const d = DATE_CUE.exec(text);
  if (d) meta.date = isoDate(d[1]);
  const status = statusOf(text);
  if (status) meta.status = status;
  return meta;
}

export function statusOf(text: string): DocumentMeta['status'] | undefined {
  if (
    /\bstatus\s*[:\-–]?\s*(?:superseded|obsolete|withdrawn|archived|retired)\b|\b(?:is|has been|was|now)\s+superseded\b|\bsuperseded\s+by\b|\bno longer (?:in force|valid|current)\b|^\s*superseded\b/im.test(
      text,
    )
  )
    return 'superseded';
  if (/\bstatus\s*[:\-–]?\s*draft\b|^\s*draft\b|\bdraft\s+(?:for|–|-)\s*(?:review|comment|consultation)/im.test(text)) return 'draft';
  if (/\bstatus\s*[:\-–]?\s*(?:current|approved|final|active|in force|released|issued)\b|\bsupersedes\b|\bcurrent (?:version|edition|revision)\b/i.test(text))
    return 'current';
  return undefined;
}

/** Cues in the file and folder name: "…/archive/travel-policy-2023-rev2.pdf". */
export function metaFromPath(path: string): DocumentMeta {
  const name = basename(path, extname(path));
  const folder = basename(dirname(path));
  const both = `${folder}/${name}`.replace(/[_]+/g, ' ');
  const meta: DocumentMeta = {};
  const v = /(?:^|[\s\-.(/])(?:v|rev|r|version|edition|ed)[\s\-.]?(\d+(?:\.\d+){0,2})(?=$|[\s\-.)/])/i.exec(name.replace(/_/g, ' '));
  if (v) meta.version = normaliseVersion(v[0], v[1]);
  const y = /(?:^|\D)((?:19|20)\d\d)(?:[-.](\d\d)(?:[-.](\d\d))?)?(?=\D|$)/.exec(name);
  if (y) meta.date = y[3] ? `${y[1]}-${y[2]}-${y[3]}` : y[2] ? `${y[1]}-${y[2]}` : y[1];
  if (/\b(?:superseded|obsolete|archive[ds]?|old|withdrawn|retired)\b/i.test(both)) meta.status = 'superseded';
  else if (/\bdrafts?\b/i.test(both)) meta.status = 'draft';
  else if (/\b(?:current|latest|in force)\b/i.test(both)) meta.status = 'current';
  return meta;
}

/** Titles that tools write by default: they name the tool, not the document. */
const PLACEHOLDER_TITLE =
  /^(?:pptxgenjs presentation|powerpoint presentation|presentation\s*\d*|document\s*\d*|untitled.*|slide\s*\d+|title|book\s*\d*|workbook\s*\d*|microsoft (?:word|powerpoint|excel).*)$/i;

/** DOCX/PPTX/XLSX docProps/core.xml: title, version, status and a date. */
export function coreProperties(xml: string): DocumentMeta {
  const get = (tag: string) => {
    const m = new RegExp(`<(?:\\w+:)?${tag}\\b[^>]*>([\\s\\S]*?)</(?:\\w+:)?${tag}>`).exec(xml);
    const v = m ? decodeEntities(m[1]).trim() : '';
    return v || undefined;
  };
  const meta: DocumentMeta = {};
  const title = get('title');
  if (title && !PLACEHOLDER_TITLE.test(title)) meta.title = title;
  const version = get('version');
  if (version) meta.version = normaliseVersion(version, version.replace(/^\D+/, '') || version);
  const status = statusOf(`status: ${get('contentStatus') ?? ''}`) ?? statusOf(get('keywords') ?? '') ?? statusOf(get('subject') ?? '');
  if (status) meta.status = status;
  return meta;
}

/** "Rev 3", "Version 2.1": the word the document uses, capitalised, with the number. */
function normaliseVersion(raw: string, num: string): string {
  const word =
    raw
      .replace(/^[^a-z]+/i, '')
      .match(/^[a-z]+/i)?.[0]
      ?.toLowerCase() ?? '';
  const label =
    /^rev/.test(word) || word === 'r'
      ? 'Rev'
      : word === 'v' || /^ver/.test(word)
        ? 'Version'
        : word === 'edition' || word === 'ed'
          ? 'Edition'
          : word === 'issue'
            ? 'Issue'
            : 'Version';
  return `${label} ${num}`;
}

function isoDate(s: string): string {
  if (/^\d{4}(-\d\d-\d\d)?$/.test(s)) return s;
  const monthYear = new RegExp(`^(${MONTHS})[a-z]*\\.?\\s+(\\d{4})$`, 'i').exec(s.trim());
  if (monthYear) return `${monthYear[2]}-${String(MONTHS.split('|').indexOf(monthYear[1].toLowerCase()) + 1).padStart(2, '0')}`;
  const t = Date.parse(s.replace(/(\d)(st|nd|rd|th)\b/, '$1') + ' UTC');
  if (!Number.isNaN(t)) {
    const d = new Date(t);
    // "March 2025" parses to the 1st: keep the month only.
    return /^\D*\d{4}$/.test(s.trim().replace(/^[a-z]+\.?\s+/i, '')) ? d.toISOString().slice(0, 7) : d.toISOString().slice(0, 10);
  }
  return s.match(/(19|20)\d\d/)?.[0] ?? s;
}

/** Sortable edition key: later date, then higher version. */
export function editionKey(meta: DocumentMeta | undefined): [string, number[]] {
  const nums = (meta?.version?.match(/\d+/g) ?? []).map(Number);
  return [meta?.date ?? '', nums];
}
