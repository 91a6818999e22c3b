/**
 * Benchmark — the answerability decision on documents it was NOT tuned on (issue 9).
 * The threshold (ANSWERABLE_THRESHOLD) and the decision's weights were chosen on the trust bench's
 * labelled set (sample library + makerspace corpus), measured here in the same run as the baseline.
 * Two other sets meet the same decision, unchanged:
 *  - the QA corpus (bench/qa: 94 answerable questions, bench/qa/unanswerable.jsonl): held out at
 *    first, its wrong decisions were then read while the decision was reworked, so it is reported
 *    as a development set;
 *  - the Fenmoor Water corpus (bench/unseen): documents and questions written by someone who had not
 *    seen the decision code. Never change the decision to suit it: it would stop being unseen.
 * Each question goes through `chat.ask` as the app asks it (search only, no model, lexical
 * retrieval); "refused" is the message's noAnswer ("Your documents don't seem to cover this").
 * Run: npm run bench -- heldout   (HELDOUT_VERBOSE=1 also lists the tuned set's wrong decisions and every score)
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';
import { ANSWERABLE_THRESHOLD } from '../electron/engine/answer/answerability.js';
import type { ChatMessage } from '../electron/shared/contract.js';
import { makeQaCorpus } from './qa/make-corpus.js';
import { makeUnseenCorpus } from './unseen/make-corpus.js';
import { loadUnseenQuestions, loadUnseenUnanswerable } from './unseen/load.js';
import { loadQuestions } from './qa.js';
import { loadLabelled, prepareCorpora } from './trust.js';
import { ratio, table } from './lib/report.js';
import { analyze } from '../electron/engine/lexical/analyzer.js';
import { topicTerms } from '../electron/engine/answer/question-words.js';
import { testEngine } from '../electron/engine/testing/test-engine.js';

export interface Unanswerable {
  q: string;
  why: string;
}

export async function loadUnanswerable(): Promise<Unanswerable[]> {
  return (await readFile(join(repoRoot, 'bench', 'qa', 'unanswerable.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Unanswerable);
}

interface Decided {
  question: string;
  answerable: boolean;
  /** The QA set's kind of question (version, paraphrase, table…), for answerable ones. */
  kind?: string;
  refused: boolean;
  score: number;
  coverage: number;
  /** File and start of the best passage, to see what the decision leaned on. */
  top: string;
  /** Question words no shown passage holds (diagnostic only: the decision weighs them by rarity). */
  missing: { word: string; nameLike: boolean }[];
  /** Rank (1-based) of the first passage from the labelled file holding the answer phrase; 0 when none of the shown ones does. */
  answerRank?: number;
}

