import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { LanternError } from '../core/errors.js';
import { fsyncDir } from '../core/atomic-write.js';
import { fileUrl, modelBytes, type DefaultModel, type ModelFile } from './default-models.js';
import type { DownloadProgress } from '../../shared/contract.js';

export interface DownloadOptions {
  url: string;
  dest: string;
  size: number;
  sha256: string;
  signal?: AbortSignal;
  /** Bytes on disk so far (including a resumed part) and the file's size. */
  onProgress?: (done: number, total: number) => void;
  /** Called once the bytes are all there and the checksum is being computed. */
  onVerify?: () => void;
  /** Give up on a connection that sends nothing for this long (default 60 s). */
  idleTimeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const PROGRESS_EVERY_MS = 100;

/**
 * Downloads one file to `dest`: streams into `dest.part`, resumes an interrupted transfer with a
 * Range request (starting over when the server ignores it), checks size and SHA-256, then renames
 * into place. A cancelled or broken transfer keeps its .part for next time; a file that fails its
 * checksum is deleted. Nothing is ever fetched unless this is called.
 */
export async function downloadFile(opts: DownloadOptions): Promise<void> {
  const part = `${opts.dest}.part`;
  const name = basename(opts.dest);
  await mkdir(dirname(opts.dest), { recursive: true });
  let have = await sizeOf(part);
  if (have > opts.size) {
    await rm(part, { force: true });
    have = 0;
  }
  for (let attempt = 0; have < opts.size; attempt++) {
    if (attempt > 1) throw new LanternError('download-failed', `The server keeps sending ${name} from the wrong place. Try again later or use another download address in Settings.`);
    const res = await request(opts, have);
    if (res.status === 416 || (res.status === 206 && rangeStart(res) !== have)) {
      // The server cannot continue our .part (it changed, or we are past its end): start over.
      await res.body?.cancel().catch(() => {});
      await rm(part, { force: true });
      have = 0;
      continue;
    }
    if (!res.ok || !res.body) throw httpError(res, opts.url);
    const resumed = res.status === 206;
    if (!resumed) have = 0;
    have = await receive(res, part, resumed, have, opts);
  }
  opts.onVerify?.();
  const digest = await sha256File(part);
  if (digest !== opts.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new LanternError(
      'checksum-mismatch',
      `The downloaded ${name} does not match its expected SHA-256, so it was deleted. The server or mirror sent a different or damaged file; try again, or check the download address in Settings.`,
      { url: opts.url, expected: opts.sha256, actual: digest },
    );
  }
  await rename(part, opts.dest);
  await fsyncDir(dirname(opts.dest));
}

async function request(opts: DownloadOptions, have: number): Promise<Response> {
  const doFetch = opts.fetch ?? fetch;
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (have > 0) headers.range = `bytes=${have}-`;
  try {
    return await doFetch(opts.url, { headers, signal: opts.signal, redirect: 'follow' });
  } catch (err) {
    if (opts.signal?.aborted) throw cancelled(opts.dest);
    const host = safeHost(opts.url);
    throw new LanternError('download-failed', `Could not reach ${host}: ${causeOf(err)}. Check the network connection, or the download address in Settings.`, { url: opts.url });
  }
}

/** Streams the body into the .part file; returns the bytes now on disk. */
async function receive(res: Response, part: string, append: boolean, have: number, opts: DownloadOptions): Promise<number> {
  const name = basename(opts.dest);
  const idleMs = opts.idleTimeoutMs ?? 60_000;
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const reader = res.body!.getReader();
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      void reader.cancel().catch(() => {});
    }, idleMs);
  };
  let fh: FileHandle | undefined;
  let lastReport = 0;
  try {
    fh = await open(part, append ? 'a' : 'w');
    arm();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      await fh.write(value);
      have += value.byteLength;
      if (have > opts.size) {
        await fh.close();
        fh = undefined;
        await rm(part, { force: true });
        throw new LanternError('checksum-mismatch', `The server sent more data than ${name} should have (${opts.size.toLocaleString('en')} bytes), so it was deleted. Check the download address in Settings.`);
      }
      const now = performance.now();
      if (now - lastReport >= PROGRESS_EVERY_MS || have === opts.size) {
        lastReport = now;
        opts.onProgress?.(have, opts.size);
      }
    }
    await fh.sync();
  } catch (err) {
    if (err instanceof LanternError) throw err;
    if (opts.signal?.aborted) throw cancelled(opts.dest);
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new LanternError('io', `Not enough disk space to download ${name} (${opts.size.toLocaleString('en')} bytes). Free some space and try again; the download will resume.`);
    }
    throw new LanternError('download-failed', `The transfer of ${name} was interrupted (${causeOf(err)}). Try again to resume it.`, { url: opts.url });
  } finally {
    clearTimeout(timer);
    await fh?.close().catch(() => {});
  }
  opts.onProgress?.(have, opts.size);
  if (stalled) throw new LanternError('download-failed', `The transfer of ${name} stalled (nothing received for ${Math.round(idleMs / 1000)} s). Try again to resume it.`, { url: opts.url });
  if (have < opts.size) {
    throw new LanternError('download-failed', `The transfer of ${name} stopped early (${have.toLocaleString('en')} of ${opts.size.toLocaleString('en')} bytes). Try again to resume it.`, { url: opts.url });
  }
  return have;
}

