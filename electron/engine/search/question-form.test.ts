/**
 * A question's form words ("What do I need…", "How many…") are counted in retrieval but never
 * decide it: a short passage that merely says "needs" does not outrank the long one about the
 * receipt the user lost.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SearchFixture } from './testing/search-fixture.js';

let fx: SearchFixture;
const add = (relPath: string, content: string) => fx.add(relPath, content);

before(async () => {
  fx = await SearchFixture.open();
  await add('release.md', '# Approval\n\nA release needs sign-off from two reviewers.\n');
  await add(
    'travel.md',
    '# Expenses\n\nPrivate car use is reimbursed at 0.35 euros per kilometre. Expense claims are submitted in the expense app within 45 days of the trip, ' +
      'with an itemised receipt for every expense above 10 euros; meals with clients list the names of the guests. When a receipt is lost, ' +
      'fill in a lost receipt declaration and ask your manager to approve it. Parking and tolls are reimbursed against the ticket.\n',
  );
  // Two notes mention receipts, none says "need": by word rarity alone the short release note would win.
  for (let i = 0; i < 12; i++)
    await add(
      `notes-${i}.md`,
      `# Note ${i}\n\nThe team meets on Tuesday ${i} to plan the sprint and review open tickets${i < 2 ? '; the receipt for lunch goes to the office manager' : ''}.\n`,
    );
  await fx.index.commit();
});
after(() => fx.close());

test('"What do I need if I lose a receipt?" finds the receipt passage first, not a short one that says "needs"', async () => {
  const hits = await fx.search('What do I need if I lose a receipt?', 3);
  assert.equal(hits[0]?.location.relPath, 'travel.md', JSON.stringify(hits.map((h) => h.location.relPath)));
});
