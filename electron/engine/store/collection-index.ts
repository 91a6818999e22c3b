import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LexicalIndex } from '../lexical/lexical-index.js';
import { VectorStore } from '../vector/vector-store.js';
import { LanternError } from '../core/errors.js';
import { atomicWriteFile, isLeftoverTemp } from '../core/atomic-write.js';
import { ChunkStore, type ChunkRecord } from './chunk-store.js';
import { emptyManifest, readManifest, writeManifest, type FileEntry, type Manifest } from './manifest.js';
import type { Chunk } from '../chunk/chunker.js';
import { passageTitle } from '../embed/passage-text.js';
import type { DocumentMeta, FileError } from '../../shared/contract.js';

export const STORE_DIRS = { lexical: 'lexical', vectors: 'vectors', chunks: 'chunks' } as const;

/** Written once the first generation has committed: from then on a missing manifest is damage. */
export const COMMITTED_MARKER = 'index.committed';

export type StoreName = 'manifest' | keyof typeof STORE_DIRS;

/** A store file of a collection is missing or damaged: the collection needs repair, the others are unaffected. */
export class IndexDamage extends LanternError {
  constructor(
    readonly store: StoreName,
    readonly reason: string,
  ) {
    super('needs-repair', reason, { store });
    this.name = 'IndexDamage';
  }
}

/** Runs one store's load; any failure becomes an IndexDamage naming the store. */
async function loadStore<T>(store: StoreName, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof IndexDamage) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      throw new LanternError('io', `The index cannot be read: ${(err as Error).message}. Check the data folder's permissions.`);
    throw new IndexDamage(store, (err as Error).message);
  }
}

export interface NewFile {
  path: string;
  relPath: string;
  folder: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  format: string;
  title?: string;
  pages?: number;
  doc?: DocumentMeta;
}

/**
 * One collection's index on disk: lexical index, vector shards and chunk segments, tied together
 * by manifest.json. Every store writes new files named after the next generation; the manifest
 * rename is the single commit point; files no generation refers to are deleted afterwards. A crash
 * at any moment therefore leaves the last committed generation intact and readable.
 */
export class CollectionIndex {
  private constructor(
    readonly dir: string,
    public manifest: Manifest,
    readonly lexical: LexicalIndex,
    public vectors: VectorStore | null,
    readonly chunks: ChunkStore,
    readonly readOnly: boolean,
  ) {
    this.rebuildFileLookup();
  }

  private byPath = new Map<string, FileEntry>();
  /** Sorted first-chunk ids and their files, to map a chunk id to its file by binary search. */
  private rangeStarts: number[] = [];
  private rangeFiles: FileEntry[] = [];
  private dirty = false;

  /**
   * Opens the last committed generation. A missing or damaged store file raises IndexDamage
   * naming the store, so the library can mark this collection (and only this one) as needing repair.
   * `fresh` starts the named stores empty instead of loading them: repair rebuilds them.
   */
  static async open(
    dir: string,
    opts: { chunking: Manifest['chunking']; readOnly?: boolean; resolvePath?: (recorded: string) => string; fresh?: ReadonlySet<'lexical' | 'vectors'> },
  ): Promise<CollectionIndex> {
    if (!opts.readOnly) await mkdir(dir, { recursive: true });
    const recorded = await loadStore('manifest', () => readManifest(dir));
    if (!recorded && (await hasStoreFiles(dir))) throw new IndexDamage('manifest', 'The index manifest is missing, but index files are present.');
    const manifest = recorded ?? emptyManifest(opts.chunking);
    // A prebuilt index (knowledge pack) records paths relative to the pack; place them on this machine.
    if (opts.resolvePath) for (const f of Object.values(manifest.files)) f.path = opts.resolvePath(f.path);
    let lexical =
      manifest.stores.lexical.length && !opts.fresh?.has('lexical')
        ? await loadStore('lexical', () => LexicalIndex.load(join(dir, STORE_DIRS.lexical), manifest.stores.lexical))
        : LexicalIndex.create();
    // Built by an older analyzer: its terms are not what queries now produce. Rebuilt below.
    const reanalyze = lexical.builtByOlderAnalyzer;
    if (reanalyze) lexical = LexicalIndex.create();
    const embedding = manifest.embedding;
    const vectors =
      embedding && manifest.stores.vectors.length && !opts.fresh?.has('vectors')
        ? await loadStore('vectors', () => VectorStore.load(join(dir, STORE_DIRS.vectors), manifest.stores.vectors, embedding.dim))
        : embedding
          ? VectorStore.create(embedding.dim)
          : null;
    const chunks = await loadStore('chunks', () => ChunkStore.load(join(dir, STORE_DIRS.chunks), manifest.stores.chunks));
    const index = new CollectionIndex(dir, manifest, lexical, vectors, chunks, opts.readOnly ?? false);
    chunks.retain((id) => index.fileOfChunk(id) !== undefined);
    if (opts.fresh?.size) index.dirty = true;
    if (reanalyze) {
      // From the stored passage text, as repair does; committed at once so it happens once (a
      // read-only pack is rebuilt in memory on each open instead).
      await index.addStoredPassagesToLexical();
      if (!index.readOnly) await index.commit();
    }
    if (!index.readOnly) await index.collectGarbage();
    return index;
  }

