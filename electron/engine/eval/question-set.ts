import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { LanternError } from '../core/errors.js';
import type { EvalQuestion, ExpectedSource } from '../../shared/contract.js';

/**
 * Question sets admins write by hand (JSONL) or export from a spreadsheet (CSV). Every problem
 * is reported with its line number, all at once, so a set can be fixed in one pass.
 *
 * JSONL, one object a line:
 *   {"question": "…", "answer": "30 days" | ["30 days", "thirty days"], "regex": "…",
 *    "source": "file.pdf" | {"file": "file.pdf", "page": 2}, "unanswerable": true, "id": "…"}
 * CSV, a header row then one question a row: question, answer (alternatives separated by " | "),
 *   regex, file, page, slide, sheet, row, heading, line, unanswerable (yes/true/1), id.
 */
export interface QuestionSet {
  name: string;
  sha256: string;
  questions: EvalQuestion[];
}

export interface SetProblem {
  line: number;
  message: string;
}

const MAX_QUESTIONS = 10_000;
const PLACE_NUMBERS = ['page', 'slide', 'row', 'line'] as const;
const CSV_COLUMNS = ['id', 'question', 'answer', 'regex', 'file', 'page', 'slide', 'sheet', 'row', 'heading', 'line', 'unanswerable'];

export async function readQuestionSet(path: string): Promise<QuestionSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LanternError(
      'not-found',
      `Could not read the question set ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
    );
  }
  return parseQuestionSet(text, basename(path));
}

/** Parses a set by its file name's extension (.jsonl / .json-lines / .csv). */
export function parseQuestionSet(text: string, name: string): QuestionSet {
  const ext = extname(name).toLowerCase();
  const body = text.replace(/^\uFEFF/, '');
  let parsed: { questions: EvalQuestion[]; problems: SetProblem[] };
  if (ext === '.csv') parsed = parseCsvSet(body);
  else if (ext === '.jsonl' || ext === '.ndjson') parsed = parseJsonlSet(body);
  else throw new LanternError('invalid-input', `${name}: a question set is a .jsonl or .csv file.`);
  const { questions, problems } = parsed;
  const seen = new Map<string, number>();
  for (const q of questions) {
    const first = seen.get(q.id);
    if (first !== undefined) problems.push({ line: q.line, message: `the id "${q.id}" is already used on line ${first}` });
    else seen.set(q.id, q.line);
  }
  if (!problems.length && !questions.length) problems.push({ line: 1, message: 'the set holds no questions' });
  if (questions.length > MAX_QUESTIONS) problems.push({ line: questions[MAX_QUESTIONS].line, message: `a set holds at most ${MAX_QUESTIONS} questions` });
  if (problems.length) {
    problems.sort((a, b) => a.line - b.line);
    const shown = problems.slice(0, 20).map((p) => `  line ${p.line}: ${p.message}`);
    if (problems.length > 20) shown.push(`  … and ${problems.length - 20} more`);
    throw new LanternError('invalid-input', `${name} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${shown.join('\n')}`, {
      problems,
    });
  }
  return { name, sha256: createHash('sha256').update(text).digest('hex'), questions };
}

function parseJsonlSet(text: string): { questions: EvalQuestion[]; problems: SetProblem[] } {
  const questions: EvalQuestion[] = [];
  const problems: SetProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('//') || trimmed.startsWith('#')) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      problems.push({ line, message: `not valid JSON (${(err as Error).message})` });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line, message: 'each line must be a JSON object with at least "question"' });
      return;
    }
    const o = value as Record<string, unknown>;
    const issues: string[] = [];
    const answers = answersOf(o.answer ?? o.answers ?? o.expect, issues);
    const source = sourceOf(o.source !== undefined ? o.source : o.file !== undefined ? { ...o, file: o.file } : undefined, issues);
    const q = question(line, o.id, o.question, answers, o.regex ?? o.pattern, source, o.unanswerable, issues);
    for (const message of issues) problems.push({ line, message });
    if (q && !issues.length) questions.push(q);
  });
  return { questions, problems };
}

function parseCsvSet(text: string): { questions: EvalQuestion[]; problems: SetProblem[] } {
  let rows: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  let header: string[] = [];
  try {
    rows = parseCsv(text, {
      columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())),
      info: true,
      raw: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as typeof rows;
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { questions: [], problems: [{ line: e.lines ?? 1, message: `not valid CSV (${e.message.replace(/^Invalid Record Length: /, '')})` }] };
  }
  const problems: SetProblem[] = [];
  const unknown = header.filter((h) => h && !CSV_COLUMNS.includes(h));
  if (unknown.length)
    problems.push({
      line: 1,
      message: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${CSV_COLUMNS.join(', ')})`,
    });
  if (!header.includes('question')) problems.push({ line: 1, message: 'the header row needs a "question" column' });
  if (problems.length) return { questions: [], problems };
  const questions: EvalQuestion[] = [];
  for (const { record, info, raw } of rows) {
    // csv-parse counts the line a record ends on; a quoted field may span lines before it.
    const at =
      info.lines -
      (raw
        .replace(/^[\r\n]+/, '')
        .replace(/\r?\n$/, '')
        .match(/\n/g)?.length ?? 0);
    const issues: string[] = [];
    const cell = (k: string) => (record[k] ?? '').trim();
    const answers = cell('answer')
      ? answersOf(
          cell('answer')
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean),
          issues,
        )
      : [];
    const hasPlace = cell('file') || PLACE_NUMBERS.some((k) => cell(k)) || cell('sheet') || cell('heading');
    const place: Record<string, unknown> = { file: cell('file') || undefined, sheet: cell('sheet') || undefined, heading: cell('heading') || undefined };
    for (const k of PLACE_NUMBERS) if (cell(k)) place[k] = /^\d+$/.test(cell(k)) ? Number(cell(k)) : cell(k);
    const source = hasPlace ? sourceOf(place, issues) : undefined;
    const flag = cell('unanswerable').toLowerCase();
    if (flag && !['yes', 'no', 'true', 'false', '1', '0', 'y', 'n'].includes(flag)) issues.push(`"unanswerable" is yes or no (got "${cell('unanswerable')}")`);
    const q = question(
      at,
      cell('id') || undefined,
      cell('question'),
      answers,
      cell('regex') || undefined,
      source,
      ['yes', 'true', '1', 'y'].includes(flag),
      issues,
    );
    for (const message of issues) problems.push({ line: at, message });
    if (q && !issues.length) questions.push(q);
  }
  return { questions, problems };
}

