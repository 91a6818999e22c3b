#!/usr/bin/env node
/**
 * Electronegativity (Doyensec's checker for Electron's security checklist) over the Electron
 * shell. Its CLI is broken by the newer commander npm resolves, so this calls its runner.
 * Exits non-zero on any finding not listed below as reviewed.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// Electronegativity fetches translations and Electron's release list with `got` at every run. CI
// has no network, so its copy of `got` is replaced by one that refuses at once, without a socket:
// the English messages ship with it, and the release check is excluded below.
const enRequire = createRequire(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = enRequire.resolve('got');
const offline = () => Promise.reject(new Error('offline: Lantern runs Electronegativity without network access'));
offline.head = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
const run = require('@doyensec/electronegativity');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Findings reviewed and accepted, with the reason. */
const REVIEWED = {
  // The CSP is set on every response of the app:// protocol handler (electron/main/main.ts); the
  // checker only looks for it in HTML meta tags and session.webRequest handlers.
  CSP_GLOBAL_CHECK: 'CSP header set by the app:// protocol handler',
  // A prompt to review preload scripts by hand: ours is sandboxed and exposes only call/on/pathForFile.
  PRELOAD_JS_CHECK: 'reviewed: electron/preload/preload.cts exposes exactly the contract',
};

// Checked offline against the Electron version installed here: the one global check that
// downloads Electron's release list from the network is left out (CI has no network).
const electronVersion = require('electron/package.json').version;
const results = await run(
  {
    input: join(root, 'electron'),
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: ['typescript'],
  },
  false,
);
const findings = results.issues;
const open = findings.filter((f) => !REVIEWED[f.id]);
for (const f of findings)
  console.log(`${REVIEWED[f.id] ? 'reviewed' : 'FINDING '} ${f.id} ${f.file ?? ''}:${f.location?.line ?? ''} ${REVIEWED[f.id] ? '— ' + REVIEWED[f.id] : ''}`);
console.log(`Electronegativity: ${findings.length} finding(s), ${open.length} not reviewed.`);
process.exit(open.length ? 1 : 0);
