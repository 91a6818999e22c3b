import { freemem, totalmem } from 'node:os';
import { basename } from 'node:path';
import {
  GgufInsights,
  InsufficientMemoryError,
  LlamaChat,
  LlamaCompletion,
  LlamaVocabularyType,
  SpecialToken,
  type ChatWrapper,
  type GgufFileInfo,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { LanternError, isCancelled } from '../core/errors.js';
import { assertAdapterMatches, ggufArchitecture, hasChatTemplate, inspectGguf, isAdapter } from './gguf-inspect.js';
import { sharedLlama, logMark, logSince, type GpuChoice } from './llama-instance.js';
import { estimateMemory, type MemoryEstimate } from './memory-estimate.js';
import { chatHistory, chooseChatWrapper, completionPrompt, type PromptFormat, type PromptInput } from './prompt-format.js';
import { SerialQueue } from './serial-queue.js';

export type { PromptFormat, PromptInput, Turn } from './prompt-format.js';

export interface GgufInsight {
  path: string;
  sizeBytes: number;
  architecture?: string;
  name?: string;
  contextLength?: number;
  parameters?: string;
  isAdapter: boolean;
  hasChatTemplate: boolean;
  estimate: MemoryEstimate;
}

export interface GenerateInput extends PromptInput {
  maxTokens: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  /** A GBNF grammar the output must follow (structured answers; tests that need a known answer). */
  grammar?: string;
}

export interface GenerateResult {
  text: string;
  /** Tokens generated. */
  tokens: number;
  /** From the start of this generation (after any wait in the queue) to the first streamed text. */
  firstTokenMs: number | null;
  stopReason: 'eos' | 'maxTokens' | 'abort';
  /** Tokens of the rendered prompt the model evaluated (equals renderPrompt().tokens). */
  promptTokens: number;
}

export interface AdapterRef {
  path: string;
  scale: number;
}

export interface LoadedModel {
  path: string;
  name: string;
  contextSize: number;
  adapters: AdapterRef[];
  gpu: string | false;
  threads: number;
  promptFormat: 'chat' | 'completion';
}

export interface RuntimeOptions {
  threads?: number;
  gpu?: GpuChoice;
  /** How prompts are rendered when a model loads (see PromptFormat); 'auto' by default. */
  promptFormat?: PromptFormat;
  /** RAM the runtime may plan to use, in bytes. Defaults to what the machine has available, less headroom. */
  memoryBudgetBytes?: number;
}

export interface LoadOptions {
  contextSize?: number;
  threads?: number;
  promptFormat?: PromptFormat;
  signal?: AbortSignal;
  onProgress?: (p: number) => void;
}

interface Loaded {
  path: string;
  name: string;
  info: GgufFileInfo;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  contextSize: number;
  threads: number;
  ramBytes: number;
  adapters: AdapterRef[];
  wrapper: ChatWrapper | null;
}

export const DEFAULT_CONTEXT = 4096;

/**
 * Below this file size a model's per-token work is microseconds, and waking extra threads costs
 * more than it saves (stories260K on 2 cores: 51 ms per 100 tokens on one thread, 1771 ms on two).
 */
const SINGLE_THREAD_BELOW_BYTES = 64 * 1024 * 1024;

/** Threads a model of this size gets unless the user chose a number. */
export function defaultThreads(modelBytes: number, cpuMathCores: number): number {
  return modelBytes < SINGLE_THREAD_BELOW_BYTES ? 1 : Math.max(1, cpuMathCores);
}

/** Memory kept free for the OS, the window and the index when deciding whether a model fits. */
const HEADROOM_BYTES = 512 * 1024 * 1024;

/**
 * One local GGUF model at a time through node-llama-cpp: load with a memory check, LoRA adapters,
 * prompts rendered in the model's own chat template (or a plain completion prompt for models
 * without one), streamed generation that stops within a token of being cancelled, and a FIFO
 * queue so generations, loads and adapter changes never interleave.
 */
export class LlmRuntime {
  private current: Loaded | null = null;
  private readonly queue = new SerialQueue();

  constructor(private readonly opts: RuntimeOptions = {}) {}

  private llama() {
    return sharedLlama(this.opts.gpu ?? 'auto');
  }

  get loaded(): LoadedModel | null {
    const c = this.current;
    if (!c) return null;
    return {
      path: c.path,
      name: c.name,
      contextSize: c.contextSize,
      adapters: c.adapters.map((a) => ({ ...a })),
      gpu: c.model.llama.gpu,
      threads: c.threads,
      promptFormat: c.wrapper ? 'chat' : 'completion',
    };
  }

  /** RAM a model may use: what is free now plus what the loaded model would give back. */
  private availableRam(): number {
    if (this.opts.memoryBudgetBytes != null) return this.opts.memoryBudgetBytes;
    const reclaimable = this.current?.ramBytes ?? 0;
    return Math.min(totalmem() - HEADROOM_BYTES, freemem() + reclaimable - HEADROOM_BYTES);
  }

  /** Reads a GGUF file's metadata (never its weights) and estimates the memory it needs at `contextSize`. */
  async inspect(path: string, contextSize = DEFAULT_CONTEXT): Promise<GgufInsight> {
    return (await this.examine(path, contextSize)).insight;
  }

  private async examine(path: string, contextSize: number): Promise<{ insight: GgufInsight; info: GgufFileInfo; supported: boolean }> {
    const { info, sizeBytes } = await inspectGguf(path);
    const general = info.metadata?.general as { name?: string; size_label?: string } | undefined;
    const adapter = isAdapter(info);
    const architecture = ggufArchitecture(info);
    const insight: GgufInsight = {
      path,
      sizeBytes,
      architecture,
      name: general?.name?.trim() || basename(path).replace(/\.gguf$/i, ''),
      contextLength: (info.architectureMetadata as { context_length?: number } | undefined)?.context_length,
      parameters: general?.size_label,
      isAdapter: adapter,
      hasChatTemplate: hasChatTemplate(info),
      estimate: { ramBytes: sizeBytes, vramBytes: 0, contextSize, fits: true },
    };
    if (adapter) return { insight, info, supported: true };
    const insights = await GgufInsights.from(info, await this.llama());
    if (!insights.isSupportedByLlamaCpp) {
      insight.estimate = { ...insight.estimate, fits: false, note: unsupportedArchitecture(path, architecture) };
      return { insight, info, supported: false };
    }
    insight.parameters ??= parameterLabel(insights.totalParameters);
    try {
      const e = await estimateMemory(insights, contextSize, this.availableRam());
      insight.contextLength = e.trainContextSize ?? insight.contextLength;
      insight.estimate = { ramBytes: e.ramBytes, vramBytes: e.vramBytes, contextSize: e.contextSize, fits: e.fits, ...(e.note ? { note: e.note } : {}) };
    } catch {
      /* the estimate is advice; loading reports real failures */
    }
    return { insight, info, supported: true };
  }

  /**
   * Loads a model, replacing the one loaded before (only one fits in memory at a time). Refuses
   * adapters, architectures this llama.cpp cannot run, and models that would not fit in memory.
   * A failed load leaves no model loaded.
   */
  load(path: string, opts: LoadOptions = {}): Promise<void> {
    return this.queue.run(() => this.loadNow(path, opts), opts.signal, 'Loading the model');
  }

  private async loadNow(path: string, opts: LoadOptions): Promise<void> {
    const { insight, info, supported } = await this.examine(path, opts.contextSize ?? DEFAULT_CONTEXT);
    const file = basename(path);
    if (insight.isAdapter) throw new LanternError('model-invalid', `${file} is a LoRA adapter, not a model. Load its base model, then apply the adapter.`);
    if (!supported) throw new LanternError('model-invalid', unsupportedArchitecture(path, insight.architecture));
    if (!insight.estimate.fits) throw new LanternError('model-too-large', `${file} does not fit in memory. ${insight.estimate.note ?? ''}`.trim());
    const llama = await this.llama();
    await this.disposeCurrent();
    const mark = logMark();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path, loadSignal: opts.signal, onLoadProgress: opts.onProgress });
    } catch (err) {
      throw await this.loadError(file, err, mark, opts.signal);
    }
    try {
      const threads = opts.threads || this.opts.threads || defaultThreads(insight.sizeBytes, llama.cpuMathCores);
      const context = await model.createContext({ contextSize: insight.estimate.contextSize, threads, sequences: 1, createSignal: opts.signal });
      this.current = {
        path,
        name: insight.name ?? file,
        info,
        model,
        context,
        sequence: context.getSequence(),
        contextSize: context.contextSize,
        threads,
        ramBytes: insight.estimate.ramBytes,
        adapters: [],
        wrapper: chooseChatWrapper(model, opts.promptFormat ?? this.opts.promptFormat ?? 'auto'),
      };
    } catch (err) {
      await model.dispose().catch(() => {});
      throw await this.loadError(file, err, mark, opts.signal);
    }
  }

  private async loadError(file: string, err: unknown, mark: number, signal?: AbortSignal): Promise<LanternError> {
    if (err instanceof LanternError) return err;
    if (signal?.aborted || isCancelled(err)) return new LanternError('cancelled', `Loading ${file} was cancelled.`);
    const msg = (err as Error)?.message ?? String(err);
    const why = llamaReason(await settledLog(mark)) ?? msg;
    if (err instanceof InsufficientMemoryError || /out of memory|failed to allocate|insufficient memory/i.test(`${msg} ${why}`)) {
      return new LanternError(
        'model-too-large',
        `Not enough memory to load ${file}. Close other programs, choose a smaller context size in Settings, or use a smaller model.`,
      );
    }
    if (/unknown (model )?architecture/i.test(why)) {
      return new LanternError(
        'model-invalid',
        `${file} uses a model architecture this version of Lantern cannot run (${why}). Update Lantern or choose another model.`,
      );
    }
    return new LanternError(
      'model-invalid',
      `Could not load ${file}: ${why}. The file may be damaged, or made for a newer llama.cpp; try another copy or another model.`,
    );
  }

  unload(): Promise<void> {
    return this.queue.run(() => this.disposeCurrent());
  }

  private async disposeCurrent(): Promise<void> {
    const c = this.current;
    this.current = null;
    if (c) {
      await c.context.dispose().catch(() => {});
      await c.model.dispose().catch(() => {});
    }
  }

  /**
   * Applies LoRA adapters (an empty list removes them) by recreating the context. Every adapter
   * is checked against the loaded model first; on any failure the previous state stays loaded.
   */
  setAdapters(adapters: AdapterRef[]): Promise<void> {
    return this.queue.run(async () => {
      const c = this.require();
      for (const a of adapters) {
        if (!Number.isFinite(a.scale) || a.scale < 0) throw new LanternError('invalid-input', `Adapter scale must be 0 or more (got ${a.scale}).`);
        await assertAdapterMatches(a.path, c.info, c.name);
      }
      const mark = logMark();
      let context: LlamaContext;
      try {
        context = await c.model.createContext({
          contextSize: c.contextSize,
          threads: c.threads,
          sequences: 1,
          lora: adapters.length ? { adapters: adapters.map((a) => ({ filePath: a.path, scale: a.scale })) } : undefined,
        });
      } catch (err) {
        const why = llamaReason(await settledLog(mark)) ?? (err as Error)?.message ?? String(err);
        if (err instanceof InsufficientMemoryError || /out of memory|failed to allocate|insufficient memory/i.test(why)) {
          throw new LanternError('model-too-large', 'Not enough memory to apply the adapter. Close other programs or choose a smaller context size.');
        }
        throw new LanternError('adapter-mismatch', `The adapter could not be applied to ${c.name}: ${why}`);
      }
      await c.context.dispose().catch(() => {});
      c.context = context;
      c.sequence = context.getSequence();
      c.adapters = adapters.map((a) => ({ path: a.path, scale: a.scale }));
    });
  }

  countTokens(text: string): number {
    return this.require().model.tokenize(text).length;
  }

  /** True when prompts go through the model's chat template (false: plain completion prompt). */
  hasChatTemplate(): boolean {
    return !!this.require().wrapper;
  }

  private require(): Loaded {
    if (!this.current) throw new LanternError('invalid-input', 'No answer model is loaded. Load one in Models.');
    return this.current;
  }

  /** The exact prompt the model will see, and its length in the model's own tokens. */
  renderPrompt(input: PromptInput): { text: string; tokens: number } {
    const r = render(this.require(), input);
    return { text: r.text, tokens: r.tokens };
  }

  /**
   * Generates an answer from a clean state (the caller passes the whole conversation each time).
   * Calls queue in arrival order; a queued call whose signal aborts leaves the queue at once.
   * Cancelling resolves with the text so far and stopReason 'abort'; it never rejects.
   */
  generate(input: GenerateInput): Promise<GenerateResult> {
    const aborted: GenerateResult = { text: '', tokens: 0, firstTokenMs: null, stopReason: 'abort', promptTokens: 0 };
    return this.queue
      .run(() => this.generateNow(input), input.signal, 'The answer')
      .catch((err) => {
        if (input.signal?.aborted && isCancelled(err)) return aborted;
        throw err;
      });
  }

  private async generateNow(input: GenerateInput): Promise<GenerateResult> {
    const c = this.require();
    const started = performance.now();
    const prompt = render(c, input);
    // The caller packs the prompt to fit; past the window node-llama-cpp would silently drop its start.
    if (prompt.tokens >= c.contextSize - 1) {
      throw new LanternError(
        'invalid-input',
        `The prompt is ${prompt.tokens} tokens but ${c.name}'s context holds ${c.contextSize}. Ask a shorter question, or choose a larger context size in Settings.`,
      );
    }
    const maxTokens = Math.max(1, Math.min(input.maxTokens, c.contextSize - 1 - prompt.tokens));
    let firstTokenMs: number | null = null;
    let tokens = 0;
    let text = '';
    // Measured, not assumed: what the model had read when it produced its first token.
    let evaluatedPrompt = prompt.tokens;
    const abortedEarly = (): GenerateResult => ({ text: '', tokens: 0, firstTokenMs: null, stopReason: 'abort', promptTokens: 0 });
    await c.sequence.clearHistory();
    // node-llama-cpp reads a prompt in one go and only checks the signal between generated tokens.
    // Reading it here in small slices (which generation then reuses) lets Stop work while a long
    // prompt is read. Sliding-window models cannot reuse a prefix that way, so they skip this.
    if (!c.model.fileInsights.swaSize && !(await prefill(c.sequence, prompt.allTokens.slice(0, -1), input.signal))) return abortedEarly();
    const grammar = input.grammar ? await c.model.llama.createGrammar({ grammar: input.grammar }) : undefined;
    const options = {
      ...(grammar && { grammar }),
      maxTokens,
      temperature: input.temperature ?? 0,
      seed: input.seed,
      signal: input.signal,
      stopOnAbortSignal: true,
      onTextChunk: (t: string) => {
        firstTokenMs ??= performance.now() - started;
        text += t;
        input.onToken?.(t);
      },
      onToken: (t: Token[]) => {
        if (tokens === 0) evaluatedPrompt = c.sequence.contextTokens.length;
        tokens += t.length;
      },
    };
    try {
      let stop: string;
      if (c.wrapper) {
        const chat = new LlamaChat({ contextSequence: c.sequence, chatWrapper: c.wrapper, autoDisposeSequence: false });
        try {
          const res = await chat.generateResponse(prompt.history!, options);
          text = res.response;
          stop = res.metadata.stopReason;
        } finally {
          chat.dispose({ disposeSequence: false });
        }
      } else {
        const completion = new LlamaCompletion({ contextSequence: c.sequence, autoDisposeSequence: false });
        try {
          // Tokens without BOS (node-llama-cpp adds it); no context shift, so nothing is dropped.
          const res = await completion.generateCompletionWithMeta(prompt.completionTokens!, { ...options, contextShiftSize: 0, disableContextShift: true });
          text = res.response;
          stop = res.metadata.stopReason;
        } finally {
          completion.dispose({ disposeSequence: false });
        }
      }
      const stopReason = stop === 'abort' ? 'abort' : stop === 'maxTokens' ? 'maxTokens' : 'eos';
      return { text, tokens, firstTokenMs, stopReason, promptTokens: evaluatedPrompt };
    } catch (err) {
      // Aborted before the first token (while the prompt was being read): still an answer, just empty.
      if (input.signal?.aborted) return { text, tokens, firstTokenMs, stopReason: 'abort', promptTokens: evaluatedPrompt };
      throw err;
    }
  }
}

