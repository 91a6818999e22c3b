#!/usr/bin/env node
/**
 * `lantern`: the engine from a terminal. A thin adapter over the same contract the app uses.
 */
import { parseArgs } from 'node:util';
import { options, type CliValues } from './options.js';
import { collectionIds, repeatedOption, trustLines } from './collection-args.js';
import { resolve, join } from 'node:path';
import {
  createEngine,
  type Engine,
  describe,
  logLine,
  logProcessFailures,
  findPackageRoot,
  describeLocation,
  LanternError,
  serializeError,
} from '../engine/index.js';
import type { IndexProgress } from '../shared/contract.js';
import { defaultDataDir } from './data-dir.js';
import { progressLine } from './progress.js';
import { packCommand, keysCommand } from './pack-commands.js';
import { evalCommand } from './eval-command.js';
import { exitQuietlyOnClosedPipe, exitWhenDrained } from './exit.js';
import { applyEngineFlags, embedServerFromFlags, ENGINE_USAGE } from './engine-flags.js';

const USAGE = `Usage: lantern <command> [options]

Commands:
  index <folder…> [--collection NAME] [--follow-links]   Add folders to a collection and index them
                                        (--follow-links: also follow links that lead out of the folder)
  search "<query>" [--collection NAME]… [--k N] [--folder DIR] [--type EXT]
  ask "<question>" [--collection NAME]… [--folder DIR] [--type EXT] [--model FILE.gguf] [--lora FILE[:SCALE]] [--search-only] [--as-typed] [--answer-anyway]
  status                                Collections, files, chunks, errors
  models                                Models in the models folder, with size and memory estimate
  keys generate --out DIR               Make an Ed25519 key pair for signing packs and policies
  pack build --collection NAME --out FILE [--key KEY.pem] [--include-model] [--adapter FILE[:SCALE]] [--policy DIR] [--llm MODEL.gguf] [--no-documents]
                     [--name NAME] [--version V] [--publisher ORG] [--description TEXT] [--eval QUESTIONS.jsonl [--eval-modes retrieval,rag] [--model FILE.gguf]]
  pack verify FILE | pack inspect FILE | pack import FILE [--trust-key KEY.pub.pem] [--allow-unsigned] [--allow-signer-change]
  eval QUESTIONS.jsonl [--collection NAME] [--modes retrieval,rag,…] [--min-…]   Evaluate answers (lantern eval --help)

Options:
  --data-dir DIR     Where Lantern keeps its indexes (env LANTERN_DATA_DIR; default ${defaultDataDir()})
  --models-dir DIR   Where model files are (env LANTERN_MODELS_DIR)
${ENGINE_USAGE}
  --json             Machine-readable output
  -h, --help         This help`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'eval') return evalCommand(argv.slice(1));
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'keys') return keysCommand(rest, values);

  const engine = await createEngine({
    dataDir: resolve(values['data-dir'] ?? defaultDataDir()),
    modelsDir: values['models-dir'] ? resolve(values['models-dir']) : undefined,
    resourcesDir: join(findPackageRoot(), 'resources'),
    transport: 'cli',
    watch: false,
    embedServer: command === 'index' ? embedServerFromFlags(values) : undefined,
  });
  try {
    switch (command) {
      case 'index':
        return await indexCommand(engine, rest, values);
      case 'search':
        return await searchCommand(engine, rest.join(' '), values, repeatedOption(argv, 'collection'));
      case 'ask':
        return await askCommand(engine, rest.join(' '), values, repeatedOption(argv, 'collection'));
      case 'status':
        return await statusCommand(engine, values);
      case 'models':
        return await modelsCommand(engine, values);
      case 'pack':
        return await packCommand(engine, rest, values);
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await engine.close();
  }
}

async function collectionId(engine: Engine, name: string | undefined): Promise<string | undefined> {
  if (!name) return undefined;
  const all = await engine.call('library.list', {});
  const found = all.find((c) => c.id === name || c.name.toLowerCase() === name.toLowerCase());
  if (found) return found.id;
  return (await engine.call('library.create', { name })).id;
}

