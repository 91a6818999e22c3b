/**
 * Benchmark — answers a user can trust (issue 9), on the labelled questions of
 * bench/trust/questions.json plus the sample library's own (resources/sample-questions.json),
 * over the sample library and the makerspace corpus (bench/trust/corpus.ts):
 *  - the answerable / unanswerable decision: confusion matrix at the default threshold, precision
 *    and recall of refusing, and the curve over thresholds;
 *  - citation checks: support rate of citations that point at the passage holding the answer vs
 *    at another passage (the checker is lexical; no model here writes real answers);
 *  - one ranking across collections: top-1 / top-3 answer-phrase rates with the documents as one
 *    collection (baseline) vs split over three, and how many top-10 lists are identical.
 * Lexical retrieval (no embedding model: the only one here is a synthetic bag of random vectors).
 * Run: npm run bench -- trust
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine } from '../electron/engine/api/engine.js';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';
import { ANSWERABLE_THRESHOLD } from '../electron/engine/answer/answerability.js';
import { checkCitations } from '../electron/engine/answer/citation-check.js';
import { sentenceSpans } from '../electron/engine/chunk/chunker.js';
import type { ChatMessage, SearchHit } from '../electron/shared/contract.js';
import { makeTrustCorpus } from './trust/corpus.js';
import { ratio, table } from './lib/report.js';
import { testEngine } from '../electron/engine/testing/test-engine.js';

export interface Labelled {
  corpus?: string;
  question: string;
  file: string | null;
  expect: string | null;
}

export async function loadLabelled(): Promise<{ answerable: Labelled[]; unanswerable: Labelled[] }> {
  const own = JSON.parse(await readFile(join(repoRoot, 'bench', 'trust', 'questions.json'), 'utf8'));
  const sample: Labelled[] = JSON.parse(await readFile(join(repoRoot, 'resources', 'sample-questions.json'), 'utf8'));
  return {
    answerable: [...sample.filter((q) => q.file).map((q) => ({ ...q, corpus: 'sample' })), ...own.answerable],
    unanswerable: [
      ...sample.filter((q) => !q.file).map((q) => ({ ...q, corpus: 'sample' })),
      ...own.unanswerable.map((q: { corpus: string; question: string }) => ({ corpus: q.corpus, question: q.question, file: null, expect: null })),
    ],
  };
}

/** The sample library and the makerspace corpus in one folder tree, and the same files dealt over three folders. */
export async function prepareCorpora(root: string): Promise<{ whole: string[]; split: string[] }> {
  const sample = join(root, 'whole', 'sample');
  const maker = join(root, 'whole', 'makerspace');
  await cp(join(repoRoot, 'resources', 'sample-library'), sample, { recursive: true });
  await makeTrustCorpus(maker);
  const split = [0, 1, 2].map((i) => join(root, 'split', String(i)));
  let i = 0;
  for (const dir of [sample, maker]) {
    for (const name of (await readdir(dir)).sort()) {
      await mkdir(split[i % 3], { recursive: true });
      await cp(join(dir, name), join(split[i % 3], name));
      i++;
    }
  }
  return { whole: [sample, maker], split };
}

async function ask(engine: Engine, question: string): Promise<ChatMessage> {
  const { messageId } = await engine.call('chat.ask', { question });
  return engine.answerResult(messageId)!;
}

const hitHolds = (c: { location: { relPath: string }; text: string }, q: Labelled) => c.location.relPath === q.file && c.text.includes(q.expect!);
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

