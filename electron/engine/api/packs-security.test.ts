/**
 * Crafted packs, as an attacker would make them, against the real engine: each is tried on a
 * laptop with no policy and on one whose policy trusts the signer (where "any trusted signer"
 * could otherwise smuggle the same thing in).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import yazl from 'yazl';
import yauzl from 'yauzl';
import { createHash, createPublicKey } from 'node:crypto';
import { createEngine, type Engine } from './engine.js';
import { generateKeyPair, signBytes, type KeyPair } from '../packs/keys.js';
import { buildPack } from '../packs/pack-writer.js';
import { verifyPack } from '../packs/pack-reader.js';
import type { PackManifest } from '../packs/pack-format.js';
import { repoRoot } from '../testing/shared-paths.js';

const resourcesDir = join(repoRoot, 'resources');
const A = generateKeyPair();
const B = generateKeyPair();
let work: string;
/** The admin's pack, unpacked: every crafted pack starts from these files. */
let baseDir: string;
let baseMeta: Omit<PackManifest, 'files' | 'formatVersion'>;
/** A file outside any pack that a crafted pack tries to make Lantern read. */
let secret: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lantern-packsec-'));
  const docs = join(work, 'docs');
  await mkdir(docs);
  await writeFile(join(docs, 'returns.md'), '# Returns\n\nUnused items may be returned within 30 days of purchase.\n');
  await writeFile(join(docs, 'travel.txt'), 'The daily meal allowance when travelling is 55 euros.\n');
  secret = join(work, 'secret', 'credentials.txt');
  await mkdir(join(work, 'secret'));
  await writeFile(secret, 'The vault password is swordfish, the meal allowance secret.\n');
  const admin = await createEngine({
    dataDir: join(work, 'admin'),
    modelsDir: join(work, 'no-models'),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir: join(work, 'no-policy'),
  });
  const packFile = join(work, 'base.lantern');
  try {
    const { id } = await admin.call('library.addFolder', { path: docs });
    await admin.idle();
    await admin.call('packs.build', { collection: id, out: packFile, version: '1', publisher: 'Northwind IT' });
  } finally {
    await admin.close();
  }
  baseDir = join(work, 'base');
  const v = await verifyPack(packFile, { trustedKeys: [], requireSignature: false }, { extractTo: baseDir });
  const { files: _f, formatVersion: _v, ...meta } = v.manifest;
  baseMeta = { ...meta, id: 'handbook' };
});
after(() => rm(work, { recursive: true, force: true }));

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
  return out.sort();
}

let n = 0;
/** A pack made from the admin's files after `mutate` had its way with them, signed with `key` (or not). */
async function craft(
  opts: {
    key?: KeyPair;
    version?: string;
    mutate?: (dir: string, meta: typeof baseMeta) => Promise<void> | void;
    extra?: { archivePath: string; sourcePath: string }[];
  } = {},
): Promise<string> {
  const dir = join(work, `craft-${++n}`);
  await mkdir(dir);
  for (const f of await listFiles(baseDir)) {
    await mkdir(join(dir, f, '..'), { recursive: true });
    await writeFile(join(dir, f), await readFile(join(baseDir, f)));
  }
  const meta = structuredClone({ ...baseMeta, version: opts.version ?? '1' });
  await opts.mutate?.(dir, meta);
  const entries = (await listFiles(dir)).map((f) => ({ archivePath: f, sourcePath: join(dir, f) }));
  const { file } = await buildPack({
    out: join(work, `crafted-${n}.lantern`),
    manifest: meta,
    entries: [...entries, ...(opts.extra ?? [])],
    privateKeyPem: opts.key?.privateKeyPem,
  });
  return file;
}

