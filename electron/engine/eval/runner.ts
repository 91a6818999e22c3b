import { basename } from 'node:path';
import { LanternError } from '../core/errors.js';
import type { AdapterSpec, EvalMode, EvalModeSummary, EvalProgress, EvalQuestionResult, EvalReport, ModelStatus } from '../../shared/contract.js';
import { EVAL_MODES } from '../../shared/contract.js';
import { summarise } from './metrics.js';
import { EVAL_SEED, modelOnlyRunner, ragRunner, retrievalRunner, type ModeDeps, type QuestionRunner } from './modes.js';
import type { QuestionSet } from './question-set.js';

export interface RunnerDeps extends ModeDeps {
  modelStatus(): ModelStatus;
  loadModel(path: string, contextSize?: number): Promise<void>;
  applyAdapters(adapters: AdapterSpec[]): Promise<void>;
}

export interface RunSpec {
  id: string;
  set: QuestionSet;
  collections: { id: string; name: string }[] | null;
  modes: EvalMode[];
  model?: string;
  contextSize?: number;
  adapter?: AdapterSpec;
  label?: string;
}

const NEEDS_MODEL: EvalMode[] = ['base', 'lora', 'rag', 'rag+lora'];
const NEEDS_ADAPTER: EvalMode[] = ['lora', 'rag+lora'];

/** Refuses a run that cannot work before anything starts, with what to do instead. */
export function checkRunnable(spec: Pick<RunSpec, 'modes' | 'model' | 'adapter'>, status: ModelStatus): void {
  if (spec.modes.some((m) => NEEDS_ADAPTER.includes(m)) && !spec.adapter) {
    throw new LanternError('invalid-input', 'The lora and rag+lora modes need an adapter: choose one (CLI: --lora FILE[:SCALE]).');
  }
  if (spec.modes.some((m) => NEEDS_MODEL.includes(m)) && !spec.model && !status.llm) {
    throw new LanternError(
      'invalid-input',
      'The base, lora, rag and rag+lora modes need an answer model: load one in Models (CLI: --model FILE.gguf), or run the retrieval mode alone.',
    );
  }
}

/**
 * Runs a question set mode after mode in this process, on the index the engine already has open.
 * Modes without the adapter run first, then the adapter is applied once for the modes that use
 * it; whatever adapters were applied before are put back at the end, even on failure or cancel.
 */
export async function runEvaluation(
  spec: RunSpec,
  deps: RunnerDeps,
  signal: AbortSignal,
  onProgress: (p: EvalProgress) => void,
  onResult?: (r: EvalQuestionResult) => void,
): Promise<EvalReport> {
  const started = Date.now();
  const modes = EVAL_MODES.filter((m) => spec.modes.includes(m));
  checkRunnable(spec, deps.modelStatus());
  const total = modes.length * spec.set.questions.length;
  let done = 0;
  let lastEmit = 0;
  const progress = (mode: EvalMode | null, phase: EvalProgress['phase'], message?: string) => {
    const now = performance.now();
    // Retrieval answers hundreds of questions a second: a few updates a second are enough to watch.
    if (phase === 'running' && done < total && now - lastEmit < 100) return;
    lastEmit = now;
    onProgress({ runId: spec.id, mode, done, total, phase, ...(message ? { message } : {}) });
  };

  if (spec.model && modes.some((m) => NEEDS_MODEL.includes(m))) await deps.loadModel(spec.model, spec.contextSize);
  const before = deps.modelStatus().llm?.adapters ?? [];
  const collectionIds = spec.collections?.map((c) => c.id);
  const results: EvalQuestionResult[] = [];
  const summaries: EvalModeSummary[] = [];
  let status: EvalReport['status'] = 'done';
  let error: string | undefined;
  let adapterOn: boolean | null = null;
  try {
    for (const mode of [...modes.filter((m) => !NEEDS_ADAPTER.includes(m)), ...modes.filter((m) => NEEDS_ADAPTER.includes(m))]) {
      if (signal.aborted) {
        summaries.push(summarise(mode, [], { status: 'cancelled' }));
        continue;
      }
      progress(mode, 'running');
      const modeResults: EvalQuestionResult[] = [];
      let modeError: string | undefined;
      const t0 = performance.now();
      let closer: (() => Promise<void>) | null = null;
      try {
        if (NEEDS_MODEL.includes(mode)) {
          const want = NEEDS_ADAPTER.includes(mode);
          if (adapterOn !== want) {
            await deps.applyAdapters(want ? [spec.adapter!] : []);
            adapterOn = want;
          }
        }
        let run: QuestionRunner;
        if (mode === 'retrieval') run = retrievalRunner(deps, collectionIds);
        else if (mode === 'base' || mode === 'lora') run = modelOnlyRunner(deps, mode);
        else {
          const rag = await ragRunner(deps, mode, collectionIds);
          run = rag.run;
          closer = rag.close;
        }
        for (const q of spec.set.questions) {
          if (signal.aborted) break;
          const r = await run(q, signal);
          if (signal.aborted && r.reasons.includes('cancelled')) break;
          modeResults.push(r);
          onResult?.(r);
          done++;
          progress(mode, 'running');
        }
      } catch (err) {
        modeError = (err as Error).message;
      } finally {
        await closer?.().catch(() => {});
      }
      results.push(...modeResults);
      const modeStatus = modeError ? 'error' : signal.aborted ? 'cancelled' : 'done';
      summaries.push(summarise(mode, modeResults, { k: deps.settings().topK, seconds: (performance.now() - t0) / 1000, status: modeStatus, error: modeError }));
    }
  } finally {
    if (adapterOn !== null) await deps.applyAdapters(before).catch(() => {});
  }
  if (signal.aborted) status = 'cancelled';
  else if (summaries.some((s) => s.status === 'error')) {
    status = 'error';
    error = summaries
      .filter((s) => s.error)
      .map((s) => `${s.mode}: ${s.error}`)
      .join('; ');
  }
  const llm = deps.modelStatus().llm;
  const usesModel = modes.some((m) => NEEDS_MODEL.includes(m));
  const order = (m: EvalMode) => modes.indexOf(m);
  return {
    id: spec.id,
    createdAt: new Date(started).toISOString(),
    ...(spec.label ? { label: spec.label } : {}),
    set: { name: spec.set.name, questions: spec.set.questions.length, sha256: spec.set.sha256 },
    collections: spec.collections ?? [],
    model: usesModel ? (llm?.name ?? null) : null,
    adapter: spec.adapter && modes.some((m) => NEEDS_ADAPTER.includes(m)) ? { file: basename(spec.adapter.path), scale: spec.adapter.scale } : null,
    modes,
    decoding: { temperature: 0, seed: EVAL_SEED, topK: deps.settings().topK, contextSize: usesModel ? (llm?.contextSize ?? null) : null },
    status,
    ...(error ? { error } : {}),
    durationMs: Date.now() - started,
    summaries: summaries.sort((a, b) => order(a.mode) - order(b.mode)),
    results: results.sort((a, b) => order(a.mode) - order(b.mode)),
  };
}