function rangeStart(res: Response): number | null {
  const m = res.headers.get('content-range')?.match(/^bytes (\d+)-/);
  return m ? Number(m[1]) : null;
}

function httpError(res: Response, url: string): LanternError {
  const where = `${safeHost(url)}`;
  if (res.status === 404) return new LanternError('download-failed', `${url} was not found (404). The download address in Settings may point at a mirror that lacks this model.`, { url, status: 404 });
  if (res.status === 401 || res.status === 403) return new LanternError('download-failed', `${where} refused the download (${res.status}). The mirror may need you to sign in, or block this file.`, { url, status: res.status });
  return new LanternError('download-failed', `${where} answered ${res.status} ${res.statusText} for ${url}. Try again later.`, { url, status: res.status });
}

function cancelled(dest: string): LanternError {
  return new LanternError('cancelled', `The download of ${basename(dest)} was cancelled; it will resume from where it stopped.`);
}

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface DownloadModelsOptions {
  baseUrl: string;
  modelsDir: string;
  signal?: AbortSignal;
  /** Per model: bytes of the whole model so far. */
  onProgress?: (p: Omit<DownloadProgress, 'id'>) => void;
  fetch?: typeof fetch;
  idleTimeoutMs?: number;
}

/**
 * Downloads every file of the given models that is not already present with the right hash, into
 * `<modelsDir>/<installDir>/<path>`. Progress counts bytes of the whole model.
 */
export async function downloadModels(models: DefaultModel[], opts: DownloadModelsOptions): Promise<{ downloaded: string[]; present: string[] }> {
  const downloaded: string[] = [];
  const present: string[] = [];
  for (const model of models) {
    const total = modelBytes(model);
    let before = 0;
    const report = (file: string, bytesDone: number, state: DownloadProgress['state']) =>
      opts.onProgress?.({ file, bytesDone, bytesTotal: total, state });
    for (const file of model.files) {
      const dest = installPath(opts.modelsDir, model, file);
      if (await alreadyThere(dest, file)) {
        present.push(dest);
      } else {
        await downloadFile({
          url: fileUrl(opts.baseUrl, file),
          dest,
          size: file.size,
          sha256: file.sha256,
          signal: opts.signal,
          fetch: opts.fetch,
          idleTimeoutMs: opts.idleTimeoutMs,
          onProgress: (done) => report(file.path, before + done, 'downloading'),
          onVerify: () => report(file.path, before + file.size, 'verifying'),
        });
        downloaded.push(dest);
      }
      before += file.size;
    }
    report('', total, 'done');
  }
  return { downloaded, present };
}

/** Where a manifest file goes; refuses paths that would escape the models folder. */
export function installPath(modelsDir: string, model: Pick<DefaultModel, 'installDir'>, file: Pick<ModelFile, 'path'>): string {
  const rel = normalize(join(model.installDir, file.path));
  if (isAbsolute(rel) || rel.startsWith('..')) throw new LanternError('invalid-input', `Refusing to install ${file.path} outside the models folder.`);
  return join(modelsDir, rel);
}

async function alreadyThere(dest: string, file: ModelFile): Promise<boolean> {
  return (await sizeOf(dest)) === file.size && (await sha256File(dest)) === file.sha256;
}