interface Rendered {
  text: string;
  tokens: number;
  /** Exactly the tokens generation starts from. */
  allTokens: Token[];
  history?: ReturnType<typeof chatHistory>;
  completionTokens?: Token[];
}

/** How long one slice of prompt reading may take: the worst-case delay before Stop takes effect. */
const PREFILL_SLICE_MS = 80;

/** Evaluates tokens in slices sized to take about PREFILL_SLICE_MS each; false when aborted. */
async function prefill(sequence: LlamaContextSequence, tokens: Token[], signal: AbortSignal | undefined): Promise<boolean> {
  let slice = 32;
  for (let i = 0; i < tokens.length;) {
    if (signal?.aborted) return false;
    const part = tokens.slice(i, i + slice);
    const t0 = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(part);
    const ms = performance.now() - t0;
    i += part.length;
    slice = Math.max(8, Math.min(512, Math.round((slice * PREFILL_SLICE_MS) / Math.max(ms, 1))));
  }
  return !signal?.aborted;
}

function render(c: Loaded, input: PromptInput): Rendered {
  if (c.wrapper) {
    const history = chatHistory(input);
    const { contextText } = c.wrapper.generateContextState({ chatHistory: history });
    const text = contextText.values
      .map((v) => (v instanceof SpecialToken ? c.model.detokenize(v.tokenize(c.model.tokenizer), true) : typeof v === 'string' ? v : v.value))
      .join('');
    const allTokens = contextText.tokenize(c.model.tokenizer);
    return { text, tokens: allTokens.length, allTokens, history };
  }
  const text = completionPrompt(input);
  const bos = beginningToken(c.model);
  const completionTokens = c.model.tokenize(text, false, bos != null ? 'trimLeadingSpace' : undefined);
  const allTokens = bos != null ? [bos, ...completionTokens] : completionTokens;
  return { text, tokens: allTokens.length, allTokens, completionTokens };
}

