#!/usr/bin/env node
/**
 * `npm test`: every check, with one closing line "N passed, N failed[, N skipped]".
 *   1. typecheck (tsc)            — one check
 *   2. unit and integration tests  — node:test on Node 24 (the Node major Electron 45 embeds)
 *   3. lint                        — ESLint (type-aware, layers), Prettier, import cycles, Electronegativity
 *   4. end-to-end tests            — Playwright driving the real app in Chromium
 * Pass --unit to run only 2, --e2e only 4.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const only = args.has('--unit') ? 'unit' : args.has('--e2e') ? 'e2e' : null;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const node = existsSync(bin('node')) ? bin('node') : process.execPath;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function check(name, ok) {
  if (ok) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

async function typecheck() {
  console.log('\n== typecheck');
  const engine = await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  check('typecheck (engine, shell, tests)', engine.code === 0);
  const renderer = await run(bin('tsc'), ['-p', 'renderer/tsconfig.json', '--noEmit']);
  check('typecheck (renderer)', renderer.code === 0);
}

async function unit() {
  console.log(`\n== unit and integration tests (node ${(await run(node, ['--version'])).out.trim()})`);
  const { code, out } = await run(node, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    '--test-reporter=spec',
    'electron/**/*.test.ts',
    'scripts/**/*.test.ts',
    'bench/**/*.test.ts',
  ]);
  const num = (label) => Number(out.match(new RegExp(`ℹ ${label} (\\d+)`))?.[1] ?? 0);
  const pass = num('pass');
  const fail = num('fail') + num('cancelled');
  totals.passed += pass;
  totals.failed += fail;
  totals.skipped += num('skipped') + num('todo');
  if (fail) failures.push(`${fail} unit test(s)`);
  if (code !== 0 && fail === 0) check('unit test runner', false);
}

async function lint() {
  console.log('\n== ESLint (promises, layers) — zero warnings allowed');
  const eslint = await run(bin('eslint'), ['--max-warnings', '0', '.']);
  check('eslint', eslint.code === 0);
  console.log('\n== Prettier (formatting)');
  const prettier = await run(bin('prettier'), ['--check', '--log-level', 'warn', '.']);
  check('prettier', prettier.code === 0);
  console.log('\n== import cycles');
  const cycles = await run(node, ['scripts/import-cycles.mjs']);
  check('import cycles', cycles.code === 0);
}

async function electronegativity() {
  console.log('\n== Electronegativity (Electron security checklist)');
  if (!existsSync(join(root, 'scripts', 'electronegativity.mjs'))) return;
  const { code } = await run(node, ['scripts/electronegativity.mjs']);
  check('electronegativity', code === 0);
}

async function e2e() {
  console.log('\n== build the renderer for the end-to-end tests');
  const built = await run(bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  check('renderer build', built.code === 0);
  if (built.code !== 0) return;
  console.log('\n== end-to-end tests (Playwright + Chromium)');
  const report = join(mkdtempSync(join(tmpdir(), 'lantern-pw-')), 'report.json');
  const { code } = await run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  if (!existsSync(report)) {
    check('e2e runner', false);
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const stats = json.stats ?? {};
  // Say plainly what was skipped and why.
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        for (const r of t.results ?? []) {
          if (r.status === 'skipped')
            console.log(
              `skipped: ${spec.title} — ${
                (t.annotations ?? [])
                  .map((a) => a.description)
                  .filter(Boolean)
                  .join('; ') || 'no reason given'
              }`,
            );
        }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of json.suites ?? []) walk(suite);
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
  if (stats.unexpected) failures.push(`${stats.unexpected} e2e test(s)`);
  if (code !== 0 && !stats.unexpected) check('e2e runner', false);
}

if (!only) await typecheck();
if (only !== 'e2e') await unit();
if (!only) await lint();
if (!only) await electronegativity();
if (only !== 'unit' && existsSync(join(root, 'e2e', 'playwright.config.ts'))) await e2e();

if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed ? 1 : 0);
