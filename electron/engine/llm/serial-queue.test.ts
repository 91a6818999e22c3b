import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialQueue } from './serial-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('jobs run one at a time in arrival order, and a failure does not block the rest', async () => {
  const q = new SerialQueue();
  const log: string[] = [];
  let running = 0;
  const job =
    (name: string, fail = false) =>
    async () => {
      running++;
      assert.equal(running, 1, 'never two at once');
      log.push(`start ${name}`);
      await tick();
      running--;
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  const results = await Promise.allSettled([q.run(job('a')), q.run(job('b', true)), q.run(job('c'))]);
  assert.deepEqual(log, ['start a', 'start b', 'start c']);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.equal(q.pending, 0);
});

test('a waiting job whose signal aborts leaves the queue without running', async () => {
  const q = new SerialQueue();
  const ran: string[] = [];
  const controller = new AbortController();
  const first = q.run(async () => {
    await tick();
    ran.push('first');
  });
  const second = q.run(async () => void ran.push('second'), controller.signal, 'The answer');
  controller.abort();
  await assert.rejects(second, (err: Error & { code?: string }) => err.code === 'cancelled' && /The answer was cancelled/.test(err.message));
  assert.equal(ran.length, 0, 'rejected before the job ahead of it finished');
  await first;
  await tick();
  assert.deepEqual(ran, ['first']);
  const aborted = AbortSignal.abort();
  await assert.rejects(
    q.run(async () => void ran.push('never'), aborted),
    /cancelled/,
  );
  assert.deepEqual(ran, ['first']);
});
