import type { EngineContext, Handlers } from '../engine-context.js';

export function libraryHandlers({ library, policy, guard }: EngineContext) {
  return {
    'library.list': () => library.list(),
    'library.create': ({ name }) => library.create(name),
    'library.delete': async ({ collection }) => {
      await library.delete(collection);
      return { ok: true as const };
    },
    'library.addFolder': async (input) => {
      policy.assertCanAddFolder();
      await guard.checkFolder(input.path);
      return library.addFolder(input);
    },
    'library.removeFolder': ({ collection, path }) => library.removeFolder(collection, path),
    'library.reindex': async ({ collection, full }) => {
      library.schedule(collection, { full: !!full, reembed: true });
      return { started: true };
    },
    'library.cancel': async ({ collection }) => {
      library.cancel(collection);
      return { ok: true as const };
    },
    'library.pause': async ({ collection, paused }) => {
      library.pause(collection, paused);
      return { ok: true as const };
    },
    'library.errors': ({ collection }) => library.errors(collection),
    'library.repair': ({ collection }) => library.repair(collection),
  } satisfies Partial<Handlers>;
}
