import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, repoRoot, sharedModels, screenshot, startHost, stopHost } from './fixtures.js';

/** Runs the `lantern` CLI as an admin would, on its own data folder. */
function lantern(dataDir: string, ...args: string[]): string {
  const node = existsSync(join(repoRoot, 'node_modules/.bin/node')) ? join(repoRoot, 'node_modules/.bin/node') : process.execPath;
  const r = spawnSync(node, ['--import', 'tsx', 'electron/cli/main.ts', '--data-dir', dataDir, '--models-dir', sharedModels, ...args], { cwd: repoRoot, encoding: 'utf8' });
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
  const policy = Buffer.from(JSON.stringify({ formatVersion: 1, organisation: 'Northwind Field Ops', issued: '2026-11-25', lockedSettings: { topK: 3, allowPersonalFolders: false } }));
  writeFileSync(join(adminPolicy, 'policy.json'), policy);
  writeFileSync(join(adminPolicy, 'policy.json.sig'), sign(null, policy, privateKey).toString('base64'));

  const packFile = join(work, 'handbook-2026.12.lantern');
  const adminData = join(work, 'admin');
  lantern(adminData, 'index', join(repoRoot, 'resources', 'sample-library'), '--collection', 'Handbook');
  lantern(adminData, 'pack', 'build', '--collection', 'Handbook', '--out', packFile, '--policy', adminPolicy, '--publisher', 'Northwind IT', '--version', '2026.12');

  const host = await startHost([], { LANTERN_POLICY_DIR: laptopPolicy });
  try {
    await page.goto(host.url);
    await expect(page.locator('.badge.managed')).toHaveCount(0);
    await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
    await page.getByTestId('pack-path-input').fill(packFile);
    await page.getByTestId('pack-path-input').press('Enter');
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
