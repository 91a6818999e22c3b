import { ApiError } from './client';

/**
 * The web host's pack upload: a browser cannot give the engine a file's path, so the file itself
 * goes up (with the same per-launch token as calls) and the engine answers where it put it.
 */
export async function uploadPack(file: File, onProgress?: (fraction: number) => void): Promise<string> {
  const token = sessionStorage.getItem('lantern-token') ?? '';
  onProgress?.(0);
  const res = await fetch('/api/upload/pack', {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` },
    body: file,
  });
  const body = await res.json().catch(() => ({ ok: false, error: { code: 'internal', message: `The upload failed (HTTP ${res.status}).` } }));
  if (!body.ok) throw new ApiError(body.error?.code ?? 'internal', body.error?.message ?? 'The upload failed.');
  onProgress?.(1);
  return body.result.path as string;
}