/** Rewrites a pack's archive with `edit` applied to its entries, laid out exactly as Lantern writes them. */
async function rezip(file: string, edit: (entries: Map<string, Buffer>) => void): Promise<string> {
  const dir = join(work, `rezip-${++n}`);
  const v = await verifyPack(file, { trustedKeys: [], requireSignature: false }, { extractTo: dir });
  const entries = new Map<string, Buffer>([['lantern-pack.json', v.manifestBytes]]);
  const sig = await readZipEntry(file, 'lantern-pack.sig');
  if (sig) entries.set('lantern-pack.sig', sig);
  for (const f of v.manifest.files) entries.set(f.path, await readFile(join(dir, f.path)));
  edit(entries);
  const zip = new yazl.ZipFile();
  const order = ['lantern-pack.json', 'lantern-pack.sig', ...[...entries.keys()].filter((k) => !k.startsWith('lantern-pack.')).sort()];
  for (const name of order)
    if (entries.has(name)) zip.addBuffer(entries.get(name)!, name, { mtime: new Date(2020, 0, 1, 0, 0, 0), mode: 0o100644, forceDosTimestamp: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const out = join(work, `rezipped-${n}.lantern`);
  await writeFile(out, Buffer.concat(chunks));
  return out;
}

function readZipEntry(file: string, name: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return zip.readEntry();
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => (zip.close(), resolve(Buffer.concat(chunks))));
        });
      });
      zip.on('end', () => resolve(null));
      zip.readEntry();
    }),
  );
}

async function writePolicy(dir: string, policy: object): Promise<void> {
  const root = generateKeyPair();
  await mkdir(join(dir, 'root-keys'), { recursive: true });
  const bytes = Buffer.from(JSON.stringify(policy));
  await writeFile(join(dir, 'policy.json'), bytes);
  await writeFile(join(dir, 'policy.json.sig'), signBytes(bytes, root.privateKeyPem));
  await writeFile(join(dir, 'root-keys', 'root.pem'), root.publicKeyPem);
}

type Setup = 'no policy' | 'policy trusting A';
const SETUPS: Setup[] = ['no policy', 'policy trusting A'];

/** A fresh laptop: no policy, or a policy that trusts key A (signatures not required, so consent still matters). */
async function laptop(setup: Setup, extraSigners: KeyPair[] = []): Promise<Engine> {
  const policyDir = join(work, `policy-${++n}`);
  if (setup !== 'no policy') {
    await writePolicy(policyDir, {
      formatVersion: 1,
      organisation: 'Northwind',
      issued: '2026-11-30',
      trustedSigners: [A, ...extraSigners].map((k) => ({ keyId: k.keyId, publicKeyPem: k.publicKeyPem, name: k === A ? 'Northwind IT' : 'Other' })),
    });
  }
  return createEngine({ dataDir: join(work, `laptop-${n}`), modelsDir: join(work, 'no-models'), resourcesDir, transport: 'cli', watch: false, policyDir });
}

async function withLaptop(setup: Setup, fn: (e: Engine) => Promise<void>, extraSigners: KeyPair[] = []): Promise<void> {
  const e = await laptop(setup, extraSigners);
  try {
    await fn(e);
  } finally {
    await e.close();
  }
}

/** Every consent a user could give: a path outside the pack must be refused all the same. */
const ALL_CONSENT = { allowUnsigned: true, allowUntrusted: true, allowSignerChange: true };

const editIndex = (mutate: (m: { files: Record<string, { path: string; relPath: string }>; stores: { lexical: string[] } }) => void) => async (dir: string) => {
  const path = join(dir, 'index', 'manifest.json');
  const m = JSON.parse(await readFile(path, 'utf8'));
  mutate(m);
  await writeFile(path, JSON.stringify(m));
};

/** Stands for the secret's absolute path in crafted index manifests (known only once `before` ran). */
const SECRET = '@SECRET@';

