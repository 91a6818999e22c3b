import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify } from 'node:crypto';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { LanternError } from '../core/errors.js';

/** Ed25519 keys for signing packs and policies. A key's id is the first 16 hex digits of the SHA-256 of its raw public key. */
export interface KeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
  keyId: string;
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { publicKeyPem, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), keyId: keyIdOf(publicKeyPem) };
}

export function keyIdOf(publicKeyPem: string): string {
  return fingerprintOf(publicKeyPem).slice(0, 16);
}

/** SHA-256 of the raw public key, hex: what a person compares to be sure of a signer (the key id is its first 16 digits). */
export function fingerprintOf(publicKeyPem: string): string {
  let raw: Buffer;
  try {
    raw = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  } catch {
    throw new LanternError('invalid-input', 'That is not a valid public key (PEM).');
  }
  return createHash('sha256')
    .update(raw.subarray(raw.length - 32))
    .digest('hex');
}

export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

export function signBytes(bytes: Uint8Array, privateKeyPem: string): string {
  try {
    return edSign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64');
  } catch {
    throw new LanternError('invalid-input', 'The signing key is not a valid Ed25519 private key (PEM).');
  }
}

export function verifyBytes(bytes: Uint8Array, signatureB64: string, publicKeyPem: string): boolean {
  try {
    return edVerify(null, bytes, createPublicKey(publicKeyPem), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** Writes `lantern-<id>.pub.pem` and `lantern-<id>.key.pem` (private key readable by the owner only). */
export async function saveKeyPair(dir: string, pair: KeyPair): Promise<{ publicPath: string; privatePath: string }> {
  await mkdir(dir, { recursive: true });
  const publicPath = join(dir, `lantern-${pair.keyId}.pub.pem`);
  const privatePath = join(dir, `lantern-${pair.keyId}.key.pem`);
  await writeFile(publicPath, pair.publicKeyPem);
  await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600 });
  await chmod(privatePath, 0o600);
  return { publicPath, privatePath };
}

export async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new LanternError('not-found', `Cannot read the key file ${path}.`);
  }
}
