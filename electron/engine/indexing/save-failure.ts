import { LanternError } from '../core/errors.js';

/**
 * A failed save of a collection, in words a user can act on. Saving writes a new generation
 * beside the old one and switches only at the end, so the index stays as it was after its last
 * completed save whatever went wrong.
 */
export function saveFailure(err: unknown, dir: string): LanternError {
  if (err instanceof LanternError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const kept = 'The index is as it was after its last completed save; nothing was removed.';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new LanternError('io', `The disk is full: Lantern could not save the index in ${dir}. ${kept} Free some space and index again.`, { errno: code });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new LanternError('io', `Lantern is not allowed to write to ${dir} (${code}). ${kept} Check the folder's permissions and index again.`, {
        errno: code,
      });
    default:
      return new LanternError('io', `Lantern could not save the index in ${dir} (${code ?? (err as Error).message}). ${kept}`, { errno: code });
  }
}
