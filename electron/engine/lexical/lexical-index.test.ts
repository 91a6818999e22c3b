import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stemmer } from 'stemmer';
import { analyze, analyzeByRegex, setTermLimitForTests, STOP_WORDS } from './analyzer.js';
import { LexicalIndex } from './lexical-index.js';
import { bestSentences } from './highlight.js';
import { randomTexts } from './testing/random-texts.js';

const passages = [
  { id: 1, title: 'handbook.md', headings: 'Customer Returns', body: 'Unused items can be returned within 30 days. Opened items carry a restocking fee.' },
  { id: 2, title: 'travel.pdf', headings: 'Per diem', body: 'The daily meal allowance is 55 euros when travelling abroad.' },
  { id: 3, title: 'security.html', headings: 'Phishing', body: 'Report suspicious emails to the security team within one hour.' },
  { id: 4, title: 'faq.txt', body: 'Our policy on warranties covers manufacturing defects for two years.' },
];

function build(): LexicalIndex {
  const index = LexicalIndex.create();
  for (const p of passages) index.add(p);
  return index;
}

test('the analyzer stems, folds case and accents, drops stop words and keeps numbers', () => {
  assert.deepEqual(analyze('What is the Return Policy?'), analyze('return policies'));
  assert.deepEqual(analyze('Café'), analyze('cafe'));
  assert.ok(analyze('valid for 30 days').includes('30'));
  assert.equal(analyze('what is it and how').length, 0);
  assert.deepEqual(analyze("company's"), analyze('company'));
});

test('the passage that answers ranks first; titles and headings count', () => {
  const index = build();
  assert.equal(index.search('return policy for opened items', 3)[0].id, 1);
  assert.equal(index.search('how much is the per diem?', 3)[0].id, 2);
  // "phishing" appears only in a heading: the heading field still finds it.
  assert.equal(index.search('phishing', 3)[0].id, 3);
  assert.equal(index.search('zebra quantum', 3).length, 0);
});

test('removed passages vanish at once; the allow filter restricts results', () => {
  const index = build();
  index.remove([1]);
  assert.ok(!index.search('returned within days', 5).some((h) => h.id === 1));
  assert.equal(index.size, 3);
  const only4 = index.search('policy', 5, { allow: (id) => id === 4 });
  assert.deepEqual(
    only4.map((h) => h.id),
    [4],
  );
});

