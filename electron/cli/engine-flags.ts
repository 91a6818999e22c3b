/**
 * `--engine-url URL --engine-model NAME` (and `--engine local`): choose the answer engine from the
 * command line. The choice is kept like the app's (engine.json in the data folder); the API key
 * comes from LANTERN_ENGINE_API_KEY (never a flag: flags show in process lists) and is stored in
 * the data folder's 0600 secrets file.
 */
import { LanternError, type Engine } from '../engine/index.js';

export const ENGINE_OPTIONS = {
  engine: { type: 'string' },
  'engine-url': { type: 'string' },
  'engine-model': { type: 'string' },
  'embed-url': { type: 'string' },
  'embed-model': { type: 'string' },
} as const;

export const ENGINE_USAGE = `  --engine-url URL   Answer with an OpenAI-compatible server (vLLM, llama-server, Ollama, LM Studio); key from env LANTERN_ENGINE_API_KEY
  --engine-model M   The server's model to use (default: the only one it serves)
  --engine local     Answer with the local model again
  --embed-url URL    index: passage vectors from an OpenAI-compatible /v1/embeddings server (key: LANTERN_EMBED_API_KEY)
  --embed-model M    index: the server's embedding model (recorded with the vectors)`;

export async function applyEngineFlags(engine: Engine, values: { engine?: string; 'engine-url'?: string; 'engine-model'?: string }): Promise<void> {
  if (values.engine === 'local') {
    await engine.call('engine.set', { kind: 'local' });
    return;
  }
  if (values.engine && values.engine !== 'remote') throw new LanternError('invalid-input', `--engine is "local" or "remote" (got "${values.engine}").`);
  const url = values['engine-url'];
  if (!url) {
    if (values['engine-model']) throw new LanternError('invalid-input', '--engine-model needs --engine-url.');
    return;
  }
  const apiKey = process.env.LANTERN_ENGINE_API_KEY;
  let model = values['engine-model'];
  const probe = await engine.call('engine.probe', { url, apiKey });
  if (!model) {
    const bases = probe.models.filter((m) => !m.parent);
    if (bases.length !== 1)
      throw new LanternError(
        'invalid-input',
        `Choose the model with --engine-model; ${probe.url} serves: ${probe.models.map((m) => m.id).join(', ') || 'nothing'}.`,
      );
    model = bases[0].id;
  }
  const view = await engine.call('engine.get', {});
  // Naming the server on the command line is the consent; the notice still says what will be sent, once.
  if (!view.noticeAccepted.includes(probe.url)) process.stderr.write(`${probe.notice}\n\n`);
  await engine.call('engine.set', { kind: 'remote', url, model, ...(apiKey !== undefined ? { apiKey } : {}), acceptNotice: true });
}

/** `lantern index --embed-url URL --embed-model NAME`: where passage vectors come from while indexing. */
export function embedServerFromFlags(values: {
  'embed-url'?: string;
  'embed-model'?: string;
}): { url: string; model: string; apiKey: string | null } | undefined {
  const url = values['embed-url'];
  if (!url) {
    if (values['embed-model']) throw new LanternError('invalid-input', '--embed-model needs --embed-url.');
    return undefined;
  }
  if (!values['embed-model']) throw new LanternError('invalid-input', '--embed-url needs --embed-model NAME (the model recorded with the vectors).');
  return { url, model: values['embed-model'], apiKey: process.env.LANTERN_EMBED_API_KEY ?? process.env.LANTERN_ENGINE_API_KEY ?? null };
}
