import { useState } from 'react';
import { getApi, pathForFile } from '../api/client';
import { useApp } from '../state/app';
import { useSettings } from '../state/settings';
import { LockIcon } from './LockIcon';
import { ImportPackDialog } from './packs/ImportPackDialog';
import { PackDetails } from './packs/PackDetails';
import { trustLabel } from './packs/trust';
import { isActive, useLibrary } from '../state/library';
import type { CollectionInfo, FileError, FolderSpec, IndexProgress } from '../../../electron/shared/contract';
import { count, formatBytes, formatEta, formatNumber } from '../format';
import { FolderBrowser } from './library/FolderBrowser';

/** Share of the work done, counting the part of a large file already read. */
function share(p: IndexProgress): number {
  if (p.phase === 'done') return 100;
  if (!p.filesTotal) return 0;
  const inFile = p.currentFileProgress && p.currentFileProgress.total > 0 ? Math.min(1, p.currentFileProgress.done / p.currentFileProgress.total) : 0;
  return Math.min(100, Math.round(((p.filesDone + inFile) / p.filesTotal) * 100));
}

const PHASES: Record<string, string> = {
  scanning: 'Looking for files',
  indexing: 'Reading',
  embedding: 'Embedding',
  committing: 'Saving',
  paused: 'Paused',
  done: 'Done',
  cancelled: 'Cancelled',
  error: 'Stopped',
  idle: 'Waiting',
};

function inFileText(p: IndexProgress): string | null {
  const f = p.currentFileProgress;
  if (!f || !p.currentFile || !f.total) return null;
  const unit = f.unit === 'bytes' ? null : f.unit;
  const amount = unit ? `${formatNumber(f.done)} of ${count(f.total, unit.replace(/s$/, ''), unit)}` : `${formatBytes(f.done)} of ${formatBytes(f.total)}`;
  return `${p.currentFile.split('/').pop()}: ${Math.round((f.done / f.total) * 100)} % (${amount})`;
}

function Progress({ p }: { p: IndexProgress }) {
  const pct = share(p);
  const api = getApi();
  const current = isActive(p) ? inFileText(p) : null;
  return (
    <div className="progress-block">
      <div
        className="progress"
        role="progressbar"
        aria-label={`Indexing ${p.collection}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct} %`}
        data-testid="index-progress"
        data-phase={p.phase}
      >
        <div className="bar" style={{ width: `${pct}%` }} />
      </div>
      <div className="row small muted wrap">
        <span data-testid="index-progress-text">
          {PHASES[p.phase] ?? p.phase} · {formatNumber(p.filesDone)} of {count(p.filesTotal, 'file')} · {count(p.chunks, 'passage')}
          {p.chunksEmbedded ? ` (${formatNumber(p.chunksEmbedded)} embedded)` : ''} · {formatBytes(p.bytesDone)} read
          {isActive(p) && p.etaSeconds !== null ? ` · ${formatEta(p.etaSeconds)}` : ''}
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
      {current && (
        <div className="small muted truncate" data-testid="current-file-progress" title={p.currentFile}>
          {current}
        </div>
      )}
      {p.message && <div className="small muted">{p.message}</div>}
    </div>
  );
}