  get files(): FileEntry[] {
    return Object.values(this.manifest.files);
  }

  get chunkCount(): number {
    return this.chunks.size;
  }

  fileByPath(path: string): FileEntry | undefined {
    return this.byPath.get(path);
  }

  fileOfChunk(chunkId: number): FileEntry | undefined {
    let lo = 0;
    let hi = this.rangeStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.rangeStarts[mid] <= chunkId) lo = mid + 1;
      else hi = mid - 1;
    }
    const f = this.rangeFiles[hi];
    return f && chunkId < f.firstChunk + f.chunkCount ? f : undefined;
  }

  private rebuildFileLookup(): void {
    const files = this.files.filter((f) => f.chunkCount > 0).sort((a, b) => a.firstChunk - b.firstChunk);
    this.rangeStarts = files.map((f) => f.firstChunk);
    this.rangeFiles = files;
    this.byPath = new Map(this.files.map((f) => [f.path, f]));
  }

  private assertWritable(): void {
    if (this.readOnly) throw new LanternError('policy', 'This collection comes from a knowledge pack and is read-only.');
  }

  /** Sets the embedding model of this index. A different model drops all vectors: they are never mixed. */
  setEmbedding(embedding: { model: string; dim: number } | null): void {
    this.assertWritable();
    const cur = this.manifest.embedding;
    if (cur && embedding && cur.model === embedding.model && cur.dim === embedding.dim) return;
    this.manifest.embedding = embedding;
    this.vectors = embedding ? VectorStore.create(embedding.dim) : null;
    this.dirty = true;
  }

  /** Chunk ids that have text but no vector yet (after a model was added or changed). */
  chunksWithoutVectors(): number[] {
    const missing: number[] = [];
    for (const f of this.files) {
      for (let id = f.firstChunk; id < f.firstChunk + f.chunkCount; id++) if (!this.vectors?.has(id)) missing.push(id);
    }
    return missing;
  }

  addVector(id: number, vector: Float32Array): void {
    if (!this.vectors) throw new LanternError('internal', 'No embedding model is set for this collection.');
    this.vectors.add(id, vector);
    this.dirty = true;
  }

  removeFile(path: string): void {
    this.assertWritable();
    const f = this.byPath.get(path);
    if (!f) return;
    const ids = range(f.firstChunk, f.chunkCount);
    this.lexical.remove(ids);
    this.vectors?.remove(ids);
    this.chunks.remove(ids);
    delete this.manifest.files[f.id];
    this.rebuildFileLookup();
    this.dirty = true;
  }

  /** A file moved or was renamed with the same content: keep its chunks and vectors. */
  renameFile(fromPath: string, to: Pick<NewFile, 'path' | 'relPath' | 'folder' | 'mtimeMs'>): void {
    this.assertWritable();
    const f = this.byPath.get(fromPath);
    if (!f) return;
    Object.assign(f, to);
    this.rebuildFileLookup();
    this.dirty = true;
  }

  /** Updates a file's fingerprint when only its timestamp changed. */
  touchFile(path: string, mtimeMs: number): void {
    const f = this.byPath.get(path);
    if (f && f.mtimeMs !== mtimeMs) {
      f.mtimeMs = mtimeMs;
      this.dirty = true;
    }
  }

  addFile(file: NewFile, chunks: Chunk[], vectors: Float32Array[] | null): FileEntry {
    this.assertWritable();
    if (this.byPath.has(file.path)) this.removeFile(file.path);
    const firstChunk = this.manifest.nextChunkId;
    this.manifest.nextChunkId += chunks.length;
    const entry: FileEntry = {
      id: `f${(this.manifest.nextFileId++).toString(36)}`,
      ...file,
      firstChunk,
      chunkCount: chunks.length,
      indexedAt: new Date().toISOString(),
    };
    const headingsOf = (c: Chunk) => (c.headingPath?.length ? c.headingPath.join(' / ') : undefined);
    chunks.forEach((c, i) => {
      const id = firstChunk + i;
      const record: ChunkRecord = { id, fileId: entry.id, ...c };
      this.chunks.add(record);
      this.lexical.add({ id, title: passageTitle(file.title, file.relPath, file.doc), headings: headingsOf(c), body: c.text });
      if (vectors && this.vectors) this.vectors.add(id, vectors[i]);
    });
    this.manifest.files[entry.id] = entry;
    this.rebuildFileLookup();
    this.dirty = true;
    return entry;
  }

  /** Re-creates the lexical index from stored passage text (repair): no file is re-read. */
  async rebuildLexical(): Promise<void> {
    this.assertWritable();
    await this.addStoredPassagesToLexical();
  }

  /** Adds every stored passage to the lexical index exactly as addFile() does. */
  private async addStoredPassagesToLexical(): Promise<void> {
    for (const file of this.files) {
      const ids = range(file.firstChunk, file.chunkCount);
      const records = await this.chunks.getMany(ids);
      for (const id of ids) {
        const r = records.get(id);
        if (r)
          this.lexical.add({
            id,
            title: passageTitle(file.title, file.relPath, file.doc),
            headings: r.headingPath?.length ? r.headingPath.join(' / ') : undefined,
            body: r.text,
          });
      }
    }
    this.dirty = true;
  }

  /** Reads every stored passage once; throws IndexDamage('chunks') when one cannot be read. */
  async verifyPassages(): Promise<void> {
    try {
      for await (const record of this.chunks.all()) void record;
    } catch (err) {
      throw new IndexDamage('chunks', (err as Error).message);
    }
  }

  setErrors(errors: FileError[]): void {
    this.manifest.errors = errors;
    this.dirty = true;
  }

  get hasUncommittedChanges(): boolean {
    return this.dirty;
  }

  /** Makes every change so far durable as one new generation. */
  async commit(): Promise<void> {
    this.assertWritable();
    const gen = this.manifest.gen + 1;
    const lexical = await this.lexical.save(join(this.dir, STORE_DIRS.lexical), gen);
    const vectors = this.vectors ? await this.vectors.save(join(this.dir, STORE_DIRS.vectors), gen) : [];
    const chunks = await this.chunks.save(join(this.dir, STORE_DIRS.chunks), gen);
    const next: Manifest = { ...this.manifest, gen, stores: { lexical, vectors, chunks }, lastIndexedAt: new Date().toISOString() };
    await writeManifest(this.dir, next);
    if (gen === 1) await atomicWriteFile(join(this.dir, COMMITTED_MARKER), '');
    this.manifest = next;
    this.dirty = false;
    await this.collectGarbage();
  }

  /** Deletes files of older generations and temp files left by a crash; never touches what the manifest names. */
  private async collectGarbage(): Promise<void> {
    const { stores } = this.manifest;
    const live = {
      [STORE_DIRS.lexical]: new Set(stores.lexical.map(firstSegment)),
      [STORE_DIRS.vectors]: new Set(stores.vectors.map((v) => firstSegment(v.dir))),
      [STORE_DIRS.chunks]: new Set(stores.chunks.flatMap((c) => [c.file, c.file + '.idx'])),
    };
    for (const [sub, keep] of Object.entries(live)) {
      const entries = await readdir(join(this.dir, sub)).catch(() => [] as string[]);
      for (const name of entries) {
        if (!keep.has(name) || isLeftoverTemp(name)) await rm(join(this.dir, sub, name), { recursive: true, force: true });
      }
    }
    for (const name of await readdir(this.dir)) if (isLeftoverTemp(name)) await rm(join(this.dir, name), { force: true });
  }

  async close(): Promise<void> {
    await this.chunks.close();
  }
}

/**
 * Whether a collection folder holds files of a committed generation, so that a missing manifest
 * means damage rather than a new collection. Store files are named after their generation
 * (`…-g<gen>…`); files of generation 1 alone, without the committed marker, are a first commit
 * that never landed.
 */
async function hasStoreFiles(dir: string): Promise<boolean> {
  if (await stat(join(dir, COMMITTED_MARKER)).catch(() => null)) return true;
  for (const sub of Object.values(STORE_DIRS)) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    if (names.some((n) => !isLeftoverTemp(n) && Number(/-g(\d+)/.exec(n)?.[1] ?? 2) > 1)) return true;
  }
  return false;
}

function firstSegment(p: string): string {
  return p.split(/[\\/]/)[0];
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}
