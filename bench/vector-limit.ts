/**
 * How far Lantern's vector query is from the C limit of its own algorithm: the same sign-code
 * prefilter, threshold rule, int16 rescoring and top-k (bench/lib/c-limit.c), compiled here with
 * `cc -O3 -march=native` and run over the same bytes (the shards' side-cars) and queries as
 * Lantern. Lantern (WebAssembly kernels, and its plain-loop fallback) and C run in fresh processes,
 * interleaved round by round; CPU ms per query, the ratio to C, and whether both return the same
 * top-10 ids for every query. Fixtures are query-scale's (bench/.work/vectors-<n>).
 *   npm run bench -- vector-limit [--sizes=200k,1M] [--queries=200] [--rounds=3]
 * Without a C compiler (none of $CC, cc, gcc, clang) the C column is skipped, and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';
import { SIDECAR_FILE } from '../electron/engine/vector/shard-sidecar.js';
import type { ShardRef } from '../electron/engine/vector/vector-store.js';
import { table } from './lib/report.js';
import { DIM, files, prepareFixture } from './lib/vector-fixtures.js';

const K = 10;
/** Untimed queries before timing: the first (open) and five warm-up, as vector-engines.ts does. */
const WARM_UP = 6;

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const count = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`Cannot read the size "${s}": use e.g. 200k, 1M.`);
  return Math.round(Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2].toLowerCase()] ?? 1));
};
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Compiles c-limit.c with the first C compiler found; null (and why) when there is none or it fails. */
function compile(outDir: string): { exe: string | null; cc?: string; why?: string } {
  const src = fileURLToPath(new URL('./lib/c-limit.c', import.meta.url));
  const exe = join(outDir, 'c-limit');
  const compilers = [process.env.CC, 'cc', 'gcc', 'clang'].filter((c): c is string => !!c);
  for (const cc of compilers) {
    // -ffp-contract=off: no fused multiply-add, so float32 scores round exactly as in WebAssembly.
    const r = spawnSync(cc, ['-O3', '-march=native', '-ffp-contract=off', '-o', exe, src], { encoding: 'utf8' });
    if (r.error) continue;
    if (r.status === 0) return { exe, cc };
    return { exe: null, why: `${cc} failed: ${r.stderr.trim().split('\n')[0]}` };
  }
  return { exe: null, why: `no C compiler found (tried ${compilers.join(', ')})` };
}

interface Run {
  cpuMs: number;
  /** C only: of cpuMs, the sign-code pass (distances, histogram, threshold). */
  prefilterMs?: number;
  results: number[][];
}

function runLantern(dir: string, queries: number, kernels: 'wasm' | 'js'): Run {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./lib/vector-engines.ts', import.meta.url)), '--engine', 'lantern', dir, String(queries)],
    { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LANTERN_VECTOR_KERNELS: kernels } },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

function runC(exe: string, dir: string, packs: string[], queries: number): Run {
  const out = execFileSync(exe, [String(DIM), String(K), join(dir, files.queries), String(WARM_UP), ...packs], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const r = JSON.parse(out) as Run;
  return { cpuMs: r.cpuMs, prefilterMs: r.prefilterMs, results: r.results.slice(0, queries) };
}

/** Queries (of the first `n`) whose top-10 ids differ between two runs, in order. */
const differing = (a: Run, b: Run) => a.results.filter((ids, q) => JSON.stringify(ids) !== JSON.stringify(b.results[q])).length;

export async function main(): Promise<void> {
  const sizes = (arg('sizes') ?? '200k,1M').split(',').map(count);
  const queries = Number(arg('queries') ?? 200);
  const rounds = Number(arg('rounds') ?? 3);
  const tmp = await mkdtemp(join(tmpdir(), 'lantern-c-limit-'));
  try {
    const c = compile(tmp);
    console.log(
      `\n## Vector query vs the C limit of the same algorithm (384-d, k = ${K}, ${queries} queries, ${rounds} interleaved round(s), fresh process each)\n`,
    );
    console.log(c.exe ? `C: ${c.cc} -O3 -march=native -ffp-contract=off bench/lib/c-limit.c` : `C column skipped: ${c.why}.`);
    const rows: string[][] = [];
    for (const n of sizes) {
      const dir = join(repoRoot, 'bench', '.work', `vectors-${n}`);
      await prepareFixture(dir, n, queries, false);
      const refs = JSON.parse(await readFile(join(dir, files.lanternRefs), 'utf8')) as ShardRef[];
      const packs = refs.map((r) => join(dir, files.lantern, r.dir, SIDECAR_FILE));
      const missing = packs.find((p) => !existsSync(p));
      if (missing) throw new Error(`The fixture at ${dir} has no side-car ${missing}: delete the folder to rebuild it.`);
      const runs = { wasm: [] as Run[], js: [] as Run[], c: [] as Run[] };
      for (let r = 0; r < rounds; r++) {
        runs.wasm.push(runLantern(dir, queries, 'wasm'));
        if (c.exe) runs.c.push(runC(c.exe, dir, packs, queries));
        runs.js.push(runLantern(dir, queries, 'js'));
        const line = [`${label(n)} round ${r + 1}: Lantern ${runs.wasm[r].cpuMs.toFixed(2)} ms`, `plain-loop kernels ${runs.js[r].cpuMs.toFixed(2)} ms`];
        if (c.exe)
          line.push(
            `C ${runs.c[r].cpuMs.toFixed(2)} ms (sign-code pass ${runs.c[r].prefilterMs!.toFixed(2)}), Lantern ÷ C ${(runs.wasm[r].cpuMs / runs.c[r].cpuMs).toFixed(2)}×`,
          );
        console.log(line.join(', '));
      }
      const lantern = median(runs.wasm.map((r) => r.cpuMs));
      const js = median(runs.js.map((r) => r.cpuMs));
      const cMs = c.exe ? median(runs.c.map((r) => r.cpuMs)) : NaN;
      const same = (others: Run[]) => (others.length ? `${queries - Math.max(...others.map((o) => differing(runs.wasm[0], o)))}/${queries}` : '–');
      rows.push([
        label(n),
        `${lantern.toFixed(2)} ms`,
        `${js.toFixed(2)} ms`,
        c.exe ? `${cMs.toFixed(2)} ms` : '–',
        c.exe ? `${(lantern / cMs).toFixed(2)}×` : '–',
        c.exe ? `${(js / cMs).toFixed(2)}×` : '–',
        same(runs.c),
        same([...runs.js, ...runs.wasm.slice(1)]),
      ]);
    }
    console.log(
      '\n' +
        table(
          [
            'vectors',
            'Lantern CPU/query',
            'plain-loop kernels',
            'C, same algorithm',
            'Lantern ÷ C',
            'plain loops ÷ C',
            'same top-10 as C',
            'same top-10, all Lantern runs',
          ],
          rows,
        ),
    );
    console.log('\n(medians over rounds; "same top-10": queries whose 10 ids, in order, are identical.)');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
