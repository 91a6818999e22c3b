import { freemem, totalmem } from 'node:os';
import { basename } from 'node:path';
import {
  getLlama,
  GgufInsights,
  LlamaChatSession,
  LlamaCompletion,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type GgufFileInfo,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import { LanternError } from '../core/errors.js';
import { assertAdapterMatches, ggufArchitecture, hasChatTemplate, inspectGguf, isAdapter } from './gguf-inspect.js';

export interface GgufInsight {
  path: string;
  sizeBytes: number;
  architecture?: string;
  name?: string;
  contextLength?: number;
  parameters?: string;
  isAdapter: boolean;
  hasChatTemplate: boolean;
  estimate: { ramBytes: number; vramBytes: number; contextSize: number; fits: boolean; note?: string };
}

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export interface GenerateInput {
  system: string;
  history: Turn[];
  user: string;
  maxTokens: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  tokens: number;
  firstTokenMs: number | null;
  stopReason: 'eos' | 'maxTokens' | 'abort';
}

interface Loaded {
  path: string;
  name: string;
  info: GgufFileInfo;
  model: LlamaModel;
  context: LlamaContext;
  contextSize: number;
  threads: number;
  adapters: { path: string; scale: number }[];
  wrapper: ChatWrapper | null;
}

/**
 * Below this file size a model's per-token work is microseconds, and waking extra threads costs
 * more than it saves (stories260K on 2 cores: 51 ms per 100 tokens on one thread, 1771 ms on two).
 */
const SINGLE_THREAD_BELOW_BYTES = 64 * 1024 * 1024;

/** Memory kept free for the OS, the window and the index when deciding whether a model fits. */
const HEADROOM_BYTES = 512 * 1024 * 1024;

/**
 * One local GGUF model at a time through node-llama-cpp: load with a memory check, LoRA adapters,
 * prompts rendered in the model's own chat template (or a plain completion prompt for models
 * without one), streamed generation that stops within a token of being cancelled, and a FIFO
 * queue so generations never interleave.
 */
export class LlmRuntime {
  private llama: Promise<Llama> | null = null;
  private current: Loaded | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * promptFormat 'auto' uses the model's chat template when its GGUF has one (every instruct
   * model does) and a plain completion prompt otherwise; 'chat' forces node-llama-cpp's best
   * guess of a chat format even without a template.
   */
  constructor(private readonly opts: { threads?: number; gpu?: 'auto' | false; promptFormat?: 'auto' | 'chat' | 'completion' } = {}) {}

  private getLlama(): Promise<Llama> {
    // Prebuilt binaries from npm only: never build from source or download at run time.
    this.llama ??= getLlama({ gpu: this.opts.gpu ?? 'auto', build: 'never', skipDownload: true, logLevel: LlamaLogLevel.error, progressLogs: false });
    return this.llama;
  }

  get loaded(): { path: string; name: string; contextSize: number; adapters: { path: string; scale: number }[]; gpu: string | false } | null {
    const c = this.current;
    return c ? { path: c.path, name: c.name, contextSize: c.contextSize, adapters: c.adapters, gpu: c.model.llama.gpu } : null;
  }

  async inspect(path: string, contextSize = 4096): Promise<GgufInsight> {
    const { info, sizeBytes } = await inspectGguf(path);
    const general = info.metadata?.general as { name?: string; size_label?: string } | undefined;
    const adapter = isAdapter(info);
    const insight: GgufInsight = {
      path,
      sizeBytes,
      architecture: ggufArchitecture(info),
      name: general?.name ?? basename(path, '.gguf'),
      parameters: general?.size_label,
      isAdapter: adapter,
      hasChatTemplate: hasChatTemplate(info),
      estimate: { ramBytes: sizeBytes, vramBytes: 0, contextSize, fits: true },
    };
    if (adapter) return insight;
    try {
      const llama = await this.getLlama();
      const insights = await GgufInsights.from(info, llama);
      insight.contextLength = insights.trainContextSize;
      const ctx = Math.min(contextSize, insights.trainContextSize ?? contextSize);
      const gpuLayers = llama.gpu ? insights.totalLayers : 0;
      const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
      const context = await insights.estimateContextResourceRequirementsV2({ contextSize: ctx, modelGpuLayers: gpuLayers });
      const ram = model.cpuRam + context.cpuRam;
      const vram = model.gpuVram + context.gpuVram;
      const available = Math.min(totalmem() - HEADROOM_BYTES, freemem() + (this.current ? this.currentSize() : 0));
      const fits = ram <= available;
      insight.estimate = {
        ramBytes: ram,
        vramBytes: vram,
        contextSize: ctx,
        fits,
        note: fits ? undefined : `Needs about ${gb(ram)} of memory; ${gb(available)} is free. Try a smaller context size or a smaller model.`,
      };
    } catch {
      /* the estimate is advice; loading reports real failures */
    }
    return insight;
  }

  private currentSize(): number {
    return this.current ? this.current.model.size + this.current.context.stateSize : 0;
  }

  async load(path: string, opts: { contextSize?: number; threads?: number; signal?: AbortSignal; onProgress?: (p: number) => void } = {}): Promise<void> {
    const insight = await this.inspect(path, opts.contextSize ?? 4096);
    if (insight.isAdapter) throw new LanternError('model-invalid', `${basename(path)} is a LoRA adapter, not a model. Load its base model, then apply the adapter.`);
    if (!insight.estimate.fits) throw new LanternError('model-too-large', insight.estimate.note!);
    await this.run(async () => {
      await this.disposeCurrent();
      const llama = await this.getLlama();
      let model: LlamaModel;
      try {
        model = await llama.loadModel({ modelPath: path, loadSignal: opts.signal, onLoadProgress: opts.onProgress });
      } catch (err) {
        throw this.loadError(path, err);
      }
      const { info } = await inspectGguf(path);
      try {
        const contextSize = insight.estimate.contextSize;
        const threads = opts.threads || this.opts.threads || (insight.sizeBytes < SINGLE_THREAD_BELOW_BYTES ? 1 : llama.cpuMathCores);
        const context = await model.createContext({ contextSize, threads, sequences: 1 });
        this.current = {
          path,
          name: insight.name ?? basename(path, '.gguf'),
          info,
          model,
          context,
          contextSize: context.contextSize,
          threads,
          adapters: [],
          wrapper: this.useChat(info) ? resolveChatWrapper(model) : null,
        };
      } catch (err) {
        await model.dispose();
        throw this.loadError(path, err);
      }
    });
  }

  private useChat(info: GgufFileInfo): boolean {
    const format = this.opts.promptFormat ?? 'auto';
    return format === 'chat' || (format === 'auto' && hasChatTemplate(info));
  }

  private loadError(path: string, err: unknown): LanternError {
    const msg = (err as Error).message ?? String(err);
    if (/memory|alloc/i.test(msg)) return new LanternError('model-too-large', `Not enough memory to load ${basename(path)}. Close other programs, choose a smaller context size, or use a smaller model.`);
    if (/architecture/i.test(msg)) return new LanternError('model-invalid', `${basename(path)} uses a model architecture this version of Lantern cannot run (${msg}).`);
    return new LanternError('model-invalid', `Could not load ${basename(path)}: ${msg}`);
  }

  async unload(): Promise<void> {
    await this.run(() => this.disposeCurrent());
  }

  private async disposeCurrent(): Promise<void> {
    const c = this.current;
    this.current = null;
    if (c) {
      await c.context.dispose().catch(() => {});
      await c.model.dispose().catch(() => {});
    }
  }

  /** Applies LoRA adapters by recreating the context; a mismatch leaves the working state as it was. */
  async setAdapters(adapters: { path: string; scale: number }[]): Promise<void> {
    const c = this.current;
    if (!c) throw new LanternError('invalid-input', 'Load a model before applying an adapter.');
    for (const a of adapters) await assertAdapterMatches(a.path, c.info);
    await this.run(async () => {
      const context = await c.model.createContext({
        contextSize: c.contextSize,
        threads: c.threads,
        sequences: 1,
        lora: adapters.length ? { adapters: adapters.map((a) => ({ filePath: a.path, scale: a.scale })) } : undefined,
      });
      await c.context.dispose();
      c.context = context;
      c.adapters = adapters.map((a) => ({ ...a }));
    });
  }

  countTokens(text: string): number {
    return this.require().model.tokenize(text).length;
  }

  hasChatTemplate(): boolean {
    return !!this.require().wrapper;
  }

  private require(): Loaded {
    if (!this.current) throw new LanternError('invalid-input', 'No model is loaded.');
    return this.current;
  }

  /** The exact prompt the model will see, and its length in the model's tokens. */
  renderPrompt(input: { system: string; history: Turn[]; user: string }): { text: string; tokens: number } {
    const c = this.require();
    if (c.wrapper) {
      const { contextText } = c.wrapper.generateContextState({ chatHistory: chatHistory(input) });
      return { text: contextText.toString(), tokens: contextText.tokenize(c.model.tokenizer).length };
    }
    const text = completionPrompt(input);
    return { text, tokens: c.model.tokenize(text).length + 1 };
  }

  generate(input: GenerateInput): Promise<GenerateResult> {
    return this.run(async () => {
      const c = this.require();
      if (input.signal?.aborted) return { text: '', tokens: 0, firstTokenMs: null, stopReason: 'abort' };
      const sequence = c.context.getSequence();
      const started = performance.now();
      let firstTokenMs: number | null = null;
      let tokens = 0;
      const onTextChunk = (t: string) => {
        firstTokenMs ??= performance.now() - started;
        input.onToken?.(t);
      };
      const onToken = (t: unknown[]) => {
        tokens += t.length;
      };
      const common = {
        maxTokens: input.maxTokens,
        temperature: input.temperature ?? 0,
        seed: input.seed,
        signal: input.signal,
        stopOnAbortSignal: true,
        onTextChunk,
        onToken,
      };
      try {
        let text: string;
        if (c.wrapper) {
          const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: c.wrapper, autoDisposeSequence: false });
          session.setChatHistory(chatHistory({ ...input, user: '' }).slice(0, -1));
          text = await session.prompt(input.user, common);
          session.dispose({ disposeSequence: false });
        } else {
          const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
          text = await completion.generateCompletion(completionPrompt(input), common);
          completion.dispose({ disposeSequence: false });
        }
        const stopReason = input.signal?.aborted ? 'abort' : tokens >= input.maxTokens ? 'maxTokens' : 'eos';
        return { text, tokens, firstTokenMs, stopReason };
      } finally {
        sequence.dispose();
      }
    });
  }

  /** Serialises everything that touches the model: one generation at a time, in arrival order. */
  private run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }
}

function chatHistory(input: { system: string; history: Turn[]; user: string }): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [{ type: 'system', text: input.system }];
  for (const t of input.history) items.push(t.role === 'user' ? { type: 'user', text: t.content } : { type: 'model', response: [t.content] });
  items.push({ type: 'user', text: input.user });
  items.push({ type: 'model', response: [] });
  return items;
}

/** For base models without a chat template: instructions, sources and question as plain text to continue. */
function completionPrompt(input: { system: string; history: Turn[]; user: string }): string {
  const turns = input.history.map((t) => `${t.role === 'user' ? 'Question' : 'Answer'}: ${t.content}`).join('\n\n');
  return `${input.system}\n\n${turns ? turns + '\n\n' : ''}${input.user}\n\nAnswer:`;
}

function gb(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
