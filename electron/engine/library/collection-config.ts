import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWriteJson } from '../core/atomic-write.js';

const CONFIG_FILE = 'collection.json';

export const CollectionConfigSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  folders: z.array(z.object({ path: z.string(), include: z.array(z.string()), exclude: z.array(z.string()), followExternalLinks: z.boolean().optional() })),
});
export type CollectionConfig = z.infer<typeof CollectionConfigSchema>;

/** Folder-name-safe, readable ids: "HR Policies" → "hr-policies". */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return s || 'collection';
}

export async function readConfigs(collectionsDir: string): Promise<CollectionConfig[]> {
  await mkdir(collectionsDir, { recursive: true });
  const out: CollectionConfig[] = [];
  for (const name of await readdir(collectionsDir)) {
    try {
      const parsed = CollectionConfigSchema.safeParse(JSON.parse(await readFile(join(collectionsDir, name, CONFIG_FILE), 'utf8')));
      if (parsed.success && parsed.data.id === name) out.push(parsed.data);
    } catch {
      /* not a collection folder, or a half-created one */
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function writeConfig(collectionsDir: string, config: CollectionConfig): Promise<void> {
  await atomicWriteJson(join(collectionsDir, config.id, CONFIG_FILE), config);
}

export async function deleteCollectionDir(collectionsDir: string, id: string): Promise<void> {
  await rm(join(collectionsDir, id), { recursive: true, force: true });
}
