#!/usr/bin/env node
/**
 * Fails when modules of ours import each other in a cycle (electron/ and renderer/src). Type-only
 * imports count too: a cycle of types still ties two modules' designs together. Uses TypeScript's
 * own import scanner, so comments and strings never confuse it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const roots = ['electron', 'renderer/src'].map((d) => join(root, d));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|cts|mts)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec).replace(/\.(c|m)?js$/, '');
  for (const candidate of [base + '.ts', base + '.tsx', base + '.cts', base + '.mts', join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const files = roots.flatMap((r) => (existsSync(r) ? walk(r) : []));
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  graph.set(file, importedFiles.map((i) => resolveImport(file, i.fileName)).filter(Boolean));
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
let index = 0;
const stack = [];
const onStack = new Set();
const idx = new Map();
const low = new Map();
const cycles = [];
function strongConnect(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strongConnect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) strongConnect(v);

for (const c of cycles)
  console.log(
    `import cycle: ${c
      .map((f) => relative(root, f))
      .sort()
      .join(' <-> ')}`,
  );
console.log(`Import cycles: ${cycles.length} among ${files.length} modules.`);
process.exit(cycles.length ? 1 : 0);
