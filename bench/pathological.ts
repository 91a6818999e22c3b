/**
 * Throughput on pathological files, against ordinary documents indexed in the same run (the
 * baseline): a 5 MB text file with no line break, a 200,000-row CSV, a 300-slide PPTX and a
 * 500-page PDF, each indexed alone through the app's pipeline (lexical, no embedding model).
 * Prints passages/s, the ratio to the baseline (target ≥ 0.5×, i.e. within 2×), and how many
 * progress updates inside the file the user saw (IndexProgress.currentFileProgress).
 * Run: npm run bench -- pathological
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeWorker, indexFolder } from './lib/index-folder.js';
import { bigCsv, bigPdf, bigPptx, normalFiles, singleLineText } from './lib/pathological-files.js';
import { mb, table } from './lib/report.js';

interface Measured {
  name: string;
  bytes: number;
  passages: number;
  seconds: number;
  progressUpdates: number;
  firstProgressS: number | null;
}

async function measure(name: string, dir: string): Promise<Measured> {
  let updates = 0;
  let first: number | null = null;
  const t0 = performance.now();
  const { index, summary } = await indexFolder(dir, join(dir, '..', `${name}-index`), (p) => {
    if (p.currentFileProgress) {
      updates++;
      first ??= (performance.now() - t0) / 1000;
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  let bytes = 0;
  for (const f of index.files) bytes += f.size;
  if (summary.errors) console.log(`${name}: ${summary.errors} file(s) failed: ${JSON.stringify(index.manifest.errors.map((e) => e.message))}`);
  await index.close();
  return { name, bytes, passages: summary.chunks, seconds, progressUpdates: updates, firstProgressS: first };
}

export async function main(): Promise<void> {
  console.log('\n## Pathological files — passages/s against ordinary documents (lexical pipeline)\n');
  const root = await mkdtemp(join(tmpdir(), 'lantern-patho-'));
  try {
    const make = async (name: string, fn: (dir: string) => Promise<void>) => {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      await fn(dir);
      return dir;
    };
    const normal = await make('normal', (d) => normalFiles(d, 200));
    const files = {
      'single line 5 MB (.txt)': await make('line', (d) => singleLineText(join(d, 'one-line.txt'))),
      'CSV 200,000 rows': await make('csv', (d) => bigCsv(join(d, 'rows.csv'))),
      'PPTX 300 slides': await make('pptx', (d) => bigPptx(join(d, 'deck.pptx'))),
      'PDF 500 pages': await make('pdf', (d) => bigPdf(join(d, 'handbook.pdf'))),
    };
    // Warm-up so pdf.js and the tokenizer's first load do not count against the first file.
    await measure('warmup', normal);
    const base = await measure('normal', normal);
    const baseRate = base.passages / base.seconds;
    const rows: string[][] = [[`baseline: 200 ordinary .md/.txt files`, mb(base.bytes), String(base.passages), base.seconds.toFixed(1), baseRate.toFixed(0), '1.00×', '–']];
    for (const [label, dir] of Object.entries(files)) {
      const m = await measure(label.replace(/\W+/g, '-'), dir);
      const rate = m.passages / m.seconds;
      rows.push([label, mb((await stat(dir)).size && m.bytes), String(m.passages), m.seconds.toFixed(1), rate.toFixed(0), `${(rate / baseRate).toFixed(2)}×`, m.progressUpdates ? `${m.progressUpdates} (first at ${m.firstProgressS!.toFixed(1)} s)` : 'none']);
    }
    console.log(table(['file', 'size', 'passages', 'seconds', 'passages/s', 'vs baseline', 'progress updates inside the file'], rows));
    console.log('\nTarget: every pathological file within 2× of the baseline rate (≥ 0.50×).');
  } finally {
    await closeWorker();
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
