import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../models/downloader.js';
import { verifyEntryInMemory, type EntryLayout } from './pack-reader.js';
import { isPackDocument, STORED_LAYOUT, STORED_PACK } from './pack-documents.js';
import { confinedPath } from './pack-paths.js';
import type { PackManifest } from './pack-format.js';

/**
 * Re-checks an installed pack against the manifest it was imported with: each unpacked file's
 * SHA-256, and each document still compressed in the stored copy of the pack. Returns the
 * problems found (empty when every file matches).
 */
export async function verifyInstalledPack(dir: string, manifest: PackManifest): Promise<string[]> {
  const problems: string[] = [];
  const docs = manifest.files.filter((f) => isPackDocument(f.path));
  let layout: Record<string, EntryLayout> = {};
  if (docs.length) {
    try {
      layout = JSON.parse(await readFile(join(dir, STORED_LAYOUT), 'utf8')) as Record<string, EntryLayout>;
    } catch {
      problems.push(`${STORED_LAYOUT} is missing or damaged`);
    }
  }
  const stored = join(dir, STORED_PACK);
  const fh = docs.length && existsSync(stored) ? await open(stored, 'r') : null;
  if (docs.length && !fh) problems.push(`${STORED_PACK} (the pack's documents) is missing`);
  try {
    for (const f of manifest.files) {
      if (problems.length >= 20) break;
      if (isPackDocument(f.path)) {
        const at = layout[f.path];
        if (!fh || !at) continue;
        const digest = await verifyEntryInMemory(fh, at, at.offset, f, null).catch(() => null);
        if (digest !== f.sha256) problems.push(`${f.path} was modified`);
        continue;
      }
      const path = confinedPath(dir, f.path);
      if (!path || !existsSync(path)) {
        problems.push(`${f.path} is missing`);
        continue;
      }
      if ((await sha256File(path)) !== f.sha256) problems.push(`${f.path} was modified`);
    }
  } finally {
    await fh?.close();
  }
  return problems;
}
