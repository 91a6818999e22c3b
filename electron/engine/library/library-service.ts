import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LanternError } from '../core/errors.js';
import { CollectionIndex, IndexDamage } from '../store/collection-index.js';
import { repairIndex, type RepairOutcome } from '../store/index-repair.js';
import type { IngestWorkerClient } from '../indexing/ingest-worker-client.js';
import { runIndex } from '../indexing/indexer.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';
import type { SearchTarget } from '../search/hybrid-search.js';
import type { CollectionInfo, EventMap, FileError, FolderSpec, IndexProgress, PackInfo, Settings } from '../../shared/contract.js';
import { deleteCollectionDir, readConfigs, slugify, writeConfig, type CollectionConfig } from './collection-config.js';
import { FolderWatcher } from './folder-watcher.js';

export interface LibraryContext {
  dataDir: string;
  settings(): Settings;
  /** The active embedding model (null: lexical only) and a tokenizer to size chunks with. */
  embedding(): EmbeddingModelRef | null;
  tokenizer(): EmbeddingModelRef | null;
  /** The engine's model thread, configured for the active model and settings. */
  worker(): Promise<IngestWorkerClient>;
  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void;
  /** Watch folders for changes (the app does; the CLI does not). */
  watch: boolean;
}

/** A read-only collection that came in a knowledge pack. */
export interface PackCollection {
  id: string;
  name: string;
  indexDir: string;
  info: PackInfo;
  /** Maps a file path recorded in the pack to where the document sits on this machine. */
  resolvePath(recorded: string): string;
  /** Makes a document of the pack available as a file (they stay compressed until opened). */
  ensureDocument(localPath: string): Promise<void>;
}

interface Entry {
  config: CollectionConfig;
  pack: PackCollection | null;
  index: CollectionIndex | null;
  opening: Promise<CollectionIndex> | null;
  progress: IndexProgress | null;
  run: { controller: AbortController; paused: boolean; resume: (() => void) | null } | null;
  rerun: { full: boolean; reembed: boolean } | null;
  watcher: FolderWatcher | null;
  /** Why the index cannot be opened; null when healthy (or not opened yet). */
  damage: string | null;
}

export class LibraryService {
  private entries = new Map<string, Entry>();
  private queue: Promise<void> = Promise.resolve();
  private readonly collectionsDir: string;
  private closed = false;

  constructor(private readonly ctx: LibraryContext) {
    this.collectionsDir = join(ctx.dataDir, 'collections');
  }

  async init(): Promise<void> {
    for (const config of await readConfigs(this.collectionsDir)) {
      const entry = this.newEntry(config, null);
      this.entries.set(config.id, entry);
      this.startWatching(entry);
    }
  }

  private newEntry(config: CollectionConfig, pack: PackCollection | null): Entry {
    return { config, pack, index: null, opening: null, progress: null, run: null, rerun: null, watcher: null, damage: null };
  }

  /** Replaces the set of pack collections (after an import or removal). */
  async setPacks(packs: PackCollection[]): Promise<void> {
    for (const [id, e] of this.entries) {
      if (e.pack && !packs.some((p) => p.id === id)) {
        await e.index?.close();
        this.entries.delete(id);
      }
    }
    for (const p of packs) {
      const existing = this.entries.get(p.id);
      if (existing?.pack?.info.version === p.info.version && existing.pack.indexDir === p.indexDir) continue;
      await existing?.index?.close();
      this.entries.set(p.id, this.newEntry({ id: p.id, name: p.name, createdAt: p.info.created, folders: [] }, p));
    }
    this.changed();
  }

  private get(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new LanternError('not-found', `There is no collection "${id}".`);
    return e;
  }

  private writable(id: string): Entry {
    const e = this.get(id);
    if (e.pack) throw new LanternError('policy', `"${e.config.name}" comes from a knowledge pack and is read-only. It can be searched and asked, not edited.`);
    return e;
  }

