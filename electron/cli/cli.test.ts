/**
 * The `lantern` command as a script or a person uses it: complete output through a slow pipe,
 * a non-zero exit on every error, and pack commands that say who signed a pack.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, saveKeyPair } from '../engine/packs/keys.js';
import { repoRoot } from '../engine/testing/shared-paths.js';

let work: string;
let dataDir: string;
const node = join(repoRoot, 'node_modules', '.bin', 'node');

function lantern(args: string[], opts: { dataDir?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    node,
    ['--import', 'tsx', 'electron/cli/main.ts', '--data-dir', opts.dataDir ?? dataDir, '--models-dir', join(work, 'no-models'), ...args],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lantern-cli-'));
  dataDir = join(work, 'data');
  const docs = join(work, 'docs');
  await mkdir(docs);
  // Enough passages that 200 results in JSON are well over a pipe's 64 KB buffer.
  for (let i = 0; i < 220; i++)
    await writeFile(join(docs, `note-${i}.md`), `# Allowance note ${i}\n\n${`The travel allowance for trip ${i} covers meals and lodging. `.repeat(12)}\n`);
  const r = lantern(['index', docs, '--collection', 'Notes']);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rm(work, { recursive: true, force: true }));

test('search --k 200 --json through a slow pipe prints exactly what it prints to a file', async () => {
  const base = `${sh(node)} --import tsx electron/cli/main.ts --data-dir ${sh(dataDir)} --models-dir ${sh(join(work, 'no-models'))} search "travel allowance" --k 200 --json`;
  const toFile = join(work, 'out.json');
  const file = spawnSync('bash', ['-c', `${base} > ${sh(toFile)}`], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(file.status, 0, file.stderr);
  const size = (await stat(toFile)).size;
  assert.ok(size > 200_000, `${size} bytes: enough to overflow a pipe`);
  // The reader starts late, as `wc -c` behind a busy terminal would: the CLI must wait for it.
  const piped = spawnSync('bash', ['-o', 'pipefail', '-c', `${base} | (sleep 2; cat)`], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(piped.status, 0, piped.stderr);
  // Both runs print the same results; only the time taken may differ (a byte or two).
  const fromFile = JSON.parse(await readFile(toFile, 'utf8'));
  assert.ok(Math.abs(Buffer.byteLength(piped.stdout) - size) < 10, `${Buffer.byteLength(piped.stdout)} bytes through the pipe, ${size} to a file`);
  const fromPipe = JSON.parse(piped.stdout);
  assert.equal(fromPipe.hits.length, 200);
  assert.deepEqual(fromPipe.hits, fromFile.hits);
});

test('ask: a question the notes do not cover says so and names the word no passage holds', () => {
  const r = lantern(['ask', 'What is the travel allowance for trips to Japan?']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Not found \(no passage mentions "Japan" with the rest of the question\)/);
  assert.match(r.stdout, /Closest passages:/);
});

test('every error exits non-zero with a message', () => {
  const cases: [string[], number, RegExp][] = [
    [['search'], 2, /query/],
    [['nonsense'], 2, /Unknown command/],
    [['pack', 'import', join(work, 'missing.lantern')], 1, /No file at/],
    [['pack', 'verify', join(repoRoot, 'package.json')], 1, /not a Lantern pack|damaged/],
    [['index', join(work, 'no-such-folder')], 1, /does not exist/],
  ];
  for (const [args, code, message] of cases) {
    const r = lantern(args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('pack import: unsigned needs --allow-unsigned, an unknown signer --trust-key; the signer is always named', async () => {
  const key = generateKeyPair();
  const keys = await saveKeyPair(join(work, 'keys'), key);
  const unsigned = join(work, 'unsigned.lantern');
  const signed = join(work, 'signed.lantern');
  assert.equal(lantern(['pack', 'build', '--collection', 'Notes', '--out', unsigned, '--version', '1']).status, 0);
  assert.equal(lantern(['pack', 'build', '--collection', 'Notes', '--out', signed, '--version', '2', '--key', keys.privatePath]).status, 0);

  const laptop = join(work, 'laptop');
  let r = lantern(['pack', 'import', unsigned], { dataDir: laptop });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not signed.*--allow-unsigned/);
  r = lantern(['pack', 'import', unsigned, '--allow-unsigned'], { dataDir: laptop });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /unsigned: nothing proves who made it/);
  assert.doesNotMatch(r.stdout, /undefined/);

  const inspect = lantern(['pack', 'inspect', signed], { dataDir: join(work, 'fresh') });
  assert.match(inspect.stdout, new RegExp(`signed by key ${key.keyId} \\(fingerprint [0-9a-f]{64}\\), NOT trusted on this computer`));
  assert.match(inspect.stdout, /note-0\.md/);
  assert.match(inspect.stdout, /Import needs: --trust-key/);

  const fresh = join(work, 'fresh');
  r = lantern(['pack', 'import', signed], { dataDir: fresh });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /does not trust.*--trust-key/);
  r = lantern(['pack', 'import', signed, '--trust-key', keys.publicPath], { dataDir: fresh });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`signed by key ${key.keyId} .*trusted on this computer`));
  assert.doesNotMatch(r.stdout, /NOT trusted|undefined/);
});
