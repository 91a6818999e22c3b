/**
 * Lexical index build time on SciFact's 5,183 abstracts: Lantern's BM25 index (add every
 * abstract, then commit it to disk) against SQLite FTS5 (porter unicode61: the same stemming;
 * one transaction into an on-disk database), each in a fresh process so both build cold, in
 * interleaved rounds. FTS5 runs through Python's sqlite3 module (better-sqlite3 is not a
 * dependency); without python3 the FTS5 rows are skipped. Parsing the corpus is not timed.
 *   npm run bench -- lexical-build [--rounds=5]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LexicalIndex } from '../electron/engine/lexical/lexical-index.js';
import { sharedDatasetsDir } from '../electron/engine/testing/shared-paths.js';
import { loadSciFact } from './lib/mixed-corpus.js';
import { table, ratio } from './lib/report.js';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Child body: one cold build; prints {cpuMs, wallMs, docs}. */
async function lanternBuild(): Promise<void> {
  const docs = await loadSciFact();
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lexbuild-'));
  const c = cpuMs();
  const t = performance.now();
  const index = LexicalIndex.create();
  docs.forEach((d, i) => index.add({ id: i, title: d.title, body: d.text }));
  await index.save(dir, 1);
  console.log(JSON.stringify({ cpuMs: cpuMs() - c, wallMs: performance.now() - t, docs: docs.length }));
  await rm(dir, { recursive: true, force: true });
}

const FTS5 = `
import json, os, sqlite3, sys, tempfile, time
docs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
d = tempfile.mkdtemp()
db = sqlite3.connect(os.path.join(d, 'fts.db'))
c0, t0 = time.process_time(), time.perf_counter()
db.execute("create virtual table docs using fts5(title, body, tokenize='porter unicode61')")
with db:
    db.executemany("insert into docs(rowid, title, body) values (?, ?, ?)", ((i, x['title'], x['text']) for i, x in enumerate(docs)))
c1, t1 = time.process_time(), time.perf_counter()
print(json.dumps({'cpuMs': (c1 - c0) * 1000, 'wallMs': (t1 - t0) * 1000, 'docs': len(docs), 'sqlite': sqlite3.sqlite_version}))
`;

function fts5Build(): { cpuMs: number; wallMs: number; docs: number; sqlite: string } | null {
  try {
    const out = execFileSync('python3', ['-c', FTS5, join(sharedDatasetsDir(), 'scifact', 'corpus.jsonl')], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!);
  } catch {
    return null;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export async function main(): Promise<void> {
  const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);
  console.log(`\n## Lexical build: SciFact abstracts, Lantern vs SQLite FTS5 (fresh process each, ${rounds} interleaved rounds, medians)\n`);
  const lantern: Array<{ cpuMs: number; wallMs: number }> = [];
  const fts: Array<{ cpuMs: number; wallMs: number }> = [];
  let sqlite = '';
  for (let r = 0; r < rounds; r++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' });
    lantern.push(JSON.parse(out.trim().split('\n').pop()!));
    const f = fts5Build();
    if (f) {
      fts.push(f);
      sqlite = f.sqlite;
    }
  }
  const L = { cpu: median(lantern.map((x) => x.cpuMs)), wall: median(lantern.map((x) => x.wallMs)) };
  const F = fts.length ? { cpu: median(fts.map((x) => x.cpuMs)), wall: median(fts.map((x) => x.wallMs)) } : null;
  const rows = [['Lantern BM25 (add + commit)', `${L.cpu.toFixed(0)} ms`, `${L.wall.toFixed(0)} ms`, F ? ratio(L.cpu, F.cpu) : 'n/a']];
  if (F) rows.push([`SQLite ${sqlite} FTS5 (porter unicode61)`, `${F.cpu.toFixed(0)} ms`, `${F.wall.toFixed(0)} ms`, '1.00×']);
  console.log(table(['engine', 'CPU', 'wall', 'CPU vs FTS5'], rows));
  if (!F) console.log('\n(FTS5 not measured: python3 with sqlite3 is not available here.)');
  else console.log(`\nTarget: Lantern within 1.5× of FTS5 (${L.cpu <= 1.5 * F.cpu ? 'met' : 'MISSED'}).`);
}

if (process.argv[2] === '--child') await lanternBuild();
