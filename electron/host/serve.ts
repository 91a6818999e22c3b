/**
 * Runs Lantern in a browser: the engine plus the local web host serving the built renderer.
 *   tsx electron/host/serve.ts [--data-dir DIR] [--models-dir DIR] [--port N] [--open-sample]
 * Prints "Lantern is running at <url>" (the URL carries the per-launch token).
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createEngine, findPackageRoot, describe, logFilePath, logLine, logProcessFailures } from '../engine/index.js';
import { defaultDataDir } from '../cli/data-dir.js';
import { startWebHost } from './web-host.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'models-dir': { type: 'string' },
    port: { type: 'string' },
    'open-sample': { type: 'boolean' },
  },
});
const root = findPackageRoot();
const staticDir = join(root, 'dist', 'renderer');
if (!existsSync(join(staticDir, 'index.html'))) {
  console.error('The renderer is not built. Run: npm run build:renderer');
  process.exit(1);
}
logProcessFailures('web host');
const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
const engine = await createEngine({
  dataDir,
  modelsDir: values['models-dir'] ? resolve(values['models-dir']) : undefined,
  resourcesDir: join(root, 'resources'),
  transport: 'web',
  network: process.env.LANTERN_NETWORK === '1',
}).catch((err: unknown) => {
  logLine('web host', `the engine could not start: ${describe(err)}`);
  console.error(`Lantern could not start: ${(err as Error).message}\nDetails are in ${logFilePath(dataDir)}; your data is in ${dataDir}.`);
  process.exit(1);
});
if (values['open-sample']) {
  const list = await engine.call('library.list', {});
  if (list.length === 0) await engine.call('library.openSample', {}).catch((err: Error) => console.error(err.message));
}
const host = await startWebHost({
  api: engine,
  staticDir,
  port: values.port ? Number(values.port) : Number(process.env.LANTERN_PORT ?? 0),
  transfers: { uploadDir: join(dataDir, 'uploads'), exportsDir: engine.exportsDir },
});
console.log(`Lantern is running at ${host.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await engine.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop().catch((err: unknown) => logLine('web host', `stopping failed: ${describe(err)}`)));
process.on('SIGTERM', () => void stop().catch((err: unknown) => logLine('web host', `stopping failed: ${describe(err)}`)));
