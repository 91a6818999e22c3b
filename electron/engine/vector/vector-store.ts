import { readFile, rename, mkdir, rm, stat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile, fsyncDir, isLeftoverTemp } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import { decodeShard, decodeShardRows, encodeShard, SHARD_INDEX_FILE } from './vectra-shard-format.js';
import { ShardBlock } from './shard-block.js';
import { readSidecar, sidecarParts, SIDECAR_FILE } from './shard-sidecar.js';

export interface ShardRef {
  /** Folder of a vectra LocalIndex, relative to the store's directory. */
  dir: string;
  count: number;
}

interface Shard {
  ref: ShardRef | null;
  /** Sign codes, int16 rows, scales, ids and deletion flags (shard-block.ts). */
  block: ShardBlock;
  live: number;
  /** Rows below this came from `ref`'s file; rows from here on were added since and kept as float32 until saved. */
  loaded: number;
  fresh: Float32Array[];
  dirty: boolean;
}

export const DEFAULT_SHARD_SIZE = 25_000;
/** Up to this many vectors every query scans all int16 rows; above it, sign codes pick the rows to rescore. */
export const EXACT_SCAN_LIMIT = 20_000;
/** Shards read at once when opening. */
const LOAD_CONCURRENCY = 4;

/**
 * Vectors in shards of bounded size. On disk each shard is a vectra LocalIndex folder (float32,
 * protobuf, the format of record) with a packed side-car holding the rows as searched (see
 * shard-sidecar.ts), so opening reads memory images instead of decoding. In memory each row is
 * kept as sign bits and int16 components: a query first ranks every row by Hamming distance on
 * the sign bits, then rescores the best 2% (at least 2,000) with int16 components, both in
 * WebAssembly (popcount, SIMD; wasm-kernels.ts). Small stores skip the first pass. Figures:
 * README, Performance (`npm run bench -- query-scale`). Saves write only changed shards, into new
 * folders, so the previous generation stays readable until the manifest switches.
 */
export class VectorStore {
  private shards: Shard[] = [];
  /** id → shard × 2^16 + row, built on first need: a read-only search never pays for it. */
  private whereMap: Map<number, number> | null = null;
  private liveCount = 0;

  private constructor(
    readonly dim: number,
    private readonly shardSize: number,
  ) {
    if (shardSize > 0xffff) throw new LanternError('internal', 'A vector shard holds at most 65,535 rows.');
  }

  static create(dim: number, opts?: { shardSize?: number }): VectorStore {
    return new VectorStore(dim, opts?.shardSize ?? DEFAULT_SHARD_SIZE);
  }