function FileList({ items, testId, summary, open, kind }: { items: FileError[]; testId: string; summary: string; open: boolean; kind: 'errors' | 'skipped' }) {
  return (
    <details className={kind} data-testid={testId} open={open}>
      <summary>{summary}</summary>
      <ul>
        {items.map((e) => (
          <li key={e.path}>
            <span className="mono break" title={e.path}>
              {e.relPath}
            </span>{' '}
            — {e.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * Links that lead out of a folder are skipped unless the user says to follow them, per folder:
 * offered only where such links were met (or the folder already follows them, to turn it off).
 */
function ExternalLinksToggle({ collection, folder, linksOut, busy }: { collection: string; folder: FolderSpec; linksOut: boolean; busy: boolean }) {
  const notify = useApp((s) => s.notify);
  if (!linksOut && !folder.followExternalLinks) return null;
  const set = (follow: boolean) => {
    if (
      follow &&
      !confirm(
        `Follow links in ${folder.path} that lead outside it? The files they point to are indexed too, and travel in any pack built from this collection.`,
      )
    )
      return;
    getApi()
      .call('library.addFolder', { collection, path: folder.path, include: folder.include, exclude: folder.exclude, followExternalLinks: follow })
      .catch((err) => notify('error', (err as Error).message));
  };
  return (
    <label className="inline-check" data-testid="follow-links">
      <input type="checkbox" checked={!!folder.followExternalLinks} disabled={busy} onChange={(e) => set(e.target.checked)} /> follow links that lead outside
    </label>
  );
}

function Collection({ c }: { c: CollectionInfo }) {
  const { progress, errors } = useLibrary();
  const notify = useApp((s) => s.notify);
  const p = progress[c.id] ?? c.progress;
  const all = errors[c.id] ?? [];
  const skipped = all.filter((e) => e.kind === 'skipped');
  const errs = all.filter((e) => e.kind !== 'skipped');
  const busy = isActive(p ?? undefined);
  const run = (f: () => Promise<unknown>) => f().catch((err) => notify('error', (err as Error).message));
  return (
    <section className="card" data-testid="collection-row" aria-label={c.name}>
      <div className="row">
        <div>
          <h2 className="card-title">
            <span className="truncate" title={c.name}>
              {c.name}
            </span>{' '}
            {c.pack && <span className="badge">Pack · read-only</span>}
          </h2>
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
              <p key={f.path} className="muted small mono folder-path" data-testid="collection-folder">
                <span className="break" title={f.path}>
                  {f.path}
                </span>{' '}
                <button
                  className="link"
                  aria-label={`Remove folder ${f.path}`}
                  disabled={busy}
                  onClick={() => run(() => getApi().call('library.removeFolder', { collection: c.id, path: f.path }))}
                >
                  remove
                </button>
                <ExternalLinksToggle
                  collection={c.id}
                  folder={f}
                  linksOut={skipped.some((e) => e.code === 'outside-folder' && e.path.startsWith(f.path))}
                  busy={busy}
                />
              </p>
            ))
          )}
        </div>
        {!c.pack && (
          <span className="row gap">
            <button
              onClick={() => run(() => getApi().call('library.reindex', { collection: c.id }))}
              disabled={busy}
              title={busy ? 'Indexing is under way' : undefined}
            >
              Re-index
            </button>
            <button
              className="link danger"
              onClick={() =>
                confirm(`Remove “${c.name}” from Lantern? Your files are not touched.`) && run(() => getApi().call('library.delete', { collection: c.id }))
              }
            >
              Remove
            </button>
          </span>
        )}
      </div>
      <p className="stats small" data-testid="collection-stats">
        {count(c.files, 'file')} indexed · {count(c.chunks, 'passage')} · {formatBytes(c.bytes)}
        {skipped.length ? ` · ${formatNumber(skipped.length)} skipped` : ''}
        {errs.length ? ` · ${formatNumber(errs.length)} could not be read` : ''} · last indexed{' '}
        {c.lastIndexedAt ? new Date(c.lastIndexedAt).toLocaleString() : 'never'} ·{' '}
        {c.lexicalOnly ? 'keyword search (no embedding model)' : `hybrid search (${c.embedding?.model})`}
      </p>
      {c.health?.status === 'needs-repair' && (
        <div className="note warning" role="alert" data-testid="needs-repair">
          <p>{c.health.reason}</p>
          {!c.pack && (
            <button
              disabled={busy}
              onClick={() =>
                run(async () => {
                  const r = await getApi().call('library.repair', { collection: c.id });
                  notify('info', r.message);
                })
              }
            >
              Repair
            </button>
          )}
        </div>
      )}
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
        <FileList kind="errors" items={errs} testId="file-errors" open={errs.length <= 5} summary={`${count(errs.length, 'file')} could not be read`} />
      )}
      {skipped.length > 0 && (
        <FileList kind="skipped" items={skipped} testId="file-skipped" open={false} summary={`${count(skipped.length, 'file')} skipped on purpose`} />
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
  const [browsing, setBrowsing] = useState(false);
  // The collection just added is listed first, where the user is looking.
  const [recent, setRecent] = useState<string | null>(null);
  // The engine refuses it anyway; the UI says so up front instead of offering a control that fails.
  const foldersLocked = useSettings((s) => !!s.view && s.view.locked.includes('allowPersonalFolders') && !s.view.values.allowPersonalFolders);
  const api = getApi();

  const addFolder = async (p: string) => {
    try {
      const c = await api.call('library.addFolder', { path: p });
      setRecent(c.id);
      setPath('');
      setBrowsing(false);
    } catch (err) {
      notify('error', (err as Error).message);
    }
  };
  const pick = async (kind: 'folder' | 'pack') => {
    if (kind === 'pack') return setImporting({});
    const r = await api.call('app.pickPath', { kind });
    if (!r.supported && kind === 'folder') return setBrowsing(true);
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
          if (!p) {
            // A browser hands over a dropped folder's name, never its location: find it in the browser.
            if (!foldersLocked && !f.name.endsWith('.lantern')) setBrowsing(true);
            return notify(
              'info',
              `A browser does not tell Lantern where “${f.name}” is: pick the folder in the folder browser${f.name.endsWith('.lantern') ? ' or import the pack with Import pack…' : ''}.`,
            );
          }
          void (p.endsWith('.lantern') ? importPack(p) : addFolder(p));
        }
      }}
    >
      <div className="row">
        <h1>Library</h1>
        <span className="row gap">
          <button
            className="primary"
            onClick={() => void pick('folder')}
            disabled={foldersLocked}
            title={foldersLocked ? 'Your organisation does not allow adding folders' : undefined}
          >
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
              <input
                data-testid="pack-path-input"
                value={packPath}
                onChange={(e) => setPackPath(e.target.value)}
                placeholder="/media/usb/handbook-2026.12.lantern"
              />
            </label>
            <button type="submit" disabled={!packPath.trim()}>
              Import
            </button>
          </form>
        </div>
      )}
      {importing && <ImportPackDialog initialPath={importing.path} onClose={() => setImporting(null)} />}
      {collections.length === 0 && (
        <p className="muted">Add a folder of documents (PDF, Word, PowerPoint, Excel, CSV, HTML, Markdown, text, code, EPUB) to start.</p>
      )}
      {[...collections]
        .sort((a, b) => Number(b.id === recent) - Number(a.id === recent))
        .map((c) => (
          <Collection key={c.id} c={c} />
        ))}
      {browsing && <FolderBrowser onChoose={(p) => void addFolder(p)} onClose={() => setBrowsing(false)} />}
    </div>
  );
}
