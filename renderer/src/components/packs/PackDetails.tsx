import { useState } from 'react';
import { getApi } from '../../api/client';
import { useApp } from '../../state/app';
import type { PackDocument, PackInfo } from '../../../../electron/shared/contract';
import { formatBytes, formatFingerprint, plural, trustLabel } from './trust';
import './packs.css';

/** The pack part of a pack collection's card: who signed it, its documents, Verify and Remove. */
export function PackDetails({ pack }: { pack: PackInfo }) {
  const notify = useApp((s) => s.notify);
  const api = getApi();
  const [docs, setDocs] = useState<PackDocument[] | null>(null);
  const [check, setCheck] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const trust = trustLabel(pack);

  const loadDocs = async () => {
    if (docs) return;
    try {
      setDocs(await api.call('packs.documents', { id: pack.id }));
    } catch (err) {
      notify('error', (err as Error).message);
    }
  };
  const verify = async () => {
    setBusy(true);
    try {
      setCheck(await api.call('packs.verifyInstalled', { id: pack.id }));
    } catch (err) {
      notify('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!confirm(`Remove the pack “${pack.name}” ${pack.version}? Its documents and index are deleted from this computer.`)) return;
    try {
      await api.call('packs.remove', { id: pack.id });
      notify('info', `Removed ${pack.name}.`);
    } catch (err) {
      notify('error', (err as Error).message);
    }
  };

  return (
    <div className="pack-details" data-testid="pack-details">
      <div className="row gap small">
        <span className={`trust trust-${trust.tone}`} data-testid="pack-card-trust" data-trust={pack.trust}>
          {trust.text}
        </span>
        {pack.signerFingerprint && (
          <span className="mono muted fingerprint" title={`Signer key ${pack.signer}; SHA-256 fingerprint of its public key`}>
            {formatFingerprint(pack.signerFingerprint).slice(0, 19)}…
          </span>
        )}
        <span className="grow" />
        <button onClick={() => void verify()} disabled={busy} data-testid="pack-verify">
          {busy ? 'Verifying…' : 'Verify'}
        </button>
        <button className="link danger" onClick={() => void remove()} data-testid="pack-remove">
          Remove
        </button>
      </div>
      {check && (
        <p className={`small ${check.ok ? 'ok-text' : 'pack-warning bad'}`} role="status" data-testid="pack-verify-result">
          {check.message}
        </p>
      )}
      <details className="pack-docs" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void loadDocs()}>
        <summary>{plural(pack.documents, 'document')}</summary>
        {docs === null ? (
          <p className="small muted">Loading…</p>
        ) : (
          <ul data-testid="pack-documents">
            {docs.map((d) => (
              <li key={d.relPath} className="small" title={d.relPath}>
                <span className="mono">{d.relPath}</span>{' '}
                <span className="muted">
                  · {d.format} · {formatBytes(d.size)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
