import { AdapterScale } from './AdapterScale';
import { useEffect, useState } from 'react';
import type { EngineView, RemoteServerModel } from '../../../electron/shared/contract';
import { getApi } from '../api/client';
import { useApp } from '../state/app';
import { LockIcon } from './LockIcon';
import { useEngine } from '../state/engine';

/**
 * Models → Answer engine: the local model or an organisation's inference server (OpenAI-compatible).
 * Choosing a server first lists its models, then shows exactly what will leave the laptop; nothing
 * is sent to it for answers until the user accepts. Admin locks show "Managed by …".
 */
export function EngineChoice() {
  const api = getApi();
  const { notify } = useApp();
  const [view, setView] = useState<EngineView | null>(null);
  // null: follow the engine in use; set when the user picks the other option (before it is confirmed).
  const [picked, setMode] = useState<'local' | 'remote' | null>(null);
  const [url, setUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [models, setModels] = useState<RemoteServerModel[] | null>(null);
  const [model, setModel] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [adapter, setAdapter] = useState('');
  const [scale, setScale] = useState(1);

  // Changes made elsewhere (CLI on the same data, another window) arrive as 'engine.changed'.
  const live = useEngine((s) => s.view);
  useEffect(() => {
    if (live) setView(live);
  }, [live]);
  const refresh = () =>
    api.call('engine.get', {}).then((v) => {
      setView(v);
      if (v.remote) {
        setUrl((u) => u || v.remote!.url);
        setModel((m) => m || v.remote!.model);
      }
    });
  useEffect(() => {
    void refresh().catch(() => {});
  }, []);

  const run = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
    } catch (err) {
      notify('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  if (!view) return null;
  const mode = picked ?? view.kind;
  const forbidden = !view.allowed && !!view.managedBy;

  const list = () =>
    run(async () => {
      const r = await api.call('engine.probe', { url, ...(apiKey ? { apiKey } : {}) });
      setModels(r.models);
      setModel((m) => (r.models.some((x) => x.id === m) ? m : (r.models.find((x) => !x.parent)?.id ?? '')));
      setNotice(view.noticeAccepted.includes(r.url) ? null : r.notice);
    });
  const use = () =>
    run(async () => {
      setView(await api.call('engine.set', { kind: 'remote', url, model, ...(apiKey ? { apiKey } : {}), acceptNotice: true }));
      setApiKey('');
      setNotice(null);
      setMode(null);
      notify('info', `Answers now come from ${model} on ${url}.`);
    });
  const switchToLocal = () => run(async () => setView(await api.call('engine.set', { kind: 'local' })));

  return (
    <section className="card" data-testid="engine-card">
      <h3>
        Answer engine{' '}
        {view.managedBy && (
          <span className="lock small muted" title={`Managed by ${view.managedBy}`}>
            <LockIcon /> Managed by {view.managedBy}
          </span>
        )}
      </h3>
      <div role="radiogroup" aria-label="Answer engine" className="row gap">
        <label>
          <input
            type="radio"
            name="engine"
            checked={mode === 'local'}
            onChange={() => (view.kind === 'remote' ? void switchToLocal().then(() => setMode(null)) : setMode('local'))}
          />{' '}
          On this laptop
        </label>
        <label>
          <input type="radio" name="engine" checked={mode === 'remote'} disabled={forbidden} onChange={() => setMode('remote')} /> On a server
          (OpenAI-compatible)
        </label>
      </div>
      {forbidden && <p className="muted small">Answer servers are not allowed by {view.managedBy}: answers stay on this laptop.</p>}
      {view.kind === 'remote' && view.remote && (
        <p data-testid="engine-current">
          Answers come from <strong>{view.remote.model}</strong> on <span className="mono">{view.remote.url}</span>
          {view.remote.server ? ` (${view.remote.server}${view.remote.contextSize ? `, ${view.remote.contextSize} tokens of context` : ''})` : ''}
          {view.remote.adapters.length > 0 && ` with ${view.remote.adapters.map((a) => `${a.path} × ${a.scale}`).join(', ')}`}.
          {view.remote.error && <span className="error-text small"> Last problem: {view.remote.error}</span>}
        </p>
      )}
      {mode === 'remote' && !forbidden && (
        <div className="engine-form">
          <label className="field">
            <span>Server address</span>
            <input type="url" placeholder="http://127.0.0.1:8080" value={url} onChange={(e) => (setUrl(e.target.value), setModels(null))} />
          </label>
          {view.allowedUrls.length > 0 && (
            <p className="muted small">
              Allowed by {view.managedBy}: {view.allowedUrls.join(', ')}
            </p>
          )}
          <label className="field">
            <span>API key {view.remote?.hasKey ? '(stored; leave empty to keep it)' : '(if the server needs one)'}</span>
            <input type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
          </label>
          <p className="muted small">Keys are kept in {view.keyStorage}, never in settings, chats or logs.</p>
          <button disabled={busy || !url} onClick={() => void list()}>
            List models
          </button>
          {models && (
            <label className="field">
              <span>Model</span>
              <select value={model} onChange={(e) => setModel(e.target.value)}>
                {models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                    {m.parent ? ` (adapter on ${m.parent})` : ''}
                    {m.contextLength ? ` — ${m.contextLength} tokens` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {models && notice && (
            <div className="notice" role="note" data-testid="engine-notice">
              <strong>What leaves this laptop</strong>
              <p className="small">{notice}</p>
            </div>
          )}
          {models && (
            <button disabled={busy || !model} onClick={() => void use()}>
              {notice ? 'I understand — use this server' : 'Use this server'}
            </button>
          )}
        </div>
      )}
      {view.kind === 'remote' && (
        <div className="row gap small">
          <label className="field">
            <span>Adapter on the server (file or name)</span>
            <input value={adapter} placeholder="tone.gguf" onChange={(e) => setAdapter(e.target.value)} />
          </label>
          <AdapterScale value={scale} label="Scale for the server adapter" onChange={setScale} />
          <button
            disabled={busy || !adapter}
            onClick={() => void run(async () => (await api.call('adapters.apply', { adapters: [{ path: adapter, scale }] }), await refresh()))}
          >
            Apply
          </button>
          {view.remote?.adapters.length ? (
            <button className="link" onClick={() => void run(async () => (await api.call('adapters.apply', { adapters: [] }), await refresh()))}>
              Remove
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}
