import { isLoopback } from './endpoint-guard.js';
import { displayUrl } from './server-errors.js';

/** What leaves the laptop when answers come from a server: shown (and accepted) before the first use of each server. */
export function remoteNotice(root: string): string {
  const where = displayUrl(root);
  const plain = new URL(root).protocol === 'http:' && !isLoopback(root);
  return [
    `Answers will be written by the server at ${where}.`,
    'For every question Lantern sends it: the question, the earlier questions and answers of the same chat that fit, and the passages retrieved from your documents for it (their text and file names).',
    'Your documents, the index and your chats stay on this laptop; the API key, if any, is sent only to this server.',
    ...(plain ? ['This connection is not encrypted (http://): others on the network could read what is sent.'] : []),
  ].join(' ');
}