test('save and load give the same results, and new additions after load are searchable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lex-'));
  try {
    const index = build();
    index.remove([3]);
    const files = await index.save(dir, 7);
    assert.deepEqual(files, ['lexical-g7.bin']);
    const loaded = await LexicalIndex.load(dir, files);
    for (const q of ['return policy', 'meal allowance euros', 'warranty defects']) assert.deepEqual(loaded.search(q, 5), index.search(q, 5));
    assert.equal(loaded.search('phishing', 5).length, 0);
    loaded.add({ id: 9, body: 'Parking permits are issued by reception.' });
    assert.equal(loaded.search('parking permit', 3)[0].id, 9);
    loaded.remove([2]);
    assert.equal(loaded.search('meal allowance', 3).length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a damaged index file is refused with a clear message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lex-'));
  try {
    const files = await build().save(dir, 1);
    const path = join(dir, files[0]);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(path, bytes);
    await assert.rejects(LexicalIndex.load(dir, files), /damaged or incomplete.*Re-index/);
    await writeFile(path, bytes.subarray(0, 40));
    await assert.rejects(LexicalIndex.load(dir, files), /damaged or incomplete/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bestSentences picks the sentence that matches the question', () => {
  const text = 'Welcome to the team. Unused items can be returned within 30 days of purchase. Parking is free.';
  const [best] = bestSentences(text, 'How many days to return items?', 1);
  assert.equal(text.slice(best.start, best.end), 'Unused items can be returned within 30 days of purchase.');
});

test('commits write only what changed: the base segment is kept, deletions go to a tombstone file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lex-'));
  try {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const doc = (id: number) => ({ id, body: `${words[id % 8]} ${words[(id * 3) % 8]} item${id} common` });
    let index = LexicalIndex.create();
    for (let id = 1; id <= 100; id++) index.add(doc(id));
    const first = await index.save(dir, 1);
    assert.deepEqual(first, ['lexical-g1.bin']);

    for (let id = 101; id <= 110; id++) index.add(doc(id));
    index.remove([5, 6, 105]);
    const second = await index.save(dir, 2);
    assert.deepEqual(second, ['lexical-g1.bin', 'lexical-g2.bin', 'lexical-g2.del'], 'base kept, small tail and tombstones written');

    index.remove([7]);
    const third = await index.save(dir, 3);
    assert.deepEqual(third, ['lexical-g1.bin', 'lexical-g2.bin', 'lexical-g3.del'], 'a deletion alone rewrites only the tombstones');

    const before = index.search('common', 200);
    index = await LexicalIndex.load(dir, third);
    assert.deepEqual(index.search('common', 200), before);
    const live = new Set(index.search('common', 200).map((h) => h.id));
    for (const gone of [5, 6, 7, 105]) assert.ok(!live.has(gone), `deleted ${gone} stays deleted after reload`);
    assert.equal(live.size, 106);
    assert.equal(index.size, 106);

    // Growing the newer documents to half the base merges everything back into one file.
    for (let id = 111; id <= 170; id++) index.add(doc(id));
    const merged = await index.save(dir, 4);
    assert.deepEqual(merged, ['lexical-g4.bin']);
    const reloaded = await LexicalIndex.load(dir, merged);
    assert.equal(reloaded.size, 166);
    assert.equal(reloaded.search('item7', 5).length, 0);
    assert.equal(reloaded.search('item170', 5)[0].id, 170);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('random adds, removes, re-adds, commits and reloads never lose or resurrect a passage', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lex-'));
  try {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let index = LexicalIndex.create();
    const live = new Set<number>();
    const body = (id: number) => `shared word${id % 17} doc${id}${id % 5 === 0 ? ' shared' : ''}`;
    let nextId = 1;
    for (let gen = 1; gen <= 40; gen++) {
      const adds = rand(30);
      for (let i = 0; i < adds; i++) {
        index.add({ id: nextId, body: body(nextId) });
        live.add(nextId++);
      }
      for (let i = rand(12); i > 0 && live.size; i--) {
        const victim = [...live][rand(live.size)];
        index.remove([victim]);
        live.delete(victim);
      }
      const files = await index.save(dir, gen);
      if (gen % 3 === 0) index = await LexicalIndex.load(dir, files);
      const found = index
        .search('shared', 10_000)
        .map((h) => h.id)
        .sort((a, b) => a - b);
      assert.deepEqual(
        found,
        [...live].sort((a, b) => a - b),
        `generation ${gen}`,
      );
      assert.equal(index.size, live.size);
      // Scores equal those of an index built from scratch from the live passages: deletions never skew BM25.
      const fresh = LexicalIndex.create();
      for (const id of [...live].sort((a, b) => a - b)) fresh.add({ id, body: body(id) });
      for (const q of ['shared', 'word3 shared', 'word5']) {
        const expected = new Map(fresh.search(q, 10_000).map((h) => [h.id, h.score]));
        const got = index.search(q, 10_000);
        assert.equal(got.length, expected.size, `generation ${gen}, "${q}"`);
        for (const h of got) assert.ok(Math.abs(h.score - expected.get(h.id)!) < 1e-4, `generation ${gen}, "${q}", id ${h.id}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the hand-written tokenizer gives exactly the terms of the reference regex, on any text', () => {
  const alphabet = [
    'a',
    'Z',
    'é',
    'ß',
    'İ',
    'ﬁ',
    '½',
    '٣',
    '7',
    "'",
    '’',
    ' ',
    '-',
    '.',
    '𝐀',
    '😀',
    'ο',
    'Ω',
    '\u0301',
    'don',
    "n't",
    'policies',
    'Company’s',
    'K' /* Kelvin sign: lower-cases to ASCII */,
    '_',
    'B',
    'kayakPaddle',
    'Torque',
    'mRNA',
    'q9',
  ];
  for (const text of randomTexts(alphabet, 3000, 12, 12345)) assert.deepEqual(analyze(text), analyzeByRegex(text), JSON.stringify(text));
  for (const text of [
    "O'Brien's policies aren't the company’s",
    'naïve café 10ms x86_64 e-mail',
    'ＡＢＣ１２３ (full width)',
    "set kayakPaddleTorqueLimit, max_retry_count's and XMLHttpRequest; mRNA in HeLa cells",
  ]) {
    assert.deepEqual(analyze(text), analyzeByRegex(text), text);
  }
});

test("every word gets the stemmer's stem, including those the analyzer keeps from it (last letter ends no Porter suffix)", () => {
  const parts = ['ation', 'ness', 'ing', 'ed', 'ies', 'y', 'al', 'ic', 'ment', 'ous', 'ive', 'ize', 'iti', 'li', 'e', 'll', 'abl', 'ou', ''];
  let seed = 99;
  const r = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const letters = 'aeiouybcdfghjklmnprstvwxz';
  for (let i = 0; i < 20_000; i++) {
    const w = Array.from({ length: 4 + r(5) }, () => letters[r(letters.length)]).join('') + parts[r(parts.length)] + (r(2) ? 'abfhjkopqvwxz'[r(13)] : '');
    if (!STOP_WORDS.has(w)) assert.deepEqual(analyze(w), [stemmer(w)], w);
  }
});

test('term numbers starting afresh mid-build (every so many terms) change neither the segment nor the results', async () => {
  let seed = 7;
  const r = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const word = () => Array.from({ length: 3 + r(6) }, () => 'abcdefghijklmnoprstuvwyz'[r(24)]).join('');
  const vocabulary = Array.from({ length: 3000 }, word);
  const docs = Array.from({ length: 400 }, (_, id) => ({
    id,
    title: `${vocabulary[r(3000)]} ${vocabulary[r(50)]}Part`,
    body: Array.from({ length: 40 }, () => vocabulary[r(r(2) ? 100 : 3000)]).join(' ') + ` id_${id} naïve_${vocabulary[r(3000)]}`,
  }));
  const build = async (limit: number) => {
    setTermLimitForTests(limit);
    try {
      const index = LexicalIndex.create();
      for (const d of docs) index.add(d);
      const hits = index.search(`${vocabulary[5]} ${vocabulary[60]} naive`, 10);
      const dir = await mkdtemp(join(tmpdir(), 'lantern-epochs-'));
      const [file] = await index.save(dir, 1);
      const bytes = await readFile(join(dir, file));
      await rm(dir, { recursive: true, force: true });
      return { hits, bytes };
    } finally {
      setTermLimitForTests(1_000_000);
    }
  };
  const whole = await build(1_000_000);
  const restarted = await build(500);
  assert.ok(whole.hits.length > 0);
  assert.deepEqual(restarted.hits, whole.hits);
  assert.ok(restarted.bytes.equals(whole.bytes), 'the segment is byte-identical');
});
