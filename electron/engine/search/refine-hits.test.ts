/**
 * What a user sees of a search hit: the citation names the row or line of the supporting sentence,
 * current editions come before superseded ones (which are labelled), snippets are content sentences.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SearchFixture } from './testing/search-fixture.js';
import { bestSentences } from '../lexical/highlight.js';

let fx: SearchFixture;
const add = (relPath: string, content: string) => fx.add(relPath, content);
const search = (q: string) => fx.search(q);

before(async () => {
  fx = await SearchFixture.open();
  const rows = ['id,owner,model'];
  for (let i = 1; i <= 30; i++) rows.push(`A-${100 + i},${i === 17 ? 'Zelda Quist' : `Owner ${i}`},Model ${i % 3}`);
  await add('assets.csv', rows.join('\n'));
  const lines = Array.from({ length: 40 }, (_, i) => (i === 22 ? 'ERROR nightly backup failed: disk quota exceeded' : `INFO heartbeat number ${i} ok`));
  await add('server.log', lines.join('\n'));
  await add('policies/travel-policy-rev3-2025.md', '# Travel Policy\n\nRevision 3, effective 2025-02-01.\n\nThe daily meal allowance is 55 euros.\n');
  await add(
    'policies/archive/travel-policy-rev2-2023.md',
    '# Travel Policy\n\nRevision 2, effective 2023-03-01.\n\nThe daily meal allowance is 45 euros. The meal allowance is paid daily, as a daily meal allowance.\n',
  );
});
after(() => fx.close());

test("a spreadsheet citation names the one row that answers, not the passage's range", async () => {
  const [hit] = await search('Who owns asset A-117?');
  assert.equal(hit.location.relPath, 'assets.csv');
  assert.match(hit.text, /A-116[\s\S]*A-117[\s\S]*A-118/, 'the passage holds several rows');
  assert.equal(hit.location.row, 18);
  assert.equal(hit.location.rowEnd, undefined);
  assert.equal(hit.location.lineStart, 18);
});

test('a text citation names the line of the sentence, and the stored text keeps its line breaks', async () => {
  const [hit] = await search('why did the nightly backup fail');
  assert.equal(hit.location.relPath, 'server.log');
  assert.match(hit.text, /ok\nINFO/, 'lines are not joined');
  assert.equal(hit.location.lineStart, 23);
  assert.equal(hit.location.lineEnd, 23);
});

test('the current edition ranks first; the superseded one is labelled; asking for the old one finds it', async () => {
  const hits = await search('daily meal allowance travel policy');
  assert.equal(hits[0].location.relPath, 'policies/travel-policy-rev3-2025.md');
  assert.deepEqual(hits[0].location.doc, { title: 'Travel Policy', version: 'Rev 3', date: '2025-02-01' });
  const old = hits.find((h) => h.location.relPath.includes('rev2'));
  assert.equal(old?.location.doc?.status, 'superseded');
  const asked = await search('daily meal allowance in the 2023 travel policy');
  assert.equal(asked[0].location.relPath, 'policies/archive/travel-policy-rev2-2023.md');
});

test('snippets are content sentences, never a heading alone', () => {
  const text = 'Travel Policy\nMeals\nThe daily meal allowance is 55 euros for travel within the country.';
  const [best] = bestSentences(text, 'travel policy meals');
  assert.equal(text.slice(best.start, best.end), 'The daily meal allowance is 55 euros for travel within the country.');
  const onlyHeading = 'Expense Rules\nClaims are paid monthly.';
  const [b2] = bestSentences(onlyHeading, 'expense rules');
  assert.equal(onlyHeading.slice(b2.start, b2.end), 'Claims are paid monthly.', "the section's content stands in for its heading");
});
