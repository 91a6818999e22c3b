/**
 * Benchmark — Lantern's LLM runtime against node-llama-cpp on its own: same binary, same model,
 * same context size and threads, same prompt, greedy decoding. Time to first token and decode
 * tokens/s; the runtime should keep ≥ 0.95× of bare decode speed.
 * Run: node_modules/.bin/node --import tsx bench/llm-baseline.ts
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LlamaChatSession, LlamaCompletion, readGgufFileInfo, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { LlmRuntime, defaultThreads, type GenerateResult } from '../electron/engine/llm/runtime.js';
import { sharedLlama } from '../electron/engine/llm/llama-instance.js';
import { hasChatTemplate } from '../electron/engine/llm/gguf-inspect.js';
import { rewriteGgufStrings } from '../electron/engine/llm/testing/gguf-rewrite.js';
import { sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { percentile, ratio, table } from './lib/report.js';

export interface GenerationTiming {
  /** Call to first streamed text, ms. */
  ttftMs: number;
  /** Tokens after the first over the time after the first (prompt reading excluded). */
  tokensPerSecond: number;
  tokens: number;
}

export interface BareTimings {
  completion: GenerationTiming;
  /** Only for models with a chat template. */
  chat?: GenerationTiming;
  contextSize: number;
  threads: number;
}

/** The context size and threads LlmRuntime would use for this model. */
async function runtimeSettings(modelPath: string, contextSize: number): Promise<{ contextSize: number; threads: number }> {
  const llama = await sharedLlama('auto');
  return { contextSize, threads: defaultThreads((await stat(modelPath)).size, llama.cpuMathCores) };
}

function timing(started: number, first: number | null, tokens: number): GenerationTiming {
  const total = performance.now() - started;
  const ttft = first ?? NaN;
  return { ttftMs: ttft, tokensPerSecond: tokens > 1 ? ((tokens - 1) * 1000) / (total - ttft) : NaN, tokens };
}

async function bareCompletion(context: LlamaContext, prompt: string, maxTokens: number): Promise<GenerationTiming> {
  const sequence = context.getSequence();
  const completion = new LlamaCompletion({ contextSequence: sequence });
  let first: number | null = null;
  let tokens = 0;
  const t0 = performance.now();
  await completion.generateCompletion(prompt, {
    maxTokens,
    temperature: 0,
    onTextChunk: () => (first ??= performance.now() - t0),
    onToken: (t) => (tokens += t.length),
  });
  const r = timing(t0, first, tokens);
  completion.dispose({ disposeSequence: true });
  return r;
}

async function bareChat(context: LlamaContext, prompt: string, maxTokens: number): Promise<GenerationTiming> {
  const session = new LlamaChatSession({ contextSequence: context.getSequence(), autoDisposeSequence: true });
  let first: number | null = null;
  let tokens = 0;
  const t0 = performance.now();
  await session.prompt(prompt, { maxTokens, temperature: 0, onTextChunk: () => (first ??= performance.now() - t0), onToken: (t) => (tokens += t.length) });
  const r = timing(t0, first, tokens);
  session.dispose();
  return r;
}

/**
 * node-llama-cpp on its own: a bare LlamaCompletion (and a LlamaChatSession when the model has a
 * chat template), with the context size and threads Lantern's runtime would use.
 */
