import type { EventMap, EventName, SearchResult, Settings } from '../../shared/contract.js';
import type { Retrieval } from '../answer/answer-service.js';
import type { LibraryService } from '../library/library-service.js';
import type { ModelWorker } from '../indexing/model-worker.js';
import { hybridSearch, pooledStats } from '../search/hybrid-search.js';
import { expandWithGlossary } from '../search/glossary.js';
import type { ModelsController } from './models-controller.js';

export type Retrieve = (
  query: string,
  collections: string[] | undefined,
  k: number,
  filters?: { folder?: string; fileTypes?: string[] },
) => Promise<Retrieval & { tookMs: number; mode: SearchResult['mode']; notes: string[] }>;

interface RetrievalDeps {
  settings(): Settings;
  models: ModelsController;
  modelWorker: ModelWorker;
  library: LibraryService;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
}

/**
 * Search as answers, the Search call and evaluation all use it: glossary expansion, the query
 * embedded on the model worker, hybrid retrieval over the healthy collections, optional
 * cross-encoder reranking, and notes saying what could not be used.
 */
export function createRetrieve({ settings, models, modelWorker, library, emit }: RetrievalDeps): Retrieve {
  return async (query, collections, k, filters = {}) => {
    const t0 = performance.now();
    const { query: expanded, expansions } = expandWithGlossary(query, settings().glossary);
    const embedded = models.embeddingRef() ? await modelWorker.embedQuery(expanded).catch(() => null) : null;
    const damaged: string[] = [];
    const targets = await library.targets(collections, embedded?.model ?? null, damaged);
    const vector = targets.some((t) => t.useVectors) && embedded ? embedded.vector : null;
    const notes: string[] = damaged.map((reason) => `Not searched: ${reason}`);
    const reranker = models.rerankerRef();
    const hits = await hybridSearch(targets, expanded, {
      k,
      queryVector: vector,
      ...filters,
      ...(reranker && {
        rerank: (q: string, passages: string[]) => modelWorker.rerank(reranker, q, passages),
        onRerankError: (err: Error) => {
          const first = models.rerankerError === null;
          models.rerankerError = err.message;
          if (first) emit('models.changed', models.status());
          notes.push(`The reranker could not be used (${err.message}): results are in retrieval order.`);
        },
      }),
    });
    if (!embedded)
      notes.push(
        modelWorker.error ? `The embedding model could not be loaded (${modelWorker.error}): lexical search only.` : 'No embedding model: lexical search only.',
      );
    else if (targets.some((t) => !t.useVectors)) notes.push('Some collections have no vectors for the current model: lexical search there.');
    return {
      hits,
      expansions,
      query: expanded,
      termStats: pooledStats(targets, expanded),
      tookMs: performance.now() - t0,
      mode: vector ? 'hybrid' : 'lexical',
      notes,
    };
  };
}
