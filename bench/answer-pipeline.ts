/**
 * Benchmark — the answer pipeline against node-llama-cpp on its own, same model, same prompt,
 * same context and threads: time to first token and tokens/s (ratio should be ≥ 0.95), plus the
 * pipeline's retrieval and prompt-building time and the process RSS with the model loaded.
 * Run: npm run bench -- answer
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';
import { LlmRuntime } from '../electron/engine/llm/runtime.js';
import { packContext } from '../electron/engine/answer/context-packer.js';
import { sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { percentile, table, ratio, mb } from './lib/report.js';
import { testEngine } from '../electron/engine/testing/test-engine.js';

const MODEL = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
const RUNS = 40;
const QUESTION = 'What is the return policy for opened items?';

export async function main(): Promise<void> {
  console.log('\n## Answers: pipeline vs bare node-llama-cpp (stories260K, context 512, 1 thread)\n');
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-bench-answer-'));
  const engine = await testEngine({ dataDir, modelsDir: sharedModelsDir() });
  await engine.call('library.openSample', {});
  await engine.idle();
  await engine.call('models.load', { path: MODEL, contextSize: 512 });

  // The exact prompt the pipeline sends, rebuilt from the same hits, for the baseline.
  const hits = (await engine.call('search', { query: QUESTION, k: 10 })).hits.slice(0, 5);
  const rt = new LlmRuntime();
  await rt.load(MODEL, { contextSize: 512 });
  const packed = packContext({ contextSize: 512, countTokens: (t) => rt.countTokens(t), renderPrompt: (i) => rt.renderPrompt(i) }, QUESTION, hits, []);
  const prompt = rt.renderPrompt({ system: packed.system, history: [], user: packed.user }).text;
  await rt.unload();

  const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: MODEL });
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  const pipe = { ttft: [] as number[], tps: [] as number[], retrieval: [] as number[], prompt: [] as number[] };
  const bare = { ttft: [] as number[], tps: [] as number[] };
  // Runs alternate so that whatever else the machine is doing weighs on both sides alike.
  for (let i = 0; i < RUNS; i++) {
    const { messageId } = await engine.call('chat.ask', { question: QUESTION });
    const m = await engine.answerResult(messageId)!;
    const st = m.stats!;
    pipe.ttft.push(st.firstTokenMs ?? NaN);
    // Decode speed: tokens after the first, over the time after the first (prompt evaluation excluded).
    const total = st.tokens / (st.tokensPerSecond ?? NaN);
    pipe.tps.push((st.tokens - 1) / (total - (st.firstTokenMs ?? 0) / 1000));
    pipe.retrieval.push(st.retrievalMs);
    pipe.prompt.push(st.promptMs);

    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const t0 = performance.now();
    let first: number | null = null;
    let n = 0;
    await completion.generateCompletion(prompt, {
      maxTokens: packed.maxAnswerTokens,
      temperature: 0,
      seed: 42,
      onTextChunk: () => (first ??= performance.now() - t0),
      onToken: (t) => (n += t.length),
    });
    const s = (performance.now() - t0) / 1000;
    bare.ttft.push(first ?? NaN);
    bare.tps.push((n - 1) / (s - (first ?? 0) / 1000));
    completion.dispose({ disposeSequence: true });
  }
  const rss = process.memoryUsage().rss;
  await engine.close();
  await context.dispose();
  await model.dispose();
  await rm(dataDir, { recursive: true, force: true });

  const med = (a: number[]) =>
    percentile(
      [...a].sort((x, y) => x - y),
      50,
    );
  console.log(
    table(
      ['path', 'time to first token (p50)', 'decode tokens/s (p50)', 'decode speed vs bare'],
      [
        ['bare LlamaCompletion', `${med(bare.ttft).toFixed(1)} ms`, med(bare.tps).toFixed(0), '1.00×'],
        ['Lantern pipeline (generation part)', `${med(pipe.ttft).toFixed(1)} ms`, med(pipe.tps).toFixed(0), ratio(med(pipe.tps), med(bare.tps))],
      ],
    ),
  );
  console.log(
    `\nPipeline before generation: retrieval p50 ${med(pipe.retrieval)} ms, prompt packing p50 ${med(pipe.prompt)} ms. RSS with the model loaded: ${mb(rss)}.`,
  );
  console.log('Both decode the same prompt (the one the pipeline packed); time to first token includes evaluating it.');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