interface Question {
  q: string;
  answerable: boolean;
  kind?: string;
  /** Where the answer is, for answerable questions: file and a phrase of its text. */
  expect?: { file: string; phrase: string };
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

/**
 * The question's topic words that none of the shown passages (text and headings) holds, each marked
 * name-like when the question writes it capitalised past the first word or with a digit
 * ("Asia", "Q2", "2023", "LT-0950"): a diagnostic for the report, not part of any decision.
 */
function missingWords(question: string, m: ChatMessage): { word: string; nameLike: boolean }[] {
  const have = new Set((m.citations ?? []).flatMap((c) => analyze(`${c.location.headingPath?.join(' ') ?? ''} ${c.text}`)));
  const topic = new Set(topicTerms(question));
  const out: { word: string; nameLike: boolean }[] = [];
  question.split(/\s+/).forEach((raw, i) => {
    const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const terms = analyze(word).filter((t) => topic.has(t));
    if (terms.length && terms.some((t) => !have.has(t)) && !out.some((o) => o.word === word))
      out.push({ word, nameLike: /\d/.test(word) || (i > 0 && /^\p{Lu}/u.test(word)) });
  });
  return out;
}

/** Indexes `folders` as one collection through the real engine and asks every question. */
async function askAll(root: string, name: string, folders: string[], questions: Question[]): Promise<Decided[]> {
  const engine = await testEngine({
    dataDir: join(root, `data-${name}`),
    modelsDir: join(root, 'no-models'),
  });
  try {
    const c = await engine.call('library.create', { name });
    for (const f of folders) await engine.call('library.addFolder', { collection: c.id, path: f });
    await engine.idle();
    const out: Decided[] = [];
    for (const { q, answerable, kind, expect } of questions) {
      const { messageId } = await engine.call('chat.ask', { question: q });
      const m: ChatMessage = (await engine.answerResult(messageId))!;
      const best = m.citations?.[0];
      out.push({
        question: q,
        answerable,
        kind,
        refused: !!m.noAnswer,
        score: m.answerability?.score ?? 0,
        coverage: m.answerability?.coverage ?? 0,
        top: best ? `${best.location.relPath}: ${best.text.replace(/\s+/g, ' ').slice(0, 70)}` : 'no passage',
        missing: missingWords(q, m),
        ...(expect && {
          answerRank: (m.citations ?? []).findIndex((c) => c.location.relPath.endsWith(expect.file) && squash(c.text).includes(squash(expect.phrase))) + 1,
        }),
      });
    }
    return out;
  } finally {
    await engine.close();
  }
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

interface Figures {
  a: number;
  u: number;
  aRefused: number;
  uRefused: number;
}
const figures = (d: Decided[], refused: (x: Decided) => boolean): Figures => ({
  a: d.filter((x) => x.answerable).length,
  u: d.filter((x) => !x.answerable).length,
  aRefused: d.filter((x) => x.answerable && refused(x)).length,
  uRefused: d.filter((x) => !x.answerable && refused(x)).length,
});
const recall = (f: Figures) => f.uRefused / Math.max(1, f.u);
const aRefusedShare = (f: Figures) => f.aRefused / Math.max(1, f.a);

interface LabelledSet {
  name: string;
  /** What the set is to the decision: tuned on, inspected while developing it, or never seen. */
  status: string;
  docs: number;
  decided: Decided[];
}

/** Confusion matrix, refusal precision/recall and the wrong decisions of one set at the default threshold. */
function report(set: LabelledSet, listWrong: boolean): void {
  const f = figures(set.decided, (x) => x.refused);
  console.log(`\n### ${set.name}: ${f.a} answerable + ${f.u} unanswerable questions over ${set.docs} documents (${set.status})\n`);
  console.log(
    table(
      ['truth \\ decision', 'answered', 'refused ("not covered")'],
      [
        ['answerable', String(f.a - f.aRefused), `${f.aRefused} (${pct(f.aRefused, f.a)})`],
        ['unanswerable', String(f.u - f.uRefused), `${f.uRefused} (${pct(f.uRefused, f.u)})`],
      ],
    ),
  );
  const kinds = [...new Set(set.decided.filter((x) => x.kind).map((x) => x.kind!))];
  console.log(
    `\nAnswerable refused by kind: ${kinds
      .map((k) => `${k} ${set.decided.filter((x) => x.kind === k && x.refused).length}/${set.decided.filter((x) => x.kind === k).length}`)
      .join(', ')}.`,
  );
  const wrong = set.decided.filter((x) => x.answerable === x.refused);
  if (!listWrong || !wrong.length) return;
  // The score is the weighted coverage, lowered when a name or number of the question is missing,
  // when no shown passage holds either of the rarest words, or when they speak of a sibling.
  const note = (x: Decided) =>
    (x.score < x.coverage - 1e-9 ? ', marked down' : '') +
    (x.missing.length ? `, missing: ${x.missing.map((w) => (w.nameLike ? `${w.word}*` : w.word)).join(' ')}` : '');
  console.log(`\nWrong decisions (${wrong.length}):`);
  for (const x of wrong)
    console.log(
      `  ${x.answerable ? 'answerable refused  ' : 'unanswerable answered'} score ${x.score.toFixed(2)} coverage ${x.coverage.toFixed(2)}${note(x)} "${x.question}" → ${x.top}`,
    );
}

/** A QA-style set (answer phrase, file and kind per answerable question) as questions to ask. */
const labelled = (answerable: { q: string; file: string; answer: string; kind: string }[], unanswerable: { q: string }[]): Question[] => [
  ...answerable.map((x) => ({ q: x.q, answerable: true, kind: x.kind, expect: { file: x.file, phrase: x.answer } })),
  ...unanswerable.map((x) => ({ q: x.q, answerable: false })),
];

export async function main(): Promise<void> {
  console.log('\n## Held-out answerability: the same decision on documents it was not tuned on\n');
  console.log(
    `The threshold ${ANSWERABLE_THRESHOLD} and the decision's weights were chosen on the trust bench's set (sample library + makerspace), the baseline.\n` +
      'The QA corpus (bench/qa) was held out at first, but its wrong decisions were read while the decision was reworked: it is a development set now.\n' +
      'The Fenmoor Water corpus (bench/unseen) was written by someone who had not seen the decision, and is never used to change it.',
  );
  const root = await mkdtemp(join(tmpdir(), 'lantern-bench-heldout-'));
  try {
    const tuned = await loadLabelled();
    const { whole } = await prepareCorpora(join(root, 'trust'));
    const base: LabelledSet = {
      name: 'Tuned set (baseline)',
      status: 'the decision was tuned on it',
      docs: 0,
      decided: await askAll(root, 'Tuned set', whole, [
        ...tuned.answerable.map((x) => ({ q: x.question, answerable: true, expect: x.file && x.expect ? { file: x.file, phrase: x.expect } : undefined })),
        ...tuned.unanswerable.map((x) => ({ q: x.question, answerable: false })),
      ]),
    };
    base.docs = (await Promise.all(whole.map((d) => readdir(d, { recursive: true })))).flat().filter((f) => /\.[a-z0-9]+$/i.test(f)).length;

    const dev: LabelledSet = {
      name: 'QA corpus (development set)',
      status: 'held out at first; its failures were read while reworking the decision',
      docs: (await makeQaCorpus(join(root, 'qa'))).length,
      decided: await askAll(root, 'QA corpus', [join(root, 'qa')], labelled(await loadQuestions(), await loadUnanswerable())),
    };

    const unseen: LabelledSet = {
      name: 'Fenmoor Water (unseen)',
      status: 'written without sight of the decision; never used to change it',
      docs: (await makeUnseenCorpus(join(root, 'unseen'))).length,
      decided: await askAll(root, 'Fenmoor Water', [join(root, 'unseen')], labelled(await loadUnseenQuestions(), await loadUnseenUnanswerable())),
    };

    const sets = [base, dev, unseen];
    const verbose = !!process.env.HELDOUT_VERBOSE;
    for (const set of sets) report(set, set !== base || verbose);

    console.log('\n### Each set against the baseline (default threshold, search only, one collection)\n');
    const b = figures(base.decided, (x) => x.refused);
    const rows: string[][] = [];
    for (const set of sets) {
      const f = figures(set.decided, (x) => x.refused);
      const labelled = set.decided.filter((x) => x.answerRank !== undefined);
      const inTop = (k: number) => labelled.filter((x) => x.answerRank! >= 1 && x.answerRank! <= k).length;
      rows.push([
        set.name,
        `${pct(inTop(1), labelled.length)} / ${pct(inTop(3), labelled.length)}`,
        `${pct(f.uRefused, f.u)} (${ratio(recall(f), recall(b))})`,
        `${pct(f.aRefused, f.a)}`,
        pct(f.uRefused, f.uRefused + f.aRefused),
        recall(f) >= 0.9 && aRefusedShare(f) <= 0.05 ? 'met' : 'NOT MET',
      ]);
    }
    console.log(
      table(
        [
          'set',
          'answer phrase at rank 1 / in top 3',
          'unanswerable refused (recall, vs baseline)',
          'answerable refused',
          'refusal precision',
          'target ≥ 90 % / ≤ 5 %',
        ],
        rows,
      ),
    );

    // What might separate the classes where word coverage does not: whether a word the passages
    // lack is a name, number or period (a different entity than the one the passage is about).
    const probe = (d: Decided[], answerable: boolean, refused: boolean) => {
      const g = d.filter((x) => x.answerable === answerable && x.refused === refused);
      return `${g.filter((x) => x.missing.some((w) => w.nameLike)).length}/${g.length}`;
    };
    console.log('\nDiagnostic (not a decision): questions with a name-like word (capitalised, or with a digit; * above) that no shown passage holds:\n');
    console.log(
      table(
        ['group', ...sets.map((x) => x.name)],
        [
          ['answerable, answered', ...sets.map((x) => probe(x.decided, true, false))],
          ['answerable, refused', ...sets.map((x) => probe(x.decided, true, true))],
          ['unanswerable, answered', ...sets.map((x) => probe(x.decided, false, false))],
          ['unanswerable, refused', ...sets.map((x) => probe(x.decided, false, true))],
        ],
      ),
    );
    if (verbose)
      for (const set of sets)
        for (const x of [...set.decided].sort((p, q) => p.score - q.score))
          console.log(`${set.name} ${x.answerable ? 'A' : 'U'} ${x.score.toFixed(2)} cov ${x.coverage.toFixed(2)} ${x.question} → ${x.top}`);

    // The app also refuses when nothing at all is retrieved; the curve is on the score alone.
    console.log('\nCurve (refusing below the threshold): unanswerable refused / answerable refused\n');
    const curve: string[][] = [];
    for (let t = 0.3; t <= 0.951; t += 0.05) {
      curve.push([
        t.toFixed(2),
        ...sets.map((set) => {
          const f = figures(set.decided, (x) => x.score < t);
          return `${pct(f.uRefused, f.u)} / ${pct(f.aRefused, f.a)}`;
        }),
      ]);
    }
    console.log(table(['threshold', ...sets.map((x) => x.name)], curve));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
