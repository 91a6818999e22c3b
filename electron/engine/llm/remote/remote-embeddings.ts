import { LanternError } from '../../core/errors.js';
import type { IngestWorkerClient } from '../../indexing/ingest-worker-client.js';
import { OpenAiClient } from './openai-client.js';

export interface EmbedServer {
  url: string;
  model: string;
  apiKey?: string | null;
}

const BATCH = 64;

/**
 * Passage vectors from an OpenAI-compatible `/v1/embeddings` endpoint (vLLM, text-embeddings-inference,
 * llama-server --embeddings), for building big collections on a server. Vectors are normalised like
 * the local embedder's, and recorded under the server's model name and dimension, so they are never
 * mixed with another model's and a laptop with the same model embeds queries to match.
 */
export class RemoteEmbedder {
  private constructor(
    private readonly client: OpenAiClient,
    readonly model: string,
    readonly dim: number,
  ) {}

  static async connect(server: EmbedServer, guard: (url: string) => void): Promise<RemoteEmbedder> {
    guard(server.url);
    const client = new OpenAiClient({ baseUrl: server.url, apiKey: server.apiKey, responseTimeoutMs: 120_000 });
    const probe = await embedBatch(client, server.model, ['dimension probe']);
    return new RemoteEmbedder(client, server.model, probe[0].length);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const vectors = await embedBatch(this.client, this.model, texts.slice(i, i + BATCH));
      for (const v of vectors) {
        if (v.length !== this.dim)
          throw new LanternError(
            'server-error',
            `The embedding server at ${this.client.url} returned a ${v.length}-dimensional vector where ${this.dim} were expected.`,
          );
        out.push(v);
      }
    }
    return out;
  }

  /**
   * The indexing worker with embedding moved to the server: files are parsed and chunked on this
   * machine without local vectors, and the indexer's "embed what has no vector" step asks the server.
   */
  wrap(worker: IngestWorkerClient): IngestWorkerClient {
    const embedding = { model: this.model, dim: this.dim };
    return new Proxy(worker, {
      get: (target, prop) => {
        if (prop === 'embedding') return embedding;
        if (prop === 'parseFile') return (path: string, sha?: string) => target.parseFile(path, sha, false);
        if (prop === 'embed') return (texts: string[]) => this.embed(texts);
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }
}

async function embedBatch(client: OpenAiClient, model: string, input: string[]): Promise<Float32Array[]> {
  const res = await client.postJson<{ data?: { index?: number; embedding?: number[] }[] }>(
    '/v1/embeddings',
    { model, input, encoding_format: 'float' },
    { what: 'embeddings', model },
  );
  const data = res?.data;
  if (!Array.isArray(data) || data.length !== input.length || data.some((d) => !Array.isArray(d.embedding))) {
    throw new LanternError(
      'server-error',
      `The server at ${client.url} did not return one embedding per passage. Is "${model}" an embedding model, and does the server have embeddings turned on?`,
    );
  }
  return [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => normalise(d.embedding!));
}

function normalise(v: number[]): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = n > 0 ? 1 / Math.sqrt(n) : 1;
  return Float32Array.from(v, (x) => x * s);
}