  /** The pack a collection comes from, or null for the user's own collections. */
  packOf(id: string): PackCollection | null {
    return this.get(id).pack;
  }

  /**
   * The collection's open index. A damaged one marks this collection "needs repair" (with the
   * reason) and throws a 'needs-repair' error; every other collection is unaffected.
   */
  async index(id: string): Promise<CollectionIndex> {
    const e = this.get(id);
    if (e.index) return e.index;
    e.opening ??= CollectionIndex.open(this.indexDir(e), {
      chunking: this.chunking(),
      readOnly: !!e.pack,
      resolvePath: e.pack?.resolvePath,
    }).finally(() => {
      e.opening = null;
    });
    try {
      e.index = await e.opening;
    } catch (err) {
      if (!(err instanceof IndexDamage)) throw err;
      e.damage = err.reason;
      throw new LanternError('needs-repair', this.repairAdvice(e), { store: err.store });
    }
    e.damage = null;
    return e.index;
  }

  private indexDir(e: Entry): string {
    return e.pack ? e.pack.indexDir : join(this.collectionsDir, e.config.id);
  }

  private repairAdvice(e: Entry): string {
    const fix = e.pack ? 'Remove the pack and import it again.' : 'Choose Repair on its card in the Library.';
    return `"${e.config.name}" needs repair: ${e.damage}. ${fix}`;
  }