type Mutate = (dir: string, meta: typeof baseMeta) => Promise<void> | void;
const escapes: [string, Mutate, RegExp][] = [
  [
    'a document path in the index manifest',
    editIndex((m) => {
      for (const f of Object.values(m.files)) f.path = `documents/../../../../../../../../..${SECRET}`;
    }),
    /index lists document .* outside the pack/,
  ],
  [
    'a document of the index that the pack does not carry (document list)',
    editIndex((m) => {
      const f = Object.values(m.files)[0];
      f.path = 'documents/not-in-the-pack.md';
    }),
    /does not carry/,
  ],
  [
    'a store file of the index manifest',
    editIndex((m) => {
      m.stores.lexical = m.stores.lexical.map(() => '../../../../etc/passwd');
    }),
    /lexical store file "\.\.\/\.\.\/.*not a plain file name/,
  ],
  [
    'the embedding model named by the pack',
    (_dir, meta) => {
      meta.embedding = { model: '../../../../secret', dim: 16 };
    },
    /embedding model "\.\.\/\.\.\/.*not a plain model name/,
  ],
  [
    'the adapter named by the pack',
    (_dir, meta) => {
      meta.adapter = { file: 'adapter/../../../secret/credentials.txt', scale: 1 };
    },
    /adapter "adapter\/\.\.\/.*is not a file in the pack/,
  ],
];

