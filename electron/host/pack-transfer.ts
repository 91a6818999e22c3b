import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest pack a browser may upload (the pack reader's own limit on what a pack unpacks to). */
const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
/** A download link works once, for this long. */
const DOWNLOAD_TTL_MS = 10 * 60 * 1000;

export interface PackTransfers {
  /** POST /api/upload/pack: the browser's file, saved where the engine can read it; answers its path. */
  upload(req: IncomingMessage, res: ServerResponse, send: (res: ServerResponse, status: number, body: unknown) => void): Promise<void>;
  /** A one-time link for a file the engine wrote in its exports folder (a pack build), or null for anything else. */
  offer(file: string): string | null;
  /** GET /api/download/<id>. */
  download(res: ServerResponse, id: string, send: (res: ServerResponse, status: number, body: unknown) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * How packs travel between the browser and the engine in the web host. A browser cannot hand
 * over a file's path, so "Import pack…" uploads the file; and the page cannot choose where the
 * engine writes, so a built pack is written to the engine's exports folder and handed to the
 * browser as a download (the browser asks the user where to save it).
 */
export async function createPackTransfers(opts: { uploadDir: string; exportsDir: string }): Promise<PackTransfers> {
  const uploadDir = resolve(opts.uploadDir);
  const exportsDir = resolve(opts.exportsDir);
  await mkdir(uploadDir, { recursive: true });
  // Uploads, and builds never downloaded, from an earlier run are of no use any more (their links died with it).
  for (const dir of [uploadDir, exportsDir])
    for (const name of await readdir(dir).catch(() => [] as string[])) await rm(join(dir, name), { force: true, recursive: true });
  const downloads = new Map<string, { file: string; expires: number }>();

  return {
    async upload(req, res, send) {
      if (!/^application\/octet-stream/.test(req.headers['content-type'] ?? ''))
        return send(res, 415, { ok: false, error: { code: 'invalid-input', message: 'Upload the pack file as application/octet-stream.' } });
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > MAX_UPLOAD_BYTES)
        return send(res, 413, { ok: false, error: { code: 'invalid-input', message: 'That file is larger than any knowledge pack can be (8 GB).' } });
      const dest = join(uploadDir, `${randomBytes(16).toString('hex')}.lantern`);
      let size = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _e, cb) {
          size += chunk.length;
          cb(size > MAX_UPLOAD_BYTES ? new Error('too large') : null, chunk);
        },
      });
      try {
        await pipeline(req, limit, createWriteStream(dest, { flags: 'wx' }));
      } catch {
        await rm(dest, { force: true });
        return send(res, size > MAX_UPLOAD_BYTES ? 413 : 400, {
          ok: false,
          error: {
            code: 'invalid-input',
            message: size > MAX_UPLOAD_BYTES ? 'That file is larger than any knowledge pack can be (8 GB).' : 'The upload did not complete; try again.',
          },
        });
      }
      if (size === 0) {
        await rm(dest, { force: true });
        return send(res, 400, { ok: false, error: { code: 'invalid-input', message: 'The file is empty: it is not a knowledge pack.' } });
      }
      send(res, 200, { ok: true, result: { path: dest, bytes: size } });
    },

    offer(file) {
      const r = relative(exportsDir, resolve(file));
      if (!r || r.startsWith('..') || isAbsolute(r)) return null;
      const id = randomBytes(32).toString('hex');
      downloads.set(id, { file: resolve(file), expires: Date.now() + DOWNLOAD_TTL_MS });
      return `/api/download/${id}`;
    },

    async download(res, id, send) {
      const d = downloads.get(id);
      downloads.delete(id);
      if (!d || d.expires < Date.now())
        return send(res, 404, {
          ok: false,
          error: { code: 'not-found', message: 'This download link has expired or was used already. Build the pack again.' },
        });
      const st = await stat(d.file).catch(() => null);
      if (!st?.isFile()) return send(res, 404, { ok: false, error: { code: 'not-found', message: 'The file is gone. Build the pack again.' } });
      const name = basename(d.file).replace(/[^\w.\- ]+/g, '-');
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': st.size,
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      await pipeline(createReadStream(d.file), res);
      // Handed over: the browser has its copy, the engine's is not needed.
      await rm(d.file, { force: true });
    },

    async close() {
      downloads.clear();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}
