/**
 * Throughput on pathological files, against ordinary documents indexed in the same run (the
 * baseline): a 5 MB text file with no line break, a 200,000-row CSV, a 300-slide PPTX and a
 * 500-page PDF, each indexed alone through the app's pipeline (lexical, no embedding model).
 * Each file and its baseline are measured in alternation (see measurePair). Prints passages/s,
 * the ratio to the baseline (target ≥ 0.5×, i.e. within 2×), and how many
 * progress updates inside the file the user saw (IndexProgress.currentFileProgress).
 * Run: npm run bench -- pathological
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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

/**
 * Times the indexing run itself (runIndex: scan, read, parse, chunk, merge, commit), not the
 * bench's re-initialisation of the worker before it (a tokenizer load the app does once, not per
 * run): a fixed cost in every measurement would pull every ratio towards 1×, flattering a slow file.
 */
async function measure(name: string, dir: string): Promise<Measured> {
  let updates = 0;
  let first: number | null = null;
  let t0: number | null = null;
  const { index, summary } = await indexFolder(dir, join(dir, '..', `${name}-index`), (p) => {
    t0 ??= performance.now();
    if (p.currentFileProgress) {
      updates++;
      first ??= (performance.now() - t0) / 1000;
    }
  });
  const seconds = summary.timings.totalMs / 1000;
  let bytes = 0;
  for (const f of index.files) bytes += f.size;
  if (summary.errors) console.log(`${name}: ${summary.errors} file(s) failed: ${JSON.stringify(index.manifest.errors.map((e) => e.message))}`);
  await index.close();
  return { name, bytes, passages: summary.chunks, seconds, progressUpdates: updates, firstProgressS: first };
}

/**
 * A pathological file and its baseline measured in alternation, the same number of times, so the
 * shared machine's load at any moment falls on both alike. The ratio is the median of the pairs'
 * ratios, with their range; passages/s are each side's median run. Short runs are repeated more:
 * a 0.1 s deck measured once, minutes after its baseline, read anywhere from 0.34× to 2.17×.
 */
async function measurePair(baseName: string, baseDir: string, name: string, dir: string): Promise<{ base: Measured; file: Measured; ratios: number[] }> {
  const base: Measured[] = [await measure(baseName, baseDir)];
  const file: Measured[] = [await measure(name, dir)];
  const runs = Math.min(25, Math.max(3, Math.ceil(5 / Math.min(base[0].seconds, file[0].seconds))));
  for (let i = 1; i < runs; i++) {
    base.push(await measure(`${baseName}-${i}`, baseDir));
    file.push(await measure(`${name}-${i}`, dir));
  }
  const ratios = file.map((f, i) => rate(f) / rate(base[i])).sort((x, y) => x - y);
  return { base: medianRun(base), file: medianRun(file), ratios };
}

function medianRun(ms: Measured[]): Measured {
  return [...ms].sort((x, y) => x.seconds - y.seconds)[ms.length >> 1];
}

const rate = (m: Measured) => m.passages / m.seconds;

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
    // Baselines: ordinary files of the same format, so a slower format is not mistaken for a
    // super-linear path; the ordinary text baseline is printed as well.
    const normal = await make('normal', (d) => normalFiles(d, 200));
    const smallCsv = await make('small-csv', async (d) => {
      for (let i = 0; i < 40; i++) await bigCsv(join(d, `t${i}.csv`), 1_000, 1 + i * 5_000);
    });
    const smallPptx = await make('small-pptx', async (d) => {
      for (let i = 0; i < 30; i++) await bigPptx(join(d, `d${i}.pptx`), 10, 1000 + i);
    });
    const smallPdf = await make('small-pdf', async (d) => {
      for (let i = 0; i < 40; i++) await bigPdf(join(d, `p${i}.pdf`), 10, 2000 + i);
    });
    const files: [string, string, string][] = [
      ['single line 5 MB (.txt)', await make('line', (d) => singleLineText(join(d, 'one-line.txt'))), 'normal'],
      ['CSV 200,000 rows', await make('csv', (d) => bigCsv(join(d, 'rows.csv'))), 'csv'],
      ['PPTX 300 slides', await make('pptx', (d) => bigPptx(join(d, 'deck.pptx'))), 'pptx'],
      ['PDF 500 pages', await make('pdf', (d) => bigPdf(join(d, 'handbook.pdf'))), 'pdf'],
    ];
    // Warm-up so pdf.js and the tokenizer's first load do not count against the first file.
    await measure('warmup', normal);
    await measure('warmup-pdf', smallPdf);
    const baseDirs: Record<string, string> = { normal, csv: smallCsv, pptx: smallPptx, pdf: smallPdf };
    const label: Record<string, string> = {
      normal: '200 ordinary .md/.txt files',
      csv: '40 CSVs of 1,000 rows',
      pptx: '30 decks of 10 slides',
      pdf: '40 PDFs of 10 pages',
    };
    const pairs = [];
    for (const [name, dir, baseKey] of files)
      pairs.push({ name, baseKey, ...(await measurePair(`base-${baseKey}`, baseDirs[baseKey], name.replace(/\W+/g, '-'), dir)) });
    const textRate = rate(pairs[0].base);
    const rows: string[][] = pairs.map(({ baseKey, base: m }) => [
      `baseline: ${label[baseKey]}`,
      mb(m.bytes),
      String(m.passages),
      m.seconds.toFixed(2),
      rate(m).toFixed(0),
      '1.00×',
      '–',
      `${(rate(m) / textRate).toFixed(2)}×`,
      '–',
    ]);
    for (const { name, baseKey, file: m, ratios } of pairs) {
      rows.push([
        name,
        mb(m.bytes),
        String(m.passages),
        m.seconds.toFixed(2),
        rate(m).toFixed(0),
        `${ratios[ratios.length >> 1].toFixed(2)}× (${baseKey === 'normal' ? 'text' : baseKey})`,
        `${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)} (${ratios.length} pairs)`,
        `${(rate(m) / textRate).toFixed(2)}×`,
        m.progressUpdates ? `${m.progressUpdates} (first at ${m.firstProgressS!.toFixed(1)} s)` : 'none',
      ]);
    }
    console.log(
      table(
        [
          'file',
          'size',
          'passages',
          'seconds (median run)',
          'passages/s',
          'vs same-format baseline (median pair)',
          'pairs: min–max',
          'vs text baseline',
          'progress updates inside the file',
        ],
        rows,
      ),
    );
    console.log('\nTarget: every pathological file within 2× of the ordinary-file rate of its format (≥ 0.50×).');
  } finally {
    await closeWorker();
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
