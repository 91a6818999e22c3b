import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../../core/atomic-write.js';

/**
 * Where API keys live. Keys never go into settings, engine.json, chats or logs: only here.
 * The CLI and web host use a 0600 file in the data folder; the Electron app passes a store
 * backed by the OS keychain (safeStorage, in the main process).
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  /** null deletes. */
  set(name: string, value: string | null): Promise<void>;
  /** Where the secrets are kept, for the notice shown when a key is saved. */
  readonly description: string;
}

/** The secret name for a server's API key: one key per server, so a key is never sent to another server. */
export function apiKeyName(serverRoot: string): string {
  return `api-key ${serverRoot}`;
}

/** Secrets as a JSON map in `secrets.json`, readable by this user only (mode 0600, also when it already existed). */
export class FileSecretStore implements SecretStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'secrets.json');
  }

  get description(): string {
    return `${this.file} (readable by your user only)`;
  }

  private async readAll(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return {};
    }
  }

  async get(name: string): Promise<string | null> {
    return (await this.readAll())[name] ?? null;
  }

  async set(name: string, value: string | null): Promise<void> {
    const all = await this.readAll();
    if (value === null) delete all[name];
    else all[name] = value;
    await writePrivate(this.file, JSON.stringify(all));
  }
}

/** Atomic write whose temp file is 0600 from its creation, so no other user can ever read the key. */
function writePrivate(path: string, text: string): Promise<void> {
  return atomicWriteFile(path, text, { mode: 0o600 });
}