function answersOf(v: unknown, issues: string[]): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const a of list) {
    if (typeof a === 'number') out.push(String(a));
    else if (typeof a === 'string' && a.trim()) out.push(a.trim());
    else issues.push('"answer" is a phrase or a list of phrases');
  }
  return out;
}

function sourceOf(v: unknown, issues: string[]): ExpectedSource | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() ? { file: v.trim() } : undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    issues.push('"source" is a file name or an object like {"file": "policy.pdf", "page": 2}');
    return undefined;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.file !== 'string' || !o.file.trim()) {
    issues.push('the expected source needs a "file"');
    return undefined;
  }
  const s: ExpectedSource = { file: o.file.trim() };
  for (const k of PLACE_NUMBERS) {
    if (o[k] === undefined || o[k] === null || o[k] === '') continue;
    if (typeof o[k] === 'number' && Number.isInteger(o[k]) && (o[k] as number) >= 1) s[k] = o[k] as number;
    else issues.push(`"${k}" is a whole number from 1 (got ${JSON.stringify(o[k])})`);
  }
  for (const k of ['sheet', 'heading'] as const) {
    if (o[k] === undefined || o[k] === null || o[k] === '') continue;
    if (typeof o[k] === 'string') s[k] = (o[k] as string).trim();
    else issues.push(`"${k}" is text`);
  }
  return s;
}

function question(
  line: number,
  id: unknown,
  text: unknown,
  answers: string[],
  pattern: unknown,
  source: ExpectedSource | undefined,
  unanswerable: unknown,
  issues: string[],
): EvalQuestion | null {
  if (typeof text !== 'string' || !text.trim()) issues.push('"question" is missing or empty');
  if (id !== undefined && (typeof id !== 'string' || !id.trim()) && typeof id !== 'number') issues.push('"id" is text');
  if (unanswerable !== undefined && typeof unanswerable !== 'boolean') issues.push('"unanswerable" is true or false');
  if (pattern !== undefined && typeof pattern !== 'string') issues.push('"regex" is text');
  if (typeof pattern === 'string') {
    try {
      new RegExp(pattern, 'iu');
    } catch (err) {
      issues.push(`"regex" is not a valid regular expression (${(err as Error).message})`);
    }
  }
  const isUnanswerable = unanswerable === true;
  if (isUnanswerable && (answers.length || pattern)) issues.push('an unanswerable question has no expected answer: remove "answer"/"regex" or "unanswerable"');
  if (!isUnanswerable && !answers.length && !pattern && !issues.length)
    issues.push('give an expected "answer" (or "regex"), or mark the question "unanswerable": true');
  if (issues.length) return null;
  return {
    id: id !== undefined ? String(id).trim() : `q${line}`,
    line,
    question: (text as string).trim(),
    answers,
    ...(typeof pattern === 'string' ? { pattern } : {}),
    ...(source ? { source } : {}),
    unanswerable: isUnanswerable,
  };
}
