import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from '../engine/testing/shared-paths.js';

const config = yaml.load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

test('installers for Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
});

test('native modules of node-llama-cpp and onnxruntime-node are unpacked from the asar archive', () => {
  const unpack: string[] = config.asarUnpack;
  for (const m of ['node_modules/node-llama-cpp/**', 'node_modules/@node-llama-cpp/**', 'node_modules/onnxruntime-node/**']) assert.ok(unpack.includes(m), m);
  assert.ok(unpack.some((u) => u.includes('@xenova/transformers/node_modules/onnxruntime-node')), 'the copy transformers.js actually loads');
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
