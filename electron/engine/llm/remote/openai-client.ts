import { LanternError } from '../../core/errors.js';
import { sseData } from './sse.js';
import { closedBeforeAnswer, httpError, unreachableError, displayUrl } from './server-errors.js';

export interface ClientOptions {
  /** The server's base address, with or without a trailing /v1. */
  baseUrl: string;
  apiKey?: string | null;
  /** How long to wait for the server to start answering a request (response headers). */
  responseTimeoutMs?: number;
  /** How long a stream may stay silent before it counts as dead. */
  idleTimeoutMs?: number;
}

/** Root of the server: OpenAI calls live under /v1, llama-server's and vLLM's extras (/tokenize, /props) at the root. */
export function serverRoot(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl.trim());
  } catch {
    throw new LanternError('invalid-input', `"${baseUrl}" is not a server address. Use a full URL such as http://127.0.0.1:8080.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new LanternError('invalid-input', `The server address must start with http:// or https:// (got ${u.protocol}).`);
  u.search = '';
  u.hash = '';
  return u.toString().replace(/\/+$/, '').replace(/\/v1$/, '');
}

interface CallOptions {
  signal?: AbortSignal;
  /** What the call is for, in error messages. */
  what: string;
  model?: string;
  /** Resolve with null on 404/405 instead of failing (optional server features). */
  optional?: boolean;
  timeoutMs?: number;
}

/**
 * A minimal OpenAI-compatible HTTP client: JSON calls and streamed chat completions, with the
 * API key as a bearer token, time-outs, and errors that say what to do. It talks only to the
 * one server it was made for.
 */
export class OpenAiClient {
  readonly root: string;
  private readonly responseTimeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly opts: ClientOptions) {
    this.root = serverRoot(opts.baseUrl);
    this.responseTimeoutMs = opts.responseTimeoutMs ?? 15_000;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 120_000;
  }

  get url(): string {
    return displayUrl(this.root);
  }

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: json ? 'application/json' : 'text/event-stream' };
    if (this.opts.apiKey) h.authorization = `Bearer ${this.opts.apiKey}`;
    return h;
  }

  /** fetch with a time-out until the response starts; the caller's signal cancels at any time. */
  private async send(path: string, init: { method: string; body?: unknown; stream?: boolean }, o: CallOptions): Promise<Response | null> {
    const timeoutMs = o.timeoutMs ?? this.responseTimeoutMs;
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(), timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timer.signal]) : timer.signal;
    let res: Response;
    const request = {
      method: init.method,
      headers: { ...this.headers(!init.stream), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal,
      redirect: 'error' as const,
    };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          res = await fetch(`${this.root}${path}`, request);
          break;
        } catch (err) {
          // Once more on a fresh connection when a kept-alive one was closed under the request.
          if (attempt === 1 && !signal.aborted && closedBeforeAnswer(err)) continue;
          throw err;
        }
      }
    } catch (err) {
      if (o.signal?.aborted) throw new LanternError('cancelled', `${o.what} was cancelled.`);
      if (timer.signal.aborted) throw unreachableError(this.root, err, Math.round(timeoutMs / 1000));
      throw unreachableError(this.root, err);
    } finally {
      clearTimeout(t);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    if (o.optional && (res.status === 404 || res.status === 405 || res.status === 501)) return null;
    throw httpError(res.status, text, { url: this.root, model: o.model, hadKey: !!this.opts.apiKey, what: o.what });
  }

  async getJson<T>(path: string, o: CallOptions): Promise<T | null> {
    const res = await this.send(path, { method: 'GET' }, o);
    return res ? this.readJson<T>(res, o) : null;
  }

  async postJson<T>(path: string, body: unknown, o: CallOptions): Promise<T | null> {
    const res = await this.send(path, { method: 'POST', body }, o);
    return res ? this.readJson<T>(res, o) : null;
  }

  private async readJson<T>(res: Response, o: CallOptions): Promise<T> {
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new LanternError(
        'server-error',
        `The answer server at ${this.url} sent something other than JSON for ${o.what}. Is this an OpenAI-compatible server?`,
      );
    }
  }

  /**
   * POSTs a streaming request and yields each event's JSON. Cancelling the signal aborts the
   * HTTP request, which closes the connection: servers stop generating when their client goes.
   */
  async *stream<T>(path: string, body: unknown, o: CallOptions): AsyncGenerator<T> {
    const idle = new AbortController();
    const signal = o.signal ? AbortSignal.any([o.signal, idle.signal]) : idle.signal;
    // A server may hold the response until the prompt is read (slow for long prompts): the idle limit applies, not the short one.
    const res = (await this.send(path, { method: 'POST', body, stream: true }, { timeoutMs: this.idleTimeoutMs, ...o, signal }))!;
    const timer = setTimeout(() => idle.abort(), this.idleTimeoutMs);
    try {
      if (!res.body) throw new LanternError('server-error', `The answer server at ${this.url} sent an empty response.`);
      for await (const data of sseData(res.body as unknown as AsyncIterable<Uint8Array>)) {
        timer.refresh(); // restarts the idle limit without a new timer per token
        if (data === '[DONE]') return;
        let parsed: T & { error?: { message?: string; code?: number } | string };
        try {
          parsed = JSON.parse(data);
        } catch {
          continue;
        }
        if (parsed && typeof parsed === 'object' && parsed.error) {
          const e = parsed.error;
          const status = typeof e === 'object' && typeof e.code === 'number' ? e.code : 500;
          throw httpError(status, JSON.stringify({ error: typeof e === 'string' ? { message: e } : e }), {
            url: this.root,
            model: o.model,
            hadKey: !!this.opts.apiKey,
            what: o.what,
          });
        }
        yield parsed as Awaited<T>;
      }
    } catch (err) {
      if (err instanceof LanternError) throw err;
      if (o.signal?.aborted) throw new LanternError('cancelled', `${o.what} was cancelled.`);
      if (idle.signal.aborted)
        throw new LanternError(
          'server-unreachable',
          `The answer server at ${this.url} stopped sending for ${Math.round(this.idleTimeoutMs / 1000)} s in the middle of ${o.what}. The answer so far is incomplete.`,
        );
      throw new LanternError(
        'server-unreachable',
        `The connection to the answer server at ${this.url} was lost in the middle of ${o.what} (${(unreachableError(this.root, err).details?.cause as string) ?? 'connection closed'}). Check that the server is still running, then ask again.`,
      );
    } finally {
      clearTimeout(timer);
      idle.abort();
    }
  }
}
