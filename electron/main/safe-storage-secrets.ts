/**
 * API keys for the Electron app, encrypted with the OS keychain through Electron's safeStorage
 * (Keychain, DPAPI, libsecret/kwallet). Runs in the main process, the only one that may use
 * safeStorage; the engine's utility process asks for keys over its message port.
 */
import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FromEngine, ToEngine } from './engine-protocol.js';

export class SafeStorageSecrets {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'secrets.safestorage.json');
  }

  get description(): string {
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : null;
    // On Linux without a keyring safeStorage falls back to a fixed key: say so rather than claim more.
    return backend === 'basic_text'
      ? `${this.file} (0600; no system keyring found, so only lightly obfuscated)`
      : `${this.file} (encrypted with the system keychain)`;
  }

  private async readAll(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return {};
    }
  }

  async get(name: string): Promise<string | null> {
    const b64 = (await this.readAll())[name];
    return b64 ? safeStorage.decryptString(Buffer.from(b64, 'base64')) : null;
  }

  async set(name: string, value: string | null): Promise<void> {
    if (value !== null && !safeStorage.isEncryptionAvailable())
      throw new Error('This system offers no secure storage for API keys (safeStorage is unavailable).');
    const all = await this.readAll();
    if (value === null) delete all[name];
    else all[name] = safeStorage.encryptString(value).toString('base64');
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    const fh = await open(tmp, 'wx', 0o600);
    await fh.writeFile(JSON.stringify(all));
    await fh.sync();
    await fh.close();
    await rename(tmp, this.file);
  }

  /** Answers the engine's secret requests (FromEngine 'secret'). */
  async answer(msg: Extract<FromEngine, { type: 'secret' }>): Promise<ToEngine> {
    try {
      if (msg.op === 'describe') return { type: 'secret-result', id: msg.id, ok: true, value: this.description };
      if (msg.op === 'get') return { type: 'secret-result', id: msg.id, ok: true, value: await this.get(msg.name) };
      await this.set(msg.name, msg.value ?? null);
      return { type: 'secret-result', id: msg.id, ok: true, value: null };
    } catch (err) {
      return { type: 'secret-result', id: msg.id, ok: false, error: (err as Error).message };
    }
  }
}
