import { LanternError } from '../../core/errors.js';
import { fileToReveal, openSource } from '../source-reader.js';
import type { EngineContext, Handlers } from '../engine-context.js';

export function searchHandlers({ retrieve, settings, library, rootsOf }: EngineContext) {
  return {
    search: async (input) => {
      const r = await retrieve(input.query, input.collections, input.k ?? settings().topK, { folder: input.folder, fileTypes: input.fileTypes });
      return { hits: r.hits, mode: r.mode, query: r.query, tookMs: Math.round(r.tookMs), notes: r.notes };
    },
    'source.open': async ({ collection, chunkId }) => {
      const index = await library.index(collection);
      const file = index.fileOfChunk(chunkId);
      // A pack's documents are unpacked when first opened; if that fails the passage alone is shown.
      if (file)
        await library
          .packOf(collection)
          ?.ensureDocument(file.path)
          .catch(() => {});
      return openSource(index, collection, chunkId, await rootsOf(collection));
    },
    'source.reveal': async ({ collection, chunkId, fileId }) => {
      if (chunkId === undefined && !fileId) throw new LanternError('invalid-input', 'Say which passage (chunkId) or file (fileId) to open.');
      const index = await library.index(collection);
      const roots = await rootsOf(collection);
      const path = await fileToReveal(index, { chunkId, fileId }, roots);
      await library.packOf(collection)?.ensureDocument(path);
      // The shell opens this engine-resolved path; it never opens one the renderer names.
      return { ok: true, path };
    },
  } satisfies Partial<Handlers>;
}
