import { totalmem } from 'node:os';
import { catalogueView } from '../../models/catalogue.js';
import type { EngineContext, Handlers } from '../engine-context.js';

export function modelHandlers({ models, remote }: EngineContext) {
  return {
    'models.list': () => models.list(),
    'models.status': async () => models.status(),
    'models.load': ({ path, contextSize }) => models.load(path, contextSize),
    'models.unload': () => models.unload(),
    'models.download': ({ ids }) => models.download(ids),
    'models.cancelDownload': async ({ id }) => ({ ok: models.cancelDownload(id) }),
    // With an inference server chosen, adapters are applied there (or refused with the reason).
    'adapters.apply': async ({ adapters }) => (remote.active ? remote.applyAdapters(adapters).then(() => models.status()) : models.applyAdapters(adapters)),
    'engine.get': () => remote.view(),
    'engine.probe': ({ url, apiKey }) => remote.probe(url, apiKey),
    'engine.set': (input) => remote.set(input),
    'models.catalogue': async () => catalogueView(totalmem()),
  } satisfies Partial<Handlers>;
}
