import { AdapterScale } from './AdapterScale';
import { useState } from 'react';
import { getApi } from '../api/client';
import { useApp } from '../state/app';
import { useModels } from '../state/models';
import { useSettings } from '../state/settings';
import { ModelCatalogue, ModelFitnessNote } from './ModelFitness';
import { formatBytes } from '../format';
import { EngineChoice } from './EngineChoice';

const size = formatBytes;

export function ModelsView() {
  const { models, status, loading, downloads } = useModels();
  const { info, notify } = useApp();
  const settings = useSettings((s) => s.view);
  const [scales, setScales] = useState<Record<string, number>>({});
  const api = getApi();
  const run = (f: () => Promise<unknown>) => f().catch((err) => notify('error', (err as Error).message));
  const llms = models.filter((m) => m.kind === 'llm');
  const adapters = models.filter((m) => m.kind === 'adapter');
  const embeddings = models.filter((m) => m.kind === 'embedding');
  const canDownload = info?.network && settings?.values.allowDownloads;

  return (
    <div className="models">
      <h1>Models</h1>
      <EngineChoice />
      <section className="card">
        <h2 className="card-title">Answer model</h2>
        {status?.llm ? (
          <p>
            <strong>{status.llm.name}</strong> is loaded ({status.llm.contextSize} tokens of context{status.llm.gpu ? `, ${status.llm.gpu}` : ', CPU'}).{' '}
            <button className="link" onClick={() => run(() => api.call('models.unload', {}))}>
              Unload
            </button>
          </p>
        ) : (
          <p className="muted">No model loaded: questions are answered with the best passages (search only).</p>
        )}
        {loading && (
          <div
            className="progress"
            role="progressbar"
            aria-label="Loading model"
            aria-valuenow={Math.round(loading.progress * 100)}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div className="bar" style={{ width: `${loading.progress * 100}%` }} />
          </div>
        )}
        <ul className="model-list">
          {llms.map((m) => (
            <li key={m.id} className="row">
              <span>
                <strong>{m.name}</strong> <span className="muted small">{[m.architecture, m.parameters, size(m.sizeBytes)].filter(Boolean).join(' · ')}</span>
                {m.estimate && (
                  <span className={`small ${m.estimate.fits ? 'muted' : 'error-text'}`}>
                    {' '}
                    · needs ~{size(m.estimate.ramBytes + m.estimate.vramBytes)} at {m.estimate.contextSize} tokens
                    {m.estimate.fits ? '' : ` — ${m.estimate.note}`}
                  </span>
                )}
                {!m.allowedByPolicy && <span className="badge">not approved</span>}
                <ModelFitnessNote model={m} />
              </span>
              {m.loaded ? (
                <span className="badge on">loaded</span>
              ) : (
                <button disabled={!!loading || !m.allowedByPolicy} onClick={() => run(() => api.call('models.load', { path: m.path }))}>
                  Load
                </button>
              )}
            </li>
          ))}
        </ul>
        {llms.length === 0 && (
          <p className="muted small">
            No GGUF models found. Put a GGUF file (for example a small instruct model) in <span className="mono">{info?.modelsDir}</span>, or import a knowledge
            pack that carries one.
          </p>
        )}
      </section>
      {adapters.length > 0 && (
        <section className="card">
          <h2 className="card-title">LoRA adapters</h2>
          {adapters.map((a) => {
            const applied = status?.llm?.adapters.find((x) => x.path === a.path);
            const scale = scales[a.path] ?? applied?.scale ?? 1;
            return (
              <div key={a.id} className="row">
                <span>
                  <strong>{a.name}</strong> <span className="muted small">{size(a.sizeBytes)}</span>
                </span>
                <AdapterScale className="row gap small" value={scale} label={`Scale for ${a.name}`} onChange={(v) => setScales({ ...scales, [a.path]: v })} />
                <button disabled={!status?.llm} onClick={() => run(() => api.call('adapters.apply', { adapters: [{ path: a.path, scale }] }))}>
                  {applied ? 'Update' : 'Apply'}
                </button>
                {applied && (
                  <button className="link" onClick={() => run(() => api.call('adapters.apply', { adapters: [] }))}>
                    Remove
                  </button>
                )}
              </div>
            );
          })}
        </section>
      )}
      <section className="card">
        <h2 className="card-title">Embedding model</h2>
        <p>
          {status?.embedding ? (
            <>
              Search uses <strong>{status.embedding.model}</strong> together with keyword search.
            </>
          ) : (
            'No embedding model: search is by keywords (BM25), which works well on its own.'
          )}
        </p>
        {embeddings.length > 0 && <p className="muted small">Available: {embeddings.map((e) => e.name).join(', ')} — choose one in Settings.</p>}
      </section>
      <section className="card" data-testid="reranker-card">
        <h2 className="card-title">Reranker</h2>
        {status?.reranker ? (
          <p>
            The best results are re-read by <strong>{status.reranker}</strong>, a cross-encoder, before answering.
          </p>
        ) : (
          <p className="muted small">
            No reranker in use. It comes with the models for your laptop below; or put a cross-encoder (e.g. ms-marco-MiniLM-L-6-v2 in transformers.js format)
            in the models folder under rerank/. It re-reads the best results more carefully.
          </p>
        )}
        {status?.rerankerError && <p className="error-text small">The reranker was skipped: {status.rerankerError}</p>}
      </section>
      <ModelCatalogue canDownload={!!canDownload} />
      <section className="card">
        <h2 className="card-title">Download default models</h2>
        {canDownload ? (
          <>
            <p className="muted small">
              all-MiniLM-L6-v2 (23 MB) for semantic search and SmolLM2 135M Instruct (Q4_K_M, 105 MB) for answers, checked against their SHA-256.
            </p>
            <button onClick={() => run(() => api.call('models.download', {}))}>Download</button>
            {Object.values(downloads).map((d) => (
              <div key={d.id} className="progress-block">
                <div
                  className="progress"
                  role="progressbar"
                  aria-label={`Downloading ${d.id}`}
                  aria-valuenow={d.bytesTotal ? Math.round((d.bytesDone / d.bytesTotal) * 100) : 0}
                >
                  <div className="bar" style={{ width: `${d.bytesTotal ? (d.bytesDone / d.bytesTotal) * 100 : 0}%` }} />
                </div>
                <div className="row small muted">
                  <span>
                    {d.id}: {d.state} {d.message ?? ''}
                  </span>
                  {d.state === 'downloading' && (
                    <button className="link" onClick={() => run(() => api.call('models.cancelDownload', { id: d.id }))}>
                      Cancel
                    </button>
                  )}
                </div>
              </div>
            ))}
          </>
        ) : (
          <p className="muted small">
            {settings?.values.allowDownloads === false
              ? 'Model downloads are turned off by your organisation.'
              : `This computer is offline. Copy model files into the models folder (${settings?.values.modelsDir ?? 'see Settings'}), or import a knowledge pack that includes them.`}
          </p>
        )}
      </section>
    </div>
  );
}