  static async load(dir: string, refs: ShardRef[], dim: number, opts?: { shardSize?: number }): Promise<VectorStore> {
    const store = new VectorStore(dim, opts?.shardSize ?? DEFAULT_SHARD_SIZE);
    // A few shards at a time: file reads (libuv's threads) overlap with checksumming on this one.
    const blocks = new Array<ShardBlock>(refs.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < refs.length; i = next++) blocks[i] = await loadShardBlock(dir, refs[i], dim);
    };
    await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, refs.length) }, worker));
    refs.forEach((ref, i) => {
      store.shards.push({ ref, block: blocks[i], live: ref.count, loaded: ref.count, fresh: [], dirty: false });
      store.liveCount += ref.count;
    });
    return store;
  }

  get size(): number {
    return this.liveCount;
  }

  has(id: number): boolean {
    return this.where.has(id);
  }

  /** How the search kernels run here: 'wasm' (popcount + SIMD) or 'js' (plain loops). */
  get kernels(): 'wasm' | 'js' {
    return this.shards[0]?.block.kernelKind ?? new ShardBlock(1, this.dim).kernelKind;
  }

  private get where(): Map<number, number> {
    if (!this.whereMap) {
      const m = new Map<number, number>();
      this.shards.forEach((shard, s) => {
        const { ids, deleted, count } = shard.block;
        for (let row = 0; row < count; row++) if (!deleted[row]) m.set(ids[row], s * 0x10000 + row);
      });
      this.whereMap = m;
    }
    return this.whereMap;
  }

  add(id: number, vector: Float32Array): void {
    if (vector.length !== this.dim) {
      throw new LanternError('index-incompatible', `A ${vector.length}-dimensional vector cannot go into an index of ${this.dim} dimensions.`);
    }
    for (let i = 0; i < vector.length; i++) {
      if (!Number.isFinite(vector[i])) throw new LanternError('invalid-input', 'The embedding model produced an invalid vector (NaN).');
    }
    if (this.where.has(id)) this.remove([id]);
    let s = this.shards.length - 1;
    let shard = this.shards[s];
    if (!shard || shard.block.count >= this.shardSize) {
      shard = { ref: null, block: new ShardBlock(Math.min(64, this.shardSize), this.dim), live: 0, loaded: 0, fresh: [], dirty: true };
      this.shards.push(shard);
      s++;
    }
    if (shard.block.count === shard.block.capacity) {
      const bigger = new ShardBlock(Math.min(this.shardSize, shard.block.count * 2), this.dim);
      bigger.copyFrom(shard.block, shard.block.count);
      shard.block = bigger;
    }
    const row = shard.block.count++;
    shard.block.writeRow(row, id, vector);
    shard.fresh.push(Float32Array.from(vector));
    shard.live++;
    shard.dirty = true;
    this.liveCount++;
    this.where.set(id, s * 0x10000 + row);
  }

  remove(ids: Iterable<number>): void {
    for (const id of ids) {
      const w = this.where.get(id);
      if (w === undefined) continue;
      const shard = this.shards[Math.floor(w / 0x10000)];
      shard.block.deleted[w % 0x10000] = 1;
      shard.live--;
      shard.dirty = true;
      this.liveCount--;
      this.where.delete(id);
    }
  }

  search(query: Float32Array, k: number, opts?: { allow?: (id: number) => boolean }): Array<{ id: number; score: number }> {
    if (query.length !== this.dim) throw new LanternError('index-incompatible', `The query vector has ${query.length} dimensions; the index has ${this.dim}.`);
    if (k <= 0 || this.size === 0) return [];
    const allow = opts?.allow;
    const qcode = new Uint32Array(this.shards[0].block.codeWords);
    for (let i = 0; i < this.dim; i++) if (query[i] > 0) qcode[i >> 5] |= 1 << (i & 31);
    for (const shard of this.shards) shard.block.setQuery(query, qcode);
    if (this.size > EXACT_SCAN_LIMIT) {
      const candidates = Math.max(k * 50, 2000, Math.ceil(this.size / 50));
      const top = this.rescore(k, allow, this.prefilter(candidates));
      if (top.length >= k || !allow) return top;
    }
    return this.rescore(k, allow, null);
  }

  /** The sign-code distance within which at least `want` rows lie; leaves each block's distances in place for select(). */
  private prefilter(want: number): number {
    const hist = new Uint32Array(this.shards[0].block.codeWords * 32 + 1);
    for (const shard of this.shards) shard.block.hamming(hist);
    let threshold = 0;
    for (let cum = 0; threshold < hist.length - 1; threshold++) {
      cum += hist[threshold];
      if (cum >= want) break;
    }
    return threshold;
  }

  /** Rescores the rows within `threshold` (every live row if null) and keeps the best k. */
  private rescore(k: number, allow: ((id: number) => boolean) | undefined, threshold: number | null) {
    const top = new MinHeap(k);
    for (const shard of this.shards) {
      const b = shard.block;
      const n = threshold === null ? b.selectAll() : b.select(threshold);
      b.rescore(n);
      const { out, cand, ids } = b;
      for (let i = 0; i < n; i++) {
        const score = out[i];
        if (score > top.min && (!allow || allow(ids[cand[i]]))) top.push(ids[cand[i]], score);
      }
    }
    return top.sorted();
  }

  /** Writes changed shards as new vectra folders (with side-cars) named after `gen`; returns every shard's ref. */
  async save(dir: string, gen: number): Promise<ShardRef[]> {
    await mkdir(dir, { recursive: true });
    const kept: Shard[] = [];
    for (let s = 0; s < this.shards.length; s++) {
      const shard = this.shards[s];
      if (shard.live === 0) continue;
      if (shard.dirty || !shard.ref) {
        // Float32 originals: from the shard's current file for loaded rows, from memory for new ones.
        const old = shard.ref && shard.loaded > 0 ? await readShard(dir, shard.ref, this.dim) : null;
        const ids: number[] = [];
        const vectors = new Float32Array(shard.live * this.dim);
        const b = shard.block;
        for (let row = 0; row < b.count; row++) {
          if (b.deleted[row]) continue;
          const v = row < shard.loaded ? old!.vectors.subarray(row * this.dim, (row + 1) * this.dim) : shard.fresh[row - shard.loaded];
          vectors.set(v, ids.length * this.dim);
          ids.push(b.ids[row]);
        }
        const name = `shard-${String(s).padStart(4, '0')}-g${gen}`;
        const rebuilt = new ShardBlock(ids.length, this.dim);
        ids.forEach((id, row) => rebuilt.writeRow(row, id, vectors.subarray(row * this.dim, (row + 1) * this.dim)));
        rebuilt.count = ids.length;
        await writeShardFolder(dir, name, Uint32Array.from(ids), vectors, rebuilt);
        Object.assign(shard, { block: rebuilt, ref: { dir: name, count: ids.length }, live: ids.length, loaded: ids.length, fresh: [], dirty: false });
      }
      kept.push(shard);
    }
    this.shards = kept;
    this.whereMap = null;
    return this.shards.map((s) => s.ref!);
  }
}

