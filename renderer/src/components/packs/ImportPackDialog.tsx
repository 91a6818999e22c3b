import { useEffect, useRef, useState } from 'react';
import { getApi } from '../../api/client';
import { uploadPack } from '../../api/upload';
import { useApp } from '../../state/app';
import type { PackPreview } from '../../../../electron/shared/contract';
import { PackPreviewView } from './PackPreviewView';
import './packs.css';

/**
 * "Import pack…": choose a pack (upload from the browser, the native picker in the desktop app,
 * or a typed path, since the web host runs on this computer), see what it is and who signed it,
 * then Import or Cancel. Nothing is installed before the user says Import.
 */
export function ImportPackDialog({ initialPath, onClose }: { initialPath?: string; onClose: () => void }) {
  const { notify, info } = useApp();
  const api = getApi();
  const [path, setPath] = useState(initialPath ?? '');
  const [preview, setPreview] = useState<PackPreview | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLElement | null>(null);

  const inspect = async (p: string) => {
    setError(null);
    setPreview(null);
    setBusy('Reading the pack…');
    try {
      setPreview(await api.call('packs.inspect', { path: p }));
      setPath(p);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  useEffect(() => {
    if (initialPath) void inspect(initialPath);
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // Once, when the dialog opens.
  }, []);

  const upload = async (file: File) => {
    setError(null);
    setBusy(`Uploading ${file.name}…`);
    try {
      await inspect(await uploadPack(file));
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
    }
  };

  const pick = async () => {
    const r = await api.call('app.pickPath', { kind: 'pack' });
    if (r.path) await inspect(r.path);
  };

  const doImport = async () => {
    if (!preview) return;
    setBusy('Importing…');
    try {
      // The user saw the warnings in the preview; pressing Import is the consent they ask for.
      const c = preview.consent;
      const pack = await api.call('packs.import', {
        path: preview.file.path,
        allowUnsigned: c.includes('unsigned'),
        allowUntrusted: c.includes('untrusted'),
        allowSignerChange: c.includes('signer-change'),
        allowDowngrade: c.includes('downgrade'),
      });
      notify('info', `Installed ${pack.name} ${pack.version}.`);
      onClose();
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
    }
  };

  const web = info?.transport === 'web';
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby="import-pack-title" data-testid="import-pack-dialog">
        <h2 id="import-pack-title">Import knowledge pack</h2>
        {!preview && (
          <div className="import-choose">
            {web ? (
              <label className="upload">
                <span className="small muted">Upload a pack file (.lantern)</span>
                <input
                  ref={(el) => void (first.current = el)}
                  type="file"
                  accept=".lantern"
                  data-testid="pack-upload-input"
                  onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])}
                />
              </label>
            ) : (
              <button ref={(el) => void (first.current = el)} onClick={() => void pick()}>
                Choose pack file…
              </button>
            )}
            <form
              className="row gap"
              onSubmit={(e) => {
                e.preventDefault();
                if (path.trim()) void inspect(path.trim());
              }}
            >
              <label className="grow">
                <span className="small muted">{web ? 'or its path on this computer' : 'or type its path'}</span>
                <input
                  data-testid="import-pack-path"
                  value={path}
                  onChange={(e) => setPath(e.target.value)}
                  placeholder="/media/usb/handbook-2026.12.lantern"
                />
              </label>
              <button type="submit" disabled={!path.trim() || !!busy}>
                Open
              </button>
            </form>
          </div>
        )}
        {preview && <PackPreviewView preview={preview} />}
        {busy && (
          <p className="small muted" role="status">
            {busy}
          </p>
        )}
        {error && (
          <p className="pack-warning bad" role="alert" data-testid="import-pack-error">
            {error}
          </p>
        )}
        <div className="row gap modal-actions">
          <button onClick={onClose}>Cancel</button>
          {preview && !preview.refused && (
            <button className="primary" data-testid="import-pack-confirm" disabled={!!busy} onClick={() => void doImport()}>
              {preview.consent.length ? 'Import anyway' : 'Import'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