for (const setup of SETUPS) {
  test(`[${setup}] a pack naming a path outside itself is refused, naming the entry, whatever the user consents to`, async () => {
    await withLaptop(setup, async (e) => {
      for (const [label, mutate, message] of escapes) {
        const file = await craft({
          key: A,
          mutate: async (dir, meta) => {
            await mutate(dir, meta);
            const index = join(dir, 'index', 'manifest.json');
            await writeFile(index, (await readFile(index, 'utf8')).replaceAll(SECRET, secret));
          },
        });
        await assert.rejects(e.call('packs.import', { path: file, ...ALL_CONSENT }), message, label);
        const preview = await e.call('packs.inspect', { path: file });
        assert.match(preview.refused ?? '', message, `the preview says so too: ${label}`);
      }
      assert.deepEqual(await e.call('packs.list', {}), [], 'nothing was installed');
      // None of the crafted packs made the secret searchable.
      assert.equal((await e.call('search', { query: 'vault password swordfish' })).hits.length, 0);
    });
  });

  test(`[${setup}] a corrupt signature, or a manifest edited after signing, is refused`, async () => {
    const signed = await craft({ key: A });
    const corrupt = await rezip(signed, (entries) => {
      const sig = JSON.parse(entries.get('lantern-pack.sig')!.toString());
      const bytes = Buffer.from(sig.signature, 'base64');
      bytes[5] ^= 0xff;
      entries.set('lantern-pack.sig', Buffer.from(JSON.stringify({ ...sig, signature: bytes.toString('base64') })));
    });
    // The publisher's name changed, everything else (and the signature) as signed.
    const edited = await rezip(signed, (entries) =>
      entries.set('lantern-pack.json', Buffer.from(entries.get('lantern-pack.json')!.toString().replace('Northwind IT', 'Northwind HR'))),
    );
    // A signature by B claiming to be A's key.
    const wrongKey = await rezip(signed, (entries) => {
      const sig = JSON.parse(entries.get('lantern-pack.sig')!.toString());
      entries.set('lantern-pack.sig', Buffer.from(JSON.stringify({ ...sig, publicKeyPem: B.publicKeyPem })));
    });
    await withLaptop(setup, async (e) => {
      await assert.rejects(e.call('packs.import', { path: corrupt, ...ALL_CONSENT }), /signature does not match its contents/);
      await assert.rejects(e.call('packs.import', { path: edited, ...ALL_CONSENT }), /signature does not match its contents/);
      await assert.rejects(e.call('packs.import', { path: wrongKey, ...ALL_CONSENT }), /names key .* but carries key/);
      await assert.rejects(e.call('packs.verify', { path: edited }), /signature does not match its contents/);
      await assert.rejects(e.call('packs.inspect', { path: corrupt }), /signature does not match its contents/);
      assert.deepEqual(await e.call('packs.list', {}), []);
    });
  });

  test(`[${setup}] an unsigned pack imports only with consent, and is marked unsigned`, async () => {
    const unsigned = await craft();
    await withLaptop(setup, async (e) => {
      const preview = await e.call('packs.inspect', { path: unsigned });
      assert.equal(preview.pack.trust, 'unsigned');
      assert.deepEqual(preview.consent, ['unsigned']);
      await assert.rejects(
        e.call('packs.import', { path: unsigned }),
        (err: Error & { code?: string }) => err.code === 'consent-required' && /not signed/.test(err.message),
      );
      assert.deepEqual(await e.call('packs.list', {}), []);
      const info = await e.call('packs.import', { path: unsigned, allowUnsigned: true });
      assert.equal(info.trust, 'unsigned');
      assert.equal(info.signed, false);
      assert.equal((await e.call('packs.list', {}))[0].trust, 'unsigned');
    });
  });

  test(`[${setup}] a signer this machine does not know needs consent or --trust-key; a trusted one does not`, async () => {
    const byB = await craft({ key: B });
    const byA = await craft({ key: A });
    await withLaptop(setup, async (e) => {
      const preview = await e.call('packs.inspect', { path: byB });
      assert.equal(preview.pack.trust, 'untrusted', 'a signed pack is never called unsigned');
      assert.equal(preview.pack.signerFingerprint, createFingerprint(B));
      assert.deepEqual(preview.consent, ['untrusted']);
      await assert.rejects(e.call('packs.import', { path: byB }), /signed by key .* which this computer does not trust/);
      await assert.rejects(
        e.call('packs.import', { path: byB, trustKeys: [generateKeyPair().publicKeyPem] }),
        /does not trust/,
        'vouching for another key is no consent',
      );
      const trustedByUser = await e.call('packs.import', { path: byB, trustKeys: [B.publicKeyPem] });
      assert.equal(trustedByUser.trust, 'trusted');
      await e.call('packs.remove', { id: 'handbook' });
      const aPreview = await e.call('packs.inspect', { path: byA });
      assert.equal(aPreview.pack.trust, setup === 'no policy' ? 'untrusted' : 'trusted');
      if (setup === 'no policy') await assert.rejects(e.call('packs.import', { path: byA }), /does not trust/);
      else assert.equal((await e.call('packs.import', { path: byA })).trust, 'trusted');
    });
  });

  test(`[${setup}] the signer is pinned at first import: another key cannot take the pack over unless the user says so`, async () => {
    const v1 = await craft({ key: A, version: '1' });
    const takeover = await craft({ key: B, version: '2' });
    const stripped = await craft({ version: '3' });
    await withLaptop(setup, async (e) => {
      await e.call('packs.import', { path: v1, allowUntrusted: true });
      const preview = await e.call('packs.inspect', { path: takeover });
      assert.deepEqual(preview.consent, ['untrusted', 'signer-change']);
      assert.equal(preview.versionChange, 'upgrade');
      await assert.rejects(e.call('packs.import', { path: takeover, allowUntrusted: true }), /can only be replaced by one signed with the same key/);
      await assert.rejects(e.call('packs.import', { path: stripped, allowUnsigned: true }), /can only be replaced by one signed with the same key/);
      assert.equal((await e.call('packs.list', {}))[0].version, '1', 'the installed version stays');
      assert.equal((await e.call('packs.list', {}))[0].signer, A.keyId);
      const replaced = await e.call('packs.import', { path: takeover, allowUntrusted: true, allowSignerChange: true });
      assert.equal(replaced.signer, B.keyId);
    });
  });
}

test('[policy trusting A and B] a policy that trusts the new key lets it replace the old one', async () => {
  const v1 = await craft({ key: A, version: '1' });
  const v2 = await craft({ key: B, version: '2' });
  await withLaptop(
    'policy trusting A',
    async (e) => {
      await e.call('packs.import', { path: v1 });
      assert.equal((await e.call('packs.import', { path: v2 })).signer, B.keyId);
    },
    [B],
  );
});

