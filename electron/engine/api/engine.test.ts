import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, writeFile, rm, rename, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from './engine.js';
import { repoRoot, sharedModelsDir } from '../testing/shared-paths.js';
import type { ChatMessage } from '../../shared/contract.js';

const resourcesDir = join(repoRoot, 'resources');

async function tempDir(prefix: string) {
  return mkdtemp(join(tmpdir(), `lantern-${prefix}-`));
}

async function writeDocs(dir: string) {
  await mkdir(join(dir, 'policies'), { recursive: true });
  await writeFile(
    join(dir, 'policies', 'returns.md'),
    '# Customer Returns\n\nCustomers may return unused items within 30 days of purchase with a receipt.\n\n## Opened items\n\nOpened electronics carry a 15% restocking fee.\n',
  );
  await writeFile(
    join(dir, 'travel.txt'),
    'Travel policy.\n\nEmployees book flights through the travel desk at least 14 days ahead.\n\nThe daily meal allowance is 55 euros.\n',
  );
  await writeFile(join(dir, 'offices.csv'), 'City,Manager,Phone\nLisbon,Ana Moreira,+351 21 000 0000\nOslo,Per Hansen,+47 22 00 00 00\n');
}

async function ask(engine: Engine, question: string, extra: Record<string, unknown> = {}): Promise<{ message: ChatMessage; tokens: string[]; chatId: string }> {
  const tokens: string[] = [];
  const off = engine.on('answer.token', (t) => tokens.push(t.token));
  const { chatId, messageId } = await engine.call('chat.ask', { question, ...extra });
  const message = await engine.answerResult(messageId)!;
  off();
  return { message, tokens, chatId };
}

