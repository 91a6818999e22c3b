import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../api/engine.js';
import { generateKeyPair, signBytes } from '../packs/keys.js';
import { sha256File } from '../models/downloader.js';
import { repoRoot, sharedModelsDir, hasShared } from '../testing/shared-paths.js';
import { PolicyEnforcer, systemPolicyDir } from './policy.js';

/** Each way a user of a managed laptop might step around the admin's policy, tried and refused. */

const resourcesDir = join(repoRoot, 'resources');
const skip = hasShared() ? false : 'shared/models is not beside the checkout';

async function temp(p: string) {
  return mkdtemp(join(tmpdir(), `lantern-bypass-${p}-`));
}

async function writePolicy(dir: string, policy: object) {
  const root = generateKeyPair();
  await mkdir(join(dir, 'root-keys'), { recursive: true });
  const bytes = Buffer.from(JSON.stringify({ formatVersion: 1, organisation: 'Northwind', issued: '2026-11-30', ...policy }));
  await writeFile(join(dir, 'policy.json'), bytes);
  await writeFile(join(dir, 'policy.json.sig'), signBytes(bytes, root.privateKeyPem));
  await writeFile(join(dir, 'root-keys', 'root.pem'), root.publicKeyPem);
}

test('a folder named by the user cannot replace the system policy folder', async () => {
  const system = await temp('system');
  const mine = await temp('mine');
  const data = await temp('data');
  try {
    // No system policy: the named folder serves (tests, development).
    assert.equal(systemPolicyDir(mine, system), mine);
    await writePolicy(system, { lockedSettings: { allowPersonalFolders: false } });
    // A system policy exists: an empty folder named by the user (option or variable) changes nothing.
    assert.equal(systemPolicyDir(mine, system), system);
    process.env.LANTERN_POLICY_DIR = mine;
    try {
      assert.equal(systemPolicyDir(undefined, system), system);
      const engine = await createEngine({
        dataDir: data,
        modelsDir: join(data, 'none'),
        resourcesDir,
        transport: 'cli',
        watch: false,
        policyDir: mine,
        platformPolicyDir: system,
      });
      try {
        assert.equal((await engine.call('policy.get', {})).organisation, 'Northwind');
        await assert.rejects(engine.call('library.addFolder', { path: data }), /Adding folders is not allowed by Northwind's policy/);
      } finally {
        await engine.close();
      }
    } finally {
      delete process.env.LANTERN_POLICY_DIR;
    }
  } finally {
    for (const d of [system, mine, data]) await rm(d, { recursive: true, force: true });
  }
});

test('a locked setting is refused whatever the value asked for', { skip }, async () => {
  const system = await temp('system-lock');
  const data = await temp('data-lock');
  await writePolicy(system, { lockedSettings: { topK: 3 } });
  const engine = await createEngine({ dataDir: data, modelsDir: join(data, 'none'), resourcesDir, transport: 'cli', watch: false, platformPolicyDir: system });
  try {
    await assert.rejects(engine.call('settings.set', { topK: 3 }), /topK is locked by your organisation's policy/);
    await assert.rejects(engine.call('settings.set', { topK: 7 }), /topK is locked by your organisation's policy/);
    // Other settings stay the user's.
    assert.equal((await engine.call('settings.set', { temperature: 0.2 })).values.temperature, 0.2);
  } finally {
    await engine.close();
    for (const d of [system, data]) await rm(d, { recursive: true, force: true });
  }
});

test('a model file swapped after its first check is hashed again and refused', { skip }, async () => {
  const dir = await temp('swap');
  try {
    const model = join(dir, 'model.gguf');
    await copyFile(join(sharedModelsDir(), 'llm', 'stories260K.gguf'), model);
    const approved = await sha256File(model);
    const enforcer = new PolicyEnforcer({
      kind: 'managed',
      source: 'test',
      policy: {
        formatVersion: 1,
        organisation: 'Northwind',
        issued: '2026-11-30',
        allowedModels: [{ name: 'approved', sha256: approved }],
        trustedSigners: [],
        requireSignedPacks: false,
      },
    });
    await enforcer.assertModelAllowed(model);
    // Same path, other bytes (another model copied over the approved one).
    await copyFile(join(sharedModelsDir(), 'llm', 'llama-2-tiny-random.gguf'), model);
    await assert.rejects(enforcer.assertModelAllowed(model), /not allowed by Northwind's policy/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the adapter a policy requires is checked by hash and cannot be dropped or scaled down', { skip }, async () => {
  const system = await temp('system-adapter');
  const data = await temp('data-adapter');
  const adapterDir = await temp('adapter');
  const adapter = join(adapterDir, 'tone.gguf');
  await copyFile(join(sharedModelsDir(), 'llm', 'lora', 'stories260K-lora-synthetic.gguf'), adapter);
  const sha = await sha256File(adapter);
  await writePolicy(system, { requiredAdapter: { file: adapter, sha256: sha, scale: 1 } });
  const model = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
  const engine = await createEngine({ dataDir: data, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false, platformPolicyDir: system });
  try {
    const status = await engine.call('models.load', { path: model });
    assert.deepEqual(
      status.llm?.adapters.map((a) => [a.path, a.scale]),
      [[adapter, 1]],
    );
    await assert.rejects(engine.call('adapters.apply', { adapters: [] }), /requires its adapter to stay applied/);
    await assert.rejects(engine.call('adapters.apply', { adapters: [{ path: adapter, scale: 0 }] }), /requires its adapter to stay applied at scale 1/);
    // The file is replaced by another adapter of the same name: loading is refused, nothing answers without it.
    await engine.call('models.unload', {});
    const bytes = Buffer.from(await import('node:fs/promises').then((fs) => fs.readFile(adapter)));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(adapter, bytes);
    await assert.rejects(engine.call('models.load', { path: model }), /not the one Northwind's policy requires/);
    assert.equal((await engine.call('models.status', {})).llm, null);
  } finally {
    await engine.close();
    for (const d of [system, data, adapterDir]) await rm(d, { recursive: true, force: true });
  }
});
