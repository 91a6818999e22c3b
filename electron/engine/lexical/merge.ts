import { ANALYZER_VERSION } from './analyzer.js';
import { Segment } from './segment.js';

/**
 * Merges segments into one, dropping deleted documents and terms left without postings. Built
 * in two passes straight into typed arrays (count, then fill) so that merging a large index
 * needs little more than the size of its result, never a boxed copy of every posting.
 * Documents keep their order: segments given oldest first stay sorted by id.
 */
export function mergeSegments(segments: Segment[], file: string): Segment {
  // One segment with nothing to drop, already named as asked (a first commit's delta): it is the result.
  if (segments.length === 1 && segments[0].deletedCount === 0 && segments[0].file === file) return segments[0];
  let live = 0;
  for (const s of segments) live += s.liveCount;
  const ids = new Uint32Array(live);
  const lens = new Float32Array(live);
  const maps = segments.map((s) => new Int32Array(s.docCount).fill(-1));
  let n = 0;
  let totalLen = 0;
  segments.forEach((s, k) => {
    const map = maps[k];
    for (let i = 0; i < s.docCount; i++) {
      if (s.deleted[i]) continue;
      map[i] = n;
      ids[n] = s.ids[i];
      lens[n] = s.lens[i];
      totalLen += s.lens[i];
      n++;
    }
  });

  const termIndex = new Map<string, number>();
  let counts = new Uint32Array(1024);
  segments.forEach((s, k) => {
    const map = maps[k];
    for (const [term, t] of s.terms) {
      let c = 0;
      for (let i = s.pStart[t], end = s.pStart[t + 1]; i < end; i++) if (map[s.pDoc[i]] >= 0) c++;
      if (c === 0) continue;
      let idx = termIndex.get(term);
      if (idx === undefined) {
        idx = termIndex.size;
        termIndex.set(term, idx);
        if (idx >= counts.length) {
          const grown = new Uint32Array(counts.length * 2);
          grown.set(counts);
          counts = grown;
        }
      }
      counts[idx] += c;
    }
  });

  const termCount = termIndex.size;
  const pStart = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) pStart[t + 1] = pStart[t] + counts[t];
  const total = pStart[termCount];
  const pDoc = new Uint32Array(total);
  const pTf = new Float32Array(total);
  const cursor = pStart.slice(0, termCount);
  segments.forEach((s, k) => {
    const map = maps[k];
    for (const [term, t] of s.terms) {
      const idx = termIndex.get(term);
      if (idx === undefined) continue;
      let c = cursor[idx];
      for (let i = s.pStart[t], end = s.pStart[t + 1]; i < end; i++) {
        const nd = map[s.pDoc[i]];
        if (nd < 0) continue;
        pDoc[c] = nd;
        pTf[c] = s.pTf[i];
        c++;
      }
      cursor[idx] = c;
    }
  });
  // Segments of different analyzers are never merged (an older index is rebuilt first); the oldest is named, to be safe.
  const analyzer = segments.reduce((a, s) => Math.min(a, s.analyzer), ANALYZER_VERSION);
  return new Segment(file, termIndex, pStart, pDoc, pTf, ids, lens, totalLen, analyzer);
}
