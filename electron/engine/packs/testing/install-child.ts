/**
 * Test helper process: installs a pack and pauses (printing "paused") after N entries, so a
 * test can kill it in the middle of an import. Usage: install-child.ts <pack> <packsDir> <keyId> <pubKeyBase64> <N>
 */
import { installPack } from '../pack-installer.js';

const [file, packsDir, keyId, pub, after] = process.argv.slice(2);
await installPack(file, {
  packsDir,
  trust: { trustedKeys: [{ keyId, publicKeyPem: Buffer.from(pub, 'base64').toString() }], requireSignature: true },
  afterEntry: async (n) => {
    if (n === Number(after)) {
      console.log('paused');
      await new Promise((r) => setTimeout(r, 60_000));
    }
  },
});
console.log('installed');