test('[policy requiring signed packs] consent cannot override the organisation', async () => {
  const policyDir = join(work, 'policy-required');
  await writePolicy(policyDir, {
    formatVersion: 1,
    organisation: 'Northwind',
    issued: '2026-11-30',
    trustedSigners: [{ keyId: A.keyId, publicKeyPem: A.publicKeyPem, name: 'IT' }],
    requireSignedPacks: true,
  });
  const e = await createEngine({
    dataDir: join(work, 'laptop-required'),
    modelsDir: join(work, 'no-models'),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir,
  });
  try {
    const unsigned = await craft();
    const byB = await craft({ key: B });
    await assert.rejects(e.call('packs.import', { path: unsigned, ...ALL_CONSENT }), /organisation requires signed packs/);
    await assert.rejects(e.call('packs.import', { path: byB, ...ALL_CONSENT, trustKeys: [B.publicKeyPem] }), /unknown key .*does not trust it/);
    const preview = await e.call('packs.inspect', { path: byB });
    assert.match(preview.refused ?? '', /does not trust it/);
    assert.equal(preview.pack.trust, 'untrusted');
  } finally {
    await e.close();
  }
});

test('a pack installed before paths were checked, naming a file outside itself, is not loaded and never opens that file', async () => {
  const e = await laptop('no policy');
  const dataDir = join(work, `laptop-${n}`);
  try {
    await e.call('packs.import', { path: await craft({ key: A }), allowUntrusted: true });
  } finally {
    await e.close();
  }
  // Tamper with the installed copy as an old Lantern would have left a hostile pack.
  const index = join(dataDir, 'packs', 'handbook', 'index', 'manifest.json');
  const m = JSON.parse(await readFile(index, 'utf8'));
  for (const f of Object.values(m.files) as { path: string }[]) f.path = `documents/../../../../../../../..${secret}`;
  await writeFile(index, JSON.stringify(m));
  const again = await createEngine({
    dataDir,
    modelsDir: join(work, 'no-models'),
    resourcesDir,
    transport: 'cli',
    watch: false,
    policyDir: join(work, 'no-policy'),
  });
  try {
    assert.deepEqual(await again.call('library.list', {}), [], 'its collection is not loaded');
    const verify = await again.call('packs.verifyInstalled', { id: 'handbook' });
    assert.equal(verify.ok, false);
    assert.match(verify.message, /outside the pack/);
  } finally {
    await again.close();
  }
});

test('Verify finds an installed pack altered on disk; Remove removes it', async () => {
  const e = await laptop('no policy');
  const dataDir = join(work, `laptop-${n}`);
  try {
    await e.call('packs.import', { path: await craft({ key: A }), allowUntrusted: true });
    assert.equal((await e.call('packs.verifyInstalled', { id: 'handbook' })).ok, true);
    const docs = await e.call('packs.documents', { id: 'handbook' });
    assert.deepEqual(
      docs.map((d) => d.relPath),
      ['returns.md', 'travel.txt'],
    );
    const lexical = join(dataDir, 'packs', 'handbook', 'index', 'lexical');
    const [name] = await readdir(lexical);
    await writeFile(join(lexical, name), 'tampered');
    const r = await e.call('packs.verifyInstalled', { id: 'handbook' });
    assert.equal(r.ok, false);
    assert.match(r.message, /index\/lexical\/.* was modified/);
    await e.call('packs.remove', { id: 'handbook' });
    assert.deepEqual(await e.call('packs.list', {}), []);
  } finally {
    await e.close();
  }
});

/** SHA-256 of the raw public key, computed here independently of the code under test. */
function createFingerprint(k: KeyPair): string {
  const raw = createPublicKey(k.publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256')
    .update(raw.subarray(raw.length - 32))
    .digest('hex');
}
