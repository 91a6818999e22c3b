import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { COMMITTED_MARKER, CollectionIndex, IndexDamage, STORE_DIRS, type StoreName } from './collection-index.js';
import { MANIFEST_FILE, type Manifest } from './manifest.js';

export interface RepairOutcome {
  /** Stores rebuilt from what was intact (stored passage text). */
  rebuilt: StoreName[];
  /** The index could not be saved from what was left: it was cleared and must be re-indexed from the folders. */
  reindex: boolean;
  /** Vectors were dropped: they come back from stored text on the next run (same embedding model). */
  reembed: boolean;
  message: string;
}

/**
 * Brings a damaged collection index back. The lexical index and vectors are rebuilt from stored
 * passage text when that is intact; a damaged manifest or passage store cannot be rebuilt from the
 * rest, so those clear the index for a re-index from the collection's folders. Writes go through
 * the normal commit, so a crash during repair leaves either the damaged or the repaired generation.
 */
export async function repairIndex(dir: string, chunking: Manifest['chunking']): Promise<RepairOutcome> {
  const fresh = new Set<'lexical' | 'vectors'>();
  for (let attempt = 0; attempt < 3; attempt++) {
    let index: CollectionIndex | null = null;
    try {
      index = await CollectionIndex.open(dir, { chunking, fresh });
      await index.verifyPassages();
      if (fresh.size === 0) return { rebuilt: [], reindex: false, reembed: false, message: 'Every index file checked out; nothing needed repair.' };
      if (fresh.has('lexical')) await index.rebuildLexical();
      await index.commit();
      const rebuilt = [...fresh];
      return {
        rebuilt,
        reindex: false,
        reembed: fresh.has('vectors'),
        message: `Rebuilt the ${rebuilt.map(storeLabel).join(' and ')} from the stored passages.`,
      };
    } catch (err) {
      if (!(err instanceof IndexDamage)) throw err;
      if (err.store === 'lexical' || err.store === 'vectors') {
        fresh.add(err.store);
        continue;
      }
      await clearIndex(dir);
      return {
        rebuilt: [],
        reindex: true,
        reembed: false,
        message: `The ${storeLabel(err.store)} could not be recovered (${err.reason}); the collection is being re-indexed from its folders.`,
      };
    } finally {
      await index?.close();
    }
  }
  await clearIndex(dir);
  return {
    rebuilt: [],
    reindex: true,
    reembed: false,
    message: 'The index could not be rebuilt from its files; the collection is being re-indexed from its folders.',
  };
}

/** Removes the manifest and every store file; the collection's settings (folders, name) stay. */
async function clearIndex(dir: string): Promise<void> {
  await rm(join(dir, MANIFEST_FILE), { force: true });
  await rm(join(dir, COMMITTED_MARKER), { force: true });
  for (const sub of Object.values(STORE_DIRS)) await rm(join(dir, sub), { recursive: true, force: true });
}

function storeLabel(store: StoreName): string {
  return { manifest: 'index manifest', lexical: 'keyword index', vectors: 'vector index', chunks: 'passage text store' }[store];
}
