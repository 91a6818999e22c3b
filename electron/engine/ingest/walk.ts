import { opendir, realpath, stat, lstat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { IngestError } from './types.js';
import { SUPPORTED_EXTENSIONS } from './extensions.js';

export type WalkEntry =
  | { kind: 'file'; path: string; relPath: string; size: number; mtimeMs: number }
  | { kind: 'error'; path: string; relPath: string; error: IngestError }
  /** Left out on purpose (a link leading outside the folder): listed with the reason, not as an error. */
  | { kind: 'skipped'; path: string; relPath: string; error: IngestError };

const DEFAULT_EXCLUDES = ['**/.git/**', '**/node_modules/**', '**/.*/**', '**/~$*', '**/.DS_Store', '**/Thumbs.db', '**/.~lock.*'];

/**
 * Lists the files of a folder that Lantern can index, in a stable order. Follows links to files
 * and folders inside the folder, but visits each real folder once, so a link loop ends with one
 * error entry instead of an endless walk. A link that leads outside the folder (to /etc/passwd,
 * say) is not followed unless `followExternalLinks` is set: it is listed as skipped, with where
 * it leads. Problems with single entries become error entries; the walk goes on.
 */
export async function* walkFolder(
  root: string,
  opts: { include?: string[]; exclude?: string[]; signal?: AbortSignal; followExternalLinks?: boolean },
): AsyncGenerator<WalkEntry> {
  const include = opts.include?.length ? picomatch(opts.include, { dot: true, nocase: true }) : null;
  const exclude = picomatch([...DEFAULT_EXCLUDES, ...(opts.exclude ?? [])], { dot: true, nocase: true });
  const seenDirs = new Set<string>();
  const realRoot = await realpath(root).catch(() => root);
  const insideRoot = (real: string) => {
    const r = relative(realRoot, real);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const wanted = (r: string) => {
    if (exclude(r)) return false;
    if (include) return include(r);
    const dot = r.lastIndexOf('.');
    return dot > r.lastIndexOf('/') && SUPPORTED_EXTENSIONS.has(r.slice(dot).toLowerCase());
  };

  async function* visit(dir: string): AsyncGenerator<WalkEntry> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      yield {
        kind: 'error',
        path: dir,
        relPath: rel(dir),
        error: new IngestError('unreadable', `This folder could not be opened (${(err as NodeJS.ErrnoException).code}).`),
      };
      return;
    }
    if (seenDirs.has(real)) {
      yield {
        kind: 'error',
        path: dir,
        relPath: rel(dir),
        error: new IngestError('symlink-loop', 'This folder link leads back into a folder already indexed (a link loop); it was skipped.'),
      };
      return;
    }
    seenDirs.add(real);
    let names: { name: string; isDir: boolean; isLink: boolean; isFile: boolean }[] = [];
    try {
      const handle = await opendir(dir);
      for await (const d of handle) names.push({ name: d.name, isDir: d.isDirectory(), isLink: d.isSymbolicLink(), isFile: d.isFile() });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      yield {
        kind: 'error',
        path: dir,
        relPath: rel(dir),
        error: new IngestError('unreadable', code === 'EACCES' ? 'Lantern is not allowed to open this folder.' : `This folder could not be read (${code}).`),
      };
      return;
    }
    names = names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of names) {
      if (opts.signal?.aborted) return;
      const path = join(dir, e.name);
      const r = rel(path);
      let isDir = e.isDir;
      let isFile = e.isFile;
      if (e.isLink) {
        const target = await stat(path).catch((err: NodeJS.ErrnoException) => err);
        if (target instanceof Error) {
          // A dangling link is worth reporting if it looked like a document or a folder.
          if (exclude(r) || (!wanted(r) && /\.[^/]+$/.test(r))) continue;
          const code = target.code === 'ELOOP' ? 'symlink-loop' : 'broken-symlink';
          yield {
            kind: 'error',
            path,
            relPath: r,
            error: new IngestError(
              code,
              code === 'symlink-loop' ? 'This link points back to itself (a link loop).' : 'This is a link to something that no longer exists.',
            ),
          };
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
        if (!opts.followExternalLinks && (isDir || (isFile && wanted(r)))) {
          const real = await realpath(path).catch(() => null);
          if (!real || !insideRoot(real)) {
            yield {
              kind: 'skipped',
              path,
              relPath: r,
              error: new IngestError(
                'outside-folder',
                `This link leads outside the folder${real ? ` (to ${real})` : ''}; it was not followed. To index it, tick “follow links that lead outside” beside the folder in the Library (CLI: lantern index FOLDER --follow-links).`,
              ),
            };
            continue;
          }
        }
      }
      if (isDir) {
        if (exclude(r + '/') || exclude(r + '/x')) continue;
        yield* visit(path);
      } else if (isFile && wanted(r)) {
        const st = await stat(path).catch(() => null);
        if (!st) {
          const link = await lstat(path).catch(() => null);
          yield {
            kind: 'error',
            path,
            relPath: r,
            error: new IngestError(
              link ? 'unreadable' : 'vanished',
              link ? 'This file could not be read.' : 'The file was deleted while the folder was being scanned.',
            ),
          };
          continue;
        }
        yield { kind: 'file', path, relPath: r, size: st.size, mtimeMs: st.mtimeMs };
      }
    }
  }

  yield* visit(root);
}
