import type { SearchHit } from '../../shared/contract.js';
import type { ChunkRecord } from '../store/chunk-store.js';
import type { FileEntry } from '../store/manifest.js';
import { narrowToSpan } from './precise-location.js';
import { bestSentences } from '../lexical/highlight.js';
import { editionsOf, preferCurrentEditions, shownMeta } from './version-preference.js';

/** What search loaded for a hit: its stored passage, its file, and the collection it came from. */
export interface HitSource {
  record: ChunkRecord;
  file: FileEntry;
  c: { target: { id: string; index: Parameters<typeof editionsOf>[0] } };
}

/**
 * The last step of a search: each hit's location names the row or lines of its best sentence and
 * carries its document's metadata (superseded editions labelled), and current editions of a
 * document rank above superseded ones.
 */
export function refineHits(query: string, hits: SearchHit[], sources: HitSource[]): SearchHit[] {
  const byChunk = new Map(sources.map((s) => [`${s.c.target.id}\u0000${s.record.id}`, s]));
  const info = new Map<SearchHit, { file: FileEntry; editions: ReturnType<typeof editionsOf> }>();
  for (const h of hits) {
    const s = byChunk.get(`${h.collection}\u0000${h.chunkId}`);
    if (!s) continue;
    const index = s.c.target.index;
    const editions = editionsOf(index);
    info.set(h, { file: s.file, editions });
    // Re-ranked with the document's own title and headings as context (see bestSentences).
    const context = [s.file.doc?.title ?? s.file.title ?? s.file.relPath.split('/').pop(), ...(s.record.headingPath ?? [])].join(' \n ');
    h.highlights = bestSentences(s.record.text, query, 2, context).map(({ start, end }) => ({ start, end }));
    h.location = narrowToSpan(h.location, s.record, h.highlights[0]);
    const doc = shownMeta(s.file, editions);
    if (doc) h.location.doc = doc;
  }
  return preferCurrentEditions(query, hits, (h) => info.get(h) ?? { file: { id: '' } as FileEntry, editions: { groups: new Map(), keyOf: new Map() } });
}
