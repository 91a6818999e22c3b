import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, repoRoot, screenshot, api } from './fixtures.js';

test.describe.configure({ mode: 'serial' });

test('first run: open the sample library and watch it index to done', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lantern' })).toBeVisible();
  await screenshot(page, 'first-run');
  await page.getByTestId('open-sample').click();
  const progress = page.getByTestId('index-progress');
  await expect(progress).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('collection-row')).toContainText('Sample library');
  await expect(page.getByTestId('collection-row')).toContainText('7 files');
  await screenshot(page, 'library');
});

test('ask a question: the answer streams in with citations, and a citation opens the highlighted passage', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Ask', exact: true }).first().click();
  const input = page.getByTestId('question-input');
  await input.fill('What is the return policy?');
  await input.press('Enter');
  const answer = page.getByTestId('answer').last();
  await expect(answer).toContainText('30 days');
  await expect(answer).toContainText('No language model is loaded');
  const chip = answer.getByTestId('citation-chip').first();
  await expect(chip).toBeVisible();
  await chip.click();
  const viewer = page.getByTestId('source-viewer');
  await expect(viewer).toBeVisible();
  await expect(viewer).toContainText('employee-handbook.md');
  await expect(viewer.getByTestId('source-highlight').first()).toContainText('30 days');
  await screenshot(page, 'chat-with-citation');
});

test('a PDF citation renders the page with pdf.js and highlights the passage', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByTestId('question-input').fill('What is the per diem for meals in Germany?');
  await page.getByTestId('send-button').click();
  const answer = page.getByTestId('answer').last();
  await expect(answer).toContainText('48 euros');
  await answer
    .getByRole('button', { name: /travel-and-expense-policy\.pdf · page 2/ })
    .first()
    .click();
  const viewer = page.getByTestId('source-viewer');
  await expect(viewer.locator('canvas')).toBeVisible();
  await expect(viewer.getByTestId('source-highlight').first()).toBeVisible();
  await screenshot(page, 'pdf-citation');
});

test('a folder with a corrupt PDF: its error is listed while the other files index', async ({ page, host }) => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-docs-'));
  try {
    writeFileSync(join(dir, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog garbage');
    writeFileSync(join(dir, 'parking.md'), '# Parking\n\nStaff park in level 2 of the garage on Dock Street.\n');
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(repoRoot, 'resources', 'sample-library', 'product-faq.txt'), join(dir, 'sub', 'faq.txt'));
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
    await page.getByTestId('folder-path-input').fill(dir);
    await page.getByTestId('add-folder-submit').click();
    const row = page.getByTestId('collection-row').filter({ hasText: dir });
    await expect(row.getByTestId('file-errors')).toContainText('broken.pdf', { timeout: 60_000 });
    await expect(row.getByTestId('file-errors')).toContainText(/damaged|not really a PDF/);
    await expect(row).toContainText('2 files');
    await screenshot(page, 'file-errors');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a link out of the folder is skipped and listed; following it is the user's choice, per folder", async ({ page, host }) => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-links-'));
  const outside = mkdtempSync(join(tmpdir(), 'lantern-e2e-outside-'));
  try {
    writeFileSync(join(dir, 'parking.md'), '# Parking\n\nStaff park in level 2 of the garage on Dock Street.\n');
    writeFileSync(join(outside, 'bikes.md'), '# Bikes\n\nBicycles go in the cage by the north door.\n');
    symlinkSync(join(outside, 'bikes.md'), join(dir, 'bikes.md'));
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
    await page.getByTestId('folder-path-input').fill(dir);
    await page.getByTestId('add-folder-submit').click();
    const row = page.getByTestId('collection-row').filter({ hasText: dir });
    await expect(row.getByTestId('file-skipped')).toContainText('bikes.md', { timeout: 60_000 });
    await expect(row).toContainText('1 file indexed');
    page.once('dialog', (d) => d.accept().catch(() => {}));
    // Ticked once the engine has the folder's new setting (the box shows the engine's state, not a wish).
    const box = row.getByTestId('follow-links').getByRole('checkbox');
    await box.click();
    await expect(box).toBeChecked();
    await expect(row).toContainText('2 files indexed', { timeout: 60_000 });
    await expect(row.getByTestId('file-skipped'), 'the link is followed now: no longer listed as skipped').toHaveCount(0);
    await screenshot(page, 'follow-links');
    // And off again: the outside file leaves the index.
    await box.click();
    await expect(box).not.toBeChecked();
    await expect(row).toContainText('1 file indexed', { timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('with a model loaded, a long answer streams and Stop ends it', async ({ page, host }) => {
  // Two threads make the tiny model generate at a human-visible pace on these machines.
  await api(host.url, 'settings.set', { threads: 2, contextSize: 512 });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Models', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: 'stories260K' }).getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('active-model')).toContainText('stories260K', { timeout: 30_000 });
  await page.getByRole('navigation').getByRole('button', { name: 'Ask', exact: true }).click();
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByTestId('question-input').fill('Tell me the whole return policy for opened items');
  await page.getByTestId('send-button').click();
  const stop = page.getByTestId('stop-button');
  await expect(stop).toBeVisible();
  await expect.poll(async () => (await page.getByTestId('answer').last().innerText()).length).toBeGreaterThan(40);
  await stop.click();
  await expect(stop).toBeHidden();
  await expect(page.getByTestId('answer').last()).toContainText('Stopped.');
  await api(host.url, 'models.unload', {});
});

test('dark mode', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByTestId('theme-select').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('navigation').getByRole('button', { name: 'Ask', exact: true }).click();
  await page.getByTestId('question-input').fill('How long must passwords be?');
  await page.getByTestId('question-input').press('Enter');
  await expect(page.getByTestId('answer').last()).toContainText('14 characters');
  await screenshot(page, 'dark-mode');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
