import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, repoRoot, sharedModels, screenshot, startHost, stopHost } from './fixtures.js';

/** Runs the `lantern` CLI as an admin would, on its own data folder. */
function lantern(dataDir: string, ...args: string[]): string {
  const node = existsSync(join(repoRoot, 'node_modules/.bin/node')) ? join(repoRoot, 'node_modules/.bin/node') : process.execPath;
  const r = spawnSync(node, ['--import', 'tsx', 'electron/cli/main.ts', '--data-dir', dataDir, '--models-dir', sharedModels, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`lantern ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('an admin pack carrying a policy: imported in the Library, it shows its publisher and makes the app managed', async ({ page }) => {
  const work = mkdtempSync(join(tmpdir(), 'lantern-e2e-pack-'));
  // The organisation's root key: laptops have its public half installed, the admin signs with the other.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const laptopPolicy = join(work, 'laptop-policy');
  mkdirSync(join(laptopPolicy, 'root-keys'), { recursive: true });
  writeFileSync(join(laptopPolicy, 'root-keys', 'northwind.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  const adminPolicy = join(work, 'admin-policy');
  mkdirSync(adminPolicy);
  const policy = Buffer.from(
    JSON.stringify({ formatVersion: 1, organisation: 'Northwind Field Ops', issued: '2026-11-25', lockedSettings: { topK: 3, allowPersonalFolders: false } }),
  );
  writeFileSync(join(adminPolicy, 'policy.json'), policy);
  writeFileSync(join(adminPolicy, 'policy.json.sig'), sign(null, policy, privateKey).toString('base64'));

  const packFile = join(work, 'handbook-2026.12.lantern');
  const adminData = join(work, 'admin');
  lantern(adminData, 'index', join(repoRoot, 'resources', 'sample-library'), '--collection', 'Handbook');
  lantern(
    adminData,
    'pack',
    'build',
    '--collection',
    'Handbook',
    '--out',
    packFile,
    '--policy',
    adminPolicy,
    '--publisher',
    'Northwind IT',
    '--version',
    '2026.12',
  );

  const host = await startHost([], { LANTERN_POLICY_DIR: laptopPolicy });
  try {
    await page.goto(host.url);
    await expect(page.locator('.badge.managed')).toHaveCount(0);
    await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
    await page.getByTestId('pack-path-input').fill(packFile);
    await page.getByTestId('pack-path-input').press('Enter');
    // Nothing is installed before the preview: an unsigned pack says so, and Import is the user's consent.
    const preview = page.getByTestId('pack-preview');
    await expect(preview.getByTestId('pack-trust')).toHaveText('Unsigned');
    await expect(preview.getByTestId('pack-policy')).toContainText('Northwind Field Ops');
    await expect(preview.getByTestId('pack-policy')).toContainText('topK = 3');
    await page.getByTestId('import-pack-confirm').click();
    const row = page.getByTestId('collection-row').filter({ hasText: 'Handbook' });
    await expect(row).toContainText('Pack · read-only', { timeout: 30_000 });
    await expect(row).toContainText('Handbook 2026.12 · Northwind IT');
    await expect(row).toContainText('policy of Northwind Field Ops');
    await expect(page.locator('.badge.managed')).toContainText('Managed by Northwind Field Ops');
    // The pack's policy forbids personal folders: the Library stops offering them.
    await expect(page.getByRole('button', { name: 'Add folder…' })).toBeDisabled();
    await expect(page.getByTestId('folder-path-input')).toHaveCount(0);
    await screenshot(page, 'pack-imported');
    await page.getByRole('navigation').getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.locator('label.field').filter({ hasText: 'Number of sources' })).toContainText('Locked by your organisation');
    // And the pack answers, offline, from its prebuilt index.
    await page.getByRole('navigation').getByRole('button', { name: 'Ask', exact: true }).click();
    await page.getByTestId('question-input').fill('How long must passwords be?');
    await page.getByTestId('question-input').press('Enter');
    await expect(page.getByTestId('answer').last()).toContainText('14 characters');
  } finally {
    await stopHost(host);
    rmSync(work, { recursive: true, force: true });
  }
});

/** A signed policy on the laptop that trusts `signer` for packs (the organisation's own key). */
function laptopPolicyTrusting(dir: string, signerPem: string, signerId: string): void {
  const root = generateKeyPairSync('ed25519');
  mkdirSync(join(dir, 'root-keys'), { recursive: true });
  writeFileSync(join(dir, 'root-keys', 'root.pem'), root.publicKey.export({ type: 'spki', format: 'pem' }));
  const policy = Buffer.from(
    JSON.stringify({
      formatVersion: 1,
      organisation: 'Northwind',
      issued: '2026-11-30',
      trustedSigners: [{ keyId: signerId, publicKeyPem: signerPem, name: 'Northwind IT' }],
    }),
  );
  writeFileSync(join(dir, 'policy.json'), policy);
  writeFileSync(join(dir, 'policy.json.sig'), sign(null, policy, root.privateKey).toString('base64'));
}

/** `lantern keys generate`: returns the key id and the key files. */
function generateKeys(dataDir: string, out: string): { keyId: string; publicPath: string; privatePath: string } {
  return JSON.parse(lantern(dataDir, 'keys', 'generate', '--out', out, '--json'));
}

test('the pack preview tells a trusted signer from an untrusted one; the card lists documents and verifies', async ({ page }) => {
  const work = mkdtempSync(join(tmpdir(), 'lantern-e2e-preview-'));
  const adminData = join(work, 'admin');
  const trusted = generateKeys(adminData, join(work, 'keys-it'));
  const stranger = generateKeys(adminData, join(work, 'keys-stranger'));
  lantern(adminData, 'index', join(repoRoot, 'resources', 'sample-library'), '--collection', 'Handbook');
  const byIt = join(work, 'handbook-it.lantern');
  const byStranger = join(work, 'handbook-stranger.lantern');
  lantern(
    adminData,
    'pack',
    'build',
    '--collection',
    'Handbook',
    '--out',
    byIt,
    '--key',
    trusted.privatePath,
    '--publisher',
    'Northwind IT',
    '--version',
    '2026.12',
  );
  lantern(
    adminData,
    'pack',
    'build',
    '--collection',
    'Handbook',
    '--out',
    byStranger,
    '--key',
    stranger.privatePath,
    '--publisher',
    'Northwind IT',
    '--version',
    '2026.13',
  );
  const notAPack = join(work, 'notes.lantern');
  writeFileSync(notAPack, 'These are my notes, not a pack.');
  const laptopPolicy = join(work, 'laptop-policy');
  laptopPolicyTrusting(laptopPolicy, readFileSync(trusted.publicPath, 'utf8'), trusted.keyId);

  const host = await startHost([], { LANTERN_POLICY_DIR: laptopPolicy });
  try {
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
    const openDialog = async () => {
      await page.getByRole('button', { name: 'Import pack…' }).click();
      return page.getByRole('dialog', { name: 'Import knowledge pack' });
    };

    // A file that is not a pack, uploaded as a browser would: a clear message, not a server error.
    let dialog = await openDialog();
    await dialog.getByTestId('pack-upload-input').setInputFiles(notAPack);
    await expect(dialog.getByTestId('import-pack-error')).toContainText(/not a Lantern pack|not a knowledge pack|damaged/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Signed by a key this laptop does not know: labelled as such (never "unsigned"), with its fingerprint.
    dialog = await openDialog();
    await dialog.getByTestId('pack-upload-input').setInputFiles(byStranger);
    const preview = dialog.getByTestId('pack-preview');
    await expect(preview.getByTestId('pack-trust')).toHaveText('Signed · not trusted on this computer');
    await expect(preview.getByTestId('pack-fingerprint')).toContainText(stranger.keyId.slice(0, 4));
    await expect(preview.getByTestId('pack-publisher')).toHaveText('Northwind IT');
    await expect(preview.getByTestId('pack-consent-untrusted')).toBeVisible();
    await expect(preview.getByTestId('pack-preview-documents')).toContainText('employee-handbook.md');
    await expect(dialog.getByTestId('import-pack-confirm')).toHaveText('Import anyway');
    await screenshot(page, 'pack-preview-untrusted');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('collection-row')).toHaveCount(0);

    // Signed by the organisation's key: trusted, and imported on Import.
    dialog = await openDialog();
    await dialog.getByTestId('import-pack-path').fill(byIt);
    await dialog.getByRole('button', { name: 'Open' }).click();
    await expect(preview.getByTestId('pack-trust')).toHaveText('Signed · trusted');
    await expect(preview.getByTestId('pack-version-change')).toContainText('Not installed yet');
    await expect(preview).toContainText('7 documents');
    await expect(preview.getByTestId('pack-policy')).toContainText('None');
    await screenshot(page, 'pack-preview-trusted');
    await dialog.getByTestId('import-pack-confirm').click();
    await expect(dialog).toHaveCount(0);

    const row = page.getByTestId('collection-row').filter({ hasText: 'Handbook' });
    await expect(row.getByTestId('pack-card-trust')).toHaveText('Signed · trusted', { timeout: 30_000 });
    await row.getByText('7 documents').click();
    await expect(row.getByTestId('pack-documents').locator('li')).toHaveCount(7);
    await row.getByTestId('pack-verify').click();
    await expect(row.getByTestId('pack-verify-result')).toContainText('match the pack');

    // The stranger's pack now would also replace one signed by another key: the preview says so.
    dialog = await openDialog();
    await dialog.getByTestId('pack-upload-input').setInputFiles(byStranger);
    await expect(preview.getByTestId('pack-consent-signer-change')).toBeVisible();
    await expect(preview.getByTestId('pack-version-change')).toContainText('Upgrades the installed version');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    page.once('dialog', (d) => void d.accept().catch(() => {}));
    await row.getByTestId('pack-remove').click();
    await expect(page.getByTestId('collection-row')).toHaveCount(0);
  } finally {
    await stopHost(host);
    rmSync(work, { recursive: true, force: true });
  }
});
