import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LanternError } from '../core/errors.js';
import type { CallOutput, CollectionInfo, EvalMode, EvalProgress, EvalReport, EventMap, PackInfo, parseInput } from '../../shared/contract.js';
import { readQuestionSet } from '../eval/question-set.js';
import { runEvaluation, checkRunnable, type RunnerDeps, type RunSpec } from '../eval/runner.js';
import { ReportStore } from '../eval/report-store.js';
import { compareRuns } from '../eval/compare.js';
import { installedPackEval, packEvalEntries } from '../eval/pack-eval.js';
import { EVAL_SEED } from '../eval/modes.js';
import type { PackEntry } from './pack-contents.js';

type EvalCall = 'eval.run' | 'eval.cancel' | 'eval.list' | 'eval.get' | 'eval.compare' | 'eval.checkPack';
type EvalHandlers = { [N in EvalCall]: (input: ReturnType<typeof parseInput<N>>) => Promise<CallOutput<N>> };

export interface EvalControllerDeps extends RunnerDeps {
  dataDir: string;
  resourcesDir: string;
  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void;
  collections(): Promise<CollectionInfo[]>;
  packs(): PackInfo[];
  packDir(id: string): string;
}

/** The sample library's question set (shipped in resources/). */
export const SAMPLE_SET = 'sample-eval.jsonl';

/**
 * Evaluation runs for every adapter: one at a time (they share the loaded model), in the
 * background with progress events, saved as JSON + Markdown under <dataDir>/evals.
 */
