import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertServerAllowed, isLoopback, type RemotePolicy } from './endpoint-guard.js';

const open: RemotePolicy = { allowRemote: true, managedBy: null, allowLocked: false, allowedUrls: [], requireTls: false };

test('loopback addresses are recognised without resolving names', () => {
  for (const u of ['http://127.0.0.1:8080', 'http://localhost:1234/v1', 'http://[::1]:8000', 'http://127.5.0.1']) assert.equal(isLoopback(u), true, u);
  for (const u of ['http://10.0.0.5:8000', 'https://llm.example.org', 'http://127.example.org', 'http://[::2]']) assert.equal(isLoopback(u), false, u);
});

test('a locked "no remote engines" refuses with the organisation named', () => {
  assert.throws(
    () => assertServerAllowed('http://127.0.0.1:8080', { ...open, allowRemote: false, allowLocked: true, managedBy: 'Acme' }),
    (e: Error & { code?: string }) => e.code === 'policy' && /Acme/.test(e.message),
  );
  assert.throws(() => assertServerAllowed('http://127.0.0.1:8080', { ...open, allowRemote: false }), /turned off/);
});

test('pinned servers: only those base addresses pass, with or without /v1 and trailing slash', () => {
  const pinned = { ...open, managedBy: 'Acme', allowedUrls: ['https://llm.acme.test/v1'] };
  assert.doesNotThrow(() => assertServerAllowed('https://llm.acme.test/', pinned));
  assert.doesNotThrow(() => assertServerAllowed('https://LLM.acme.test/v1', pinned));
  assert.throws(() => assertServerAllowed('https://llm.acme.test:8443', pinned), /not one Acme's policy allows/);
  assert.throws(() => assertServerAllowed('http://127.0.0.1:8080', pinned), /not one/);
});

test('required TLS refuses plain http off this machine but allows loopback', () => {
  const tls = { ...open, managedBy: 'Acme', requireTls: true };
  assert.throws(() => assertServerAllowed('http://10.1.2.3:8000', tls), /requires an encrypted connection/);
  assert.doesNotThrow(() => assertServerAllowed('https://10.1.2.3:8000', tls));
  assert.doesNotThrow(() => assertServerAllowed('http://127.0.0.1:8000', tls));
});
