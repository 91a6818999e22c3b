/// <reference lib="dom" />
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import ExcelJS from 'exceljs';
import pptxgen from 'pptxgenjs';
import type { Page } from '@playwright/test';
import { repoRoot } from './fixtures.js';

// pptxgenjs ships CommonJS; under ESM interop the class may sit on .default.
const PptxGenJS = ((pptxgen as unknown as { default?: unknown }).default ?? pptxgen) as unknown as typeof pptxgen.default;

/** A 250-character file name (the longest most file systems allow is 255 bytes). */
export const LONG_NAME = 'quarterly-field-report-'.repeat(11).slice(0, 247) + '.md';

/**
 * A folder with one document per viewer, each holding words found nowhere else so a question
 * lands on a known place: PDF page 3, slide 2, sheet "Depots" row 42, CSV row 150, code line 80.
 */
export async function writeViewerLibrary(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages = [
    'Introduction to the winter field season and its schedule.',
    'Equipment lists for the spring survey teams.',
    'The aurora cabin checklist requires thermal blankets and a satellite beacon for every overnight stay.',
  ];
  pages.forEach((t, i) => {
    const p = pdf.addPage([595, 842]);
    p.drawText(`Field manual, part ${i + 1}`, { x: 60, y: 770, size: 20, font });
    p.drawText(t, { x: 60, y: 720, size: 11, font, maxWidth: 470, lineHeight: 15 });
  });
  writeFileSync(join(dir, 'field-manual.pdf'), await pdf.save());

  const pres = new PptxGenJS();
  const s1 = pres.addSlide();
  s1.addText('Season overview', { x: 0.5, y: 0.3, w: 9, h: 1, fontSize: 28 });
  s1.addText('Teams leave base camp in March.', { x: 0.5, y: 1.5, w: 9, h: 1 });
  const s2 = pres.addSlide();
  s2.addText('Hangar safety', { x: 0.5, y: 0.3, w: 9, h: 1, fontSize: 28 });
  s2.addText('The zeppelin hangar inspection happens every quarter with two engineers.', { x: 0.5, y: 1.4, w: 9, h: 1 });
  s2.addTable(
    [
      [{ text: 'Check' }, { text: 'Owner' }],
      [{ text: 'Mooring lines' }, { text: 'Ground crew' }],
    ],
    { x: 0.5, y: 2.6, w: 6 },
  );
  s2.addNotes('Remind everyone about the wind limits.');
  const s3 = pres.addSlide();
  s3.addText('Questions', { x: 0.5, y: 0.3, w: 9, h: 1, fontSize: 28 });
  writeFileSync(join(dir, 'hangar-briefing.pptx'), (await pres.write({ outputType: 'nodebuffer' })) as Buffer);

  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet('Summary');
  summary.addRow(['Region', 'Depots']);
  summary.addRow(['North', 12]);
  const depots = wb.addWorksheet('Depots');
  depots.addRow(['Depot', 'City', 'Manager']);
  for (let i = 2; i <= 80; i++) depots.addRow([`Depot ${i}`, i === 42 ? 'Tromsø' : `Town ${i}`, i === 42 ? 'Ingrid Marmalade Halvorsen' : `Manager ${i}`]);
  await wb.xlsx.writeFile(join(dir, 'depots.xlsx'));

  const rows = ['Item,Quantity,Supplier'];
  for (let i = 2; i <= 220; i++) rows.push(i === 150 ? 'Pemmican ration crate,40,Glacier Provisions Cooperative' : `Item ${i},${i},Supplier ${i}`);
  writeFileSync(join(dir, 'supplies.csv'), rows.join('\n') + '\n');

  const code: string[] = [];
  for (let i = 1; i <= 120; i++)
    code.push(i === 80 ? 'export const kayakPaddleTorqueLimit = 42; // newton metres for the kayak paddle clamp' : `export const value${i} = ${i};`);
  writeFileSync(join(dir, 'limits.ts'), code.join('\n') + '\n');

  writeFileSync(join(dir, LONG_NAME), '# Walrus migration\n\nThe walrus migration survey counts animals along the northern coast each August.\n');
  copyFileSync(join(repoRoot, 'resources', 'sample-library', 'benefits-overview.docx'), join(dir, 'benefits-overview.docx'));
}

/** An "OS opener" that records what it was asked to open, so the test sees the host really ran it. */
export function writeRecorder(dir: string): { script: string; log: string } {
  const log = join(dir, 'opened.log');
  const script = join(dir, 'opener.sh');
  writeFileSync(script, `#!/bin/sh\necho "$1" >> '${log}'\n`);
  chmodSync(script, 0o755);
  return { script, log };
}

/** Asks in the chat and opens the source card whose name matches. */
export async function askAndOpen(page: Page, question: string, source: RegExp): Promise<void> {
  const input = page.getByTestId('question-input');
  await input.fill(question);
  await input.press('Enter');
  const answer = page.getByTestId('answer').last();
  const card = answer.getByRole('button', { name: source }).first();
  await card.waitFor({ timeout: 30_000 });
  await card.click();
  await page.getByTestId('source-viewer').waitFor();
}

/** True when nothing on the page scrolls sideways. */
export async function noSidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth + 1) bad.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const sel of ['.app', '.main', '.messages', '.composer', '.viewer', '.viewer-head', '.library', '.sidebar', '.header']) {
      for (const el of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        if (el.scrollWidth > el.clientWidth + 1) bad.push(`${sel} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return bad;
  });
}
