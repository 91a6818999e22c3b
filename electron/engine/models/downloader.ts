import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LanternError } from '../core/errors.js';
import { fsyncDir } from '../core/atomic-write.js';
import { fileUrl, type DefaultModel, type ModelFile } from './default-models.js';
import type { DownloadProgress } from '../../shared/contract.js';

export interface DownloadOptions {
  url: string;
  dest: string;
  size: number;
  sha256: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Downloads one file to `dest`: streams into `dest.part`, resumes an interrupted transfer with a
 * Range request (and starts over when the server ignores it), checks the size and SHA-256, then
 * renames into place. A cancelled download keeps its .part for next time; a corrupt one is deleted.
 */
export async function downloadFile(opts: DownloadOptions): Promise<void> {
  const part = `${opts.dest}.part`;
  await mkdir(dirname(opts.dest), { recursive: true });
  let have = (await stat(part).catch(() => null))?.size ?? 0;
  if (have > opts.size) {
    await rm(part, { force: true });
    have = 0;
  }
  const doFetch = opts.fetch ?? fetch;
  if (have < opts.size) {
    let res: Response;
    try {
      res = await doFetch(opts.url, { headers: have ? { Range: `bytes=${have}-` } : {}, signal: opts.signal, redirect: 'follow' });
    } catch (err) {
      if (opts.signal?.aborted) throw new LanternError('cancelled', 'The download was cancelled; it will resume from where it stopped.');
      throw new LanternError('download-failed', `Could not reach ${new URL(opts.url).host}: ${(err as Error).message}. Check the network or the download address in Settings.`);
    }
    if (res.status === 416 && have) {
      // The server says the range is past the end: the .part is complete or stale; verify below.
    } else if (!res.ok || !res.body) {
      throw new LanternError('download-failed', `The server answered ${res.status} ${res.statusText} for ${opts.url}.`);
    } else {
      const resumed = res.status === 206;
      if (!resumed) have = 0; // the server ignored the range: start over
      const fh = await open(part, resumed ? 'a' : 'w');
      try {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await fh.write(value);
          have += value.byteLength;
          if (have > opts.size) throw new LanternError('checksum-mismatch', `The server sent more data than expected for ${opts.url}.`);
          opts.onProgress?.(have, opts.size);
        }
        await fh.sync();
      } catch (err) {
        if (opts.signal?.aborted) throw new LanternError('cancelled', 'The download was cancelled; it will resume from where it stopped.');
        if (err instanceof LanternError) {
          await fh.close();
          await rm(part, { force: true });
          throw err;
        }
        throw new LanternError('download-failed', `The transfer of ${opts.url} was interrupted (${(err as Error).message}). Try again to resume it.`);
      } finally {
        await fh.close().catch(() => {});
      }
    }
  }
  const size = (await stat(part).catch(() => null))?.size ?? 0;
  if (size < opts.size) throw new LanternError('download-failed', `The transfer of ${opts.url} stopped early (${size} of ${opts.size} bytes). Try again to resume it.`);
  const digest = await sha256File(part);
  if (digest !== opts.sha256 || size !== opts.size) {
    await rm(part, { force: true });
    throw new LanternError('checksum-mismatch', `The downloaded file ${opts.url.split('/').pop()} does not match its expected checksum, so it was discarded. The source may be corrupted or tampered with.`);
  }
  await rename(part, opts.dest);
  await fsyncDir(dirname(opts.dest));
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Downloads every file of the given models that is not already present and verified. */
export async function downloadModels(
  models: DefaultModel[],
  opts: { baseUrl: string; modelsDir: string; signal?: AbortSignal; onProgress?: (p: Omit<DownloadProgress, 'id'>) => void; fetch?: typeof fetch },
): Promise<void> {
  for (const model of models) {
    const total = model.files.reduce((n, f) => n + f.size, 0);
    let before = 0;
    for (const file of model.files) {
      const dest = join(opts.modelsDir, model.installDir, file.path);
      if (await alreadyThere(dest, file)) {
        before += file.size;
        continue;
      }
      await downloadFile({
        url: fileUrl(opts.baseUrl, model, file),
        dest,
        size: file.size,
        sha256: file.sha256,
        signal: opts.signal,
        fetch: opts.fetch,
        onProgress: (done) => opts.onProgress?.({ file: file.path, bytesDone: before + done, bytesTotal: total, state: 'downloading' }),
      });
      before += file.size;
    }
    opts.onProgress?.({ file: '', bytesDone: total, bytesTotal: total, state: 'done' });
  }
}

async function alreadyThere(dest: string, file: ModelFile): Promise<boolean> {
  const st = await stat(dest).catch(() => null);
  return !!st && st.size === file.size && (await sha256File(dest)) === file.sha256;
}
