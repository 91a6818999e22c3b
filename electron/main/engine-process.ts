/**
 * The engine in Electron's utility process: indexing, search and the model never share a thread
 * with the window. Speaks a small message protocol with the main process over process.parentPort.
 */
import { createEngine, serializeError, describe, logFilePath, logLine, logProcessFailures } from '../engine/index.js';
import type { SecretStore } from '../engine/index.js';
import { EVENT_NAMES, type CallName } from '../shared/contract.js';
import type { ToEngine, FromEngine } from './engine-protocol.js';
import { brokeredSpawner } from './brokered-spawner.js';

type Port = Parameters<ReturnType<typeof brokeredSpawner>['handle']>[1][number];
const port = (
  process as unknown as { parentPort: { on(e: 'message', f: (m: { data: ToEngine; ports: Port[] }) => void): void; postMessage(m: FromEngine): void } }
).parentPort;
// Document workers are started by the main process on the engine's behalf (worker-broker.ts).
const workers = brokeredSpawner((msg) => port.postMessage(msg));

let enginePromise: ReturnType<typeof createEngine> | null = null;
logProcessFailures('engine process');

/** API keys live in the main process (safeStorage); this store asks it over the port. */
const secretWaits = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>();
let secretId = 1;
function askMain(op: 'get' | 'set' | 'describe', name: string, value?: string | null): Promise<string | null> {
  const id = secretId++;
  return new Promise((resolve, reject) => {
    secretWaits.set(id, { resolve, reject });
    port.postMessage({ type: 'secret', id, op, name, value });
  });
}
let keyStorage = 'the system keychain (safeStorage)';
const secrets: SecretStore = {
  get: (name) => askMain('get', name),
  set: async (name, value) => void (await askMain('set', name, value)),
  get description() {
    return keyStorage;
  },
};

port.on('message', (message) => {
  handle(message).catch((err: unknown) => logLine('engine process', `a message from the main process failed: ${describe(err)}`));
});

async function handle({ data, ports }: { data: ToEngine; ports: Port[] }): Promise<void> {
  if (workers.handle(data, ports)) return;
  if (data.type === 'secret-result') {
    const wait = secretWaits.get(data.id);
    secretWaits.delete(data.id);
    if (data.ok) wait?.resolve(data.value ?? null);
    else wait?.reject(new Error(data.error ?? 'The API key store failed.'));
    return;
  }
  if (data.type === 'start') {
    enginePromise = createEngine({ ...data.options, transport: 'electron', spawnWorker: workers.spawner, secrets });
    askMain('describe', '')
      .then((d) => (keyStorage = d ?? keyStorage))
      .catch(() => {});
    try {
      const engine = await enginePromise;
      for (const event of EVENT_NAMES) engine.on(event, (payload) => port.postMessage({ type: 'event', event, payload }));
      port.postMessage({ type: 'ready' });
    } catch (err) {
      logLine('engine process', `the engine could not start: ${describe(err)}`);
      port.postMessage({ type: 'failed', error: serializeError(err), logFile: logFilePath(data.options.dataDir) });
    }
    return;
  }
  if (data.type === 'call') {
    try {
      const engine = await enginePromise!;
      const result = await engine.call(data.name as CallName, data.input as never);
      port.postMessage({ type: 'result', id: data.id, ok: true, result });
    } catch (err) {
      port.postMessage({ type: 'result', id: data.id, ok: false, error: serializeError(err) });
    }
    return;
  }
  if (data.type === 'grant-write') {
    (await enginePromise)?.grantWrite(data.path);
    return;
  }
  if (data.type === 'stop') {
    await (await enginePromise)?.close();
    process.exit(0);
  }
}
