/**
 * "Import pack…" and "Build pack" in the browser: the file goes up as an upload, a built pack
 * comes back as a one-time download, and nothing the page says decides where the engine writes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../engine/api/engine.js';
import { repoRoot } from '../engine/testing/shared-paths.js';
import { startWebHost, type WebHost } from './web-host.js';

let work: string;
let engine: Engine;
let host: WebHost;
let collection: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lantern-transfer-'));
  await mkdir(join(work, 'docs'));
  await mkdir(join(work, 'static'));
  await writeFile(join(work, 'static', 'index.html'), '<!doctype html><title>Lantern</title>');
  await writeFile(join(work, 'docs', 'returns.md'), '# Returns\n\nUnused items may be returned within 30 days.\n');
  const dataDir = join(work, 'data');
  engine = await createEngine({
    dataDir,
    modelsDir: join(work, 'none'),
    resourcesDir: join(repoRoot, 'resources'),
    transport: 'web',
    watch: false,
    policyDir: join(work, 'no-policy'),
  });
  collection = (await engine.call('library.addFolder', { path: join(work, 'docs') })).id;
  await engine.idle();
  host = await startWebHost({
    api: engine,
    staticDir: join(work, 'static'),
    transfers: { uploadDir: join(dataDir, 'uploads'), exportsDir: engine.exportsDir },
  });
});
after(async () => {
  await host.close();
  await engine.close();
  await rm(work, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${host.port}`;
const auth = () => ({ authorization: `Bearer ${host.token}` });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies of several calls, read field by field
type Reply = { ok: boolean; result?: any; error?: { code: string; message: string } };
async function call(name: string, input: unknown): Promise<{ status: number; body: Reply }> {
  const r = await fetch(`${base()}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth() },
    body: JSON.stringify(input),
  });
  return { status: r.status, body: (await r.json()) as Reply };
}

async function upload(bytes: Buffer, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(`${base()}/api/upload/pack`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body: new Uint8Array(bytes),
  });
}

test('a built pack comes back as a one-time download; the page cannot name where it is written', async () => {
  const victim = join(work, 'victim.txt');
  await writeFile(victim, 'precious');
  const built = await call('packs.build', { collection, out: victim, version: '7' });
  assert.equal(built.status, 200, JSON.stringify(built.body));
  assert.equal(await readFile(victim, 'utf8'), 'precious');
  const link: string = built.body.result.download;
  assert.match(link, /^\/api\/download\/[0-9a-f]{64}$/);
  const onDisk = await readFile(built.body.result.file);
  const got = await fetch(base() + link);
  assert.equal(got.status, 200);
  assert.match(got.headers.get('content-disposition') ?? '', /attachment; filename=".*-7\.lantern"/);
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), onDisk);
  assert.equal((await fetch(base() + link)).status, 404, 'a link works once');
  assert.equal((await fetch(`${base()}/api/download/${'0'.repeat(64)}`)).status, 404);
  await writeFile(join(work, 'pack.lantern'), onDisk);
});

test('an uploaded pack previews and imports; a file that is not a pack gets a 4xx with a message', async () => {
  const pack = await readFile(join(work, 'pack.lantern'));
  const up = await upload(pack);
  assert.equal(up.status, 200);
  const { result } = (await up.json()) as { result: { path: string } };
  const preview = await call('packs.inspect', { path: result.path });
  assert.equal(preview.status, 200);
  assert.equal(preview.body.result.pack.trust, 'unsigned');
  assert.deepEqual(preview.body.result.documentList, ['returns.md']);
  const refused = await call('packs.import', { path: result.path });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error?.code, 'consent-required');
  assert.equal((await call('packs.import', { path: result.path, allowUnsigned: true })).status, 200);

  for (const [label, bytes] of [
    ['text', Buffer.from('hello, not a pack')],
    ['zip without a manifest', Buffer.from('504b0506000000000000000000000000000000000000', 'hex')],
  ] as const) {
    const u = await upload(bytes);
    const path = ((await u.json()) as { result: { path: string } }).result.path;
    for (const name of ['packs.inspect', 'packs.import', 'packs.verify']) {
      const r = await call(name, { path, allowUnsigned: true });
      assert.equal(r.status, 422, `${label} → ${name}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error?.message ?? '', /not a (Lantern|knowledge) pack|damaged/i);
    }
  }
  assert.equal((await upload(Buffer.alloc(0))).status, 400);
});

test('uploads need the token and the app’s own origin', async () => {
  assert.equal((await upload(Buffer.from('x'), {})).status, 401);
  assert.equal((await upload(Buffer.from('x'), { ...auth(), origin: 'http://evil.example' })).status, 403);
  const wrongType = await fetch(`${base()}/api/upload/pack`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: '{}' });
  assert.equal(wrongType.status, 415);
  assert.ok(existsSync(join(work, 'data', 'uploads')));
});
