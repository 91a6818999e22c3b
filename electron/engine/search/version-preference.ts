import type { DocumentMeta } from '../../shared/contract.js';
import type { FileEntry } from '../store/manifest.js';
import { analyze } from '../lexical/analyzer.js';

/**
 * Several editions of one document (same title) in a collection: the current one is preferred and
 * the others are labelled superseded. An edition is current when it says so, else it is the
 * latest by date, then by version; a draft never outranks an issued edition.
 */
export interface Editions {
  /** Title key → files of that title, preferred first. Only titles with 2+ files. */
  groups: Map<string, FileEntry[]>;
  keyOf: Map<string, string>;
}

const cache = new WeakMap<object, { signature: string; editions: Editions }>();

/** The editions of a collection's files, recomputed only when files were added or removed. */
export function editionsOf(index: { manifest: { nextFileId: number; files: Record<string, FileEntry> } }): Editions {
  const files = Object.values(index.manifest.files);
  const signature = `${index.manifest.nextFileId}:${files.length}`;
  const hit = cache.get(index);
  if (hit && hit.signature === signature) return hit.editions;
  const byKey = new Map<string, FileEntry[]>();
  for (const f of files) {
    const key = titleKey(f);
    if (!key) continue;
    const list = byKey.get(key) ?? [];
    list.push(f);
    byKey.set(key, list);
  }
  const editions: Editions = { groups: new Map(), keyOf: new Map() };
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    list.sort(compareEditions);
    // Same title but nothing to tell the files apart (no version, date or status): not editions.
    if (compareMeta(list[0], list[1]) === 0) continue;
    editions.groups.set(key, list);
    for (const f of list) editions.keyOf.set(f.id, key);
  }
  cache.set(index, { signature, editions });
  return editions;
}

/** The document's name without its edition cues: "Travel Policy Rev 3 (2025)" → "travel polici". */
function titleKey(f: FileEntry): string {
  const name =
    f.doc?.title ??
    f.title ??
    f.relPath
      .split('/')
      .pop()!
      .replace(/\.[^.]+$/, '');
  const cleaned = name
    .replace(/\b(?:rev(?:ision)?|version|ver|v|edition|ed|issue|r)[\s.\-_]*\d+(?:\.\d+)*\b/gi, ' ')
    .replace(/\b(?:19|20)\d\d(?:[-.]\d\d){0,2}\b/g, ' ')
    .replace(/\b(?:superseded|obsolete|archived?|old|draft|current|latest|final)\b/gi, ' ');
  return analyze(cleaned).join(' ');
}

function rankStatus(s: DocumentMeta['status']): number {
  return s === 'current' ? 0 : s === undefined ? 1 : s === 'draft' ? 2 : 3;
}

function compareEditions(a: FileEntry, b: FileEntry): number {
  return compareMeta(a, b) || (a.relPath < b.relPath ? -1 : 1);
}

function compareMeta(a: FileEntry, b: FileEntry): number {
  const byStatus = rankStatus(a.doc?.status) - rankStatus(b.doc?.status);
  if (byStatus) return byStatus;
  const da = a.doc?.date ?? '';
  const db = b.doc?.date ?? '';
  if (da !== db) return da < db ? 1 : -1;
  const va = (a.doc?.version?.match(/\d+/g) ?? []).map(Number);
  const vb = (b.doc?.version?.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(va.length, vb.length); i++) if ((va[i] ?? -1) !== (vb[i] ?? -1)) return (vb[i] ?? -1) - (va[i] ?? -1);
  return 0;
}

/** A file's metadata as shown: an older edition of a title that has a newer one is marked superseded. */
export function shownMeta(file: FileEntry, editions: Editions): DocumentMeta | undefined {
  const key = editions.keyOf.get(file.id);
  const group = key ? editions.groups.get(key) : undefined;
  if (!group || group[0].id === file.id || file.doc?.status === 'draft') return file.doc;
  return { ...(file.doc ?? {}), status: 'superseded' };
}

/** Whether the question asks for an older edition itself ("the 2023 version", "previous revision"). */
function asksForOlder(query: string, group: FileEntry[]): boolean {
  if (/\b(?:superseded|previous|prior|older|old|earlier|former|archived|outdated)\b/i.test(query)) return true;
  const q = query.toLowerCase();
  return group.slice(1).some((f) => {
    const year = f.doc?.date?.slice(0, 4);
    const ver = f.doc?.version?.match(/\d+(?:\.\d+)*/)?.[0];
    return (
      (year && q.includes(year) && !q.includes(group[0].doc?.date?.slice(0, 4) ?? '\u0000')) ||
      (ver && new RegExp(`\\b(?:rev(?:ision)?|version|v|edition)\\s*${ver.replace('.', '\\.')}\\b`).test(q))
    );
  });
}

/**
 * Reorders hits so that, among hits from editions of one title, the preferred edition's come
 * first, in the places that title's hits held; other hits keep their places. Left alone when the
 * question names an older edition.
 */
export function preferCurrentEditions<T>(query: string, hits: T[], fileOf: (h: T) => { file: FileEntry; editions: Editions }): T[] {
  const positions = new Map<string, number[]>();
  hits.forEach((h, i) => {
    const { file, editions } = fileOf(h);
    const key = editions.keyOf.get(file.id);
    if (!key) return;
    const list = positions.get(key) ?? [];
    list.push(i);
    positions.set(key, list);
  });
  const out = hits.slice();
  for (const [key, idx] of positions) {
    if (idx.length < 2) continue;
    const { editions } = fileOf(hits[idx[0]]);
    const group = editions.groups.get(key)!;
    if (asksForOlder(query, group)) continue;
    const rank = new Map(group.map((f, r) => [f.id, r]));
    const ordered = idx.slice().sort((a, b) => rank.get(fileOf(hits[a]).file.id)! - rank.get(fileOf(hits[b]).file.id)! || a - b);
    idx.forEach((pos, j) => (out[pos] = hits[ordered[j]]));
  }
  return out;
}
