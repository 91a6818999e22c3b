import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { createEngine, type Engine, findPackageRoot, LanternError, comparisonMarkdown, modeTable, pct, retrievalTable } from '../engine/index.js';
import { EVAL_MODES, type EvalMode, type EvalModeSummary, type EvalReport } from '../shared/contract.js';
import { defaultDataDir } from './data-dir.js';

export const EVAL_USAGE = `Usage:
  lantern eval QUESTIONS.jsonl|.csv [--collection NAME] [--model FILE.gguf] [--lora FILE[:SCALE]]
               [--modes retrieval,base,lora,rag,rag+lora] [--out DIR] [--label TEXT] [--json] [--min-METRIC [MODE:]VALUE …]
  lantern eval list [--json]
  lantern eval compare RUN_A RUN_B [--json]

Thresholds (exit code 1 when one is not met; VALUE is 0.8 or 80%; without MODE: every mode run):
  ${'--min-pass --min-answer-match --min-refusal --min-citation-precision --min-citation-support'}
  ${'--min-hit1 --min-hit3 --min-hit10 --min-mrr --min-location --min-phrase   (retrieval)'}`;

/** Each --min-* flag and the summary figure it checks. */
const THRESHOLDS: Record<string, (s: EvalModeSummary) => number | null> = {
  pass: (s) => (s.questions ? s.passed / s.questions : null),
  'answer-match': (s) => s.answerMatch,
  refusal: (s) => s.refusalCorrect,
  'citation-precision': (s) => s.citationPrecision,
  'citation-support': (s) => s.citationSupport,
  hit1: (s) => s.retrieval?.hit1 ?? null,
  hit3: (s) => s.retrieval?.hit3 ?? null,
  hit10: (s) => s.retrieval?.hit10 ?? null,
  mrr: (s) => s.retrieval?.mrr ?? null,
  location: (s) => s.retrieval?.locationAt1 ?? null,
  phrase: (s) => s.retrieval?.phraseInTopK ?? null,
};

const options = {
  collection: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  model: { type: 'string' },
  'context-size': { type: 'string' },
  lora: { type: 'string' },
  modes: { type: 'string' },
  out: { type: 'string' },
  label: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(Object.keys(THRESHOLDS).map((k) => [`min-${k}`, { type: 'string', multiple: true }])),
} as const;

/** `lantern eval …`: runs a question set (or lists / compares runs); the exit code gates a release in CI. */
export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const v = values as Record<string, string | string[] | boolean | undefined>;
  if (v.help || !positionals.length) {
    console.log(EVAL_USAGE);
    return v.help ? 0 : 2;
  }
  const thresholds = parseThresholds(v);
  const engine = await createEngine({
    dataDir: resolve((v['data-dir'] as string | undefined) ?? defaultDataDir()),
    modelsDir: v['models-dir'] ? resolve(v['models-dir'] as string) : undefined,
    resourcesDir: join(findPackageRoot(), 'resources'),
    transport: 'cli',
    watch: false,
  });
  try {
    if (positionals[0] === 'list') return await listRuns(engine, !!v.json);
    if (positionals[0] === 'compare') {
      if (positionals.length !== 3) throw new LanternError('invalid-input', 'Usage: lantern eval compare RUN_A RUN_B');
      const c = await engine.call('eval.compare', { a: positionals[1], b: positionals[2] });
      console.log(v.json ? JSON.stringify(c, null, 2) : comparisonMarkdown(c));
      return 0;
    }
    const report = await runSet(engine, positionals[0], v);
    if (v.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    const failed = checkThresholds(report, thresholds);
    for (const f of failed) console.error(`lantern eval: ${f}`);
    return failed.length || report.status !== 'done' ? 1 : 0;
  } finally {
    await engine.close();
  }
}