  private chunking() {
    const s = this.ctx.settings();
    return { tokenizer: this.ctx.tokenizer()?.name ?? 'estimate', maxTokens: s.chunkTokens, overlapTokens: s.chunkOverlap };
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  async info(id: string): Promise<CollectionInfo> {
    const e = this.get(id);
    const index = await this.index(id).catch((err: unknown) => {
      if (err instanceof LanternError && err.code === 'needs-repair') return null;
      throw err;
    });
    if (!index) return this.damagedInfo(e);
    const files = index.files;
    const active = this.ctx.embedding()?.name ?? null;
    const indexModel = index.manifest.embedding;
    return {
      id,
      name: e.config.name,
      folders: e.config.folders,
      readOnly: !!e.pack,
      pack: e.pack?.info ?? null,
      files: files.length,
      chunks: index.chunkCount,
      bytes: files.reduce((n, f) => n + f.size, 0),
      lastIndexedAt: index.manifest.lastIndexedAt,
      errors: index.manifest.errors.length,
      embedding: indexModel,
      lexicalOnly: !(indexModel && active && indexModel.model === active && index.vectors && index.vectors.size > 0),
      needsReembed: indexModel && active && indexModel.model !== active ? { indexModel: indexModel.model, activeModel: active } : null,
      progress: e.progress,
      health: { status: 'ok' },
    };
  }

  /** What can be said of a collection whose index cannot be opened. */
  private damagedInfo(e: Entry): CollectionInfo {
    return {
      id: e.config.id,
      name: e.config.name,
      folders: e.config.folders,
      readOnly: !!e.pack,
      pack: e.pack?.info ?? null,
      files: 0,
      chunks: 0,
      bytes: 0,
      lastIndexedAt: null,
      errors: 0,
      embedding: null,
      lexicalOnly: true,
      needsReembed: null,
      progress: e.progress,
      health: { status: 'needs-repair', reason: this.repairAdvice(e) },
    };
  }

  /**
   * Rebuilds what can be rebuilt from what is intact (keyword index and vectors from stored
   * passage text), else clears the index and re-indexes from the folders. Runs in the index queue,
   * after any run in progress.
   */
  async repair(id: string): Promise<RepairOutcome> {
    const e = this.writable(id);
    if (e.run) this.cancel(id);
    let outcome: RepairOutcome | null = null;
    const job = this.queue.then(async () => {
      await e.index?.close();
      e.index = null;
      outcome = await repairIndex(join(this.collectionsDir, id), this.chunking());
      e.damage = null;
    });
    this.queue = job.catch(() => {});
    await job;
    const done = outcome as RepairOutcome | null;
    if (!done) throw new LanternError('internal', 'The repair did not run.');
    if (done.reindex || done.reembed) this.schedule(id, { full: done.reindex, reembed: done.reembed });
    this.changed();
    return done;
  }

  async list(): Promise<CollectionInfo[]> {
    const out: CollectionInfo[] = [];
    for (const id of this.entries.keys()) out.push(await this.info(id));
    return out;
  }

  private changed(): void {
    void this.list()
      .then((collections) => this.ctx.emit('library.changed', { collections }))
      .catch(() => {});
  }

  async create(name: string): Promise<CollectionInfo> {
    let id = slugify(name);
    for (let n = 2; this.entries.has(id); n++) id = `${slugify(name)}-${n}`;
    const config: CollectionConfig = { id, name: name.trim(), createdAt: new Date().toISOString(), folders: [] };
    await writeConfig(this.collectionsDir, config);
    this.entries.set(id, this.newEntry(config, null));
    this.changed();
    return this.info(id);
  }

  async delete(id: string): Promise<void> {
    const e = this.writable(id);
    e.run?.controller.abort();
    e.watcher?.close();
    await this.queue.catch(() => {});
    await e.index?.close();
    this.entries.delete(id);
    await deleteCollectionDir(this.collectionsDir, id);
    this.changed();
  }

  async addFolder(input: {
    collection?: string;
    path: string;
    include?: string[];
    exclude?: string[];
    followExternalLinks?: boolean;
  }): Promise<CollectionInfo> {
    const path = resolve(input.path);
    const st = await stat(path).catch(() => null);
    if (!st) throw new LanternError('not-found', `The folder ${path} does not exist or cannot be read.`);
    if (!st.isDirectory()) throw new LanternError('invalid-input', `${path} is a file, not a folder. Add the folder that contains it.`);
    let id = input.collection;
    if (!id) {
      const base = path.split(/[\\/]/).filter(Boolean).pop() ?? 'Documents';
      id = (await this.create(base.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()))).id;
    }
    const e = this.writable(id);
    const folder: FolderSpec = {
      path,
      include: input.include ?? [],
      exclude: input.exclude ?? [],
      ...(input.followExternalLinks && { followExternalLinks: true }),
    };
    const others = e.config.folders.filter((f) => f.path !== path);
    if (others.some((f) => path.startsWith(f.path + '/') || f.path.startsWith(path + '/'))) {
      throw new LanternError('conflict', `${path} overlaps a folder already in "${e.config.name}". Add either the parent or the subfolder, not both.`);
    }
    e.config = { ...e.config, folders: [...others, folder] };
    await writeConfig(this.collectionsDir, e.config);
    // Every window shows the folder on the collection's card now, not when indexing ends.
    this.changed();
    this.startWatching(e);
    this.schedule(id, { full: false, reembed: false });
    return this.info(id);
  }

  async removeFolder(id: string, path: string): Promise<CollectionInfo> {
    const e = this.writable(id);
    const folders = e.config.folders.filter((f) => f.path !== resolve(path));
    if (folders.length === e.config.folders.length) throw new LanternError('not-found', `${path} is not a folder of "${e.config.name}".`);
    e.config = { ...e.config, folders };
    await writeConfig(this.collectionsDir, e.config);
    this.startWatching(e);
    this.schedule(id, { full: false, reembed: false });
    return this.info(id);
  }

  async errors(id: string): Promise<FileError[]> {
    return (await this.index(id)).manifest.errors;
  }

  /** Queues an index update. An update already queued or running for the collection absorbs the request. */
  schedule(id: string, opts: { full: boolean; reembed: boolean }): void {
    const e = this.writable(id);
    if (e.rerun) {
      e.rerun = { full: e.rerun.full || opts.full, reembed: e.rerun.reembed || opts.reembed };
      return;
    }
    e.rerun = opts;
    this.setProgress(e, {
      phase: 'scanning',
      filesDone: 0,
      filesTotal: 0,
      chunks: e.index?.chunkCount ?? 0,
      chunksEmbedded: 0,
      bytesDone: 0,
      etaSeconds: null,
    });
    this.queue = this.queue.then(() => this.runQueued(id)).catch(() => {});
  }