describe('engine: index, search and answer through the contract', () => {
  let dataDir: string;
  let docs: string;
  let engine: Engine;
  let collection: string;

  before(async () => {
    dataDir = await tempDir('data');
    docs = await tempDir('docs');
    await writeDocs(docs);
    // An empty models folder: no embedding model, no LLM — the field worker's laptop.
    engine = await createEngine({ dataDir, modelsDir: join(dataDir, 'no-models'), resourcesDir, transport: 'cli', watch: false });
    const info = await engine.call('library.addFolder', { path: docs });
    collection = info.id;
    await engine.idle();
  });

  after(async () => {
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(docs, { recursive: true, force: true });
  });

  test('indexes every file and reports lexical-only search when no embedding model exists', async () => {
    const [info] = await engine.call('library.list', {});
    assert.equal(info.files, 3);
    assert.ok(info.chunks >= 3);
    assert.equal(info.lexicalOnly, true);
    assert.equal(info.errors, 0);
    const status = await engine.call('models.status', {});
    assert.equal(status.embedding, null);
  });

  test('search finds the passage with its file, heading path and line range', async () => {
    const r = await engine.call('search', { query: 'restocking fee for opened electronics' });
    assert.equal(r.mode, 'lexical');
    const top = r.hits[0];
    assert.equal(top.location.relPath, 'policies/returns.md');
    assert.deepEqual(top.location.headingPath, ['Customer Returns', 'Opened items']);
    assert.match(top.text, /15% restocking fee/);
    assert.ok(top.location.lineStart! >= 5, `line ${top.location.lineStart}`);
    assert.ok(top.highlights.length > 0);
    assert.match(top.text.slice(top.highlights[0].start, top.highlights[0].end), /restocking/);
  });

  test('filters by folder and file type', async () => {
    const inFolder = await engine.call('search', { query: 'days', folder: join(docs, 'policies') });
    assert.ok(inFolder.hits.length > 0);
    assert.ok(inFolder.hits.every((h) => h.location.relPath.startsWith('policies/')));
    const csvOnly = await engine.call('search', { query: 'Oslo manager', fileTypes: ['csv'] });
    assert.ok(csvOnly.hits.length > 0);
    assert.ok(csvOnly.hits.every((h) => h.location.relPath.endsWith('.csv')));
    assert.equal(csvOnly.hits[0].location.sheet, 'offices');
  });

  test('without a model, asking returns the best passages with citations, marked search-only', async () => {
    const { message, tokens } = await ask(engine, 'How many days do customers have to return items?');
    assert.equal(message.searchOnly, true);
    assert.ok(message.citations && message.citations.length > 0);
    assert.equal(message.citations[0].location.relPath, 'policies/returns.md');
    assert.match(message.content, /30 days/);
    assert.ok(tokens.length > 1, 'the answer streams');
  });

  test('a question the documents do not cover says so instead of inventing an answer', async () => {
    const { message } = await ask(engine, 'What is the capital of Australia?');
    assert.equal(message.noAnswer, true);
    assert.match(message.content, /don't cover/);
  });

  test('re-indexing touches only what changed: add, change, rename and delete', async () => {
    const before = await engine.call('search', { query: 'meal allowance' });
    const travelChunk = before.hits[0].chunkId;

    await writeFile(join(docs, 'security.md'), '# Security\n\nReport phishing to security@example.test within one hour.\n');
    await writeFile(join(docs, 'policies', 'returns.md'), '# Customer Returns\n\nCustomers may return unused items within 45 days of purchase.\n');
    const later = new Date(Date.now() + 5000);
    await utimes(join(docs, 'policies', 'returns.md'), later, later);
    await rename(join(docs, 'travel.txt'), join(docs, 'travel-policy.txt'));
    await rm(join(docs, 'offices.csv'));

    await engine.call('library.reindex', { collection });
    await engine.idle();

    const [info] = await engine.call('library.list', {});
    assert.equal(info.files, 3);
    assert.equal((await engine.call('search', { query: 'phishing' })).hits[0].location.relPath, 'security.md');
    const returns = await engine.call('search', { query: 'return unused items days' });
    assert.match(returns.hits[0].text, /45 days/);
    assert.ok(
      returns.hits.every((h) => !/30 days/.test(h.text)),
      'old content of a changed file is gone',
    );
    assert.equal((await engine.call('search', { query: 'Oslo Lisbon manager' })).hits.length, 0, 'deleted file is gone');
    const moved = await engine.call('search', { query: 'meal allowance' });
    assert.equal(moved.hits[0].location.relPath, 'travel-policy.txt');
    assert.equal(moved.hits[0].chunkId, travelChunk, 'a renamed file keeps its passages instead of being re-read');
  });

  test('a broken file is listed with its reason and the rest still indexes', async () => {
    await writeFile(join(docs, 'broken.pdf'), '%PDF-1.7\n this is not really a pdf');
    await writeFile(join(docs, 'empty.txt'), '');
    await engine.call('library.reindex', { collection });
    await engine.idle();
    const errors = await engine.call('library.errors', { collection });
    const byFile = Object.fromEntries(errors.map((e) => [e.relPath, e]));
    assert.ok(byFile['broken.pdf'], 'the corrupt PDF is listed');
    assert.ok(byFile['empty.txt'], 'the empty file is listed');
    assert.ok(byFile['broken.pdf'].message.length > 10);
    const [info] = await engine.call('library.list', {});
    assert.equal(info.files, 3);
  });

  test('chats persist across restarts: list, rename, export, delete', async () => {
    const { chatId } = await ask(engine, 'When must flights be booked?');
    await engine.call('chat.rename', { chatId, title: 'Travel questions' });
    await engine.close();
    engine = await createEngine({ dataDir, modelsDir: join(dataDir, 'no-models'), resourcesDir, transport: 'cli', watch: false });
    const list = await engine.call('chat.list', {});
    const chat = list.find((c) => c.id === chatId);
    assert.equal(chat?.title, 'Travel questions');
    const full = await engine.call('chat.get', { chatId });
    assert.equal(full.history.length, 2);
    const { markdown, fileName } = await engine.call('chat.export', { chatId });
    assert.equal(fileName, 'Travel-questions.md');
    assert.match(markdown, /## When must flights be booked\?/);
    assert.match(markdown, /\*\*Sources\*\*/);
    assert.match(markdown, /travel-policy\.txt/);
    await engine.call('chat.delete', { chatId });
    await assert.rejects(engine.call('chat.get', { chatId }), /no longer exists/);
  });

  test('invalid input is refused with a message naming the field', async () => {
    await assert.rejects(engine.call('search', { query: '' }), /query/);
    await assert.rejects(engine.call('settings.set', { topK: 500 } as never), /topK/);
    await assert.rejects(engine.call('library.addFolder', { path: join(docs, 'nope') }), /does not exist/);
  });

  test('glossary acronyms expand the query', async () => {
    await writeFile(join(docs, 'benefits.md'), '# Benefits\n\nPhysical therapy services are covered for 20 visits per year.\n');
    await engine.call('library.reindex', { collection });
    await engine.idle();
    await engine.call('settings.set', { glossary: { PT: 'physical therapy' } });
    const r = await engine.call('search', { query: 'How many PT visits are covered?' });
    assert.match(r.query, /physical therapy/);
    assert.equal(r.hits[0].location.relPath, 'benefits.md');
    const { message } = await ask(engine, 'What does PT cover?');
    assert.notEqual(message.noAnswer, true);
    assert.equal(message.citations?.[0].location.relPath, 'benefits.md');
  });
});

describe('engine: with an embedding model', () => {
  test('the synthetic model goes through indexing and hybrid search; switching models never mixes vectors', async () => {
    const dataDir = await tempDir('data-emb');
    const docs = await tempDir('docs-emb');
    const models = await tempDir('models');
    await writeDocs(docs);
    // Two "different" models: the synthetic one and a copy under another name.
    await cp(join(sharedModelsDir(), 'embed', 'test-random-bag-16d'), join(models, 'embed', 'test-random-bag-16d'), { recursive: true });
    await cp(join(sharedModelsDir(), 'embed', 'test-random-bag-16d'), join(models, 'embed', 'other-bag-16d'), { recursive: true });
    const engine = await createEngine({ dataDir, modelsDir: models, resourcesDir, transport: 'cli', watch: false });
    try {
      // Unknown models are never picked on their own: lexical until chosen.
      assert.equal((await engine.call('models.status', {})).embedding, null);
      await engine.call('settings.set', { embeddingModel: 'test-random-bag-16d' });
      const { id } = await engine.call('library.addFolder', { path: docs });
      await engine.idle();
      const [info] = await engine.call('library.list', {});
      assert.deepEqual(info.embedding, { model: 'test-random-bag-16d', dim: 16 });
      assert.equal(info.lexicalOnly, false);
      const r = await engine.call('search', { query: 'restocking fee' });
      assert.equal(r.mode, 'hybrid');
      assert.ok(r.hits.some((h) => h.location.relPath === 'policies/returns.md'));
      assert.ok(
        r.hits.some((h) => h.ranks?.vector),
        'vector retrieval contributed',
      );

      // Another model becomes active: the collection says so and stays lexical until re-embedded.
      await engine.call('settings.set', { embeddingModel: 'other-bag-16d' });
      const [switched] = await engine.call('library.list', {});
      assert.deepEqual(switched.needsReembed, { indexModel: 'test-random-bag-16d', activeModel: 'other-bag-16d' });
      assert.equal(switched.lexicalOnly, true);
      assert.equal((await engine.call('search', { query: 'restocking fee' })).mode, 'lexical');

      await engine.call('library.reindex', { collection: id });
      await engine.idle();
      const [reembedded] = await engine.call('library.list', {});
      assert.equal(reembedded.needsReembed, null);
      assert.deepEqual(reembedded.embedding, { model: 'other-bag-16d', dim: 16 });
      assert.equal((await engine.call('search', { query: 'restocking fee' })).mode, 'hybrid');
    } finally {
      await engine.close();
      for (const d of [dataDir, docs, models]) await rm(d, { recursive: true, force: true });
    }
  });

  test('a collection indexed without a model gets vectors once a model is added, without re-reading files', async () => {
    const dataDir = await tempDir('data-late');
    const docs = await tempDir('docs-late');
    await writeDocs(docs);
    const engine = await createEngine({ dataDir, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false });
    try {
      const { id } = await engine.call('library.addFolder', { path: docs });
      await engine.idle();
      assert.equal((await engine.call('library.list', {}))[0].lexicalOnly, true);
      await engine.call('settings.set', { embeddingModel: 'test-random-bag-16d' });
      const progress: string[] = [];
      const off = engine.on('index.progress', (p) => progress.push(p.phase));
      await engine.call('library.reindex', { collection: id });
      await engine.idle();
      off();
      const [info] = await engine.call('library.list', {});
      assert.equal(info.lexicalOnly, false);
      assert.equal(info.embedding?.dim, 16);
      assert.ok(progress.includes('embedding'), `phases: ${progress.join(',')}`);
    } finally {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(docs, { recursive: true, force: true });
    }
  });
});