async function runSet(engine: Engine, questions: string, v: Record<string, unknown>): Promise<EvalReport> {
  const names = (v.collection as string[] | undefined) ?? [];
  const all = await engine.call('library.list', {});
  const collections = names.map((name) => {
    const c = all.find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
    if (!c) throw new LanternError('not-found', `No collection "${name}". Index one first: lantern index <folder> --collection "${name}"`);
    return c.id;
  });
  const modes = ((v.modes as string | undefined) ?? 'retrieval')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const bad = modes.filter((m) => !(EVAL_MODES as readonly string[]).includes(m));
  if (bad.length) throw new LanternError('invalid-input', `Unknown mode ${bad.join(', ')}: choose from ${EVAL_MODES.join(', ')}.`);
  let adapter: { path: string; scale: number } | undefined;
  if (v.lora) {
    const m = (v.lora as string).match(/^(.*?)(?::(\d*\.?\d+))?$/)!;
    adapter = { path: resolve(m[1]), scale: m[2] ? Number(m[2]) : 1 };
  }
  const tty = process.stderr.isTTY && !v.json;
  let runId = '';
  let resolveDone!: () => void;
  const finished = new Promise<void>((r) => (resolveDone = r));
  const off = engine.on('eval.progress', (p) => {
    if (runId && p.runId !== runId) return;
    if (tty && p.phase === 'running') process.stderr.write(`\r${p.mode ?? ''} ${p.done}/${p.total} questions`.padEnd(40));
    if (p.phase !== 'running') resolveDone();
  });
  try {
    ({ runId } = await engine.call('eval.run', {
      questions: resolve(questions),
      collections: collections.length ? collections : undefined,
      model: v.model ? resolve(v.model as string) : undefined,
      contextSize: v['context-size'] ? Number(v['context-size']) : undefined,
      adapter,
      modes: modes as EvalMode[],
      out: v.out ? resolve(v.out as string) : undefined,
      label: v.label as string | undefined,
    }));
    await finished;
  } finally {
    off();
  }
  if (tty) process.stderr.write('\n');
  return engine.call('eval.get', { runId });
}

function printReport(r: EvalReport): void {
  console.log(modeTable(r.summaries));
  const retrieval = retrievalTable(r.summaries);
  if (retrieval) console.log(`\n${retrieval}`);
  const failed = r.results.filter((x) => !x.pass);
  if (failed.length) {
    console.log(`\nNot passed (${failed.length}):`);
    for (const f of failed) console.log(`  [${f.mode}] ${f.id}: ${f.reasons.join('; ')}`);
  }
  if (r.error) console.log(`\n${r.error}`);
  console.log(`\nRun ${r.id} (${r.status}, ${(r.durationMs / 1000).toFixed(1)} s). Reports: ${r.files?.json ?? ''} ${r.files?.markdown ?? ''}`);
}

async function listRuns(engine: Engine, json: boolean): Promise<number> {
  const o = await engine.call('eval.list', {});
  if (json) {
    console.log(JSON.stringify(o, null, 2));
    return 0;
  }
  if (!o.runs.length) console.log('No evaluation runs yet.');
  for (const r of o.runs) {
    const parts = r.summaries.map((s) => `${s.mode} ${s.passed}/${s.questions}`).join(', ');
    console.log(`${r.id}  ${r.label ?? r.set}  ${r.model ?? ''}${r.adapter ? ` + ${r.adapter.file}@${r.adapter.scale}` : ''}  ${parts}  (${r.status})`);
  }
  return 0;
}

interface Threshold {
  metric: string;
  mode: EvalMode | null;
  min: number;
}

export function parseThresholds(v: Record<string, unknown>): Threshold[] {
  const out: Threshold[] = [];
  for (const metric of Object.keys(THRESHOLDS)) {
    for (const raw of (v[`min-${metric}`] as string[] | undefined) ?? []) {
      const m = raw.trim().match(/^(?:([a-z+]+):)?(\d*\.?\d+)(%?)$/);
      const mode = m?.[1] ?? null;
      if (!m || (mode && !(EVAL_MODES as readonly string[]).includes(mode))) {
        throw new LanternError('invalid-input', `--min-${metric} ${raw}: give a share like 0.8 or 80%, optionally for one mode (rag:0.8).`);
      }
      const min = m[3] ? Number(m[2]) / 100 : Number(m[2]);
      if (min > 1) throw new LanternError('invalid-input', `--min-${metric} ${raw}: a share is at most 1 (or 100%).`);
      out.push({ metric, mode: mode as EvalMode | null, min });
    }
  }
  return out;
}

/** Every threshold not met, in words; a figure that is n/a for a mode it names cannot pass. */
export function checkThresholds(r: Pick<EvalReport, 'summaries'>, thresholds: Threshold[]): string[] {
  const failed: string[] = [];
  for (const t of thresholds) {
    const summaries = t.mode ? r.summaries.filter((s) => s.mode === t.mode) : r.summaries.filter((s) => THRESHOLDS[t.metric](s) !== null);
    if (!summaries.length) failed.push(`--min-${t.metric}: no ${t.mode ?? ''} result has this figure (n/a).`.replace('  ', ' '));
    for (const s of summaries) {
      const value = THRESHOLDS[t.metric](s);
      if (value === null) failed.push(`${s.mode} ${t.metric} is n/a, below the required ${pct(t.min)}.`);
      else if (value + 1e-9 < t.min) failed.push(`${s.mode} ${t.metric} is ${pct(value)}, below the required ${pct(t.min)}.`);
    }
  }
  return failed;
}
