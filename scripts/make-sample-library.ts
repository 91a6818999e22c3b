/**
 * Generates the binary documents of the sample library (PDF, DOCX, XLSX) from the text below,
 * with fixed metadata so re-running gives the same content.
 * Run: node_modules/.bin/node --import tsx scripts/make-sample-library.ts
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';

const out = join(repoRoot, 'resources', 'sample-library');
const FIXED = new Date('2026-01-15T09:00:00Z');

type Section = { heading: string; paragraphs: string[] };

const travel: Section[][] = [
  [
    { heading: 'Travel and Expense Policy', paragraphs: ['Effective 1 January 2026. Applies to all Northwind Outfitters employees who travel for work or spend money on the company\'s behalf.'] },
    { heading: '1. Booking', paragraphs: ['Book flights, trains and hotels through the travel portal at least 14 days before departure. Economy class is standard for flights under six hours.', 'Hotel stays are reimbursed up to 140 euros per night in capital cities and 110 euros per night elsewhere.'] },
    { heading: '2. Approval', paragraphs: ['Trips costing up to 1,500 euros need your manager\'s approval. Trips above 1,500 euros also need approval from the finance director.'] },
  ],
  [
    { heading: '3. Per Diem Allowances', paragraphs: ['A daily allowance covers meals and incidental costs. Rates per full day of travel:', 'Norway: 55 euros per day.  Sweden: 52 euros per day.  Germany: 48 euros per day.  Other EU countries: 45 euros per day.', 'Half the daily rate applies to the day of departure and the day of return.'] },
    { heading: '4. Mileage', paragraphs: ['Use of a private car for business is reimbursed at 0.30 euros per kilometre. Record each trip\'s start, destination and purpose in the mileage log.'] },
  ],
  [
    { heading: '5. Receipts and Reimbursement', paragraphs: ['Submit receipts for every expense above 10 euros in the expense app within 30 days of the trip. Expenses are reimbursed with the next monthly salary payment.', 'Lost receipts require a signed explanation and your manager\'s approval.'] },
  ],
];

async function pdf(): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle('Travel and Expense Policy');
  doc.setAuthor('Northwind Outfitters Finance');
  doc.setCreationDate(FIXED);
  doc.setModificationDate(FIXED);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  travel.forEach((sections, p) => {
    const page = doc.addPage([595, 842]);
    let y = 780;
    for (const s of sections) {
      page.drawText(s.heading, { x: 56, y, size: s.heading.startsWith('Travel') ? 18 : 13, font: bold, color: rgb(0.1, 0.1, 0.1) });
      y -= 26;
      for (const para of s.paragraphs) {
        let line = '';
        for (const word of para.split(' ')) {
          const next = line ? `${line} ${word}` : word;
          if (font.widthOfTextAtSize(next, 11) > 480) {
            page.drawText(line, { x: 56, y, size: 11, font });
            y -= 16;
            line = word;
          } else line = next;
        }
        page.drawText(line, { x: 56, y, size: 11, font });
        y -= 26;
      }
      y -= 6;
    }
    page.drawText(`Page ${p + 1} of ${travel.length}`, { x: 500, y: 30, size: 9, font, color: rgb(0.5, 0.5, 0.5) });
  });
  await writeFile(join(out, 'travel-and-expense-policy.pdf'), await doc.save());
}

async function docx(): Promise<void> {
  const cell = (t: string) => new TableCell({ children: [new Paragraph(t)], width: { size: 33, type: WidthType.PERCENTAGE } });
  const document = new Document({
    creator: 'Northwind Outfitters HR',
    title: 'Benefits Overview',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Benefits Overview 2026', heading: HeadingLevel.TITLE, alignment: AlignmentType.LEFT }),
          new Paragraph('Northwind Outfitters offers the following benefits to employees with a contract of at least 20 hours per week.'),
          new Paragraph({ text: 'Health Plans', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Employees choose one of two health plans at enrolment. The company pays 80% of the premium for the employee.'),
          new Table({
            rows: [
              new TableRow({ children: [cell('Plan'), cell('Monthly employee premium'), cell('Doctor visit copay')] }),
              new TableRow({ children: [cell('Basic'), cell('35 euros'), cell('20 euros')] }),
              new TableRow({ children: [cell('Plus'), cell('60 euros'), cell('10 euros')] }),
            ],
          }),
          new Paragraph({ text: 'PT Services', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('PT services means physical therapy services provided by a licensed physiotherapist. Both plans cover up to 20 visits per calendar year with a copay of 15 euros per visit. No referral from a doctor is needed for the first 6 visits; later visits need a referral.'),
          new Paragraph({ text: 'Retirement Savings', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('The company matches employee pension contributions up to 4% of gross salary. Matching starts after three months of employment.'),
          new Paragraph({ text: 'Gear Discount', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Employees receive a 30% discount on Northwind products for personal use, up to 1,000 euros of purchases per year.'),
        ],
      },
    ],
  });
  await writeFile(join(out, 'benefits-overview.docx'), await Packer.toBuffer(document));
}

async function xlsx(): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Northwind Outfitters';
  wb.created = FIXED;
  wb.modified = FIXED;
  const offices = wb.addWorksheet('Offices');
  offices.addRow(['City', 'Address', 'Manager', 'Phone', 'Opening hours']);
  offices.addRows([
    ['Oslo', 'Karl Johans gate 12', 'Per Hansen', '+47 22 00 11 22', 'Mon–Sat 10:00–20:00'],
    ['Bergen', 'Torgallmenningen 4', 'Ingrid Solberg', '+47 55 00 33 44', 'Mon–Sat 10:00–19:00'],
    ['Stockholm', 'Drottninggatan 55', 'Erik Lindqvist', '+46 8 000 55 66', 'Mon–Sun 10:00–20:00'],
    ['Hamburg', 'Mönckebergstraße 7', 'Anna Becker', '+49 40 000 77 88', 'Mon–Sat 10:00–20:00'],
    ['Lisbon', 'Rua Augusta 100', 'Ana Moreira', '+351 21 000 99 00', 'Mon–Sat 10:00–21:00'],
    ['Online shop (head office)', 'Karl Johans gate 12, 3rd floor', 'Sofie Dahl', '+47 22 00 11 00', 'Mon–Fri 8:00–16:00'],
  ]);
  const holidays = wb.addWorksheet('Holidays');
  holidays.addRow(['Date', 'Holiday', 'Offices closed']);
  holidays.addRows([
    [new Date(Date.UTC(2026, 0, 1)), "New Year's Day", 'All'],
    [new Date(Date.UTC(2026, 4, 1)), 'Labour Day', 'All except Stockholm store'],
    [new Date(Date.UTC(2026, 4, 17)), 'Norwegian Constitution Day', 'Oslo, Bergen, head office'],
    [new Date(Date.UTC(2026, 5, 19)), 'Midsummer Eve', 'Stockholm'],
    [new Date(Date.UTC(2026, 11, 25)), 'Christmas Day', 'All'],
  ]);
  for (const ws of [offices, holidays]) {
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((c) => (c.width = 28));
  }
  await writeFile(join(out, 'office-locations.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
}

await Promise.all([pdf(), docx(), xlsx()]);
console.log(`Wrote the sample library's PDF, DOCX and XLSX to ${out}`);
