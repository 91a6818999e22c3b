import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, repoRoot, startHost, stopHost, api, type Host } from './fixtures.js';
import { LONG_NAME, askAndOpen, noSidewaysScroll, writeRecorder, writeViewerLibrary } from './ui-fixtures.js';
import type { Page } from '@playwright/test';

/**
 * Issue 12 end to end, in Chromium through the web host: the folder browser, a viewer per format at
 * the cited place, a 250-character file name, an 800×600 window, Open file through the OS opener,
 * plain settings errors, and axe-core on every view in both themes at two window sizes.
 */
test.describe.configure({ mode: 'serial' });

let host: Host;
let work: string;
let home: string;
let library: string;
let opened: string;

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lantern-e2e-ui-'));
  home = join(work, 'home');
  library = join(home, 'Documents', 'field-library');
  await writeViewerLibrary(library);
  mkdirSync(join(home, 'Downloads'));
  const recorder = writeRecorder(work);
  opened = recorder.log;
  // The folder browser starts at the host's home; the recorder stands in for xdg-open.
  host = await startHost([], { HOME: home, LANTERN_OPENER: recorder.script });
});
test.afterAll(async () => {
  await stopHost(host);
  rmSync(work, { recursive: true, force: true });
});

const shots = join(repoRoot, 'e2e', 'screenshots', 'viewers');
async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** The later tests need the library indexed; they add it through the API when run on their own. */
async function ensureLibrary() {
  type C = { folders: { path: string }[]; files: number; progress: { phase: string } | null };
  const has = async () => ((await api(host.url, 'library.list', {})) as C[]).find((c) => c.folders.some((f) => f.path === library));
  if (!(await has())) await api(host.url, 'library.addFolder', { path: library });
  await expect.poll(async () => (await has())?.files ?? 0, { timeout: 90_000 }).toBe(7);
}

async function setTheme(theme: 'light' | 'dark') {
  await api(host.url, 'settings.set', { theme });
}

