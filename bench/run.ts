/**
 * `npm run bench [-- name…]`: every benchmark in turn, each printing its figures with ratios
 * against a baseline measured in the same run. Names: see `all` below.
 * Benchmarks are scripts, not tests: nothing here fails a build.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { cpus, totalmem } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const all: Record<string, string> = {
  indexing: 'indexing.ts',
  'query-scale': 'query-scale.ts',
  'vector-limit': 'vector-limit.ts',
  'lexical-build': 'lexical-build.ts',
  scifact: 'scifact.ts',
  answer: 'answer-pipeline.ts',
  'llm-baseline': 'llm-baseline.ts',
  packs: 'packs.ts',
  rerank: 'rerank.ts',
  eval: 'eval.ts',
  trust: 'trust.ts',
  heldout: 'heldout.ts',
  faults: 'faults.ts',
  remote: 'remote.ts',
  qa: 'qa.ts',
  pathological: 'pathological.ts',
  hostile: 'hostile.ts',
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(all);

console.log(
  `# Lantern benchmarks — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
for (const name of names) {
  const file = all[name];
  if (!file) {
    console.error(`Unknown benchmark "${name}". Choose from: ${Object.keys(all).join(', ')}`);
    process.exit(2);
  }
  const path = join(here, file);
  if (!existsSync(path)) {
    console.log(`\n## ${name}: not available (${file} missing)`);
    continue;
  }
  const mod = await import(pathToFileURL(path).href);
  const t0 = performance.now();
  await mod.main();
  console.log(`\n(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
