/**
 * Code names things in camelCase and snake_case: a question in plain words finds the passage that
 * holds the identifier, and the identifier itself, asked exactly, ranks that passage first.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SearchFixture } from './testing/search-fixture.js';

let fx: SearchFixture;
const add = (relPath: string, content: string) => fx.add(relPath, content);
const search = async (q: string) => (await fx.search(q)).map((h) => h.location.relPath);

before(async () => {
  fx = await SearchFixture.open();
  await add('firmware/config.c', 'static const int kayakPaddleTorqueLimit = 42; /* newton metres */\nstatic const int max_retry_count = 5;\n');
  await add(
    'manual.md',
    '# Limits\n\nThe paddle torque limit of each kayak is set in the firmware. After a fault the motor tries again up to the max retry count before it stops.\n',
  );
  // The same words in prose, short and repeated: without the identifier as a term of its own, this would outrank the code.
  await add('notes.md', 'Max retry count: raise the max retry count only when asked. Paddle torque limit: kayak paddle torque limit.\n');
  await add('safety.md', '# Safety\n\nNever exceed the torque of the paddle motor. A kayak must carry a whistle.\n');
  await fx.index.commit();
});
after(() => fx.close());

test('a camelCase identifier is found by its words, and asked exactly it ranks its passage first', async () => {
  assert.ok((await search('paddle torque limit')).includes('firmware/config.c'));
  assert.equal((await search('kayakPaddleTorqueLimit'))[0], 'firmware/config.c');
});

test('a snake_case identifier is found by its words, and asked exactly it ranks its passage first', async () => {
  assert.ok((await search('what is the retry count')).includes('firmware/config.c'));
  assert.equal((await search('max_retry_count'))[0], 'firmware/config.c');
});