test('Add folder… opens a folder browser: home, typed path with Tab completion, then the new card on top with its path and progress that adds up', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
  await page.getByRole('button', { name: 'Add folder…' }).click();
  const dialog = page.getByTestId('folder-browser');
  await expect(dialog).toBeVisible();
  const list = page.getByTestId('folder-browser-list');
  await expect(list.getByRole('button', { name: 'Documents' })).toBeVisible();
  await expect(list.getByRole('button', { name: 'Downloads' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Home' })).toBeVisible();
  const path = page.getByTestId('folder-browser-path');
  await path.fill(join(home, 'Docu'));
  await expect(list.getByRole('button')).toHaveCount(1);
  await path.press('Tab');
  await expect(path).toHaveValue(join(home, 'Documents') + '/');
  await list.getByRole('button', { name: 'field-library' }).click();
  await expect(path).toHaveValue(library + '/');
  await page.getByTestId('folder-browser-add').click();
  await expect(dialog).toHaveCount(0);
  const first = page.getByTestId('collection-row').first();
  await expect(first.getByTestId('collection-folder')).toContainText(library);
  await expect(first.getByTestId('index-progress')).toHaveAttribute('data-phase', 'done', { timeout: 90_000 });
  await expect(first.getByTestId('index-progress-text')).toContainText(/Done · 7 of 7 files · [\d,]+ passages? · [\d.,]+ (KB|MB) read/);
  await expect(first.getByTestId('collection-stats')).toContainText('7 files indexed');
  await expect(first.getByRole('button', { name: 'Re-index' })).toBeEnabled();
});

test.beforeEach(async ({}, info) => {
  if (!info.title.startsWith('Add folder')) await ensureLibrary();
});

test('PDF: opens at the cited page with n of N, previous/next and back to the cited page; highlights stay on the page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await askAndOpen(page, 'What does the aurora cabin checklist require?', /field-manual\.pdf · page 3/);
  const viewer = page.getByTestId('source-viewer');
  await expect(viewer.getByTestId('pdf-page-indicator')).toHaveText('Page 3 of 3');
  const hl = viewer.getByTestId('source-highlight').first();
  await expect(hl).toBeVisible();
  const pageBox = (await viewer.getByTestId('pdf-page').boundingBox())!;
  for (const box of await viewer.getByTestId('source-highlight').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
    expect(box.right).toBeLessThanOrEqual(pageBox.x + pageBox.width + 1);
  }
  await viewer.getByRole('button', { name: 'Previous page' }).click();
  await expect(viewer.getByTestId('pdf-page-indicator')).toHaveText('Page 2 of 3');
  await expect(viewer.locator('[data-testid="pdf-page"][data-page="2"]')).toBeVisible();
  await expect(viewer.getByTestId('source-highlight')).toHaveCount(0);
  await viewer.getByTestId('pdf-cited-page').click();
  await expect(viewer.getByTestId('pdf-page-indicator')).toHaveText('Page 3 of 3');
  await expect(viewer.getByTestId('source-highlight').first()).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Next page' })).toBeDisabled();
});

test('PPTX: every slide in order, the cited slide marked with its table and notes', async ({ page }) => {
  await page.goto(host.url);
  await askAndOpen(page, 'How often is the zeppelin hangar inspection?', /hangar-briefing\.pptx · slide 2/);
  const viewer = page.getByTestId('source-viewer');
  await expect(viewer.getByTestId('slide')).toHaveCount(3);
  const cited = viewer.locator('[data-testid="slide"][aria-current="true"]');
  await expect(cited).toHaveAttribute('data-slide', '2');
  await expect(cited).toContainText('Cited');
  await expect(cited.getByRole('table')).toContainText('Mooring lines');
  await expect(cited).toContainText('wind limits');
  await expect(cited.getByTestId('source-highlight').filter({ hasText: 'zeppelin hangar inspection' })).toHaveCount(1);
  await expect(viewer.locator('[data-testid="slide"][data-slide="1"]').getByTestId('source-highlight')).toHaveCount(0);
  await expect(cited).toBeInViewport();
});

test('XLSX and CSV: a grid with the header row and sheet tabs, the cited row highlighted and scrolled into view', async ({ page }) => {
  await page.goto(host.url);
  await askAndOpen(page, 'Who manages the depot in Tromsø? Ingrid Marmalade', /depots\.xlsx · Depots, row/);
  let viewer = page.getByTestId('source-viewer');
  await expect(viewer.getByRole('tab', { name: 'Depots' })).toHaveAttribute('aria-selected', 'true');
  await expect(viewer.getByRole('tab', { name: 'Summary' })).toBeVisible();
  const grid = viewer.getByTestId('sheet-grid');
  await expect(grid.locator('thead')).toContainText('Manager');
  const row = grid.locator('tr[data-testid="source-highlight"]');
  await expect(row.first()).toContainText('Ingrid Marmalade Halvorsen');
  await expect(row.first()).toHaveAttribute('data-row', '42');
  await expect(row.first()).toBeInViewport();
  await viewer.getByRole('tab', { name: 'Summary' }).click();
  await expect(grid.locator('thead')).toContainText('Region');
  await page.getByTestId('close-source').click();

  await askAndOpen(page, 'Which supplier sends the pemmican ration crate?', /supplies\.csv/);
  viewer = page.getByTestId('source-viewer');
  const csvRow = viewer.getByTestId('sheet-grid').locator('tr[data-testid="source-highlight"]').first();
  await expect(csvRow).toContainText('Glacier Provisions Cooperative');
  await expect(csvRow).toHaveAttribute('data-row', '150');
  await expect(csvRow).toBeInViewport();
});

test('Code and Markdown: numbered lines with the cited line highlighted; Open file and Show in folder go to the OS opener', async ({ page }) => {
  await page.goto(host.url);
  await askAndOpen(page, 'What is the kayak paddle torque limit?', /limits\.ts · lines?/);
  const viewer = page.getByTestId('source-viewer');
  const hit = viewer.getByTestId('line-view').locator('[data-testid="source-highlight"]').first();
  await expect(hit).toHaveAttribute('data-line', '80');
  await expect(hit).toContainText('kayakPaddleTorqueLimit');
  await expect(viewer.locator('.line[data-line="79"] .ln')).toHaveText('79');
  await viewer.getByTestId('open-file').click();
  await viewer.getByTestId('show-in-folder').click();
  await expect.poll(() => (existsSync(opened) ? readFileSync(opened, 'utf8').trim().split('\n') : [])).toEqual([join(library, 'limits.ts'), library]);
  await expect(viewer.getByTestId('open-file')).toBeVisible();
});

test('a 250-character file name ellipsizes in the card and the viewer (full name on hover/focus); nothing scrolls sideways at 800×600', async ({ page }) => {
  expect(LONG_NAME).toHaveLength(250);
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(host.url);
  await askAndOpen(page, 'When is the walrus migration survey?', /quarterly-field-report/);
  const viewer = page.getByTestId('source-viewer');
  const name = viewer.getByTestId('viewer-file-name');
  await expect(name).toContainText(LONG_NAME.slice(0, 20));
  // Focused (the viewer focuses its title on opening), the full name shows, wrapped; otherwise it ellipsizes.
  await expect(viewer.locator('#viewer-title')).toBeFocused();
  expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().height > 30)).toBe(true);
  await page.getByTestId('close-source').focus();
  expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth && el.getBoundingClientRect().height < 30)).toBe(true);
  await expect(viewer.locator('#viewer-title')).toHaveAttribute('title', new RegExp(LONG_NAME.replace(/\./g, '\\.')));
  await expect(page.getByTestId('close-source')).toBeInViewport();
  expect(await noSidewaysScroll(page)).toEqual([]);
  // The drawer closes with its button and the chat is whole again.
  await page.getByTestId('close-source').click();
  const card = page.getByTestId('answer').last().locator('.source-card').first();
  await expect(card).toHaveAttribute('title', new RegExp(LONG_NAME.slice(0, 40)));
  expect(await noSidewaysScroll(page)).toEqual([]);
  // The sidebar is a menu at this width.
  await expect(page.getByRole('navigation')).toBeHidden();
  await page.getByTestId('menu-button').click();
  await expect(page.getByRole('navigation')).toBeVisible();
  // The drawer slides in; wait until it sits at the window's edge.
  await expect.poll(() => page.getByRole('navigation').evaluate((el) => el.getBoundingClientRect().left)).toBe(0);
  await shot(page, 'menu-open-800x600');
  await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Library', level: 1 })).toBeVisible();
  await shot(page, 'library-800x600');
  expect(await noSidewaysScroll(page)).toEqual([]);
});

