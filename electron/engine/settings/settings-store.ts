import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteJson } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import { SettingsSchema, type SettingKey, type Settings } from '../../shared/contract.js';

export function defaultSettings(modelsDir: string): Settings {
  return {
    modelsDir,
    chunkTokens: 200,
    chunkOverlap: 30,
    topK: 5,
    theme: 'system',
    glossary: {},
    maxFileMB: 64,
    embeddingModel: null,
    rerank: true,
    rerankerModel: null,
    llmModel: null,
    contextSize: 4096,
    threads: 0,
    temperature: 0,
    citationsRequired: false, // enforced since issue 9 (uncited answers fall back to search-only); admins lock it on
    allowPersonalFolders: true,
    allowDownloads: true,
    allowRemoteEngines: false,
    downloadBaseUrl: 'https://huggingface.co',
    minRelevance: 0.34,
  };
}

/**
 * The user's settings, persisted as JSON in the data directory. Values an admin policy locks are
 * applied on top by the engine and cannot be changed here.
 */
export class SettingsStore {
  private constructor(
    private readonly file: string,
    private values: Settings,
  ) {}

  static async open(dataDir: string, defaults: Settings): Promise<SettingsStore> {
    const file = join(dataDir, 'settings.json');
    let stored: Partial<Settings> = {};
    try {
      const parsed = SettingsSchema.partial().safeParse(JSON.parse(await readFile(file, 'utf8')));
      // A damaged or outdated file must not stop the app: keep what is valid, default the rest.
      if (parsed.success) stored = parsed.data;
    } catch {
      /* first run, or unreadable: defaults */
    }
    return new SettingsStore(file, { ...defaults, ...stored });
  }

  get(): Settings {
    return structuredClone(this.values);
  }

  async set(patch: Partial<Settings>, locked: ReadonlySet<SettingKey> = new Set()): Promise<Settings> {
    const keys = Object.keys(patch) as SettingKey[];
    // Refused whatever the value: a locked setting is the policy's, even when asked for the value it already has.
    const blocked = keys.filter((k) => locked.has(k));
    if (blocked.length) throw new LanternError('policy', `${blocked.join(', ')} ${blocked.length > 1 ? 'are' : 'is'} locked by your organisation's policy.`);
    if (patch.chunkOverlap !== undefined || patch.chunkTokens !== undefined) {
      const tokens = patch.chunkTokens ?? this.values.chunkTokens;
      const overlap = patch.chunkOverlap ?? this.values.chunkOverlap;
      if (overlap >= tokens / 2) throw new LanternError('invalid-input', 'Chunk overlap must be less than half the chunk size.');
    }
    this.values = SettingsSchema.parse({ ...this.values, ...patch });
    await atomicWriteJson(this.file, this.values);
    return this.get();
  }
}
