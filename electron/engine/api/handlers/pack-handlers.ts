import { resolve } from 'node:path';
import { LanternError } from '../../core/errors.js';
import { buildCollectionPack, verifyPackFile } from '../pack-builder.js';
import type { EngineContext, Handlers } from '../engine-context.js';

export function packHandlers({ packs, library, models, guard, evals }: EngineContext) {
  return {
    'packs.import': async ({ path, ...consent }) => packs.import(path, consent),
    'packs.inspect': async ({ path, trustKeys }) => packs.inspect(path, trustKeys),
    'packs.documents': async ({ id }) => packs.documents(id),
    'packs.verifyInstalled': async ({ id }) => packs.verifyInstalled(id),
    'packs.build': async (input) => {
      const index = await library.index(input.collection);
      const info = await library.info(input.collection);
      const embeddingDir = input.includeModel ? models.embeddingDirFor(index.manifest.embedding?.model ?? null) : null;
      if (input.includeModel && !embeddingDir) throw new LanternError('model-missing', 'The collection has no embedding model on this machine to include.');
      const version = input.version ?? new Date().toISOString().slice(0, 10).replace(/-/g, '.');
      const out = await guard.writeTarget(input.out, `${info.id.replace(/^pack-/, '')}-${version}.lantern`);
      return buildCollectionPack(index, {
        out,
        id: info.id.replace(/^pack-/, ''),
        name: input.name ?? info.name,
        version,
        publisher: input.publisher ?? 'Unknown publisher',
        description: input.description,
        keyPath: input.keyPath,
        includeDocuments: input.includeDocuments ?? true,
        embeddingModelDir: embeddingDir,
        adapter: input.adapter ?? null,
        policyDir: input.policyDir ? resolve(input.policyDir) : null,
        llmPath: input.llm ? resolve(input.llm) : null,
        extraEntries: input.eval ? await evals.packEntries(input.eval, input.collection, input.evalModes) : undefined,
      });
    },
    'packs.verify': async ({ path, full, trustKeys }) => verifyPackFile(path, { full: full ?? true, trust: packs.trustFor(trustKeys).trust }),
    'packs.list': async () => packs.list(),
    'packs.remove': async ({ id }) => {
      await packs.remove(id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers>;
}