test('where the OS cannot open files (no desktop session), Open file and Show in folder are disabled and say why', async ({ page }) => {
  const bare = await startHost([], { DISPLAY: '', WAYLAND_DISPLAY: '', LANTERN_OPENER: '' });
  try {
    await api(bare.url, 'library.openSample', {});
    await expect.poll(async () => ((await api(bare.url, 'library.list', {})) as { files: number }[])[0]?.files ?? 0, { timeout: 60_000 }).toBe(7);
    await page.goto(bare.url);
    await askAndOpen(page, 'How long must passwords be?', /it-security-guidelines\.html/);
    const viewer = page.getByTestId('source-viewer');
    await expect(viewer.getByTestId('open-file')).toBeDisabled();
    await expect(viewer.getByTestId('show-in-folder')).toBeDisabled();
    await expect(viewer.getByTestId('reveal-reason')).toContainText('no desktop session');
    await expect(viewer.getByTestId('open-file')).toHaveAccessibleDescription(/no desktop session/);
  } finally {
    await stopHost(bare);
  }
});

test('while a large file indexes, Re-index and folder removal are disabled; progress counts files, passages and bytes', async ({ page }) => {
  const big = join(work, 'big-folder');
  mkdirSync(big, { recursive: true });
  const rows = ['Order,Customer,City,Amount'];
  for (let i = 1; i <= 150_000; i++) rows.push(`${i},Customer ${i % 977},City ${i % 131},${(i * 7) % 1000}`);
  writeFileSync(join(big, 'orders.csv'), rows.join('\n'));
  writeFileSync(join(big, 'readme.txt'), 'Orders exported from the shop.');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
  await page.getByTestId('folder-path-input').fill(big);
  await page.getByTestId('add-folder-submit').click();
  const card = page.getByTestId('collection-row').first();
  await expect(card.getByTestId('collection-folder')).toContainText(big);
  await expect(card.getByTestId('index-progress')).not.toHaveAttribute('data-phase', 'done');
  await expect(card.getByRole('button', { name: 'Re-index' })).toBeDisabled();
  await expect(card.getByRole('button', { name: `Remove folder ${big}` })).toBeDisabled();
  await expect(card.getByTestId('index-progress-text')).toContainText(/of 2 files · [\d,]+ passages? · [\d.,]+ (bytes|KB|MB) read/);
  await expect(card.getByTestId('index-progress')).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
  await expect(card.getByRole('button', { name: 'Re-index' })).toBeEnabled();
  await expect(card.getByTestId('index-progress-text')).toContainText('Done · 2 of 2 files');
  await expect(card.getByTestId('collection-stats')).toContainText('2 files indexed');
  // Big numbers are grouped for the locale.
  await expect(card.getByTestId('collection-stats')).toContainText(/\d,\d{3} passages/);
  await api(host.url, 'library.delete', {
    collection: ((await api(host.url, 'library.list', {})) as { id: string; folders: { path: string }[] }[]).find((c) => c.folders.some((f) => f.path === big))!
      .id,
  });
});

