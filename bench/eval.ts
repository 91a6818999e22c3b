/**
 * Benchmark — evaluation throughput on the sample library and its question set (26 questions):
 * retrieval mode in questions/s, lexical and hybrid (synthetic 16-d embedder), against a baseline
 * of the same questions sent as bare `search` calls in the same process (what retrieval mode adds:
 * the relevance gate, scoring, progress events and writing the JSON + Markdown reports). Then the
 * rag mode with stories260K, which is bounded by the model. Runs are interleaved.
 * Run: npm run bench -- eval
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine } from '../electron/engine/api/engine.js';
import { hasShared, repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import type { EvalMode, EvalReport } from '../electron/shared/contract.js';
import { ratio, table } from './lib/report.js';
import { testEngine } from '../electron/engine/testing/test-engine.js';

const SET = join(repoRoot, 'resources', 'sample-eval.jsonl');
const ROUNDS = 15;

export async function main(): Promise<void> {
  console.log('\n## Evaluation: questions per second on the sample library (26 questions)\n');
  const questions = (await readFile(SET, 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l).question as string);
  const rows: string[][] = [];
  for (const embedder of [null, 'test-random-bag-16d'] as const) {
    if (embedder && !hasShared()) continue;
    const data = await mkdtemp(join(tmpdir(), 'lantern-bench-eval-'));
    const engine = await testEngine({
      dataDir: data,
      modelsDir: embedder ? sharedModelsDir() : join(data, 'no-models'),
    });
    try {
      if (embedder) await engine.call('settings.set', { embeddingModel: embedder });
      const collection = (await engine.call('library.openSample', {})).id;
      await engine.idle();
      await runMode(engine, collection, ['retrieval']); // warm-up
      const search: number[] = [];
      const evalRate: number[] = [];
      const inMode: number[] = [];
      let last: EvalReport | null = null;
      const bare = async () => {
        const t0 = performance.now();
        for (const query of questions) await engine.call('search', { query, collections: [collection], k: 10 });
        search.push(questions.length / ((performance.now() - t0) / 1000));
      };
      const evaluated = async () => {
        const t1 = performance.now();
        last = await runMode(engine, collection, ['retrieval']);
        evalRate.push(questions.length / ((performance.now() - t1) / 1000));
        inMode.push(last.summaries[0].retrieval!.questionsPerSecond);
      };
      // Alternating which goes first, so load from the rest of the machine weighs on both alike.
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2) {
          await evaluated();
          await bare();
        } else {
          await bare();
          await evaluated();
        }
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
      const r = last!.summaries[0].retrieval!;
      rows.push([
        embedder ? `hybrid (${embedder})` : 'lexical',
        med(search).toFixed(0),
        med(inMode).toFixed(0),
        ratio(med(inMode), med(search)),
        med(evalRate).toFixed(0),
        `${(r.hit1! * 100).toFixed(0)} % / ${(r.hit3! * 100).toFixed(0)} % / ${(r.hit10! * 100).toFixed(0)} %`,
        r.mrr!.toFixed(3),
      ]);
      if (embedder && hasShared()) {
        await engine.call('models.load', { path: join(sharedModelsDir(), 'llm', 'stories260K.gguf'), contextSize: 512 });
        const t = performance.now();
        const rag = await runMode(engine, collection, ['rag']);
        const s = rag.summaries[0];
        console.log(
          `rag with stories260K (context 512, one thread): ${(questions.length / ((performance.now() - t) / 1000)).toFixed(1)} questions/s, TTFT p50 ${s.ttftMs?.toFixed(0)} ms, ${s.tokensPerSecond?.toFixed(0)} tokens/s, ${s.promptTokens?.toFixed(0)} prompt tokens on average.\n`,
        );
      }
    } finally {
      await engine.close();
      await rm(data, { recursive: true, force: true });
    }
  }
  console.log(table(['retrieval', 'bare search q/s (baseline)', 'retrieval mode q/s', 'ratio', 'whole run q/s', 'hit@1 / @3 / @10', 'MRR'], rows));
  console.log(
    `\nMedian of ${ROUNDS} interleaved rounds each; retrieval mode: search, relevance gate and scoring per question; whole run: also starting the run and writing both reports (fsync'd). Target: ≥ 20 questions/s.`,
  );
}

async function runMode(engine: Engine, collection: string, modes: EvalMode[]): Promise<EvalReport> {
  let runId = '';
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const off = engine.on('eval.progress', (p) => p.runId === runId && p.phase !== 'running' && finish());
  ({ runId } = await engine.call('eval.run', { questions: SET, collections: [collection], modes }));
  await finished;
  off();
  return engine.call('eval.get', { runId });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
