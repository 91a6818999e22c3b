export interface Ranked {
  id: number;
  score: number;
}

/** The constant of reciprocal rank fusion; 60 is the value of the original paper and robust across corpora. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each list votes 1/(k + rank) for its items. It needs no score
 * calibration between BM25 and cosine similarity, which have unrelated scales.
 */
export function reciprocalRankFusion(lists: Ranked[][], weights?: number[]): Map<number, { score: number; ranks: number[] }> {
  const fused = new Map<number, { score: number; ranks: number[] }>();
  lists.forEach((list, li) => {
    const w = weights?.[li] ?? 1;
    list.forEach((item, i) => {
      let e = fused.get(item.id);
      if (!e) {
        e = { score: 0, ranks: lists.map(() => 0) };
        fused.set(item.id, e);
      }
      e.score += w / (RRF_K + i + 1);
      e.ranks[li] = i + 1;
    });
  });
  return fused;
}