export async function main(): Promise<void> {
  console.log('\n## Trust: answerability, citation checks, one ranking across collections\n');
  const root = await mkdtemp(join(tmpdir(), 'lantern-bench-trust-'));
  const { answerable, unanswerable } = await loadLabelled();
  const { whole, split } = await prepareCorpora(root);
  console.log(
    `Labelled set: ${answerable.length} answerable, ${unanswerable.length} unanswerable questions; sample library + makerspace corpus (${whole.length} folders).`,
  );

  const setups: Record<'one' | 'three', { messages: Map<string, ChatMessage>; top10: Map<string, string[]> }> = {
    one: { messages: new Map(), top10: new Map() },
    three: { messages: new Map(), top10: new Map() },
  };
  for (const setup of ['one', 'three'] as const) {
    const data = join(root, `data-${setup}`);
    const engine = await testEngine({
      dataDir: data,
      modelsDir: join(root, 'no-models'),
    });
    try {
      if (setup === 'one') {
        const c = await engine.call('library.create', { name: 'Everything' });
        for (const f of whole) await engine.call('library.addFolder', { collection: c.id, path: f });
      } else for (const f of split) await engine.call('library.addFolder', { path: f });
      await engine.idle();
      await engine.call('settings.set', { glossary: { PT: 'physical therapy' } });
      for (const q of [...answerable, ...unanswerable]) {
        setups[setup].messages.set(q.question, await ask(engine, q.question));
        const r = await engine.call('search', { query: q.question, k: 10 });
        setups[setup].top10.set(
          q.question,
          r.hits.map((h: SearchHit) => `${h.location.relPath}#${h.location.charStart}`),
        );
      }
    } finally {
      await engine.close();
    }
  }

  // --- Answerability --------------------------------------------------------------------------
  const scoreOf = (q: Labelled) => setups.one.messages.get(q.question)!.answerability!.score;
  const aScores = answerable.map(scoreOf);
  const uScores = unanswerable.map(scoreOf);
  const confusion = (t: number) => {
    const aRefused = aScores.filter((s) => s < t).length;
    const uRefused = uScores.filter((s) => s < t).length;
    return { aRefused, uRefused, precision: uRefused / Math.max(1, uRefused + aRefused), recall: uRefused / uScores.length };
  };
  const at = confusion(ANSWERABLE_THRESHOLD);
  console.log(`\n### Answerability decision (threshold ${ANSWERABLE_THRESHOLD}, one collection)\n`);
  console.log(
    table(
      ['truth \\ decision', 'answered', 'refused ("not covered")'],
      [
        ['answerable', String(answerable.length - at.aRefused), `${at.aRefused} (${pct(at.aRefused, answerable.length)})`],
        ['unanswerable', String(unanswerable.length - at.uRefused), `${at.uRefused} (${pct(at.uRefused, unanswerable.length)})`],
      ],
    ),
  );
  console.log(
    `\nRefusal precision ${pct(at.uRefused, at.uRefused + at.aRefused)}, recall ${pct(at.uRefused, unanswerable.length)} (target: ≥ 90 % of unanswerable refused, ≤ 5 % of answerable refused).`,
  );
  for (const corpus of ['sample', 'makerspace']) {
    const a = answerable.filter((q) => q.corpus === corpus);
    const u = unanswerable.filter((q) => q.corpus === corpus);
    const ar = a.filter((q) => scoreOf(q) < ANSWERABLE_THRESHOLD).length;
    const ur = u.filter((q) => scoreOf(q) < ANSWERABLE_THRESHOLD).length;
    console.log(`  ${corpus}: answerable refused ${ar}/${a.length} (${pct(ar, a.length)}), unanswerable refused ${ur}/${u.length} (${pct(ur, u.length)})`);
  }
  const misses = [...answerable.filter((q) => scoreOf(q) < ANSWERABLE_THRESHOLD), ...unanswerable.filter((q) => scoreOf(q) >= ANSWERABLE_THRESHOLD)];
  if (process.env.TRUST_VERBOSE)
    for (const q of [...answerable, ...unanswerable])
      console.log(
        `${q.file ? 'A' : 'U'} ${scoreOf(q).toFixed(2)} coverage ${setups.one.messages.get(q.question)!.answerability!.coverage.toFixed(2)} ${q.question}`,
      );
  if (misses.length) console.log(`Wrong decisions: ${misses.map((q) => `"${q.question}" (${scoreOf(q).toFixed(2)})`).join('; ')}`);
  console.log('\nCurve (refusing below the threshold):\n');
  const rows: string[][] = [];
  for (let t = 0.3; t <= 0.951; t += 0.05) {
    const c = confusion(t);
    rows.push([t.toFixed(2), pct(c.uRefused, uScores.length), pct(c.aRefused, aScores.length), pct(c.uRefused, c.uRefused + c.aRefused)]);
  }
  console.log(table(['threshold', 'unanswerable refused (recall)', 'answerable refused', 'precision'], rows));

  // --- Citation checks ------------------------------------------------------------------------
  // For each answerable question: the passage sentence holding the answer phrase, cited [n] where
  // n is that passage (should be supported), and cited as another shown passage (should not).
  let right = 0;
  let rightSupported = 0;
  let wrong = 0;
  let wrongSupported = 0;
  for (const q of answerable) {
    const cites = setups.one.messages.get(q.question)!.citations ?? [];
    const i = cites.findIndex((c) => hitHolds(c, q));
    if (i < 0) continue;
    const text = cites[i].text;
    const span = sentenceSpans(text).find((s) => text.slice(s.start, s.end).includes(q.expect!));
    if (!span) continue;
    const claim = text
      .slice(span.start, span.end)
      .trim()
      .replace(/[.!?]$/, '');
    const passages = cites.map((c) => c.text);
    right++;
    if (checkCitations(`${claim} [${i + 1}].`, passages).supported) rightSupported++;
    const other = cites.findIndex((c, j) => j !== i && !c.text.includes(q.expect!));
    if (other >= 0) {
      wrong++;
      if (checkCitations(`${claim} [${other + 1}].`, passages).supported) {
        wrongSupported++;
        if (process.env.TRUST_VERBOSE) console.log(`wrongly supported: "${claim}" by "${passages[other].slice(0, 200)}"`);
      }
    }
  }
  console.log('\n### Citation checks (lexical support of a cited sentence by its passage)\n');
  console.log(
    table(
      ['citation points at', 'sentences', 'marked supported'],
      [
        ['the passage holding the answer', String(right), pct(rightSupported, right)],
        ['another retrieved passage', String(wrong), pct(wrongSupported, wrong)],
      ],
    ),
  );

  // --- One ranking across collections ---------------------------------------------------------
  const rate = (setup: 'one' | 'three', n: number) =>
    answerable.filter((q) => (setups[setup].messages.get(q.question)!.citations ?? []).slice(0, n).some((c) => hitHolds(c, q))).length;
  const same = [...answerable, ...unanswerable].filter(
    (q) => setups.one.top10.get(q.question)!.join('|') === setups.three.top10.get(q.question)!.join('|'),
  ).length;
  console.log('\n### One collection vs the same documents split over three\n');
  console.log(
    table(
      ['', 'one collection (baseline)', 'three collections', 'ratio'],
      [
        ['answer phrase in top 1', pct(rate('one', 1), answerable.length), pct(rate('three', 1), answerable.length), ratio(rate('three', 1), rate('one', 1))],
        ['answer phrase in top 3', pct(rate('one', 3), answerable.length), pct(rate('three', 3), answerable.length), ratio(rate('three', 3), rate('one', 3))],
      ],
    ),
  );
  console.log(`\nIdentical top-10 lists: ${same} of ${answerable.length + unanswerable.length} questions.`);
  await rm(root, { recursive: true, force: true });
}
