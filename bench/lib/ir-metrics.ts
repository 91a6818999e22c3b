/** Standard IR metrics, as BEIR computes them with trec_eval (binary or graded relevance). */
export type Qrels = Map<string, Map<string, number>>;
export type Run = Map<string, string[]>;

export function ndcgAtK(ranked: string[], relevant: Map<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((doc, i) => {
    const rel = relevant.get(doc) ?? 0;
    if (rel > 0) dcg += (2 ** rel - 1) / Math.log2(i + 2);
  });
  const ideal = [...relevant.values()]
    .filter((r) => r > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  const idcg = ideal.reduce((s, rel, i) => s + (2 ** rel - 1) / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAtK(ranked: string[], relevant: Map<string, number>, k: number): number {
  const rel = [...relevant.entries()].filter(([, r]) => r > 0).map(([d]) => d);
  if (rel.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return rel.filter((d) => top.has(d)).length / rel.length;
}

/** Mean over the judged queries; a judged query with no results scores 0. */
export function evaluate(run: Run, qrels: Qrels): { ndcg10: number; recall100: number; queries: number } {
  let ndcg = 0;
  let recall = 0;
  for (const [q, rel] of qrels) {
    const ranked = run.get(q) ?? [];
    ndcg += ndcgAtK(ranked, rel, 10);
    recall += recallAtK(ranked, rel, 100);
  }
  const n = qrels.size || 1;
  return { ndcg10: ndcg / n, recall100: recall / n, queries: qrels.size };
}

export function parseQrels(tsv: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of tsv.split('\n').slice(1)) {
    const [q, d, s] = line.trim().split('\t');
    if (!q || !d) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, Number(s));
  }
  return qrels;
}
