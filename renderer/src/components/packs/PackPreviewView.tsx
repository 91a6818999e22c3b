import type { PackPreview } from '../../../../electron/shared/contract';
import { formatBytes, formatFingerprint, plural, trustLabel } from './trust';

const VERSION_TEXT: Record<PackPreview['versionChange'], string> = {
  new: 'Not installed yet',
  upgrade: 'Upgrades the installed version',
  same: 'Same version as installed (reinstalls it)',
  downgrade: 'Older than the installed version (downgrade)',
};

const CONSENT_TEXT: Record<PackPreview['consent'][number], string> = {
  unsigned: 'This pack is not signed: nothing proves who made it or that it was not changed. Import it only if you trust where the file came from.',
  untrusted:
    'This pack is signed, but by a key this computer does not trust. Compare the fingerprint with the publisher (by phone, in person) before importing.',
  'signer-change':
    'The installed version was signed by a different key. Someone else may be trying to replace it; import only if the publisher told you their key changed.',
  downgrade: 'A newer version is installed; importing replaces it with this older one.',
};

/** Everything a person needs to decide whether to trust a pack, before anything is installed. */
export function PackPreviewView({ preview }: { preview: PackPreview }) {
  const p = preview.pack;
  const trust = trustLabel(p);
  const locks = preview.policy ? Object.entries(preview.policy.lockedSettings) : [];
  return (
    <div className="pack-preview" data-testid="pack-preview">
      <h3 id="pack-preview-title">
        {p.name} <span className="muted">{p.version}</span>
      </h3>
      {p.description && <p className="small">{p.description}</p>}
      <dl className="pack-facts">
        <dt>Publisher</dt>
        <dd data-testid="pack-publisher">{p.publisher}</dd>
        <dt>Signature</dt>
        <dd>
          <span className={`trust trust-${trust.tone}`} data-testid="pack-trust" data-trust={p.trust}>
            {trust.text}
          </span>
          {p.signerFingerprint && (
            <div className="mono small fingerprint" data-testid="pack-fingerprint" title="SHA-256 of the signer's public key">
              {formatFingerprint(p.signerFingerprint)}
            </div>
          )}
        </dd>
        <dt>Version</dt>
        <dd data-testid="pack-version-change">
          {p.version} · {VERSION_TEXT[preview.versionChange]}
          {preview.installed ? ` (installed: ${preview.installed.version})` : ''}
        </dd>
        <dt>Contents</dt>
        <dd>
          {plural(p.documents, 'document')} · {plural(p.chunks, 'passage')} · {formatBytes(preview.file.bytes)}
          {p.includesDocuments ? '' : ' · originals not included'}
        </dd>
        <dt>Models</dt>
        <dd>
          {p.embeddingModel ? `Embedding model ${p.embeddingModel}` : 'No embedding model (keyword search)'}
          {p.adapter ? ` · LoRA adapter ${p.adapter.file.split('/').pop()} at ${p.adapter.scale}` : ''}
          {p.llm ? ` · made for ${p.llm.name}` : ''}
        </dd>
        <dt>Policy</dt>
        <dd data-testid="pack-policy">
          {preview.policy ? (
            <>
              {preview.policy.organisation} (issued {preview.policy.issued}) ·{' '}
              {preview.policy.verified ? 'verified' : `cannot be verified: ${preview.policy.reason}`}
              {locks.length > 0 && (
                <div className="small">
                  Locks:{' '}
                  {locks.map(([k, v]) => (
                    <span key={k} className="lock-chip">
                      {k} = {String(v)}
                    </span>
                  ))}
                </div>
              )}
              {preview.policy.requireSignedPacks && <div className="small">Requires signed packs from then on.</div>}
            </>
          ) : (
            'None: it changes no settings'
          )}
        </dd>
      </dl>
      <details className="pack-docs">
        <summary>{plural(p.documents, 'document')}</summary>
        <ul data-testid="pack-preview-documents">
          {preview.documentList.map((d) => (
            <li key={d} className="mono small" title={d}>
              {d}
            </li>
          ))}
          {p.documents > preview.documentList.length && <li className="muted small">…and {plural(p.documents - preview.documentList.length, 'more')}</li>}
        </ul>
      </details>
      {preview.refused ? (
        <p className="pack-warning bad" role="alert" data-testid="pack-refused">
          This pack cannot be imported: {preview.refused}
        </p>
      ) : (
        preview.consent.map((c) => (
          <p key={c} className="pack-warning" data-testid={`pack-consent-${c}`}>
            {CONSENT_TEXT[c]}
          </p>
        ))
      )}
    </div>
  );
}
