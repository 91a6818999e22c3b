#!/usr/bin/env node
/**
 * `npm start`: Lantern on the bundled sample library and the default models.
 * Launches the Electron app when an Electron binary is installed; otherwise (machines that cannot
 * download Electron) serves the same app to a browser through the local web host.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (n) => join(root, 'node_modules', '.bin', n);
const node = existsSync(bin('node')) ? bin('node') : process.execPath;

function newest(dir) {
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function build(script, output, sources) {
  const stale = !existsSync(output) || sources.some((s) => newest(join(root, s)) > statSync(output).mtimeMs);
  if (!stale) return;
  console.log(`Building (${script})…`);
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Electron's binary, without require('electron'), which would try to download it. */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const p = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(p) ? p : null;
}

/** The models folder: LANTERN_MODELS_DIR, else ./models, else the shared folder beside a checkout. */
function modelsDir() {
  if (process.env.LANTERN_MODELS_DIR) return process.env.LANTERN_MODELS_DIR;
  const local = join(root, 'models');
  const hasModels = existsSync(local) && readdirSync(local).some((n) => n !== 'README.md');
  const shared = process.env.LANTERN_SHARED_DIR ? join(process.env.LANTERN_SHARED_DIR, 'models') : join(root, '..', 'shared', 'models');
  if (!hasModels && existsSync(shared)) {
    console.log(`No models in ./models; using ${shared}.`);
    return shared;
  }
  return local;
}

build('build:renderer', join(root, 'dist', 'renderer', 'index.html'), ['renderer/src', 'renderer/index.html']);
const models = modelsDir();
const electron = electronBinary();
const args = process.argv.slice(2);

if (electron) {
  build('build:electron', join(root, 'dist', 'electron', 'main', 'main.js'), ['electron']);
  const child = spawn(electron, [join(root, 'dist', 'electron', 'main', 'main.js'), '--models-dir', models, ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('No Electron binary is installed on this machine (it could not be downloaded), so Lantern runs in your browser instead.');
  const child = spawn(node, ['--import', 'tsx', join(root, 'electron', 'host', 'serve.ts'), '--open-sample', '--models-dir', models, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  console.log('Open the address printed below in a browser on this computer. Press Ctrl+C to stop.');
}