async function indexCommand(engine: Engine, folders: string[], values: CliValues): Promise<number> {
  if (!folders.length) throw new LanternError('invalid-input', 'Name at least one folder: lantern index <folder…>');
  const tty = process.stderr.isTTY && !values.json;
  let last: IndexProgress | null = null;
  const off = engine.on('index.progress', (p) => {
    last = p;
    if (tty) process.stderr.write(`\r${progressLine(p, process.stderr.columns ?? 80)}`);
  });
  let id = await collectionId(engine, values.collection);
  for (const folder of folders)
    id = (await engine.call('library.addFolder', { collection: id, path: resolve(folder), followExternalLinks: values['follow-links'] })).id;
  await engine.idle();
  off();
  if (tty) process.stderr.write('\n');
  const info = (await engine.call('library.list', {})).find((c) => c.id === id)!;
  const errors = await engine.call('library.errors', { collection: id! });
  const final = last as IndexProgress | null;
  if (values.json) {
    console.log(JSON.stringify({ collection: info, errors }, null, 2));
  } else {
    const vectors =
      info.embedding && info.lexicalOnly
        ? ` (vectors by ${info.embedding.model}, ${info.embedding.dim}-d; this machine has no such model, so searches here are lexical)`
        : null;
    console.log(
      `${info.name}: ${info.files} files, ${info.chunks} passages${vectors ?? (info.lexicalOnly ? ' (lexical search only: no embedding model)' : ` (${info.embedding?.model})`)}.`,
    );
    if (errors.length) {
      console.log(`${errors.length} file(s) could not be indexed:`);
      for (const e of errors) console.log(`  ${e.relPath}: ${e.message}`);
    }
  }
  // Files that could not be read are errors too (skipped ones, left out on purpose, are not).
  return final?.phase === 'error' || errors.some((e) => e.kind !== 'skipped') ? 1 : 0;
}

async function searchCommand(engine: Engine, query: string, values: CliValues, collections: string[]): Promise<number> {
  const result = await engine.call('search', {
    query,
    collections: await collectionIds(engine, collections),
    k: values.k ? Number(values.k) : 10,
    folder: values.folder ? resolve(values.folder) : undefined,
    fileTypes: values.type,
  });
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  if (!result.hits.length) console.log('No passages match.');
  result.hits.forEach((h, i) => {
    console.log(`${i + 1}. ${describeLocation(h.location)}  (score ${h.score.toFixed(4)})`);
    console.log(indent(highlighted(h.text, h.highlights), '   '));
    console.log('');
  });
  console.log(`${result.mode} search, ${result.tookMs} ms${result.notes.length ? ' — ' + result.notes.join(' ') : ''}`);
  return 0;
}

async function askCommand(engine: Engine, question: string, values: CliValues, collections: string[]): Promise<number> {
  const ids = await collectionIds(engine, collections);
  await applyEngineFlags(engine, values);
  if (values.model) {
    await engine.call('models.load', { path: resolve(values.model), contextSize: values['context-size'] ? Number(values['context-size']) : undefined });
    if (values.lora?.length) {
      const adapters = values.lora.map((spec) => {
        const m = spec.match(/^(.*?)(?::(\d*\.?\d+))?$/)!;
        return { path: resolve(m[1]), scale: m[2] ? Number(m[2]) : 1 };
      });
      await engine.call('adapters.apply', { adapters });
    }
  }
  const stream = !values.json;
  const off = engine.on('answer.token', (t) => {
    if (stream) process.stdout.write(t.token);
  });
  const scope =
    ids || values.folder || values.type?.length
      ? { collections: ids, folder: values.folder ? resolve(values.folder) : undefined, fileTypes: values.type }
      : undefined;
  const { messageId } = await engine.call('chat.ask', {
    question,
    scope,
    searchOnly: values['search-only'],
    asTyped: values['as-typed'],
    answerAnyway: values['answer-anyway'],
  });
  const message = await engine.answerResult(messageId)!;
  off();
  if (values.json) {
    console.log(JSON.stringify(message, null, 2));
    return message.error ? 1 : 0;
  }
  if (message.error) {
    console.error(`\n${message.error}`);
    return 1;
  }
  // The streamed text may still hold citation numbers the grounding step removed; show the final form.
  console.log('\n');
  if (message.citations?.length) {
    const uncited = message.citationCheck && !message.citationCheck.modelCited && !message.searchOnly;
    console.log(message.noAnswer ? 'Closest passages:' : uncited ? 'Passages that may help:' : 'Sources:');
    for (const c of message.citations) console.log(`  [${c.n}] ${describeLocation(c.location)}`);
  }
  for (const line of await trustLines(engine, message)) console.log(line);
  if (message.searchOnly) console.log('\n(Search only: no language model is loaded. Use --model FILE.gguf to generate an answer.)');
  if (message.engine?.kind === 'remote')
    console.log(
      `\n(Answered by ${message.engine.model} on ${message.engine.url}${message.adapters?.length ? ` with ${message.adapters.map((a) => `${a.path} × ${a.scale}`).join(', ')}` : ''})`,
    );
  return 0;
}

