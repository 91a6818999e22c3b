/**
 * An index written before identifiers were split (analyzer 1, lexical segment format 1) is rebuilt
 * from its stored passage text when its collection opens, once, and then finds an identifier by its words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionIndex, STORE_DIRS } from './collection-index.js';
import { LexicalIndex } from '../lexical/lexical-index.js';
import { passageTitle } from '../embed/passage-text.js';
import type { Chunk } from '../chunk/chunker.js';

const chunking = { tokenizer: 'estimate', maxTokens: 200, overlapTokens: 30 };
const text = 'static const int kayakPaddleTorqueLimit = 42; /* newton metres */';
const chunk: Chunk = { text, start: 0, end: text.length } as Chunk;

/**
 * A lexical segment as Lantern wrote it before: header format 1 (32 bytes, no analyzer version),
 * terms of the old analyzer, which kept `kayakPaddleTorqueLimit` as one lower-cased word.
 */
async function oldSegment(id: number): Promise<Buffer> {
  const tmp = await mkdtemp(join(tmpdir(), 'lantern-old-lexical-'));
  const old = LexicalIndex.create();
  old.add({ id, title: passageTitle(undefined, 'config.c'), body: text.toLowerCase() });
  const [file] = await old.save(tmp, 1);
  const v2 = await readFile(join(tmp, file));
  await rm(tmp, { recursive: true, force: true });
  const header = Buffer.from(v2.subarray(0, 32));
  header.writeUInt32LE(1, 4);
  const body = Buffer.concat([header, v2.subarray(40, v2.byteLength - 4)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

test('an index built by the old analyzer is rebuilt on open and finds an identifier by its words', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-upgrade-'));
  try {
    let index = await CollectionIndex.open(dir, { chunking });
    index.addFile({ path: '/src/config.c', relPath: 'config.c', folder: '/src', size: text.length, mtimeMs: 0, sha256: 'x', format: 'text' }, [chunk], null);
    await index.commit();
    const [segmentFile] = index.manifest.stores.lexical;
    const id = index.files[0].firstChunk;
    await index.close();

    // Put the old analyzer's segment in place of the new one: it cannot find the identifier by its words.
    const old = await oldSegment(id);
    await writeFile(join(dir, STORE_DIRS.lexical, segmentFile), old);
    const asLoaded = await LexicalIndex.load(join(dir, STORE_DIRS.lexical), [segmentFile]);
    assert.equal(asLoaded.builtByOlderAnalyzer, true);
    assert.deepEqual(asLoaded.search('paddle torque limit', 5), []);
    assert.equal(asLoaded.search('kayakPaddleTorqueLimit', 5)[0]?.id, id, 'the old format still loads');

    index = await CollectionIndex.open(dir, { chunking });
    assert.equal(index.lexical.builtByOlderAnalyzer, false);
    assert.deepEqual(
      index.lexical.search('paddle torque limit', 5).map((h) => h.id),
      [id],
    );
    assert.equal(index.lexical.search('kayakPaddleTorqueLimit', 5)[0]?.id, id);
    const gen = index.manifest.gen;
    assert.equal(gen, 2, 'the rebuilt index was committed as a new generation');
    await index.close();

    // Committed: the next open loads it as it is.
    index = await CollectionIndex.open(dir, { chunking });
    assert.equal(index.manifest.gen, gen);
    assert.deepEqual(
      index.lexical.search('paddle torque limit', 5).map((h) => h.id),
      [id],
    );
    await index.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
