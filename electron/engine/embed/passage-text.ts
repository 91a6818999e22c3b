import type { DocumentMeta } from '../../shared/contract.js';

/**
 * The text a passage is embedded as. The file title and heading path carry context the chunk's
 * own words often lack ("Returns" → "within 30 days"), so they lead the text; the same function
 * serves first indexing and later re-embedding so vectors stay comparable.
 */
export function passageText(title: string | undefined, headingPath: string[] | undefined, text: string): string {
  const context = [title, ...(headingPath ?? [])].filter(Boolean).join(' › ');
  return context ? `${context}\n${text}` : text;
}

/**
 * What a passage's document is called in that context: its own title, else its file name, then
 * its edition ("Rev 3", "2025", "superseded") so that a question naming the edition finds it in
 * the title field, which BM25 weights above the body. The edition cue usually sits only in the
 * properties, the cover page or the path, never in the passages themselves.
 */
export function passageTitle(title: string | undefined, path: string, doc?: DocumentMeta): string {
  const name = title ?? path.split(/[\\/]/).pop() ?? path;
  if (!doc) return name;
  const edition = [doc.version, doc.date?.slice(0, 4), doc.status].filter((x) => x && !name.includes(x));
  return edition.length ? `${name} (${edition.join(', ')})` : name;
}
