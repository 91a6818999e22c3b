import { test, expect, screenshot, api, sharedModels } from './fixtures.js';
import { llamaServerSkipReason, startLlamaServer, type RunningServer } from '../electron/engine/llm/remote/testing/llama-server.js';
import { join } from 'node:path';

/**
 * Models → Answer engine against a real llama-server on 127.0.0.1: list its models, read what
 * leaves the laptop, accept, and get an answer that says which server wrote it.
 */
const skip = llamaServerSkipReason();

let server: RunningServer | null = null;

test.beforeAll(async () => {
  if (!skip) server = await startLlamaServer(join(sharedModels, 'llm', 'stories260K.gguf'), ['-c', '1024']);
});
// The app (one per worker) outlives this file: later tests must get the local runtime back.
test.afterAll(async ({ host }) => {
  await api(host.url, 'engine.set', { kind: 'local' });
  await server?.stop();
});

test('choose an inference server in Models: first-use notice, then answers name the server', async ({ page, host }) => {
  test.skip(!!skip, skip || '');
  await api(host.url, 'library.openSample', {});
  await expect.poll(async () => ((await api(host.url, 'library.list', {})) as { chunks: number }[])[0]?.chunks ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Models', exact: true }).click();
  const card = page.getByTestId('engine-card');
  await card.getByRole('radio', { name: /On a server/ }).check();
  await card.getByRole('textbox').first().fill(server!.url);
  await card.getByRole('button', { name: 'List models' }).click();
  const notice = card.getByTestId('engine-notice');
  await expect(notice).toContainText('the passages retrieved from your documents');
  await screenshot(page, 'remote-engine-notice');
  await card.getByRole('button', { name: /I understand/ }).click();
  await expect(card.getByTestId('engine-current')).toContainText(server!.url);
  await expect(card.getByTestId('engine-current')).toContainText('llama-server, 512 tokens of context');
  await expect(page.getByTestId('active-model')).toContainText(`stories260K.gguf on ${new URL(server!.url).host}`);

  await page.getByRole('navigation').getByRole('button', { name: 'Ask', exact: true }).click();
  await page.getByTestId('question-input').fill('What is the return policy?');
  await page.getByTestId('question-input').press('Enter');
  const answer = page.getByTestId('answer').last();
  await expect(answer.getByTestId('answer-engine')).toContainText(`on ${new URL(server!.url).host}`, { timeout: 60_000 });
  // The answer is grounded in the retrieved passages either way: cited, or (a story model writes no
  // [n]) shown under "Passages that may help" with the warning that the model did not cite them.
  await expect(answer.getByTestId('citation-chip').first().or(answer.getByTestId('not-cited'))).toBeVisible();
});
