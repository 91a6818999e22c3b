import { useEffect, useState } from 'react';
import { getApi } from '../api/client';
import { useApp } from '../state/app';
import type { ModelCatalogueView, ModelInfo } from '../../../electron/shared/contract';

/** Under an answer model: why it can't answer from documents (no chat template, too small, base, test weights). */
export function ModelFitnessNote({ model }: { model: ModelInfo }) {
  if (model.fitness?.answers !== 'unsuitable') return null;
  return (
    <div className="fitness warning-text small" data-testid="model-unfit">
      <strong>Not suited to answering from documents:</strong> {model.fitness.reasons.join(' ')}
    </div>
  );
}

const size = (b: number) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(b / 1e6))} MB`);

/** Default models by laptop memory, with the tier that fits this machine marked. */
export function ModelCatalogue({ canDownload }: { canDownload: boolean }) {
  const notify = useApp((s) => s.notify);
  const [view, setView] = useState<ModelCatalogueView | null>(null);
  useEffect(() => {
    getApi()
      .call('models.catalogue', {})
      .then(setView, () => setView(null));
  }, []);
  if (!view) return null;
  return (
    <section className="card" data-testid="model-catalogue">
      <h3>Models for your laptop</h3>
      <p className="muted small">
        This machine has {(view.machineRamBytes / 2 ** 30).toFixed(0)} GB of memory. Each file is checked against its published size and SHA-256.
      </p>
      <ul className="model-list">
        {view.tiers.map((t) => (
          <li key={t.id} className="row" data-testid={`tier-${t.id}`}>
            <span>
              <strong>{t.label}</strong> {t.id === view.recommendedTier && <span className="badge on">recommended for this machine</span>}
              <ul className="tier-models small">
                {t.models.map((m) => (
                  <li key={m.id}>
                    {m.name}{' '}
                    <span className="muted">
                      · {size(m.sizeBytes)} · {m.licence}
                    </span>
                  </li>
                ))}
              </ul>
              {t.note && <span className="muted small">{t.note}</span>}
            </span>
            {canDownload && (
              <button
                onClick={() =>
                  getApi()
                    .call('models.download', { ids: t.models.map((m) => m.id) })
                    .catch((err) => notify('error', (err as Error).message))
                }
              >
                Download
              </button>
            )}
          </li>
        ))}
      </ul>
      <p className="muted small">The reranker re-reads the best passages of each search to put the one that answers first; search works without it.</p>
    </section>
  );
}
