import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { MANIFEST_ENTRY, PackManifestSchema } from '../packs/pack-format.js';
import type { PackEntry } from '../api/pack-contents.js';
import type { EvalReport } from '../../shared/contract.js';

/**
 * A pack can carry its question set and the publisher's results under eval/, listed in the
 * manifest with their SHA-256 like every other file, so the signature covers them too.
 */
export const PACK_EVAL_DIR = 'eval';
const PUBLISHED = 'published.json';

/** The two entries to add to a pack: the set as written, and the publisher's report. */
export async function packEvalEntries(setPath: string, published: EvalReport): Promise<PackEntry[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'lantern-pack-eval-'));
  const report = join(tmp, PUBLISHED);
  // Local paths of the publisher's machine mean nothing on a laptop.
  const { files: _files, ...portable } = published;
  await writeFile(report, JSON.stringify(portable, null, 1));
  const ext = extname(setPath).toLowerCase() === '.csv' ? '.csv' : '.jsonl';
  return [
    { archivePath: `${PACK_EVAL_DIR}/questions${ext}`, sourcePath: setPath },
    { archivePath: `${PACK_EVAL_DIR}/${PUBLISHED}`, sourcePath: report },
  ];
}

export interface InstalledPackEval {
  questions: string;
  published: EvalReport;
  /** The pack's adapter inside the installed pack, if it carries one. */
  adapter: { path: string; scale: number } | null;
}

/** The set and published results of an installed pack (unpacked and verified at import), or null. */
export async function installedPackEval(packDir: string): Promise<InstalledPackEval | null> {
  const questions = ['questions.jsonl', 'questions.csv'].map((f) => join(packDir, PACK_EVAL_DIR, f)).find((p) => existsSync(p));
  const publishedPath = join(packDir, PACK_EVAL_DIR, PUBLISHED);
  if (!questions || !existsSync(publishedPath)) return null;
  const published = JSON.parse(await readFile(publishedPath, 'utf8')) as EvalReport;
  let adapter: InstalledPackEval['adapter'] = null;
  try {
    const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(packDir, MANIFEST_ENTRY), 'utf8')));
    if (manifest.adapter) adapter = { path: join(packDir, ...manifest.adapter.file.split('/')), scale: manifest.adapter.scale };
  } catch {
    /* no adapter to offer */
  }
  return { questions, published, adapter };
}
