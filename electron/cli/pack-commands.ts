import { resolve } from 'node:path';
import { LanternError, generateKeyPair, readPem, saveKeyPair, type Engine } from '../engine/index.js';
import type { PackInfo } from '../shared/contract.js';
import type { CliValues } from './options.js';

export async function keysCommand(args: string[], values: CliValues): Promise<number> {
  if (args[0] !== 'generate') throw new LanternError('invalid-input', 'Usage: lantern keys generate --out DIR');
  const pair = generateKeyPair();
  const paths = await saveKeyPair(resolve(values.out ?? '.'), pair);
  if (values.json) console.log(JSON.stringify({ keyId: pair.keyId, ...paths }, null, 2));
  else
    console.log(
      `Key ${pair.keyId}\n  public:  ${paths.publicPath}  (give this to laptops' policy as a trusted signer)\n  private: ${paths.privatePath}  (keep secret; signs packs)`,
    );
  return 0;
}

export async function packCommand(engine: Engine, args: string[], values: CliValues): Promise<number> {
  const [verb, file] = args;
  switch (verb) {
    case 'build': {
      if (!values.collection || !values.out)
        throw new LanternError(
          'invalid-input',
          'Usage: lantern pack build --collection NAME --out FILE [--key KEY.pem] [--include-model] [--adapter FILE[:SCALE]] [--policy DIR] [--llm MODEL.gguf] [--no-documents]',
        );
      const list = await engine.call('library.list', {});
      const c = list.find((x) => x.id === values.collection || x.name.toLowerCase() === values.collection!.toLowerCase());
      if (!c) throw new LanternError('not-found', `No collection "${values.collection}".`);
      const adapter = values.adapter ? parseAdapter(values.adapter) : undefined;
      // --eval: the question set is run on the collection now (with --model for answer modes) and ships with its results.
      const evalModes = values['eval-modes']?.split(',').map((m) => m.trim()) as ('retrieval' | 'base' | 'lora' | 'rag' | 'rag+lora')[] | undefined;
      if (values.eval && values.model) await engine.call('models.load', { path: resolve(values.model) });
      const r = await engine.call('packs.build', {
        collection: c.id,
        out: resolve(values.out),
        keyPath: values.key ? resolve(values.key) : undefined,
        includeModel: values['include-model'],
        includeDocuments: !values['no-documents'],
        adapter,
        policyDir: values.policy ? resolve(values.policy) : undefined,
        name: values.name,
        version: values.version,
        publisher: values.publisher,
        description: values.description,
        llm: values.llm ? resolve(values.llm) : undefined,
        eval: values.eval ? resolve(values.eval) : undefined,
        evalModes,
      });
      print(values, r, `Built ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB)`, r.pack);
      return 0;
    }
    case 'verify': {
      if (!file) throw new LanternError('invalid-input', `Usage: lantern pack verify FILE [--trust-key KEY.pub.pem]`);
      const r = await engine.call('packs.verify', { path: resolve(file), full: true, trustKeys: await trustKeys(values) });
      print(values, r, `OK: every file of ${r.files} verified`, r.pack);
      return 0;
    }
    case 'inspect': {
      if (!file) throw new LanternError('invalid-input', `Usage: lantern pack inspect FILE [--trust-key KEY.pub.pem]`);
      const r = await engine.call('packs.inspect', { path: resolve(file), trustKeys: await trustKeys(values) });
      print(
        values,
        r,
        `${r.file.files} files, ${(r.file.bytes / 1e6).toFixed(1)} MB${r.installed ? ` (${r.versionChange} from installed ${r.installed.version})` : ''}`,
        r.pack,
      );
      if (!values.json) {
        if (r.policy)
          console.log(
            `  policy ${r.policy.verified ? 'verified' : `NOT verifiable (${r.policy.reason})`}; locks ${Object.keys(r.policy.lockedSettings).join(', ') || 'nothing'}`,
          );
        for (const d of r.documentList) console.log(`    ${d}`);
        if (r.refused) console.log(`Import would be refused: ${r.refused}`);
        else if (r.consent.length) console.log(`Import needs: ${r.consent.map((c) => CONSENT_FLAG[c]).join(' ')}`);
      }
      return r.refused ? 1 : 0;
    }
    case 'import': {
      if (!file)
        throw new LanternError('invalid-input', 'Usage: lantern pack import FILE [--trust-key KEY.pub.pem] [--allow-unsigned] [--allow-signer-change]');
      const pack = await engine.call('packs.import', {
        path: resolve(file),
        trustKeys: await trustKeys(values),
        allowUnsigned: values['allow-unsigned'],
        allowSignerChange: values['allow-signer-change'],
      });
      print(values, pack, 'Installed', pack);
      return 0;
    }
    default:
      throw new LanternError('invalid-input', 'Usage: lantern pack build|verify|inspect|import …');
  }
}

const CONSENT_FLAG = {
  unsigned: '--allow-unsigned',
  untrusted: '--trust-key KEY.pub.pem',
  'signer-change': '--allow-signer-change',
  downgrade: '(a newer version is installed)',
} as const;

/** `--trust-key FILE`: public keys (PEM) the user vouches for, for this command. */
async function trustKeys(values: CliValues): Promise<string[] | undefined> {
  if (!values['trust-key']?.length) return undefined;
  return Promise.all(values['trust-key'].map((p) => readPem(resolve(p))));
}

/** Who signed a pack, in words that cannot be misread: never "signed by undefined". */
export function describeSigner(p: PackInfo): string {
  if (!p.signed || !p.signer) return 'unsigned: nothing proves who made it';
  const trust = p.trust === 'trusted' ? 'trusted on this computer' : 'NOT trusted on this computer';
  return `signed by key ${p.signer}${p.signerFingerprint ? ` (fingerprint ${p.signerFingerprint})` : ''}, ${trust}`;
}

function parseAdapter(spec: string): { path: string; scale: number } {
  const m = spec.match(/^(.*?)(?::(\d*\.?\d+))?$/)!;
  return { path: resolve(m[1]), scale: m[2] ? Number(m[2]) : 1 };
}

function print(values: CliValues, json: unknown, headline: string, p: PackInfo): void {
  if (values.json) {
    console.log(JSON.stringify(json, null, 2));
    return;
  }
  console.log(headline);
  console.log(`  ${p.name} ${p.version} — ${p.publisher}, ${p.created.slice(0, 10)}`);
  console.log(
    `  ${p.documents} documents, ${p.chunks} passages, ${p.includesDocuments ? 'with' : 'without'} originals, embedding ${p.embeddingModel ?? 'none (lexical)'}`,
  );
  console.log(`  ${describeSigner(p)}`);
  if (p.llm) console.log(`  answer model ${p.llm.name} (sha256 ${p.llm.sha256.slice(0, 12)}…)`);
  if (p.adapter) console.log(`  LoRA adapter ${p.adapter.file} at scale ${p.adapter.scale}`);
  if (p.policy) console.log(`  carries the policy of ${p.policy.organisation} (issued ${p.policy.issued})`);
}
