import { useState } from 'react';
import { getApi, pathForFile } from '../api/client';
import { useApp } from '../state/app';
import { useSettings } from '../state/settings';
import { LockIcon } from './LockIcon';
import { ImportPackDialog } from './packs/ImportPackDialog';
import { PackDetails } from './packs/PackDetails';
import { trustLabel } from './packs/trust';
import { isActive, useLibrary } from '../state/library';
import type { CollectionInfo, IndexProgress } from '../../../electron/shared/contract';

function eta(s: number | null): string {
  if (s === null) return '';
  return s < 60 ? `${s}s left` : `${Math.floor(s / 60)}m ${s % 60}s left`;
}

function Progress({ p }: { p: IndexProgress }) {
  const pct = p.filesTotal ? Math.round((p.filesDone / p.filesTotal) * 100) : p.phase === 'done' ? 100 : 0;
  const api = getApi();
  return (
    <div className="progress-block">
      <div className="progress" role="progressbar" aria-label={`Indexing ${p.collection}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} data-testid="index-progress" data-phase={p.phase}>
        <div className="bar" style={{ width: `${pct}%` }} />
      </div>
      <div className="row small muted">
        <span>
          {p.phase === 'done' ? 'Done' : p.phase === 'paused' ? 'Paused' : p.phase[0].toUpperCase() + p.phase.slice(1)} · {p.filesDone}/{p.filesTotal} files · {p.chunks} passages
          {p.chunksEmbedded ? ` · ${p.chunksEmbedded} embedded` : ''} {isActive(p) ? eta(p.etaSeconds) : ''}
        </span>
        {isActive(p) && (
          <span className="row gap">
            <button className="link" onClick={() => void api.call('library.pause', { collection: p.collection, paused: p.phase !== 'paused' })}>
              {p.phase === 'paused' ? 'Resume' : 'Pause'}
            </button>
            <button className="link" onClick={() => void api.call('library.cancel', { collection: p.collection })}>
              Cancel
            </button>
          </span>
        )}
      </div>
      {p.message && <div className="small muted">{p.message}</div>}
    </div>
  );
}

function Collection({ c }: { c: CollectionInfo }) {
  const { progress, errors } = useLibrary();
  const notify = useApp((s) => s.notify);
  const p = progress[c.id] ?? c.progress;
  const errs = errors[c.id] ?? [];
  const run = (f: () => Promise<unknown>) => f().catch((err) => notify('error', (err as Error).message));
  return (
    <section className="card" data-testid="collection-row" aria-label={c.name}>
      <div className="row">
        <div>
          <h3>
            {c.name} {c.pack && <span className="badge">Pack · read-only</span>}
          </h3>
          {c.pack ? (
            <p className="muted small">
              {c.pack.name} {c.pack.version} · {c.pack.publisher} · {c.pack.created.slice(0, 10)} · {trustLabel(c.pack).text}
              {c.pack.llm && <> · for {c.pack.llm.name}</>}
              {c.pack.policy && <> · policy of {c.pack.policy.organisation}</>}
            </p>
          ) : null}
          {c.pack ? (
            <PackDetails pack={c.pack} />
          ) : (
            c.folders.map((f) => (
              <p key={f.path} className="muted small mono">
                {f.path}{' '}
                <button className="link" onClick={() => run(() => getApi().call('library.removeFolder', { collection: c.id, path: f.path }))}>
                  remove
                </button>
              </p>
            ))
          )}
        </div>
        {!c.pack && (
          <span className="row gap">
            <button onClick={() => run(() => getApi().call('library.reindex', { collection: c.id }))}>Re-index</button>
            <button className="link danger" onClick={() => confirm(`Remove “${c.name}” from Lantern? Your files are not touched.`) && run(() => getApi().call('library.delete', { collection: c.id }))}>
              Remove
            </button>
          </span>
        )}
      </div>
      <p className="stats small">
        {c.files} files · {c.chunks} passages · {(c.bytes / 1e6).toFixed(1)} MB · last indexed {c.lastIndexedAt ? new Date(c.lastIndexedAt).toLocaleString() : 'never'} ·{' '}
        {c.lexicalOnly ? 'keyword search (no embedding model)' : `hybrid search (${c.embedding?.model})`}
      </p>
      {c.needsReembed && (
        <p className="note">
          Indexed with {c.needsReembed.indexModel}; the active model is {c.needsReembed.activeModel}. Search uses keywords until you{' '}
          <button className="link" onClick={() => run(() => getApi().call('library.reindex', { collection: c.id }))}>
            re-embed
          </button>
          .
        </p>
      )}
      {p && (isActive(p) || p.phase === 'done') && <Progress p={p} />}
      {errs.length > 0 && (
        <details className="errors" data-testid="file-errors" open={errs.length <= 5}>
          <summary>
            {errs.length} file{errs.length > 1 ? 's' : ''} could not be indexed
          </summary>
          <ul>
            {errs.map((e) => (
              <li key={e.path}>
                <span className="mono">{e.relPath}</span> — {e.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function LibraryView() {
  const { collections } = useLibrary();
  const { notify, info } = useApp();
  const [path, setPath] = useState('');
  const [packPath, setPackPath] = useState('');
  const [manual, setManual] = useState(false);
  /** The import dialog (pack preview), open with a path already chosen or not. */
  const [importing, setImporting] = useState<{ path?: string } | null>(null);
  // The engine refuses it anyway; the UI says so up front instead of offering a control that fails.
  const foldersLocked = useSettings((s) => !!s.view && s.view.locked.includes('allowPersonalFolders') && !s.view.values.allowPersonalFolders);
  const api = getApi();

  const addFolder = async (p: string) => {
    try {
      await api.call('library.addFolder', { path: p });
      setPath('');
    } catch (err) {
      notify('error', (err as Error).message);
    }
  };
  const pick = async (kind: 'folder' | 'pack') => {
    if (kind === 'pack') return setImporting({});
    const r = await api.call('app.pickPath', { kind });
    if (!r.supported) return setManual(true);
    if (r.path) await (kind === 'folder' ? addFolder(r.path) : importPack(r.path));
  };
  // A pack is never installed straight away: the preview shows what it is and who signed it first.
  const importPack = async (p: string) => {
    setImporting({ path: p });
    setPackPath('');
  };

  return (
    <div
      className="library"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        for (const f of Array.from(e.dataTransfer.files)) {
          const p = pathForFile(f);
          if (!p) return notify('info', 'Type the folder path below: a browser cannot read dropped folders’ locations.');
          void (p.endsWith('.lantern') ? importPack(p) : addFolder(p));
        }
      }}
    >
      <div className="row">
        <h1>Library</h1>
        <span className="row gap">
          <button className="primary" onClick={() => void pick('folder')} disabled={foldersLocked} title={foldersLocked ? 'Your organisation does not allow adding folders' : undefined}>
            Add folder…
          </button>
          <button onClick={() => void pick('pack')}>Import pack…</button>
        </span>
      </div>
      {(manual || info?.transport === 'web') && (
        <div className="card form-card">
          {foldersLocked ? (
            <p className="small muted">
              <LockIcon /> Your organisation does not allow adding folders; import the knowledge packs it provides.
            </p>
          ) : (
            <form
              className="row gap"
              onSubmit={(e) => {
                e.preventDefault();
                if (path.trim()) void addFolder(path.trim());
              }}
            >
              <label className="grow">
                <span className="small muted">Folder to add</span>
                <input data-testid="folder-path-input" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/Documents/policies" />
              </label>
              <button type="submit" data-testid="add-folder-submit" disabled={!path.trim()}>
                Add
              </button>
            </form>
          )}
          <form
            className="row gap"
            onSubmit={(e) => {
              e.preventDefault();
              if (packPath.trim()) void importPack(packPath.trim());
            }}
          >
            <label className="grow">
              <span className="small muted">Knowledge pack file (.lantern)</span>
              <input data-testid="pack-path-input" value={packPath} onChange={(e) => setPackPath(e.target.value)} placeholder="/media/usb/handbook-2026.12.lantern" />
            </label>
            <button type="submit" disabled={!packPath.trim()}>
              Import
            </button>
          </form>
        </div>
      )}
      {importing && <ImportPackDialog initialPath={importing.path} onClose={() => setImporting(null)} />}
      {collections.length === 0 && <p className="muted">Add a folder of documents (PDF, Word, PowerPoint, Excel, CSV, HTML, Markdown, text, code, EPUB) to start.</p>}
      {collections.map((c) => (
        <Collection key={c.id} c={c} />
      ))}
    </div>
  );
}