async function statusCommand(engine: Engine, values: CliValues): Promise<number> {
  const [info, collections, models] = await Promise.all([engine.call('app.info', {}), engine.call('library.list', {}), engine.call('models.status', {})]);
  if (values.json) {
    console.log(JSON.stringify({ info, collections, models }, null, 2));
    return 0;
  }
  console.log(`Lantern ${info.version} — data in ${info.dataDir}`);
  console.log(`Models folder: ${info.modelsDir}`);
  console.log(`Embedding model: ${models.embedding?.model ?? 'none (lexical search only)'}`);
  if (info.policy.managed) console.log(`Managed by ${info.policy.organisation}`);
  if (!collections.length) console.log('No collections yet. Add one with: lantern index <folder>');
  for (const c of collections) {
    const mode = c.lexicalOnly ? 'lexical only' : `hybrid (${c.embedding?.model})`;
    console.log(
      `- ${c.name} [${c.id}]${c.pack ? ` (pack ${c.pack.name} ${c.pack.version}, read-only)` : ''}: ${c.files} files, ${c.chunks} passages, ${c.errors} errors, ${mode}, last indexed ${c.lastIndexedAt ?? 'never'}`,
    );
    if (c.needsReembed) console.log(`  Indexed with ${c.needsReembed.indexModel}, active model is ${c.needsReembed.activeModel}: re-embed to use it.`);
  }
  return 0;
}

async function modelsCommand(engine: Engine, values: CliValues): Promise<number> {
  const models = await engine.call('models.list', {});
  if (values.json) {
    console.log(JSON.stringify(models, null, 2));
    return 0;
  }
  if (!models.length) console.log('No models found. Put GGUF files (answers) and embedding model folders in the models folder.');
  for (const m of models) {
    const est = m.estimate
      ? `, needs ~${mb(m.estimate.ramBytes + m.estimate.vramBytes)} at ${m.estimate.contextSize} tokens${m.estimate.fits ? '' : ' (does not fit)'}`
      : '';
    console.log(`- [${m.kind}] ${m.name}: ${mb(m.sizeBytes)}${m.architecture ? `, ${m.architecture}` : ''}${est}\n    ${m.path}`);
  }
  return 0;
}

function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function indent(s: string, pad: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(.{1,96})(\s|$)/g, `${pad}$1\n`)
    .trimEnd();
}

function highlighted(text: string, spans: { start: number; end: number }[]): string {
  if (!process.stdout.isTTY || !spans.length) return text;
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + '\x1b[1m' + text.slice(s.start, s.end) + '\x1b[0m';
    at = s.end;
  }
  return out + text.slice(at);
}

logProcessFailures('cli');
exitQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => exitWhenDrained(code),
  (err) => {
    const e = serializeError(err);
    logLine('cli', `failed: ${describe(err)}`);
    console.error(`lantern: ${e.message}`);
    return exitWhenDrained(e.code === 'invalid-input' ? 2 : 1);
  },
);