  /** Resolves when no index update is queued or running: for the CLI and tests. */
  async idle(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  private async runQueued(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e || !e.rerun || this.closed) return;
    const { full, reembed } = e.rerun;
    e.rerun = null;
    const controller = new AbortController();
    e.run = { controller, paused: false, resume: null };
    controller.signal.addEventListener('abort', () => {
      this.ctx
        .worker()
        .then((w) => w.cancel())
        .catch(() => {}); // no worker to cancel: nothing is running
    });
    try {
      const index = await this.index(id);
      const worker = await this.ctx.worker();
      // A collection embedded with another model keeps its vectors until the user asks to re-embed.
      const current = index.manifest.embedding?.model;
      const embed = !current || current === worker.embedding?.model || reembed;
      await runIndex(index, worker, {
        collection: id,
        folders: e.config.folders,
        full,
        embed,
        signal: controller.signal,
        onProgress: (p) => this.setProgress(e, p),
        isPaused: () => e.run?.paused ?? false,
        whilePaused: () => new Promise<void>((r) => (e.run!.resume = r)),
      });
    } catch (err) {
      this.setProgress(e, { ...(e.progress ?? emptyProgress(id)), phase: 'error', message: (err as Error).message });
      // A failed save may leave the in-memory index ahead of the disk: read the last generation again.
      if (e.index?.hasUncommittedChanges)
        await e.index
          .close()
          .finally(() => (e.index = null))
          .catch(() => {});
    } finally {
      e.run = null;
      this.changed();
    }
  }

  private setProgress(e: Entry, p: Omit<IndexProgress, 'collection'> & { collection?: string }): void {
    e.progress = { ...p, collection: e.config.id };
    this.ctx.emit('index.progress', e.progress);
  }

  cancel(id: string): void {
    const e = this.get(id);
    if (e.rerun && !e.run) e.rerun = null;
    if (e.run) {
      e.run.controller.abort();
      e.run.resume?.();
    }
  }

  pause(id: string, paused: boolean): void {
    const e = this.get(id);
    if (!e.run) return;
    e.run.paused = paused;
    if (!paused) {
      e.run.resume?.();
      e.run.resume = null;
    }
  }

  private startWatching(e: Entry): void {
    if (!this.ctx.watch || e.pack) return;
    e.watcher ??= new FolderWatcher(() => {
      if (!this.closed && this.entries.has(e.config.id)) this.schedule(e.config.id, { full: false, reembed: false });
    });
    e.watcher.watch(e.config.folders.map((f) => f.path));
  }

  /**
   * Search targets for the given collections (all when none given). A collection that needs repair
   * is left out and named in `skipped` (searching it was asked for, so the answer says so).
   */
  async targets(ids: string[] | undefined, queryModel: string | null, skipped: string[] = []): Promise<SearchTarget[]> {
    const wanted = ids?.length ? ids : this.ids();
    const out: SearchTarget[] = [];
    for (const id of wanted) {
      let index: CollectionIndex;
      try {
        index = await this.index(id);
      } catch (err) {
        if (!(err instanceof LanternError && err.code === 'needs-repair')) throw err;
        skipped.push(err.message);
        continue;
      }
      out.push({ id, index, useVectors: !!queryModel && index.manifest.embedding?.model === queryModel && !!index.vectors?.size });
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.entries.values()) {
      e.watcher?.close();
      e.run?.controller.abort();
      e.run?.resume?.();
    }
    await this.queue.catch(() => {});
    for (const e of this.entries.values()) await e.index?.close();
  }
}

function emptyProgress(collection: string): IndexProgress {
  return { collection, phase: 'idle', filesDone: 0, filesTotal: 0, chunks: 0, chunksEmbedded: 0, bytesDone: 0, etaSeconds: null };
}
