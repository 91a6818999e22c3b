import type { EngineContext, Handlers } from '../engine-context.js';

export function settingsHandlers({ settings, settingsStore, policy, models, emit }: EngineContext) {
  return {
    'settings.get': async () => ({ values: settings(), locked: policy.lockedKeys() }),
    'settings.set': async (patch) => {
      const before = settings();
      await settingsStore.set(patch, new Set(policy.lockedKeys()));
      const view = { values: settings(), locked: policy.lockedKeys() };
      emit('settings.changed', view);
      // A different embedding model or chunking changes what the index should hold.
      const modelKeys = ['embeddingModel', 'modelsDir', 'rerank', 'rerankerModel'] as const;
      if (modelKeys.some((key) => before[key] !== view.values[key])) models.invalidate();
      return view;
    },
    'policy.get': async () => policy.view(),
  } satisfies Partial<Handlers>;
}
