import { LanternError } from '../../core/errors.js';

/** The server's address as shown to people: never with credentials that may sit in the URL. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Why a connection failed, in words: from Node's network error codes. */
export function unreachableError(url: string, err: unknown, timeoutSeconds?: number): LanternError {
  const where = displayUrl(url);
  if (timeoutSeconds != null) {
    return new LanternError(
      'server-unreachable',
      `The answer server at ${where} did not respond within ${timeoutSeconds} s. Check that it is running and not overloaded, or switch to the local model in Models.`,
    );
  }
  const code = causeCode(err);
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused: nothing is listening there'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name could not be resolved'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'the connection was closed by the server'
          : code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
            ? 'the connection timed out'
            : /certificate|self.signed|CERT_/i.test(`${code} ${(err as Error)?.message}`)
              ? 'its TLS certificate is not trusted by this machine'
              : (code ?? ((err as Error)?.message || 'unknown network error'));
  return new LanternError(
    'server-unreachable',
    `Lantern could not reach the answer server at ${where} (${why}). Check that it is running and the address is right, or switch to the local model in Models.`,
    code ? { cause: code } : undefined,
  );
}

/**
 * A kept-alive connection the server closed just as a request went out on it (llama-server does
 * this now and then after a streamed answer): nothing was answered, so the request can go again
 * on a fresh connection.
 */
export function closedBeforeAnswer(err: unknown): boolean {
  const code = causeCode(err);
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

function causeCode(err: unknown): string | undefined {
  for (let e = err as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/** What the server said, from an OpenAI-style `{ error: { message } }` body or plain text. */
export function serverMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: string } | string; message?: string; detail?: unknown };
    const m = typeof j.error === 'string' ? j.error : (j.error?.message ?? j.message ?? (typeof j.detail === 'string' ? j.detail : undefined));
    if (m) return m.trim().slice(0, 300);
  } catch {
    /* not JSON */
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 300);
}

const CONTEXT_PATTERNS = /context (size|length|window)|maximum context|too many tokens|exceeds? the|prompt is too long|input is too long|max_model_len/i;

export interface RequestContext {
  url: string;
  model?: string;
  hadKey: boolean;
  /** What the request was for, for the message ("the answer", "the model list"). */
  what: string;
}

/** An HTTP error status from the server as an error a user can act on. */
export function httpError(status: number, body: string, ctx: RequestContext): LanternError {
  const where = displayUrl(ctx.url);
  const said = serverMessage(body);
  if (status === 401 || status === 403) {
    return new LanternError(
      'server-auth',
      ctx.hadKey
        ? `The answer server at ${where} refused the API key (${status}${said ? `: ${said}` : ''}). Enter the right key in Models → Answer engine.`
        : `The answer server at ${where} needs an API key (${status}). Enter it in Models → Answer engine.`,
      { status },
    );
  }
  if (
    ctx.model &&
    (status === 404 || status === 400) &&
    /model/i.test(said) &&
    /not found|does not exist|unknown|no such|not (loaded|available|served)|invalid model/i.test(said) &&
    !CONTEXT_PATTERNS.test(said)
  ) {
    return new LanternError(
      'model-missing',
      `The answer server at ${where} has no model named "${ctx.model}" (${said || status}). Choose one it lists in Models → Answer engine.`,
      { status },
    );
  }
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_PATTERNS.test(said)) {
    return new LanternError(
      'invalid-input',
      `The question and its passages do not fit the server model's context (${said}). Ask a shorter question, lower "number of sources" in Settings, or use a model with a larger context.`,
      { status, context: true },
    );
  }
  if (status === 404) {
    return new LanternError(
      'server-error',
      `The answer server at ${where} does not offer ${ctx.what} (404). Is this the base address of an OpenAI-compatible server (e.g. http://host:8000)?`,
      { status },
    );
  }
  if (status === 429 || status === 503) {
    return new LanternError('server-error', `The answer server at ${where} is busy (${status}${said ? `: ${said}` : ''}). Try again in a moment.`, { status });
  }
  return new LanternError('server-error', `The answer server at ${where} failed on ${ctx.what} (${status}${said ? `: ${said}` : ''}).`, { status });
}