/** A committed shard's rows: from its side-car when that is current, else decoded from index.pb (and the side-car rewritten). */
async function loadShardBlock(dir: string, ref: ShardRef, dim: number): Promise<ShardBlock> {
  const folder = join(dir, ref.dir);
  const pb = await stat(join(folder, SHARD_INDEX_FILE)).catch(() => null);
  if (!pb) throw new LanternError('index-incompatible', `The vector shard ${ref.dir} is missing. Re-index this collection to rebuild it.`);
  const key = { name: ref.dir, rows: ref.count, dim, pbSize: pb.size };
  const packed = await readSidecar(join(folder, SIDECAR_FILE), key).catch(() => ({ block: null }));
  if (packed.block) return packed.block;
  // Rows go straight from the file into the compact arrays: no float32 copy of the shard.
  const buf = await readFile(join(folder, SHARD_INDEX_FILE));
  const block = new ShardBlock(ref.count, dim);
  const rows = decodeShardRows(buf, dim, ref.dir, (id, vec) => {
    if (block.count < ref.count) block.writeRow(block.count++, id, vec);
  });
  if (rows !== ref.count || block.count !== ref.count)
    throw new LanternError('index-incompatible', `The vector shard ${ref.dir} is incomplete. Re-index this collection to rebuild it.`);
  // Best effort: a read-only medium or a concurrent clean-up only means the next open decodes again.
  await rewriteSidecar(folder, key, block).catch(() => {});
  return block;
}

async function rewriteSidecar(folder: string, key: { name: string; rows: number; dim: number; pbSize: number }, block: ShardBlock): Promise<void> {
  for (const name of await readdir(folder)) if (isLeftoverTemp(name)) await rm(join(folder, name), { force: true });
  await atomicWriteFile(join(folder, SIDECAR_FILE), sidecarParts(key, block));
}

async function readShard(dir: string, ref: ShardRef, dim: number) {
  const buf = await readFile(join(dir, ref.dir, SHARD_INDEX_FILE)).catch(() => null);
  if (!buf) throw new LanternError('index-incompatible', `The vector shard ${ref.dir} is missing. Re-index this collection to rebuild it.`);
  const decoded = decodeShard(buf, dim, ref.dir);
  if (decoded.ids.length !== ref.count)
    throw new LanternError('index-incompatible', `The vector shard ${ref.dir} is incomplete. Re-index this collection to rebuild it.`);
  return decoded;
}

/** Writes a vectra folder and its side-car under a temporary name and renames it into place: a reader never sees half a shard. */
async function writeShardFolder(dir: string, name: string, ids: Uint32Array, vectors: Float32Array, block: ShardBlock): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const pb = encodeShard(ids, vectors, block.dim);
  await atomicWriteFile(join(tmp, SHARD_INDEX_FILE), pb);
  await atomicWriteFile(join(tmp, SIDECAR_FILE), sidecarParts({ name, rows: ids.length, dim: block.dim, pbSize: pb.length }, block));
  await rm(join(dir, name), { recursive: true, force: true });
  await rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

class MinHeap {
  private ids: number[] = [];
  private scores: number[] = [];
  constructor(private readonly k: number) {}

  get min(): number {
    return this.scores.length < this.k ? -Infinity : this.scores[0];
  }

  push(id: number, score: number): void {
    if (this.scores.length < this.k) {
      this.ids.push(id);
      this.scores.push(score);
      let i = this.scores.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.scores[p] <= this.scores[i]) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    this.ids[0] = id;
    this.scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.k && this.scores[l] < this.scores[m]) m = l;
      if (r < this.k && this.scores[r] < this.scores[m]) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  sorted(): Array<{ id: number; score: number }> {
    return this.ids.map((id, i) => ({ id, score: this.scores[i] })).sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
  }
}
