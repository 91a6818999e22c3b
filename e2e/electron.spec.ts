import { test, expect, _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

/** Where `npm install` put Electron's binary, if it could download one. */
function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? p : null;
  }
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const p = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(p) ? p : null;
}

test('the desktop window opens with the sandboxed bridge and no Node in the page', async () => {
  const executablePath = electronBinary();
  test.skip(
    !executablePath,
    'No Electron binary on this machine (node_modules/electron/dist is missing and cannot be downloaded here); the same renderer and engine are tested through the web host instead.',
  );
  test.skip(!existsSync(join(repoRoot, 'dist', 'electron', 'main', 'main.js')), 'The main process is not built: run npm run build.');
  const dataDir = mkdtempSync(join(tmpdir(), 'lantern-electron-'));
  const app = await electron.launch({ executablePath: executablePath!, args: [join(repoRoot, 'dist', 'electron', 'main', 'main.js'), '--data-dir', dataDir] });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Lantern');
    expect(await window.evaluate(() => typeof (window as unknown as { lantern?: unknown }).lantern)).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