export async function bareGeneration(modelPath: string, prompt: string, maxTokens: number, contextSize = 512): Promise<BareTimings> {
  const settings = await runtimeSettings(modelPath, contextSize);
  const llama = await sharedLlama('auto');
  const model: LlamaModel = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: settings.contextSize, threads: settings.threads, sequences: 1 });
  try {
    const completion = await bareCompletion(context, prompt, maxTokens);
    const chat = hasChatTemplate(await readGgufFileInfo(modelPath, { logWarnings: false })) ? await bareChat(context, prompt, maxTokens) : undefined;
    return { completion, chat, ...settings };
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

async function runtimeGeneration(rt: LlmRuntime, prompt: string, maxTokens: number): Promise<GenerationTiming & { result: GenerateResult }> {
  const t0 = performance.now();
  const result = await rt.generate({ system: '', history: [], user: prompt, maxTokens, temperature: 0 });
  return { ...timing(t0, result.firstTokenMs === null ? null : result.firstTokenMs, result.tokens), result };
}

const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** Interleaves runtime and bare runs so that whatever else the machine does weighs on both alike. */
async function compare(label: string, modelPath: string, prompt: string, maxTokens: number, contextSize: number, runs: number, kind: 'completion' | 'chat') {
  const settings = await runtimeSettings(modelPath, contextSize);
  const rt = new LlmRuntime();
  await rt.load(modelPath, { contextSize });
  const loaded = rt.loaded!;
  if (loaded.contextSize !== settings.contextSize || loaded.threads !== settings.threads) throw new Error('runtime and baseline settings differ');
  const llama = await sharedLlama('auto');
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: settings.contextSize, threads: settings.threads, sequences: 1 });
  const ours: GenerationTiming[] = [];
  const bare: GenerationTiming[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const a = await runtimeGeneration(rt, prompt, maxTokens);
      const b = kind === 'chat' ? await bareChat(context, prompt, maxTokens) : await bareCompletion(context, prompt, maxTokens);
      if (i === 0) continue; // warm-up
      ours.push(a);
      bare.push(b);
    }
  } finally {
    await context.dispose();
    await model.dispose();
    await rt.unload();
  }
  const oTps = med(ours.map((t) => t.tokensPerSecond));
  const bTps = med(bare.map((t) => t.tokensPerSecond));
  console.log(`\n### ${label}: ${kind}, context ${settings.contextSize}, ${settings.threads} thread(s), ${maxTokens} tokens max, ${runs} runs each\n`);
  console.log(
    table(
      ['path', 'time to first token (p50)', 'decode tokens/s (p50)', 'tokens', 'decode speed vs bare'],
      [
        [
          kind === 'chat' ? 'bare LlamaChatSession' : 'bare LlamaCompletion',
          `${med(bare.map((t) => t.ttftMs)).toFixed(2)} ms`,
          bTps.toFixed(0),
          String(med(bare.map((t) => t.tokens))),
          '1.00×',
        ],
        ['LlmRuntime.generate', `${med(ours.map((t) => t.ttftMs)).toFixed(2)} ms`, oTps.toFixed(0), String(med(ours.map((t) => t.tokens))), ratio(oTps, bTps)],
      ],
    ),
  );
  return { ratio: oTps / bTps };
}

/** Time from abort() to generate() resolving, aborting at the 20th streamed piece. */
async function stopLatency(modelPath: string, runs: number): Promise<number[]> {
  const rt = new LlmRuntime();
  await rt.load(modelPath, { contextSize: 512 });
  const out: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const controller = new AbortController();
      let pieces = 0;
      let abortedAt = 0;
      await rt.generate({
        system: '',
        history: [],
        user: 'Once upon a time',
        maxTokens: 400,
        signal: controller.signal,
        onToken: () => {
          if (++pieces === 20) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      out.push(performance.now() - abortedAt);
    }
  } finally {
    await rt.unload();
  }
  return out;
}

export async function main(): Promise<void> {
  console.log('\n## LLM runtime vs bare node-llama-cpp');
  const stories = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
  const r = await compare('stories260K', stories, 'Once upon a time', 200, 512, 30, 'completion');
  // A chat-template model: llama-2-tiny-random with a ChatML template added (random weights: speed only).
  const dir = await mkdtemp(join(tmpdir(), 'lantern-bench-llm-'));
  try {
    const chatModel = join(dir, 'llama-2-tiny-chatml.gguf');
    const chatml =
      "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    await rewriteGgufStrings(join(sharedModelsDir(), 'llm', 'llama-2-tiny-random.gguf'), chatModel, { 'tokenizer.chat_template': chatml });
    await compare('llama-2-tiny-random + ChatML template', chatModel, 'Tell me about the return policy.', 64, 512, 15, 'chat');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const stops = (await stopLatency(stories, 20)).sort((a, b) => a - b);
  console.log(`\nstories260K decode speed ratio (runtime / bare): ${r.ratio.toFixed(2)} (target ≥ 0.95)`);
  console.log(
    `Stop latency (abort() to generate() resolving), stories260K, 20 runs: p50 ${med(stops).toFixed(2)} ms, max ${stops.at(-1)!.toFixed(2)} ms (target < 200 ms)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
