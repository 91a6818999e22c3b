import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, expect, repoRoot, sharedModels, screenshot, startHost, stopHost, api } from './fixtures.js';
import { makeTrustCorpus } from '../bench/trust/corpus.js';

// Issue 9 in the browser: what a chat searches, "not covered", and an answer whose model cited nothing.

test.describe.configure({ mode: 'serial' });

let docs: string;
test.beforeAll(async ({ host }) => {
  docs = mkdtempSync(join(tmpdir(), 'lantern-e2e-trust-'));
  await makeTrustCorpus(docs);
  await api(host.url, 'library.openSample', {});
  const maker = (await api(host.url, 'library.create', { name: 'Makerspace' })) as { id: string };
  await api(host.url, 'library.addFolder', { collection: maker.id, path: docs });
});
test.afterAll(() => rmSync(docs, { recursive: true, force: true }));

async function waitIndexed(url: string) {
  await expect
    .poll(
      async () =>
        ((await api(url, 'library.list', {})) as { progress: { phase: string } | null; chunks: number }[]).every(
          (c) => c.chunks > 0 && (!c.progress || c.progress.phase === 'done'),
        ),
      { timeout: 60_000 },
    )
    .toBe(true);
}

test('a question the documents do not cover: "not covered", closest passages collapsed, answer anyway', async ({ page, host }) => {
  await waitIndexed(host.url);
  await page.goto(host.url);
  await page.getByTestId('question-input').fill('What is the capital of Peru?');
  await page.getByTestId('send-button').click();
  const answer = page.getByTestId('answer').last();
  const notCovered = answer.getByTestId('not-covered');
  await expect(notCovered).toContainText("Your documents don't seem to cover this.");
  await expect(notCovered).toContainText('No passage found mentions “Peru”');
  await expect(notCovered.getByTestId('passages')).toBeHidden();
  await expect(answer.getByTestId('citation-chip')).toHaveCount(0);
  await expect(answer.getByTestId('searched')).toContainText('Searched: all collections');
  await notCovered.getByText(/Closest passages/).click();
  await expect(notCovered.getByTestId('passages')).toBeVisible();
  await screenshot(page, 'not-covered');
  await notCovered.getByTestId('answer-anyway').click();
  await expect(page.getByTestId('answer').last()).toContainText('No language model is loaded');
});

test('scope per chat: choose a collection, it is shown on the answer and kept for the next question', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByTestId('scope-summary').click();
  await page.getByLabel('Makerspace').check();
  await expect(page.getByTestId('scope-summary')).toContainText('Makerspace');
  await page.getByTestId('question-input').fill('How thick can plywood be for laser cutting?');
  await page.getByTestId('send-button').click();
  const first = page.getByTestId('answer').last();
  await expect(first).toContainText('6 mm');
  await expect(first.getByTestId('searched')).toContainText('Searched: Makerspace');
  await page.getByTestId('question-input').fill('What is the per diem for meals in Germany?');
  await page.getByTestId('send-button').click();
  const second = page.getByTestId('answer').nth(1);
  await expect(second.getByTestId('searched')).toContainText('Searched: Makerspace');
  await expect(second.getByTestId('not-covered')).toBeVisible();
});

test('a follow-up shows what was searched, and one click searches the question as typed', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByTestId('question-input').fill('When is the next annual general meeting?');
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('answer').last()).toContainText('14 November 2026');
  await page.getByTestId('question-input').fill('And who decided that?');
  await page.getByTestId('send-button').click();
  const follow = page.getByTestId('answer').nth(1);
  await expect(follow.getByTestId('searched-for')).toContainText('Searched for: “And who decided that? When is the next annual general meeting?”');
  await screenshot(page, 'searched-for');
  await follow.getByTestId('search-as-typed').click();
  await expect(page.getByTestId('answer').nth(1).getByTestId('searched-for')).toHaveCount(0);
});

test('a model that cites nothing: "did not cite your documents" and passages that may help, no source cards', async ({ page, host }) => {
  await api(host.url, 'settings.set', { contextSize: 512, threads: 1 });
  await api(host.url, 'models.load', { path: join(sharedModels, 'llm', 'stories260K.gguf') });
  await page.goto(host.url);
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByTestId('question-input').fill('What is the return policy?');
  await page.getByTestId('send-button').click();
  const answer = page.getByTestId('answer').last();
  await expect(answer.getByTestId('not-cited')).toContainText('The model did not cite your documents', { timeout: 60_000 });
  await expect(answer.getByTestId('not-cited')).toContainText('Passages that may help');
  await expect(answer.getByRole('list', { name: 'Sources' })).toHaveCount(0);
  await screenshot(page, 'not-cited');
  await page.getByRole('navigation').getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'stories260K' }).getByTestId('model-unfit')).toContainText('no chat template');
  await expect(page.getByTestId('model-catalogue')).toContainText('recommended for this machine');
  await expect(page.getByTestId('tier-16gb')).toContainText('Qwen2.5 7B Instruct');
  await expect(page.getByTestId('tier-4gb')).toContainText('ms-marco-MiniLM-L-6-v2 (cross-encoder reranker, quantized ONNX) · 24 MB');
  await page.getByTestId('model-catalogue').scrollIntoViewIfNeeded();
  await screenshot(page, 'models-fitness');
  await api(host.url, 'models.unload', {});
});

test('citation marks: a supported citation, an unsupported one (⚠) and a sentence with no citation', async ({ page }) => {
  // The chat is written beforehand by the real model through the real answer path (see make-checked-chat.ts).
  const dataDir = mkdtempSync(join(tmpdir(), 'lantern-e2e-checked-'));
  const made = spawnSync(join(repoRoot, 'node_modules', '.bin', 'node'), ['--import', 'tsx', 'e2e/testing/make-checked-chat.ts', dataDir, sharedModels], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect(made.status, made.stderr).toBe(0);
  const host = await startHost(['--data-dir', dataDir]);
  try {
    await page.goto(host.url);
    await page.getByRole('navigation').getByText('What is the return policy?').first().click();
    const answer = page.getByTestId('answer').last();
    await expect(answer.getByTestId('check-summary')).toContainText('1 of 2 cited sentences supported');
    await expect(answer.getByTestId('sentence-unsupported')).toContainText('Gift cards never expire');
    await expect(answer.getByTestId('sentence-uncited')).toContainText('Refunds are paid in cash');
    await expect(answer.getByTestId('sentence-uncited')).toContainText('not cited');
    await screenshot(page, 'citation-marks');
  } finally {
    await stopHost(host);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
