import { isIP } from 'node:net';
import { LanternError } from '../../core/errors.js';
import { serverRoot } from './openai-client.js';
import { displayUrl } from './server-errors.js';

/** True for this machine: localhost, 127.0.0.0/8, ::1. Names are not resolved (that would be a request). */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

export interface RemotePolicy {
  /** The effective allowRemoteEngines setting. */
  allowRemote: boolean;
  /** The organisation when an admin policy decides (locked setting or pinned servers), else null. */
  managedBy: string | null;
  /** Whether allowRemoteEngines itself is locked by policy. */
  allowLocked: boolean;
  /** Servers an admin allows (base addresses); empty: any. */
  allowedUrls: string[];
  /** Refuse plain http:// to anything but this machine. */
  requireTls: boolean;
}

/**
 * Runs before any request to a server: the policy decides, not the client. Throws a 'policy'
 * error naming who decided and what would be allowed.
 */
export function assertServerAllowed(url: string, p: RemotePolicy): void {
  const root = serverRoot(url);
  const who = p.managedBy ? `${p.managedBy}'s policy` : 'your settings';
  if (!p.allowRemote) {
    throw new LanternError(
      'policy',
      p.allowLocked
        ? `Answer servers are not allowed by ${who}: answers stay on this laptop (Managed by ${p.managedBy}).`
        : 'Answer servers are turned off ("Allow answer servers" in Models → Answer engine). Turn it on to use one.',
    );
  }
  if (p.allowedUrls.length && !p.allowedUrls.some((a) => sameServer(a, root))) {
    throw new LanternError('policy', `The server ${displayUrl(root)} is not one ${who} allows. Allowed: ${p.allowedUrls.map(displayUrl).join(', ')}.`);
  }
  if (p.requireTls && new URL(root).protocol !== 'https:' && !isLoopback(root)) {
    throw new LanternError(
      'policy',
      `${who[0].toUpperCase()}${who.slice(1)} requires an encrypted connection (https://) to servers other than this machine; ${displayUrl(root)} uses http.`,
    );
  }
}

function sameServer(allowed: string, root: string): boolean {
  try {
    return serverRoot(allowed).toLowerCase() === root.toLowerCase();
  } catch {
    return false;
  }
}
