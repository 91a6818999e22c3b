import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from '../engine/testing/shared-paths.js';

const config = yaml.load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the whole YAML document, read field by field

test('installers for Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
});

test('native modules of node-llama-cpp and onnxruntime-node are unpacked from the asar archive', () => {
  const unpack: string[] = config.asarUnpack;
  for (const m of ['node_modules/node-llama-cpp/**', 'node_modules/@node-llama-cpp/**', 'node_modules/onnxruntime-node/**']) assert.ok(unpack.includes(m), m);
  assert.ok(
    unpack.some((u) => u.includes('@xenova/transformers/node_modules/onnxruntime-node')),
    'the copy transformers.js actually loads',
  );
});

test('models/ and resources/ ship as extra resources, and the icon exists', () => {
  const extra = config.extraResources.map((e: { from: string; to: string }) => [e.from, e.to]);
  assert.deepEqual(extra, [
    ['models', 'models'],
    ['resources', 'resources'],
  ]);
  assert.ok(existsSync(join(repoRoot, 'resources', 'icons', '512x512.png')));
});

test('the main entry in package.json is the compiled Electron main process', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(pkg.main, 'dist/electron/main/main.js');
});

test('Electron Fuses are set by electron-builder as the security checklist says', () => {
  const fuses = config.electronFuses as Record<string, boolean>;
  assert.equal(fuses.runAsNode, false, 'ELECTRON_RUN_AS_NODE ignored');
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false, 'NODE_OPTIONS ignored');
  assert.equal(fuses.enableNodeCliInspectArguments, false, '--inspect ignored');
  assert.equal(fuses.onlyLoadAppFromAsar, true, 'code loads from app.asar only');
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true, 'app.asar integrity checked');
  assert.equal(fuses.grantFileProtocolExtraPrivileges, false);
  // The keys are the ones electron-builder reads (a misspelt fuse would be silently ignored).
  const scheme = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
  const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
  for (const key of Object.keys(fuses)) assert.ok(known.includes(key), `electron-builder knows the fuse "${key}"`);
  // Nothing in the app relies on what the fuses turn off (runAsNode breaks child_process.fork of the app itself).
  const main = readFileSync(join(repoRoot, 'electron', 'main', 'main.ts'), 'utf8');
  assert.doesNotMatch(main, /child_process/);
});

test('the main process installs the app-wide guards: every web contents, every permission', () => {
  const main = readFileSync(join(repoRoot, 'electron', 'main', 'main.ts'), 'utf8');
  assert.match(main, /^hardenApp\(app\);$/m, 'web-contents-created guard installed before any window exists');
  assert.match(main, /denyAllPermissions\(session\.defaultSession\)/);
  const prefs = main.slice(main.indexOf('webPreferences'));
  for (const p of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true', 'webviewTag: false'])
    assert.ok(prefs.includes(p), p);
});
