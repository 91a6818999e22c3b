import { totalmem } from 'node:os';
import { catalogueView } from '../../models/catalogue.js';
import type { EngineContext, Handlers } from '../engine-context.js';

export function modelHandlers({ models }: EngineContext) {
  return {
    'models.list': () => models.list(),
    'models.status': async () => models.status(),
    'models.load': ({ path, contextSize }) => models.load(path, contextSize),
    'models.unload': () => models.unload(),
    'models.download': ({ ids }) => models.download(ids),
    'models.cancelDownload': async ({ id }) => ({ ok: models.cancelDownload(id) }),
    'adapters.apply': ({ adapters }) => models.applyAdapters(adapters),
    'models.catalogue': async () => catalogueView(totalmem()),
  } satisfies Partial<Handlers>;
}