test('settings errors say what is allowed and roll back; Esc cancels a chat rename', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Settings', exact: true }).click();
  const topK = page.getByRole('spinbutton', { name: /Number of sources/ });
  const before = await topK.inputValue();
  await topK.fill('0');
  await topK.press('Enter');
  await expect(page.getByTestId('setting-error')).toHaveText(/Number of sources must be a whole number from 1 to 20/);
  await expect(topK).toHaveValue(before);
  const settings = (await api(host.url, 'settings.get', {})) as { values: { topK: number } };
  expect(String(settings.values.topK)).toBe(before);

  await page.getByRole('navigation').getByRole('button', { name: 'Ask', exact: true }).click();
  const nav = page.getByRole('navigation');
  const chat = nav.locator('.chat-item').first();
  const title = (await chat.locator('button.grow').textContent())!;
  await chat.hover();
  await chat.getByRole('button', { name: /^Rename/ }).click();
  const input = nav.getByRole('textbox', { name: 'Chat title' });
  await input.fill('Something else');
  await input.press('Escape');
  await expect(input).toHaveCount(0);
  await expect(nav.locator('.chat-item').first().locator('button.grow')).toHaveText(title);
});

const VIEWERS: { name: string; question: string; source: RegExp }[] = [
  { name: 'pdf', question: 'What does the aurora cabin checklist require?', source: /field-manual\.pdf · page 3/ },
  { name: 'pptx', question: 'How often is the zeppelin hangar inspection?', source: /hangar-briefing\.pptx · slide 2/ },
  { name: 'xlsx', question: 'Who manages the depot in Tromsø? Ingrid Marmalade', source: /depots\.xlsx/ },
  { name: 'csv', question: 'Which supplier sends the pemmican ration crate?', source: /supplies\.csv/ },
  { name: 'code', question: 'What is the kayak paddle torque limit?', source: /limits\.ts/ },
  { name: 'docx', question: 'What does the Plus health plan cover?', source: /benefits-overview\.docx/ },
  { name: 'long-name', question: 'When is the walrus migration survey?', source: /quarterly-field-report/ },
];

async function expectNoSeriousViolations(page: Page, label: string) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  // Lesser findings are reported, not failed: they are worth reading when the UI changes.
  for (const v of r.violations.filter((x) => !bad.includes(x)))
    console.log(
      `axe ${v.impact}: ${label}: ${v.id} ${v.nodes
        .slice(0, 2)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
    );
  expect(
    bad.map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    ),
  ).toEqual([]);
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe: every view has no serious or critical violation (${theme}, ${size.width}×${size.height}); screenshots of each viewer`, async ({ page }) => {
      test.setTimeout(300_000);
      await setTheme(theme);
      await page.setViewportSize(size);
      await page.goto(host.url);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const tag = `${theme}-${size.width}x${size.height}`;
      for (const v of VIEWERS) {
        await askAndOpen(page, v.question, v.source);
        await expect(page.getByTestId('viewer-loading')).toHaveCount(0, { timeout: 20_000 });
        if (v.name === 'pdf') await expect(page.getByTestId('source-viewer').getByTestId('source-highlight').first()).toBeVisible();
        await shot(page, `${v.name}-${tag}`);
        await expectNoSeriousViolations(page, `chat + ${v.name} viewer`);
        await page.getByTestId('close-source').click();
      }
      const narrow = size.width < 900;
      for (const view of ['Library', 'Models', 'Settings']) {
        if (narrow) await page.getByTestId('menu-button').click();
        await page.getByRole('navigation').getByRole('button', { name: view, exact: true }).click();
        await expect(page.getByRole('heading', { name: view, level: 1 })).toBeVisible();
        await expectNoSeriousViolations(page, view);
      }
      if (narrow) {
        await page.getByTestId('menu-button').click();
        await expectNoSeriousViolations(page, 'open menu');
        await page.keyboard.press('Escape');
        await expect(page.getByRole('navigation')).toBeHidden();
      }
      if (narrow) await page.getByTestId('menu-button').click();
      await page.getByRole('navigation').getByRole('button', { name: 'Library', exact: true }).click();
      await page.getByRole('button', { name: 'Add folder…' }).click();
      await expect(page.getByTestId('folder-browser-list').getByRole('button').first()).toBeVisible();
      await expectNoSeriousViolations(page, 'folder browser');
      await shot(page, `folder-browser-${tag}`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('folder-browser')).toHaveCount(0);
      // The skip link is the first stop and moves focus to the content.
      await page.keyboard.press('Tab');
      await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    });
  }
}