/** The token LlamaCompletion puts before a prompt (mirrors node-llama-cpp's own rule). */
function beginningToken(model: LlamaModel): Token | null {
  const type = model.vocabularyType;
  if (type === LlamaVocabularyType.rwkv || type === LlamaVocabularyType.ugm) return null;
  if (type === LlamaVocabularyType.wpm) return model.tokens.bos;
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}

/** llama.cpp's own words for why a load failed: its first "error …" line, without the function-name prefixes. */
/** llama.cpp's log reaches JavaScript asynchronously: let lines written just before a failure arrive. */
async function settledLog(mark: number): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return logSince(mark);
}

function llamaReason(lines: string[]): string | null {
  // node-llama-cpp's own "falling back to estimation" warning can come first; llama.cpp's reason is what helps.
  const useful = lines.filter((l) => !/falling back to estimation/i.test(l));
  const line = useful.find((l) => /error loading model|key not found|failed to load/i.test(l)) ?? useful.find((l) => /error/i.test(l));
  if (!line) return null;
  return line
    .replace(/^(\w+:\s*)?(error loading model:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "135M", "1.7B": the size label most model cards use. */
function parameterLabel(n: number): string | undefined {
  if (!n) return undefined;
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  return `${Math.round(n / 1e3)}K`;
}

function unsupportedArchitecture(path: string, architecture: string | undefined): string {
  return `${basename(path)} uses the "${architecture ?? 'unknown'}" model architecture, which this version of Lantern's engine (llama.cpp) cannot run. Update Lantern or choose another model.`;
}