export function createEvalController(deps: EvalControllerDeps): {
  handlers: EvalHandlers;
  packEntries(setPath: string, collection: string, modes?: EvalMode[]): Promise<PackEntry[]>;
  close(): void;
} {
  const store = new ReportStore(join(deps.dataDir, 'evals'));
  let running: { id: string; controller: AbortController; partial: EvalReport } | null = null;

  const collectionRefs = async (ids: string[] | undefined) => {
    if (!ids?.length) return null;
    const all = await deps.collections();
    return ids.map((id) => {
      const c = all.find((x) => x.id === id);
      if (!c) throw new LanternError('not-found', `No collection "${id}". List them with: lantern status`);
      return { id: c.id, name: c.name };
    });
  };

  /** Starts a run in the background; the returned promise settles when it is saved. */
  const start = async (
    spec: Omit<RunSpec, 'id'>,
    outDir?: string,
    finish?: (r: EvalReport) => EvalReport | Promise<EvalReport>,
  ): Promise<{ runId: string; done: Promise<EvalReport> }> => {
    if (running) throw new LanternError('conflict', 'An evaluation is already running. Wait for it to finish or cancel it.');
    checkRunnable(spec, deps.modelStatus());
    const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    const controller = new AbortController();
    const partial: EvalReport = {
      id,
      createdAt: new Date().toISOString(),
      label: spec.label,
      set: { name: spec.set.name, questions: spec.set.questions.length, sha256: spec.set.sha256 },
      collections: spec.collections ?? [],
      model: null,
      adapter: null,
      modes: spec.modes,
      decoding: { temperature: 0, seed: EVAL_SEED, topK: deps.settings().topK, contextSize: null },
      status: 'running',
      durationMs: 0,
      summaries: [],
      results: [],
    };
    running = { id, controller, partial };
    const onProgress = (p: EvalProgress) => deps.emit('eval.progress', p);
    // While it runs, eval.get shows the questions answered so far.
    const done = runEvaluation({ ...spec, id }, deps, controller.signal, onProgress, (r) => partial.results.push(r))
      .then(async (r) => store.save(finish ? await finish(r) : r, outDir))
      .then(
        (r) => {
          // Cleared before the final event, so a client that reads the run on that event gets the saved report.
          running = null;
          onProgress({
            runId: id,
            mode: null,
            done: r.results.length,
            total: spec.modes.length * spec.set.questions.length,
            phase: r.status === 'cancelled' ? 'cancelled' : r.status === 'error' ? 'error' : 'done',
            ...(r.error ? { message: r.error } : {}),
          });
          return r;
        },
        (err: Error) => {
          running = null;
          onProgress({ runId: id, mode: null, done: 0, total: 0, phase: 'error', message: err.message });
          throw err;
        },
      );
    done.catch(() => {});
    return { runId: id, done };
  };

  const handlers: EvalHandlers = {
    'eval.run': async (input) => {
      const set = await readQuestionSet(resolve(input.questions));
      const { runId } = await start(
        {
          set,
          collections: await collectionRefs(input.collections),
          modes: input.modes ?? ['retrieval'],
          model: input.model ? resolve(input.model) : undefined,
          contextSize: input.contextSize,
          adapter: input.adapter ? { path: resolve(input.adapter.path), scale: input.adapter.scale } : undefined,
          label: input.label,
        },
        input.out ? resolve(input.out) : undefined,
      );
      return { runId };
    },
    'eval.cancel': async ({ runId }) => {
      if (running?.id !== runId) return { ok: false };
      running.controller.abort();
      return { ok: true };
    },
    'eval.list': async () => {
      const packs: CallOutput<'eval.list'>['packs'] = [];
      for (const p of deps.packs()) {
        const e = await installedPackEval(deps.packDir(p.id)).catch(() => null);
        if (e) packs.push({ id: p.id, name: p.name, version: p.version, questions: e.published.set.questions, modes: e.published.modes });
      }
      const sample = join(deps.resourcesDir, SAMPLE_SET);
      return { runs: await store.list(), packs, sampleSet: existsSync(sample) ? sample : null };
    },
    'eval.get': async ({ runId }) => (running?.id === runId ? running.partial : store.get(runId)),
    'eval.compare': async ({ a, b }) => compareRuns(await store.get(a), await store.get(b)),
    'eval.checkPack': async ({ packId }) => {
      const info = deps.packs().find((p) => p.id === packId);
      if (!info) throw new LanternError('not-found', `No installed pack "${packId}".`);
      const e = await installedPackEval(deps.packDir(packId));
      if (!e) throw new LanternError('not-found', `The pack "${info.name}" carries no question set to check.`);
      const set = await readQuestionSet(e.questions);
      // Re-run what this laptop can: retrieval always; answers when a model is loaded; the adapter modes with the pack's adapter.
      const hasModel = !!deps.modelStatus().llm;
      const modes = e.published.modes.filter(
        (m) => m === 'retrieval' || (hasModel && (m === 'base' || m === 'rag' || ((m === 'lora' || m === 'rag+lora') && e.adapter))),
      );
      if (!modes.length)
        throw new LanternError('invalid-input', `The published results are for ${e.published.modes.join(', ')}: load an answer model to check them.`);
      const { runId } = await start(
        {
          set,
          collections: [{ id: `pack-${info.id}`, name: info.name }],
          modes,
          adapter: e.adapter ?? undefined,
          label: `Check of ${info.name} ${info.version}`,
        },
        undefined,
        (r) => {
          const c = compareRuns(
            {
              ...e.published,
              summaries: e.published.summaries.filter((s) => modes.includes(s.mode)),
              results: e.published.results.filter((x) => modes.includes(x.mode)),
            },
            r,
          );
          return {
            ...r,
            packCheck: {
              packId: info.id,
              pack: info.name,
              version: info.version,
              asPublished: c.worse.length === 0 && r.status === 'done',
              better: c.better.length,
              worse: c.worse.length,
            },
          };
        },
      );
      return { runId };
    },
  };

  return {
    handlers,
    /** For `pack build --eval`: runs the set on the collection now and returns the files the pack carries. */
    async packEntries(setPath, collection, modes) {
      const set = await readQuestionSet(resolve(setPath));
      const { done } = await start({
        set,
        collections: await collectionRefs([collection]),
        modes: modes?.length ? modes : ['retrieval'],
        label: 'Published with the pack',
      });
      const report = await done;
      if (report.status !== 'done') throw new LanternError('conflict', `The question set could not be run for the pack (${report.error ?? report.status}).`);
      return packEvalEntries(resolve(setPath), report);
    },
    close() {
      running?.controller.abort();
    },
  };
}
