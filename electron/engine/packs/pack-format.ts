import { z } from 'zod';

export const PACK_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'lantern-pack.json';
export const SIGNATURE_ENTRY = 'lantern-pack.sig';
export const PACK_EXTENSION = '.lantern';
/** Where a pack carries an organisation policy: the same two files an admin puts in the system folder. */
export const POLICY_DIR = 'policy';
export const POLICY_ENTRIES = { policy: `${POLICY_DIR}/policy.json`, signature: `${POLICY_DIR}/policy.json.sig` } as const;

/** Limits that keep a hostile archive from exhausting disk, memory or patience. */
export interface PackLimits {
  maxTotalBytes: number;
  maxEntries: number;
  maxManifestBytes: number;
  /** Largest allowed uncompressed:compressed ratio for entries bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_LIMITS: PackLimits = {
  maxTotalBytes: 8 * 1024 ** 3,
  maxEntries: 200_000,
  maxManifestBytes: 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

const sha = z.string().regex(/^[0-9a-f]{64}$/);

export const PackManifestSchema = z.object({
  formatVersion: z.number().int(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'pack ids are lower-case letters, digits and dashes'),
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(50),
  description: z.string().max(2000).optional(),
  publisher: z.string().min(1).max(200),
  created: z.string(),
  counts: z.object({ documents: z.number().int().min(0), chunks: z.number().int().min(0) }),
  embedding: z.object({ model: z.string(), dim: z.number().int() }).nullable(),
  llm: z.object({ name: z.string(), sha256: sha }).nullable(),
  adapter: z.object({ file: z.string(), scale: z.number().min(0).max(4) }).nullable(),
  includesDocuments: z.boolean(),
  /** An organisation policy carried at policy/policy.json (+ .sig), signed by a root key. */
  policy: z.object({ organisation: z.string(), issued: z.string() }).nullable().optional(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().min(0), sha256: sha })),
});
export type PackManifest = z.infer<typeof PackManifestSchema>;

/** The signer's public key travels with the signature, so a signature always verifies (or the pack is refused) even when this machine does not know the signer. */
export const SignatureSchema = z.object({ keyId: z.string(), signature: z.string(), publicKeyPem: z.string().max(4000).optional() });
export type PackSignature = z.infer<typeof SignatureSchema>;

export interface PackTrust {
  trustedKeys: { keyId: string; publicKeyPem: string }[];
  requireSignature: boolean;
}

/** How far this machine trusts a pack's signer: 'untrusted' is a valid signature by a key it does not know. */
export type SignerTrust = 'trusted' | 'untrusted' | 'unsigned';

/** A verified signature: who signed, with which key. */
export interface SignerInfo {
  keyId: string;
  fingerprint: string;
  publicKeyPem: string;
}

/** Semantic-ish version order: numeric parts compare as numbers ("2026.12" > "2026.9"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-+]/);
  const pb = b.split(/[.\-+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

/**
 * Entry names must be plain relative paths: no absolute paths, drive letters, backslashes, NUL,
 * empty or dot segments — anything that could land outside the install folder (zip-slip).
 */
export function unsafeEntryName(name: string): string | null {
  if (!name) return 'an empty name';
  if (name.includes('\0')) return 'a NUL character';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'a drive letter';
  const segs = name.replace(/\/$/, '').split('/');
  if (segs.some((s) => s === '..')) return 'a ".." segment';
  if (segs.some((s) => s === '' || s === '.')) return 'an empty or "." segment';
  return null;
}
