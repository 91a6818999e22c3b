import { test, expect, screenshot, api } from './fixtures.js';

test('Evaluate: run the sample question set, read a question, compare two runs', async ({ page, host }) => {
  await api(host.url, 'library.openSample', {});
  await expect
    .poll(async () => ((await api(host.url, 'library.list', {})) as { files: number; progress: { phase: string } | null }[])[0], { timeout: 60_000 })
    .toMatchObject({ files: 7 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await expect(page.getByLabel('Question set (.jsonl or .csv)')).toHaveValue(/sample-eval\.jsonl$/);
  await page.getByRole('combobox', { name: 'Collection' }).selectOption({ label: 'Sample library' });
  await page.getByLabel('Label (optional)').fill('first run');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const report = page.getByRole('region', { name: 'Report' });
  await expect(report.getByRole('heading', { name: 'first run' })).toBeVisible();
  await expect(report.getByRole('row', { name: /Search only/ })).toContainText('/26');
  await expect(report).toContainText('hit@1');
  const question = report.getByText('What is the per diem for meals in Germany?');
  await question.click();
  await expect(report).toContainText('travel-and-expense-policy.pdf, page 2');
  await screenshot(page, 'evaluate');

  await page.getByLabel('Label (optional)').fill('second run');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(report.getByRole('heading', { name: 'second run' })).toBeVisible();
  await page.getByLabel('Select first run for comparison').check();
  await page.getByLabel('Select second run for comparison').check();
  await page.getByRole('button', { name: 'Compare the two selected' }).click();
  const comparison = page.getByRole('region', { name: 'Comparison' });
  await expect(comparison).toContainText('first run → second run');
  await expect(comparison).toContainText('Worse (0)');
  await expect(comparison).toContainText('26 unchanged.');
});
