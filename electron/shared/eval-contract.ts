/**
 * Evaluation (issue 13): the types and call inputs for running a question set against a
 * collection in several modes (search only, the model alone, with an adapter, with retrieved
 * passages, both) and comparing runs. contract.ts registers the calls; this file holds their
 * shapes so the contract itself stays short. Free of Node imports: the renderer bundles it.
 */
import { z } from 'zod';

export const EVAL_MODES = ['retrieval', 'base', 'lora', 'rag', 'rag+lora'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

/** Where the answer should come from: a file and, optionally, the place inside it. */
export interface ExpectedSource {
  file: string;
  page?: number;
  slide?: number;
  sheet?: string;
  row?: number;
  heading?: string;
  line?: number;
}

export interface EvalQuestion {
  id: string;
  /** Line of the question set the question was read from (1-based; CSV: the record's first line). */
  line: number;
  question: string;
  /** Any one of these phrases in the answer counts as right (case and accents ignored). */
  answers: string[];
  /** Or a regular expression the answer must match (case-insensitive). */
  pattern?: string;
  source?: ExpectedSource;
  /** The documents do not answer it: the right behaviour is to say so. */
  unanswerable: boolean;
}

export interface EvalCitationResult {
  n: number;
  file: string;
  place: string;
  /** This citation is the expected source (file, and place when one is given). */
  expected: boolean;
  support?: 'supported' | 'weak' | 'unsupported';
}

export interface EvalQuestionResult {
  id: string;
  question: string;
  mode: EvalMode;
  pass: boolean;
  /** Why it failed (empty when it passed). */
  reasons: string[];
  answer?: string;
  refused: boolean;
  /** null for unanswerable questions (nothing to match). */
  answerMatch: boolean | null;
  refusalCorrect: boolean;
  /** Cited passages include the expected source; null when there is no expected source or nothing was cited. */
  citesExpected: boolean | null;
  /** From the answer's citation check: sentences citing a passage, and how many it supports. */
  support: { cited: number; supported: number } | null;
  citations?: EvalCitationResult[];
  /** Retrieval: rank (1-based) of the first passage from the expected file within the top 10. */
  rank?: number | null;
  locationAt1?: boolean | null;
  phraseInTopK?: boolean | null;
  ttftMs?: number | null;
  tokensPerSecond?: number | null;
  promptTokens?: number | null;
  error?: string;
}

export interface EvalRetrievalSummary {
  k: number;
  hit1: number | null;
  hit3: number | null;
  hit10: number | null;
  mrr: number | null;
  locationAt1: number | null;
  phraseInTopK: number | null;
  questionsPerSecond: number;
}

export interface EvalModeSummary {
  mode: EvalMode;
  questions: number;
  passed: number;
  /** Shares in [0, 1]; null where no question applies ("n/a"). */
  answerMatch: number | null;
  refusalCorrect: number | null;
  citationPrecision: number | null;
  citationSupport: number | null;
  /** Medians over questions that generated text. */
  ttftMs: number | null;
  tokensPerSecond: number | null;
  /** Mean prompt tokens. */
  promptTokens: number | null;
  retrieval?: EvalRetrievalSummary;
  status: 'done' | 'cancelled' | 'error';
  error?: string;
}

export interface EvalRunSetup {
  label?: string;
  set: { name: string; questions: number; sha256: string };
  collections: { id: string; name: string }[];
  model: string | null;
  adapter: { file: string; scale: number } | null;
  modes: EvalMode[];
  /** Fixed so that two runs of the same setup agree. */
  decoding: { temperature: 0; seed: number; topK: number; contextSize: number | null };
}

export interface EvalReport extends EvalRunSetup {
  id: string;
  createdAt: string;
  status: 'running' | 'done' | 'cancelled' | 'error';
  error?: string;
  durationMs: number;
  summaries: EvalModeSummary[];
  results: EvalQuestionResult[];
  /** A "Check this pack" run: how this laptop compares with the publisher's results. */
  packCheck?: { packId: string; pack: string; version: string; asPublished: boolean; better: number; worse: number };
  /** Where the JSON and Markdown reports were written. */
  files?: { json: string; markdown: string };
}

export interface EvalRunListItem {
  id: string;
  createdAt: string;
  label?: string;
  set: string;
  model: string | null;
  adapter: { file: string; scale: number } | null;
  modes: EvalMode[];
  status: EvalReport['status'];
  summaries: EvalModeSummary[];
  packCheck?: EvalReport['packCheck'];
}

export interface EvalChange {
  id: string;
  question: string;
  mode: EvalMode;
  before: { pass: boolean; answer?: string; reasons: string[] };
  after: { pass: boolean; answer?: string; reasons: string[] };
}

export interface EvalComparison {
  a: { id: string; label?: string; createdAt: string };
  b: { id: string; label?: string; createdAt: string };
  /** Per mode both runs have: each metric before and after (null: n/a). */
  modes: { mode: EvalMode; metrics: { name: string; a: number | null; b: number | null; higherIsBetter: boolean }[] }[];
  better: EvalChange[];
  worse: EvalChange[];
  unchanged: number;
}

export interface EvalProgress {
  runId: string;
  mode: EvalMode | null;
  /** Questions finished across all modes, and their total. */
  done: number;
  total: number;
  phase: 'running' | 'done' | 'cancelled' | 'error';
  message?: string;
}

const evalPath = z.string().min(1).max(4096);
const evalId = z.string().min(1).max(200);

export const EvalRunInputSchema = z.object({
  /** A question set: .jsonl or .csv. */
  questions: evalPath,
  collections: z.array(evalId).max(50).optional(),
  /** Loads this answer model first (otherwise the loaded one is used). */
  model: evalPath.optional(),
  contextSize: z.number().int().min(256).max(131072).optional(),
  adapter: z.object({ path: evalPath, scale: z.number().min(0).max(4) }).optional(),
  modes: z.array(z.enum(EVAL_MODES)).min(1).max(5).optional(),
  /** Also write report.json and report.md here. */
  out: evalPath.optional(),
  label: z.string().max(200).optional(),
});
export type EvalRunInput = z.infer<typeof EvalRunInputSchema>;

/** What the Evaluate view lists: past runs, installed packs that carry a question set, the sample set. */
export interface EvalOverview {
  runs: EvalRunListItem[];
  packs: { id: string; name: string; version: string; questions: number; modes: EvalMode[] }[];
  sampleSet: string | null;
}
