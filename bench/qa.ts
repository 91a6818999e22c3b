/**
 * Citation quality on Lantern's own QA set (bench/qa/questions.jsonl, ≥ 80 questions over the
 * corpus bench/qa/make-corpus.ts writes in every format): for each question, lexical search as the
 * app runs it with no embedding model, then
 *   answer@3      the answer phrase is in one of the top 3 passages
 *   file@1        the top passage is from the right file (the baseline: what file-level retrieval gives)
 *   file+place@1  …and its citation names the right page / slide / sheet row / line(s) / section
 * Also SciFact nDCG@10 through the same chunked pipeline (must stay ≥ 0.684).
 * Run: npm run bench -- qa
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hybridSearch } from '../electron/engine/search/hybrid-search.js';
import type { SearchHit } from '../electron/shared/contract.js';
import { makeQaCorpus } from './qa/make-corpus.js';
import { closeWorker, indexFolder } from './lib/index-folder.js';
import { table } from './lib/report.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface QaQuestion {
  q: string;
  file: string;
  answer: string;
  kind: string;
  page?: number;
  slide?: number;
  sheet?: string;
  row?: number;
  line?: number;
  heading?: string;
  section?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export async function loadQuestions(): Promise<QaQuestion[]> {
  return (await readFile(join(here, 'qa', 'questions.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as QaQuestion);
}

const norm = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();

export function hasAnswer(hit: SearchHit | undefined, q: QaQuestion): boolean {
  return !!hit && norm(hit.text).includes(norm(q.answer));
}

/** The citation points at the expected place: the very row, the line(s) of the sentence, the page, slide or section. */
export function rightPlace(hit: SearchHit | undefined, q: QaQuestion): boolean {
  if (!hit || hit.location.relPath !== q.file) return false;
  const l = hit.location;
  if (q.page !== undefined && !(l.page !== undefined && l.page <= q.page && q.page <= (l.pageEnd ?? l.page))) return false;
  if (q.slide !== undefined && l.slide !== q.slide) return false;
  if (q.sheet !== undefined && l.sheet !== q.sheet) return false;
  if (q.row !== undefined && !(l.row === q.row && (l.rowEnd === undefined || l.rowEnd === q.row))) return false;
  if (
    q.line !== undefined &&
    !(l.lineStart !== undefined && l.lineStart <= q.line && q.line <= (l.lineEnd ?? l.lineStart) && (l.lineEnd ?? l.lineStart) - l.lineStart <= 2)
  )
    return false;
  if (q.heading !== undefined && !(l.headingPath ?? []).includes(q.heading)) return false;
  if (q.section !== undefined && l.section !== q.section) return false;
  return true;
}

export interface QaResult {
  questions: number;
  answer3: number;
  file1: number;
  place1: number;
  misses: string[];
  byKind: Map<string, { n: number; answer3: number; place1: number }>;
}

export async function runQa(): Promise<QaResult> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-qa-'));
  try {
    await makeQaCorpus(join(dir, 'docs'));
    const { index, summary } = await indexFolder(join(dir, 'docs'), join(dir, 'index'));
    if (summary.errors) console.log(`(${summary.errors} files could not be indexed)`);
    const questions = await loadQuestions();
    const res: QaResult = { questions: questions.length, answer3: 0, file1: 0, place1: 0, misses: [], byKind: new Map() };
    for (const q of questions) {
      const hits = await hybridSearch([{ id: 'qa', index, useVectors: false }], q.q, { k: 10, queryVector: null });
      const a3 = hits.slice(0, 3).some((h) => hasAnswer(h, q));
      const f1 = hits[0]?.location.relPath === q.file;
      const p1 = rightPlace(hits[0], q);
      res.answer3 += +a3;
      res.file1 += +f1;
      res.place1 += +p1;
      const k = res.byKind.get(q.kind) ?? { n: 0, answer3: 0, place1: 0 };
      k.n++;
      k.answer3 += +a3;
      k.place1 += +p1;
      res.byKind.set(q.kind, k);
      if (!a3 || !p1) {
        const l = hits[0]?.location;
        const where = l
          ? `${l.relPath} ${JSON.stringify({ page: l.page, slide: l.slide, sheet: l.sheet, row: l.row, rowEnd: l.rowEnd, lineStart: l.lineStart, lineEnd: l.lineEnd, section: l.section, headingPath: l.headingPath })}`
          : 'nothing';
        res.misses.push(`${a3 ? '   ' : 'A3✗'} ${p1 ? '   ' : 'P1✗'} "${q.q}" → ${where}`);
      }
    }
    await index.close();
    return res;
  } finally {
    await closeWorker();
    await rm(dir, { recursive: true, force: true });
  }
}

async function scifactChunkedNdcg(): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, 'lib', 'scifact-chunked.ts')], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!).ndcg10;
}

export async function main(): Promise<void> {
  console.log('\n## Citation quality — Lantern QA set (lexical, no embedding model)\n');
  const r = await runQa();
  const pct = (n: number) => `${((100 * n) / r.questions).toFixed(1)} %`;
  console.log(
    table(
      ['measure', 'questions', 'share', 'target', 'vs file@1 (baseline)'],
      [
        ['file@1: top passage from the right file (baseline)', `${r.file1}/${r.questions}`, pct(r.file1), '–', '1.00×'],
        ['answer phrase in the top 3 passages', `${r.answer3}/${r.questions}`, pct(r.answer3), '≥ 95 %', `${(r.answer3 / r.file1).toFixed(2)}×`],
        ['right file and right place at rank 1', `${r.place1}/${r.questions}`, pct(r.place1), '≥ 85 %', `${(r.place1 / r.file1).toFixed(2)}×`],
      ],
    ),
  );
  console.log(
    '\n' +
      table(
        ['kind', 'n', 'answer@3', 'file+place@1'],
        [...r.byKind].map(([k, v]) => [k, String(v.n), String(v.answer3), String(v.place1)]),
      ),
  );
  if (r.misses.length) console.log('\nMisses:\n' + r.misses.join('\n'));
  const ndcg = await scifactChunkedNdcg();
  console.log(`\nSciFact nDCG@10, Lantern pipeline lexical chunked: ${ndcg.toFixed(3)} (must stay ≥ 0.684; ${(ndcg / 0.684).toFixed(3)}× that floor)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
