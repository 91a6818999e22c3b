import { Zip, ZipDeflate, strToU8 } from 'fflate';

/**
 * A zip of small entries plus `bomb`, which inflates to `size` bytes of `fill` (default zeros).
 * Streamed while built: the inflated bytes are never held, so a gigabyte costs a few megabytes.
 */
export function zipBomb(entries: Record<string, string>, bomb: string, size: number, opts: { level?: 1 | 9; fill?: number } = {}): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  for (const [name, text] of Object.entries(entries)) {
    const f = new ZipDeflate(name);
    zip.add(f);
    f.push(strToU8(text), true);
  }
  const f = new ZipDeflate(bomb, { level: opts.level ?? 9 });
  zip.add(f);
  const chunk = new Uint8Array(1 << 20).fill(opts.fill ?? 0);
  for (let n = 0; n < size; n += chunk.length) f.push(chunk, n + chunk.length >= size);
  zip.end();
  return Buffer.concat(out);
}
