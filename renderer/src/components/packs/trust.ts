import type { PackInfo } from '../../../../electron/shared/contract';

/** How a pack's signer reads to a person: never "unsigned" for a pack that carries a signature. */
export function trustLabel(p: Pick<PackInfo, 'trust' | 'signed'>): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  const trust = p.trust ?? (p.signed ? 'untrusted' : 'unsigned');
  if (trust === 'trusted') return { text: 'Signed · trusted', tone: 'ok' };
  if (trust === 'untrusted') return { text: 'Signed · not trusted on this computer', tone: 'warn' };
  return { text: 'Unsigned', tone: 'bad' };
}

/** A fingerprint in groups of four, as people read them aloud to compare. */
export function formatFingerprint(fp: string | undefined): string {
  return fp ? (fp.match(/.{1,4}/g) ?? []).join(' ') : '';
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toLocaleString(undefined, { maximumFractionDigits: 1 })} GB`;
  if (n >= 1e6) return `${(n / 1e6).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`;
  return `${Math.max(1, Math.round(n / 1e3)).toLocaleString()} KB`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
