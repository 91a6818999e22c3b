import type { EvalChange, EvalComparison, EvalModeSummary, EvalQuestionResult, EvalReport } from '../../shared/contract.js';

/** The metrics a comparison lists, in table order; latency and prompt size are better when lower. */
const METRICS: { name: string; get: (s: EvalModeSummary) => number | null; higherIsBetter: boolean }[] = [
  { name: 'passed', get: (s) => (s.questions ? s.passed / s.questions : null), higherIsBetter: true },
  { name: 'answer match', get: (s) => s.answerMatch, higherIsBetter: true },
  { name: 'refusal correct', get: (s) => s.refusalCorrect, higherIsBetter: true },
  { name: 'citation precision', get: (s) => s.citationPrecision, higherIsBetter: true },
  { name: 'citation support', get: (s) => s.citationSupport, higherIsBetter: true },
  { name: 'hit@1', get: (s) => s.retrieval?.hit1 ?? null, higherIsBetter: true },
  { name: 'hit@3', get: (s) => s.retrieval?.hit3 ?? null, higherIsBetter: true },
  { name: 'hit@10', get: (s) => s.retrieval?.hit10 ?? null, higherIsBetter: true },
  { name: 'MRR', get: (s) => s.retrieval?.mrr ?? null, higherIsBetter: true },
  { name: 'location at 1', get: (s) => s.retrieval?.locationAt1 ?? null, higherIsBetter: true },
  { name: 'phrase in top k', get: (s) => s.retrieval?.phraseInTopK ?? null, higherIsBetter: true },
  { name: 'time to first token (ms)', get: (s) => s.ttftMs, higherIsBetter: false },
  { name: 'tokens/s', get: (s) => s.tokensPerSecond, higherIsBetter: true },
  { name: 'prompt tokens', get: (s) => s.promptTokens, higherIsBetter: false },
];

type Comparable = Pick<EvalReport, 'id' | 'label' | 'createdAt' | 'summaries' | 'results'>;

/**
 * Run A (before) against run B (after): every metric of each mode both ran, and the questions
 * (matched by id and mode) that went from fail to pass (better) or pass to fail (worse).
 */
export function compareRuns(a: Comparable, b: Comparable): EvalComparison {
  const modes = a.summaries
    .filter((sa) => b.summaries.some((sb) => sb.mode === sa.mode))
    .map((sa) => {
      const sb = b.summaries.find((s) => s.mode === sa.mode)!;
      return {
        mode: sa.mode,
        metrics: METRICS.map((m) => ({ name: m.name, a: m.get(sa), b: m.get(sb), higherIsBetter: m.higherIsBetter })).filter(
          (m) => m.a !== null || m.b !== null,
        ),
      };
    });
  const before = new Map(a.results.map((r) => [`${r.mode}\u0000${r.id}`, r]));
  const better: EvalChange[] = [];
  const worse: EvalChange[] = [];
  let unchanged = 0;
  for (const rb of b.results) {
    const ra = before.get(`${rb.mode}\u0000${rb.id}`);
    if (!ra) continue;
    if (ra.pass === rb.pass) unchanged++;
    else (rb.pass ? better : worse).push(change(ra, rb));
  }
  return { a: ref(a), b: ref(b), modes, better, worse, unchanged };
}

function ref(r: Comparable) {
  return { id: r.id, createdAt: r.createdAt, ...(r.label ? { label: r.label } : {}) };
}

function change(a: EvalQuestionResult, b: EvalQuestionResult): EvalChange {
  const side = (r: EvalQuestionResult) => ({ pass: r.pass, reasons: r.reasons, ...(r.answer !== undefined ? { answer: r.answer } : {}) });
  return { id: b.id, question: b.question, mode: b.mode, before: side(a), after: side(b) };
}
