import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWriteJson } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import type { FileError } from '../../shared/contract.js';

/** Bump when the on-disk layout changes in a way older code cannot read. */
export const SCHEMA_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

const FileEntrySchema = z.object({
  id: z.string(),
  path: z.string(),
  relPath: z.string(),
  folder: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  sha256: z.string(),
  format: z.string(),
  title: z.string().optional(),
  /** Chunks of a file have consecutive ids: [firstChunk, firstChunk + chunkCount). */
  firstChunk: z.number().int(),
  chunkCount: z.number().int(),
  pages: z.number().optional(),
  indexedAt: z.string(),
  /** What the document says about itself (title, version, date, status): source cards and edition ranking. */
  doc: z
    .object({
      title: z.string().optional(),
      version: z.string().optional(),
      date: z.string().optional(),
      status: z.enum(['current', 'superseded', 'draft']).optional(),
    })
    .optional(),
});
export type FileEntry = z.infer<typeof FileEntrySchema>;

const ManifestSchema = z.object({
  schemaVersion: z.number().int(),
  gen: z.number().int(),
  nextChunkId: z.number().int(),
  nextFileId: z.number().int(),
  embedding: z.object({ model: z.string(), dim: z.number().int() }).nullable(),
  chunking: z.object({ tokenizer: z.string(), maxTokens: z.number(), overlapTokens: z.number() }),
  files: z.record(z.string(), FileEntrySchema),
  errors: z.array(
    z.object({ path: z.string(), relPath: z.string(), code: z.string(), message: z.string(), at: z.string(), kind: z.enum(['error', 'skipped']).optional() }),
  ),
  stores: z.object({
    lexical: z.array(z.string()),
    vectors: z.array(z.object({ dir: z.string(), count: z.number() })),
    chunks: z.array(z.object({ file: z.string(), count: z.number(), bytes: z.number() })),
  }),
  lastIndexedAt: z.string().nullable(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function emptyManifest(chunking: Manifest['chunking']): Manifest {
  return {
    schemaVersion: SCHEMA_VERSION,
    gen: 0,
    nextChunkId: 0,
    nextFileId: 0,
    embedding: null,
    chunking,
    files: {},
    errors: [] as FileError[],
    stores: { lexical: [], vectors: [], chunks: [] },
    lastIndexedAt: null,
  };
}

export async function readManifest(dir: string): Promise<Manifest | null> {
  let raw: string;
  try {
    raw = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new LanternError('index-incompatible', `The index manifest in ${dir} is damaged. Re-index the collection to rebuild it.`);
  }
  const version = (parsed as { schemaVersion?: unknown })?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new LanternError('index-incompatible', `This index was written by a newer Lantern (format ${version}). Update Lantern to open it.`);
  }
  const result = ManifestSchema.safeParse(parsed);
  if (!result.success) throw new LanternError('index-incompatible', `The index manifest in ${dir} is not valid. Re-index the collection to rebuild it.`);
  return result.data;
}

/** The commit point of every index update: until this rename lands, readers see the previous generation. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await atomicWriteJson(join(dir, MANIFEST_FILE), manifest);
}
