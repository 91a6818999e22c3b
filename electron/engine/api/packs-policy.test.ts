import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from './engine.js';
import { generateKeyPair, saveKeyPair, signBytes } from '../packs/keys.js';
import { repoRoot, sharedModelsDir } from '../testing/shared-paths.js';

const resourcesDir = join(repoRoot, 'resources');

async function temp(p: string) {
  return mkdtemp(join(tmpdir(), `lantern-${p}-`));
}

async function writeDocs(dir: string) {
  await writeFile(join(dir, 'returns.md'), '# Returns\n\nUnused items may be returned within 30 days of purchase.\n');
  await writeFile(join(dir, 'travel.txt'), 'The daily meal allowance when travelling is 55 euros.\n');
}

/** Polls `get` until it returns something truthy (a background load, say), for up to 20 s. */
async function until<T>(get: () => Promise<T | null | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await get();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

/** Writes a signed policy folder: policy.json, its signature, and the root key that signed it. */
async function writePolicy(dir: string, policy: object, root = generateKeyPair()) {
  await mkdir(join(dir, 'root-keys'), { recursive: true });
  const bytes = Buffer.from(JSON.stringify(policy));
  await writeFile(join(dir, 'policy.json'), bytes);
  await writeFile(join(dir, 'policy.json.sig'), signBytes(bytes, root.privateKeyPem));
  await writeFile(join(dir, 'root-keys', 'root.pem'), root.publicKeyPem);
  return root;
}

test('a pack built from a collection imports on another machine and answers the same, offline, read-only', async () => {
  const adminData = await temp('admin');
  const laptopData = await temp('laptop');
  const docs = await temp('docs');
  const models = await temp('models');
  await writeDocs(docs);
  await cp(join(sharedModelsDir(), 'embed', 'test-random-bag-16d'), join(models, 'embed', 'test-random-bag-16d'), { recursive: true });
  const key = generateKeyPair();
  const keyFiles = await saveKeyPair(join(adminData, 'keys'), key);
  const admin = await createEngine({ dataDir: adminData, modelsDir: models, resourcesDir, transport: 'cli', watch: false });
  const packFile = join(adminData, 'handbook.lantern');
  let adminHits;
  try {
    await admin.call('settings.set', { embeddingModel: 'test-random-bag-16d' });
    const { id } = await admin.call('library.addFolder', { path: docs });
    await admin.idle();
    adminHits = await admin.call('search', { query: 'meal allowance travelling' });
    const built = await admin.call('packs.build', {
      collection: id,
      out: packFile,
      keyPath: keyFiles.privatePath,
      includeModel: true,
      version: '2026.12',
      publisher: 'Northwind IT',
    });
    assert.equal(built.pack.signed, true);
    assert.equal(built.pack.documents, 2);
  } finally {
    await admin.close();
  }
  // The laptop trusts the admin's key through a signed policy, and has no embedding model of its own.
  const policyDir = await temp('policy');
  await writePolicy(policyDir, {
    formatVersion: 1,
    organisation: 'Northwind',
    issued: '2026-11-24',
    trustedSigners: [{ keyId: key.keyId, publicKeyPem: key.publicKeyPem, name: 'Northwind IT' }],
    requireSignedPacks: true,
  });
  const laptop = await createEngine({ dataDir: laptopData, modelsDir: join(laptopData, 'no-models'), resourcesDir, transport: 'cli', watch: false, policyDir });
  try {
    const info = await laptop.call('packs.import', { path: packFile });
    assert.equal(info.publisher, 'Northwind IT');
    const [collection] = await laptop.call('library.list', {});
    assert.equal(collection.readOnly, true);
    assert.equal(collection.pack?.version, '2026.12');
    assert.equal(collection.lexicalOnly, false, 'the embedding model came with the pack');
    const hits = await laptop.call('search', { query: 'meal allowance travelling' });
    assert.deepEqual(
      hits.hits.map((h) => [h.location.relPath, h.text]),
      adminHits.hits.map((h) => [h.location.relPath, h.text]),
    );
    assert.equal(hits.mode, 'hybrid');
    // Citations open the document shipped inside the pack.
    const source = await laptop.call('source.open', { collection: collection.id, chunkId: hits.hits[0].chunkId });
    assert.equal(source.missing, false);
    assert.match(source.text!, /55 euros/);
    await assert.rejects(laptop.call('library.reindex', { collection: collection.id }), /read-only/);
  } finally {
    await laptop.close();
    for (const d of [adminData, laptopData, docs, models, policyDir]) await rm(d, { recursive: true, force: true });
  }
});

test('policy locks are enforced by the engine API, not only the UI', async () => {
  const data = await temp('managed');
  const policyDir = await temp('policy');
  await writePolicy(policyDir, {
    formatVersion: 1,
    organisation: 'Northwind',
    issued: '2026-11-24',
    lockedSettings: { topK: 3, allowPersonalFolders: false, allowDownloads: false },
    allowedModels: [{ name: 'approved', sha256: 'a'.repeat(64) }],
  });
  const engine = await createEngine({ dataDir: data, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false, policyDir });
  try {
    const view = await engine.call('settings.get', {});
    assert.equal(view.values.topK, 3);
    assert.ok(view.locked.includes('topK'));
    await assert.rejects(engine.call('settings.set', { topK: 8 }), /locked by your organisation/);
    await assert.rejects(engine.call('library.addFolder', { path: data }), /Adding folders is not allowed by Northwind's policy/);
    await assert.rejects(engine.call('models.download', {}), /Downloading models is not allowed/);
    await assert.rejects(engine.call('models.load', { path: join(sharedModelsDir(), 'llm', 'stories260K.gguf') }), /not allowed by Northwind's policy/);
    const info = await engine.call('app.info', {});
    assert.equal(info.policy.managed, true);
    assert.equal(info.policy.organisation, 'Northwind');
  } finally {
    await engine.close();
    await rm(data, { recursive: true, force: true });
  }
  // A tampered policy fails closed: nothing it would have allowed is allowed.
  const policyBytes = await readFile(join(policyDir, 'policy.json'), 'utf8');
  await writeFile(join(policyDir, 'policy.json'), policyBytes.replace('"topK":3', '"topK":9'));
  const data2 = await temp('tampered');
  const tampered = await createEngine({ dataDir: data2, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false, policyDir });
  try {
    const info = await tampered.call('app.info', {});
    assert.match(info.policy.organisation ?? '', /Invalid policy: its signature does not match/);
    await assert.rejects(tampered.call('library.addFolder', { path: data2 }), /not allowed/);
  } finally {
    await tampered.close();
    await rm(data2, { recursive: true, force: true });
    await rm(policyDir, { recursive: true, force: true });
  }
});

test('a pack that carries a LoRA adapter applies it when its base model is loaded', async () => {
  const adminData = await temp('admin-lora');
  const laptopData = await temp('laptop-lora');
  const docs = await temp('docs-lora');
  await writeDocs(docs);
  const adapter = join(sharedModelsDir(), 'llm', 'lora', 'stories260K-lora-synthetic.gguf');
  const packFile = join(adminData, 'stories.lantern');
  const admin = await createEngine({ dataDir: adminData, modelsDir: join(adminData, 'none'), resourcesDir, transport: 'cli', watch: false });
  try {
    const { id } = await admin.call('library.addFolder', { path: docs });
    await admin.idle();
    const built = await admin.call('packs.build', { collection: id, out: packFile, adapter: { path: adapter, scale: 0.5 } });
    assert.deepEqual(built.pack.adapter, { file: 'adapter/stories260K-lora-synthetic.gguf', scale: 0.5 });
  } finally {
    await admin.close();
  }
  const laptop = await createEngine({ dataDir: laptopData, modelsDir: join(laptopData, 'none'), resourcesDir, transport: 'cli', watch: false });
  try {
    await laptop.call('packs.import', { path: packFile, allowUnsigned: true });
    // The pack is lexical only here (no embedding model anywhere): it still answers.
    const [c] = await laptop.call('library.list', {});
    assert.equal(c.lexicalOnly, true);
    assert.ok((await laptop.call('search', { query: 'meal allowance' })).hits.length > 0);
    // Its adapter was made for stories260K: loading another model leaves it off, loading stories260K applies it.
    const other = await laptop.call('models.load', { path: join(sharedModelsDir(), 'llm', 'llama-2-tiny-random.gguf'), contextSize: 256 });
    assert.deepEqual(other.llm?.adapters, []);
    const status = await laptop.call('models.load', { path: join(sharedModelsDir(), 'llm', 'stories260K.gguf'), contextSize: 256 });
    assert.equal(status.llm?.adapters.length, 1);
    assert.match(status.llm!.adapters[0].path, /adapter[\\/]stories260K-lora-synthetic\.gguf$/);
    assert.equal(status.llm!.adapters[0].scale, 0.5);
  } finally {
    await laptop.close();
    for (const d of [adminData, laptopData, docs]) await rm(d, { recursive: true, force: true });
  }
});

test('a policy carried in a pack governs the laptop once verified against its root key; an unverifiable one is refused', async () => {
  const adminData = await temp('admin');
  const docs = await temp('docs');
  await writeDocs(docs);
  // The admin's policy folder: signed by the organisation's root key, which laptops have installed.
  const adminPolicy = await temp('admin-policy');
  const root = await writePolicy(adminPolicy, {
    formatVersion: 1,
    organisation: 'Contoso Field Ops',
    issued: '2026-11-25',
    lockedSettings: { topK: 4, allowPersonalFolders: false },
  });
  const admin = await createEngine({
    dataDir: adminData,
    modelsDir: sharedModelsDir(),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir: join(adminData, 'no-policy'),
  });
  const packFile = join(adminData, 'field.lantern');
  const llm = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
  try {
    const { id } = await admin.call('library.addFolder', { path: docs });
    await admin.idle();
    const built = await admin.call('packs.build', { collection: id, out: packFile, publisher: 'Contoso IT', version: '1', policyDir: adminPolicy, llm });
    assert.deepEqual(built.pack.policy, { organisation: 'Contoso Field Ops', issued: '2026-11-25' });
    assert.equal(built.pack.llm?.name, 'stories260K.gguf');
    assert.match(built.pack.llm?.sha256 ?? '', /^654970bb/);
  } finally {
    await admin.close();
  }

  // A laptop with the root key installed (and no policy of its own) takes the pack's policy.
  const laptopPolicy = await temp('laptop-policy');
  await mkdir(join(laptopPolicy, 'root-keys'), { recursive: true });
  await writeFile(join(laptopPolicy, 'root-keys', 'contoso.pem'), root.publicKeyPem);
  const laptopData = await temp('laptop');
  const laptop = await createEngine({
    dataDir: laptopData,
    modelsDir: sharedModelsDir(),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir: laptopPolicy,
  });
  const events: string[][] = [];
  laptop.on('settings.changed', (v) => events.push(v.locked));
  try {
    assert.equal((await laptop.call('app.info', {})).policy.managed, false);
    await laptop.call('library.addFolder', { path: docs }); // allowed before the pack arrives
    await laptop.call('packs.import', { path: packFile, allowUnsigned: true });
    const info = await laptop.call('app.info', {});
    assert.equal(info.policy.organisation, 'Contoso Field Ops');
    assert.ok(
      events.some((locked) => locked.includes('topK')),
      'clients are told the locks changed',
    );
    await assert.rejects(laptop.call('settings.set', { topK: 9 }), /locked by your organisation/);
    await assert.rejects(laptop.call('library.addFolder', { path: adminData }), /Adding folders is not allowed by Contoso Field Ops's policy/);
    // The answer model the pack names is on this machine (same hash): it loads without being asked.
    assert.match(await until(async () => (await laptop.call('models.status', {})).llm?.path), /stories260K\.gguf$/);
    // Removing the pack removes its policy.
    await laptop.call('packs.remove', { id: (await laptop.call('packs.list', {}))[0].id });
    assert.equal((await laptop.call('app.info', {})).policy.managed, false);
  } finally {
    await laptop.close();
  }

  // A laptop without that root key refuses the pack and keeps nothing of it.
  const strangerData = await temp('stranger');
  const strangerPolicy = await temp('stranger-policy');
  await mkdir(join(strangerPolicy, 'root-keys'), { recursive: true });
  await writeFile(join(strangerPolicy, 'root-keys', 'other.pem'), generateKeyPair().publicKeyPem);
  const stranger = await createEngine({
    dataDir: strangerData,
    modelsDir: sharedModelsDir(),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir: strangerPolicy,
  });
  try {
    await assert.rejects(
      stranger.call('packs.import', { path: packFile, allowUnsigned: true }),
      /carries an organisation policy that this computer cannot verify.*root key/,
    );
    assert.deepEqual(await stranger.call('packs.list', {}), []);
    assert.equal((await stranger.call('app.info', {})).policy.managed, false);
  } finally {
    await stranger.close();
  }

  // A system policy placed by an admin on the machine always wins over a pack's.
  const systemData = await temp('system');
  const systemPolicy = await temp('system-policy');
  await writePolicy(systemPolicy, { formatVersion: 1, organisation: 'Head Office', issued: '2026-01-01' }, root);
  const managed = await createEngine({
    dataDir: systemData,
    modelsDir: sharedModelsDir(),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir: systemPolicy,
  });
  try {
    await managed.call('packs.import', { path: packFile, allowUnsigned: true });
    assert.equal((await managed.call('app.info', {})).policy.organisation, 'Head Office');
    await managed.call('settings.set', { topK: 9 });
  } finally {
    await managed.close();
    for (const d of [adminData, docs, adminPolicy, laptopPolicy, laptopData, strangerData, strangerPolicy, systemData, systemPolicy])
      await rm(d, { recursive: true, force: true });
  }
});

test("the policy's default answer model loads at start, checked against the hash the policy pins", async () => {
  const data = await temp('default-model');
  const policyDir = await temp('policy');
  const stories = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
  await writePolicy(policyDir, {
    formatVersion: 1,
    organisation: 'Northwind',
    issued: '2026-11-25',
    allowedModels: [{ name: 'stories260K.gguf', sha256: '654970bb167063a215f04e2541bdb43d1131e249986d6f007aaa2f9f3ac0520b' }],
    defaultModel: 'stories260K.gguf',
  });
  const engine = await createEngine({ dataDir: data, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false, policyDir });
  try {
    assert.equal(await until(async () => (await engine.call('models.status', {})).llm?.path), stories);
    // Any other model stays refused.
    await assert.rejects(engine.call('models.load', { path: join(sharedModelsDir(), 'llm', 'llama-2-tiny-random.gguf') }), /not allowed by Northwind's policy/);
  } finally {
    await engine.close();
    for (const d of [data, policyDir]) await rm(d, { recursive: true, force: true });
  }
});
