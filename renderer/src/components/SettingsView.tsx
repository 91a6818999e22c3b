import { useState } from 'react';
import { useApp } from '../state/app';
import { useModels } from '../state/models';
import { useSettings } from '../state/settings';
import { LockIcon } from './LockIcon';
import { numberRangeError, plainEngineError } from './settings-errors';
import type { SettingKey, Settings } from '../../../electron/shared/contract';

export function SettingsView() {
  const { view, set } = useSettings();
  const { info, notify } = useApp();
  const models = useModels((s) => s.models);
  const embeddings = models.filter((m) => m.kind === 'embedding');
  const rerankers = models.filter((m) => m.kind === 'reranker');
  const [term, setTerm] = useState('');
  const [meaning, setMeaning] = useState('');
  // Every hook before the early return: a view that loads after the first render must call the same hooks.
  const [fieldError, setFieldError] = useState<{ key: SettingKey; text: string } | null>(null);
  if (!view) return null;
  const v = view.values;
  const locked = (k: SettingKey) => view.locked.includes(k);
  const save = (patch: Partial<Settings>) => set(patch).catch((err) => notify('error', (err as Error).message));
  const lock = (k: SettingKey) =>
    locked(k) ? (
      <span className="lock" title="Locked by your organisation">
        <LockIcon /> Locked by your organisation
      </span>
    ) : null;
  /** Saves a number; an out-of-range or refused value is explained in words and the field rolls back. */
  const saveNumber = (k: SettingKey, label: string, input: HTMLInputElement, min: number, max: number, step?: number) => {
    const previous = v[k] as number;
    if (Number(input.value) === previous && input.value.trim() !== '') return setFieldError(null);
    const problem = numberRangeError(label, input.value, min, max, step);
    if (problem) {
      input.value = String(previous);
      return setFieldError({ key: k, text: problem });
    }
    set({ [k]: Number(input.value) } as Partial<Settings>).then(
      () => setFieldError(null),
      (err) => {
        input.value = String(previous);
        setFieldError({ key: k, text: plainEngineError(label, (err as Error).message) });
      },
    );
  };
  const errorFor = (k: SettingKey) =>
    fieldError?.key === k ? (
      <span className="field-error error-text small" role="alert" id={`err-${k}`} data-testid="setting-error">
        {fieldError.text}
      </span>
    ) : null;
  const num = (
    k: 'chunkTokens' | 'chunkOverlap' | 'topK' | 'maxFileMB' | 'contextSize' | 'temperature',
    label: string,
    min: number,
    max: number,
    step?: number,
  ) => (
    <label className="field">
      <span>
        {label} {lock(k)}
      </span>
      <span className="field-input">
        <input
          type="number"
          min={min}
          max={max}
          step={step}
          defaultValue={v[k]}
          key={`${k}-${v[k]}`}
          disabled={locked(k)}
          aria-invalid={fieldError?.key === k || undefined}
          aria-describedby={fieldError?.key === k ? `err-${k}` : undefined}
          onBlur={(e) => saveNumber(k, label, e.target, min, max, step)}
          onKeyDown={(e) => e.key === 'Enter' && saveNumber(k, label, e.currentTarget, min, max, step)}
        />
        {errorFor(k)}
      </span>
    </label>
  );

  return (
    <div className="settings">
      <h1>Settings</h1>
      <section className="card">
        <label className="field">
          <span>Theme {lock('theme')}</span>
          <select
            data-testid="theme-select"
            value={v.theme}
            disabled={locked('theme')}
            onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })}
          >
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <p className="field">
          <span>Data folder</span>
          <span className="mono small">{info?.dataDir}</span>
        </p>
        <p className="field">
          <span>Models folder</span>
          <span className="mono small">{v.modelsDir}</span>
        </p>
      </section>
      <section className="card">
        <h2 className="card-title">Answers</h2>
        {num('topK', 'Number of sources', 1, 20)}
        {num('contextSize', 'Model context size (tokens)', 256, 131072)}
        {num('temperature', 'Temperature', 0, 2, 0.1)}
        <label className="field">
          <span>Embedding model {lock('embeddingModel')}</span>
          <select value={v.embeddingModel ?? ''} disabled={locked('embeddingModel')} onChange={(e) => void save({ embeddingModel: e.target.value || null })}>
            <option value="">Automatic (all-MiniLM-L6-v2 when installed)</option>
            {embeddings.map((m) => (
              <option key={m.id} value={m.name.split('/').pop()}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Reranker {lock('rerankerModel')}</span>
          <select
            data-testid="reranker-select"
            value={v.rerank ? (v.rerankerModel ?? '') : 'off'}
            disabled={locked('rerank') || locked('rerankerModel')}
            onChange={(e) => void save(e.target.value === 'off' ? { rerank: false } : { rerank: true, rerankerModel: e.target.value || null })}
          >
            <option value="">{rerankers.length ? 'Automatic (first reranker installed)' : 'Automatic (when a reranker is installed)'}</option>
            {rerankers.map((m) => (
              <option key={m.id} value={m.name.split('/').pop()}>
                {m.name}
              </option>
            ))}
            <option value="off">Off</option>
          </select>
        </label>
      </section>
      <section className="card">
        <h2 className="card-title">Indexing</h2>
        {num('chunkTokens', 'Passage size (tokens)', 32, 2048)}
        {num('chunkOverlap', 'Passage overlap (tokens)', 0, 512)}
        {num('maxFileMB', 'Max file size (MB)', 1, 2048)}
      </section>
      <section className="card">
        <h2 className="card-title">Glossary {lock('glossary')}</h2>
        <p className="muted small">Acronyms your documents spell out: a question about “PT” also searches “physical therapy”.</p>
        <ul className="glossary">
          {Object.entries(v.glossary).map(([k, m]) => (
            <li key={k} className="row">
              <span>
                <strong>{k}</strong> → {m}
              </span>
              {!locked('glossary') && (
                <button
                  className="link"
                  aria-label={`Remove ${k}`}
                  onClick={() => {
                    const g = { ...v.glossary };
                    delete g[k];
                    void save({ glossary: g });
                  }}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
        {!locked('glossary') && (
          <form
            className="row gap"
            onSubmit={(e) => {
              e.preventDefault();
              if (term.trim() && meaning.trim())
                void save({ glossary: { ...v.glossary, [term.trim()]: meaning.trim() } }).then(() => (setTerm(''), setMeaning('')));
            }}
          >
            <input aria-label="Acronym" placeholder="PT" value={term} onChange={(e) => setTerm(e.target.value)} />
            <input aria-label="Meaning" className="grow" placeholder="physical therapy" value={meaning} onChange={(e) => setMeaning(e.target.value)} />
            <button type="submit">Add</button>
          </form>
        )}
      </section>
    </div>
  );
}
