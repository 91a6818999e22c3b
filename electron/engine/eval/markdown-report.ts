import type { EvalComparison, EvalModeSummary, EvalReport } from '../../shared/contract.js';

export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(0)} %`);
const num = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? 'n/a' : v.toFixed(digits));

/** The table of modes, one row each: what the Evaluate view and the README show. */
export function modeTable(summaries: EvalModeSummary[]): string {
  const rows = [
    '| mode | passed | answer match | refusal correct | citation precision | citation support | TTFT p50 | tokens/s | prompt tokens |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    const status = s.status === 'done' ? '' : ` (${s.status})`;
    rows.push(
      `| ${s.mode}${status} | ${s.passed}/${s.questions} | ${pct(s.answerMatch)} | ${pct(s.refusalCorrect)} | ${pct(s.citationPrecision)} | ${pct(s.citationSupport)} | ${s.ttftMs === null ? 'n/a' : `${num(s.ttftMs)} ms`} | ${num(s.tokensPerSecond)} | ${num(s.promptTokens)} |`,
    );
  }
  return rows.join('\n');
}

export function retrievalTable(summaries: EvalModeSummary[]): string | null {
  const r = summaries.find((s) => s.retrieval)?.retrieval;
  if (!r) return null;
  return [
    `| hit@1 | hit@3 | hit@10 | MRR | right place at rank 1 | phrase in top ${r.k} | questions/s |`,
    '|---|---|---|---|---|---|---|',
    `| ${pct(r.hit1)} | ${pct(r.hit3)} | ${pct(r.hit10)} | ${num(r.mrr, 3)} | ${pct(r.locationAt1)} | ${pct(r.phraseInTopK)} | ${num(r.questionsPerSecond)} |`,
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The whole report as Markdown: setup, tables, then every question with its answer, citations and reasons. */
export function reportMarkdown(r: EvalReport): string {
  const out: string[] = [];
  out.push(`# Evaluation: ${r.label ?? r.set.name}`, '');
  out.push(`- Question set: ${r.set.name} (${r.set.questions} questions, sha256 ${r.set.sha256.slice(0, 12)}…)`);
  out.push(`- Collections: ${r.collections.map((c) => c.name).join(', ') || 'all'}`);
  out.push(`- Model: ${r.model ?? 'none'}${r.adapter ? `; adapter ${r.adapter.file} at scale ${r.adapter.scale}` : ''}`);
  out.push(
    `- Decoding: greedy (temperature 0), seed ${r.decoding.seed}, top ${r.decoding.topK} passages${r.decoding.contextSize ? `, context ${r.decoding.contextSize}` : ''}`,
  );
  out.push(`- Run ${r.id}, ${r.createdAt}, ${(r.durationMs / 1000).toFixed(1)} s, ${r.status}${r.error ? `: ${r.error}` : ''}`);
  if (r.packCheck)
    out.push(
      `- Pack check (${r.packCheck.pack} ${r.packCheck.version}): ${r.packCheck.asPublished ? 'answers as published' : `differs from the published results (${r.packCheck.worse} worse, ${r.packCheck.better} better)`}`,
    );
  out.push('', modeTable(r.summaries), '');
  const retrieval = retrievalTable(r.summaries);
  if (retrieval) out.push('Retrieval:', '', retrieval, '');
  for (const s of r.summaries) {
    out.push(`## ${s.mode}`, '', '| | id | question | answer | citations | why it failed |', '|---|---|---|---|---|---|');
    for (const q of r.results.filter((x) => x.mode === s.mode)) {
      const answer = q.answer !== undefined ? cell(q.answer).slice(0, 160) : q.rank !== undefined ? `rank ${q.rank ?? '>10'}` : '';
      const cites = (q.citations ?? []).map((c) => `[${c.n}] ${cell(c.place)}${c.expected ? ' ✓' : ''}${c.support ? ` (${c.support})` : ''}`).join('; ');
      out.push(`| ${q.pass ? 'pass' : 'FAIL'} | ${cell(q.id)} | ${cell(q.question)} | ${answer} | ${cites} | ${cell(q.reasons.join('; '))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** A comparison as Markdown: metric deltas per mode, then what got better and worse. */
export function comparisonMarkdown(c: EvalComparison): string {
  const out = [`# Comparison: ${c.a.label ?? c.a.id} → ${c.b.label ?? c.b.id}`, ''];
  for (const m of c.modes) {
    out.push(`## ${m.mode}`, '', '| metric | before | after |', '|---|---|---|');
    for (const x of m.metrics) {
      const fmt = (v: number | null) => (x.name.includes('(ms)') || x.name.includes('tokens') ? num(v) : pct(v));
      out.push(`| ${x.name} | ${fmt(x.a)} | ${fmt(x.b)} |`);
    }
    out.push('');
  }
  const list = (title: string, xs: EvalComparison['better']) => {
    out.push(`## ${title} (${xs.length})`, '');
    for (const x of xs) out.push(`- [${x.mode}] ${x.question}${x.after.reasons.length ? ` — ${x.after.reasons.join('; ')}` : ''}`);
    out.push('');
  };
  list('Better', c.better);
  list('Worse', c.worse);
  out.push(`${c.unchanged} unchanged.`);
  return out.join('\n');
}
