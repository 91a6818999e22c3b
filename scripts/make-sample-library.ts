/**
 * Generates the binary documents of the sample library (PDF, DOCX, XLSX) from the text held below.
 * Timestamps are fixed and the Office zips are re-packed with fixed entry dates, so re-running
 * gives byte-identical files and a stale committed file shows up as a diff.
 * The text formats of the library (Markdown, HTML, TXT, CSV) are written by hand beside them.
 *
 * Run: node_modules/.bin/node --import tsx scripts/make-sample-library.ts [outDir]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync, strFromU8, strToU8, type Zippable } from 'fflate';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';

export const SAMPLE_LIBRARY_DIR = join(repoRoot, 'resources', 'sample-library');
const FIXED = new Date('2026-01-15T09:00:00Z');
const COMPANY = 'Northwind Outfitters';

// ---------------------------------------------------------------------------------------------
// Travel and Expense Policy (PDF). Each page is laid out from its own list of blocks, so the
// per-diem table is always on page 2: the tests cite it by page.
// ---------------------------------------------------------------------------------------------

type PdfBlock =
  | { kind: 'title'; text: string }
  | { kind: 'meta'; rows: [label: string, value: string][] }
  | { kind: 'h'; text: string }
  | { kind: 'p'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; widths: number[]; header: string[]; rows: string[][] }
  | { kind: 'note'; text: string };

const travelPages: PdfBlock[][] = [
  [
    { kind: 'title', text: 'Travel and Expense Policy' },
    {
      kind: 'meta',
      rows: [
        ['Document: ', 'FIN-03, version 2.0'],
        ['Owner: ', 'Finance, Camilla Strand (Finance Director)'],
        ['Effective: ', '1 January 2026'],
        ['Applies to: ', 'all employees and contractors who travel or spend money for the company'],
      ],
    },
    { kind: 'h', text: '1. Purpose and principles' },
    {
      kind: 'p',
      text: 'This policy explains how to book business travel, which costs Northwind Outfitters reimburses, and how to claim them. Spend company money as carefully as you would spend your own: choose the most economical option that gets the job done, and prefer the train where it is practical.',
    },
    {
      kind: 'p',
      text: 'All amounts in this policy are in euros. Employees paid in Norwegian or Swedish kroner are reimbursed at the exchange rate on the date of the expense.',
    },
    { kind: 'h', text: '2. Booking travel' },
    {
      kind: 'bullets',
      items: [
        'Book flights, trains, hotels and rental cars through the company travel portal at least 14 days before departure.',
        'Take the train for journeys of less than four hours each way.',
        'Fly economy class on flights under six hours; premium economy is allowed on longer flights. Business class is never reimbursed.',
        'Choose a hotel within the nightly hotel limit for your destination (section 4) and book a refundable rate.',
        'Rent a car only when it is cheaper than public transport or taxis, and choose the compact category.',
      ],
    },
    { kind: 'h', text: '3. Approval before you travel' },
    {
      kind: 'p',
      text: 'Every trip must be approved in the travel portal before anything is booked. Who approves depends on the estimated total cost of the trip, including travel, hotels and per diems:',
    },
    {
      kind: 'table',
      widths: [150, 317],
      header: ['Estimated trip cost', 'Approval needed'],
      rows: [
        ['Up to 1,500 euros', 'Your manager'],
        ['1,500 to 5,000 euros', 'Your manager and the Finance Director'],
        ['More than 5,000 euros', 'Your manager, the Finance Director and the CEO'],
      ],
    },
    { kind: 'note', text: "Trips to countries outside the EU and EEA always need the Finance Director's approval, whatever they cost." },
  ],
  [
    { kind: 'h', text: '4. Per diem allowances' },
    {
      kind: 'p',
      text: 'This daily allowance covers meals and small incidental costs such as tips and local transport tickets, and is paid instead of meal receipts. The full-day rate applies to each full day away from home; the first and last day of a trip are paid at the lower rate shown. The table also gives the hotel limit per night for each destination.',
    },
    {
      kind: 'table',
      widths: [128, 96, 140, 103],
      header: ['Destination', 'Per diem, full day', 'Per diem, first and last day', 'Hotel limit per night'],
      rows: [
        ['Norway', '55 euros', '28 euros', '150 euros'],
        ['Sweden and Denmark', '52 euros', '26 euros', '140 euros'],
        ['Germany', '48 euros', '24 euros', '130 euros'],
        ['Portugal and Spain', '40 euros', '20 euros', '110 euros'],
        ['Rest of the EU and EEA', '45 euros', '23 euros', '120 euros'],
        ['Outside the EU and EEA', '60 euros', '30 euros', '180 euros'],
      ],
    },
    {
      kind: 'p',
      text: 'When a meal is provided free of charge, for example by the hotel, a customer or a conference, reduce the full-day rate by 20% for breakfast, 30% for lunch and 40% for dinner.',
    },
    {
      kind: 'p',
      text: "No per diem is paid for trips shorter than six hours or within 50 kilometres of your usual workplace. A hotel above the nightly limit needs the Finance Director's approval before it is booked.",
    },
    { kind: 'h', text: '5. Mileage' },
    {
      kind: 'p',
      text: 'If you use your private car for business travel, Northwind reimburses 0.30 euros per kilometre. Each colleague who travels with you adds 0.05 euros per kilometre. Mileage covers fuel, insurance and wear; tolls, ferries and parking are reimbursed separately against receipts.',
    },
    {
      kind: 'p',
      text: 'Record the date, start point, destination, purpose and distance of every trip in the mileage log of the expense app. Travel between your home and your usual workplace is not business travel.',
    },
    { kind: 'h', text: '6. Taxis and local transport' },
    {
      kind: 'p',
      text: 'Use public transport where practical. Taxis are reimbursed when no public transport is available, when you carry heavy equipment or product samples, or for journeys between 22:00 and 06:00.',
    },
  ],
  [
    { kind: 'h', text: '7. Receipts' },
    {
      kind: 'p',
      text: "Submit your expense claim with its receipts in the expense app within 45 days of returning from the trip. Every expense above 10 euros needs an itemised receipt; photograph it in the app. Claims submitted later are paid only with the Finance Director's approval.",
    },
    {
      kind: 'p',
      text: 'If a receipt is lost, fill in a lost receipt declaration in the expense app and ask your manager to approve it. No more than two lost receipt declarations are accepted per employee per calendar year.',
    },
    { kind: 'h', text: '8. Reimbursement timeline' },
    {
      kind: 'p',
      text: "Your manager reviews each claim in the expense app within one week. Claims approved by the 20th of a month are paid with that month's salary; claims approved after the 20th are paid with the following month's salary.",
    },
    {
      kind: 'p',
      text: 'For long or costly trips you can ask for a travel advance of up to 500 euros at least 10 days before departure. The advance is settled in the expense claim for the trip.',
    },
    { kind: 'h', text: '9. Company cards' },
    {
      kind: 'p',
      text: 'Employees who travel more than four times a year can apply for a company credit card. Match every card payment to a receipt in the expense app by the 5th of the following month. Never use the company card for private expenses.',
    },
    { kind: 'h', text: '10. Costs that are not reimbursed' },
    {
      kind: 'bullets',
      items: [
        'Alcohol, unless you are hosting customers and your manager approved it in advance.',
        'Minibar items, in-room films and other personal entertainment.',
        'Traffic fines, parking fines and penalties.',
        'Upgrades of seats, rooms or rental cars.',
        'The costs of a partner, friend or family member who travels with you.',
      ],
    },
    { kind: 'h', text: '11. Questions' },
    {
      kind: 'p',
      text: 'Write to the Finance team at travel@northwind-outfitters.example. Breaking this policy may lead to a claim being refused and, in serious cases, to disciplinary action.',
    },
  ],
];

const GREEN = rgb(0.13, 0.33, 0.24);
const INK = rgb(0.12, 0.12, 0.13);
const GREY = rgb(0.42, 0.44, 0.46);
const RULE = rgb(0.78, 0.8, 0.8);
const SHADE = rgb(0.91, 0.95, 0.92);

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 64;
const WIDTH = PAGE_W - 2 * LEFT;
const BOTTOM = 76;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function makeTravelPolicyPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Travel and Expense Policy');
  doc.setSubject('How to book business travel and claim expenses at Northwind Outfitters');
  doc.setAuthor(`${COMPANY} Finance`);
  doc.setCreator(`${COMPANY} document templates`);
  doc.setProducer('Lantern sample library generator');
  doc.setKeywords(['travel', 'expenses', 'per diem', 'mileage']);
  doc.setLanguage('en-GB');
  doc.setCreationDate(FIXED);
  doc.setModificationDate(FIXED);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  travelPages.forEach((blocks, index) => {
    const page = doc.addPage([PAGE_W, PAGE_H]);
    drawHeader(page, regular, bold);
    let y = PAGE_H - 84;
    const text = (s: string, x: number, size: number, font: PDFFont, color = INK) => page.drawText(s, { x, y, size, font, color });
    const need = (h: number) => {
      if (y - h < BOTTOM) throw new Error(`Travel policy page ${index + 1} overflows; move a block to the next page.`);
    };

    for (const block of blocks) {
      switch (block.kind) {
        case 'title':
          need(40);
          text(block.text, LEFT, 24, bold, GREEN);
          y -= 34;
          break;
        case 'meta':
          for (const [label, value] of block.rows) {
            const labelWidth = bold.widthOfTextAtSize(label, 9.5);
            const lines = wrap(value, regular, 9.5, WIDTH - labelWidth);
            need(lines.length * 13);
            text(label, LEFT, 9.5, bold, GREY);
            lines.forEach((l, i) => {
              page.drawText(l, { x: LEFT + labelWidth, y: y - i * 13, size: 9.5, font: regular, color: GREY });
            });
            y -= lines.length * 13;
          }
          y -= 8;
          page.drawLine({ start: { x: LEFT, y }, end: { x: LEFT + WIDTH, y }, thickness: 0.8, color: RULE });
          y -= 20;
          break;
        case 'h':
          need(48);
          y -= 14;
          text(block.text, LEFT, 13, bold, GREEN);
          y -= 26;
          break;
        case 'p': {
          const lines = wrap(block.text, regular, 10.5, WIDTH);
          need(lines.length * 15);
          for (const l of lines) {
            text(l, LEFT, 10.5, regular);
            y -= 15;
          }
          y -= 13;
          break;
        }
        case 'bullets':
          for (const item of block.items) {
            const lines = wrap(item, regular, 10.5, WIDTH - 16);
            need(lines.length * 15);
            page.drawCircle({ x: LEFT + 4, y: y + 3.5, size: 1.8, color: GREEN });
            for (const l of lines) {
              text(l, LEFT + 16, 10.5, regular);
              y -= 15;
            }
            y -= 4;
          }
          y -= 10;
          break;
        case 'table': {
          const rowH = 22;
          need((block.rows.length + 1) * rowH + 10);
          const drawRow = (cells: string[], font: PDFFont, shade: boolean) => {
            if (shade) page.drawRectangle({ x: LEFT, y: y - 7, width: WIDTH, height: rowH, color: SHADE });
            let x = LEFT + 6;
            cells.forEach((c, i) => {
              page.drawText(c, { x, y, size: 10, font, color: INK });
              x += block.widths[i];
            });
            y -= rowH;
            page.drawLine({ start: { x: LEFT, y: y + 15 }, end: { x: LEFT + WIDTH, y: y + 15 }, thickness: 0.5, color: RULE });
          };
          drawRow(block.header, bold, true);
          for (const r of block.rows) drawRow(r, regular, false);
          y -= 14;
          break;
        }
        case 'note': {
          const lines = wrap(block.text, regular, 10.5, WIDTH - 24);
          const h = lines.length * 15 + 14;
          need(h - 18);
          page.drawRectangle({ x: LEFT, y: y - h + 18, width: WIDTH, height: h, color: rgb(1, 0.97, 0.88) });
          page.drawRectangle({ x: LEFT, y: y - h + 18, width: 3, height: h, color: rgb(0.83, 0.63, 0.09) });
          for (const l of lines) {
            text(l, LEFT + 14, 10.5, regular);
            y -= 15;
          }
          y -= 20;
          break;
        }
      }
    }
    drawFooter(page, index + 1, travelPages.length, regular);
  });
  return doc.save({ useObjectStreams: false });
}

function drawHeader(page: PDFPage, regular: PDFFont, bold: PDFFont): void {
  page.drawRectangle({ x: 0, y: PAGE_H - 14, width: PAGE_W, height: 14, color: GREEN });
  page.drawText('NORTHWIND OUTFITTERS', { x: LEFT, y: PAGE_H - 44, size: 9, font: bold, color: GREEN });
  const right = 'Finance policy FIN-03';
  page.drawText(right, { x: LEFT + WIDTH - regular.widthOfTextAtSize(right, 9), y: PAGE_H - 44, size: 9, font: regular, color: GREY });
}

function drawFooter(page: PDFPage, n: number, total: number, regular: PDFFont): void {
  page.drawLine({ start: { x: LEFT, y: 60 }, end: { x: LEFT + WIDTH, y: 60 }, thickness: 0.5, color: RULE });
  page.drawText('Travel and Expense Policy, version 2.0. Internal.', { x: LEFT, y: 44, size: 8.5, font: regular, color: GREY });
  const label = `Page ${n} of ${total}`;
  page.drawText(label, { x: LEFT + WIDTH - regular.widthOfTextAtSize(label, 8.5), y: 44, size: 8.5, font: regular, color: GREY });
}

// ---------------------------------------------------------------------------------------------
// Benefits Overview (DOCX). "Physical therapy" is never abbreviated in its own section; only the
// glossary says that claim forms call it "PT services", so a question about "PT" needs the
// glossary entry PT → physical therapy to find the coverage.
// ---------------------------------------------------------------------------------------------

const FONT = 'Arial';
const border = { style: BorderStyle.SINGLE, size: 4, color: 'B7C4BC' };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(text: string, opts: { header?: boolean; width: number }): TableCell {
  return new TableCell({
    width: { size: opts.width, type: WidthType.PERCENTAGE },
    borders,
    shading: opts.header ? { type: ShadingType.CLEAR, color: 'auto', fill: 'E3EFE7' } : undefined,
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: [new Paragraph({ children: [new TextRun({ text, bold: opts.header, font: FONT, size: 20 })] })],
  });
}

function table(widths: number[], header: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, { header: true, width: widths[i] })) }),
      ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, { width: widths[i] })) })),
    ],
  });
}

const h1 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_1, spacing: { before: 320, after: 120 } });
const h2 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_2, spacing: { before: 200, after: 80 } });
const p = (text: string) => new Paragraph({ children: [new TextRun({ text, font: FONT, size: 21 })], spacing: { after: 140 } });
const bullet = (label: string, text: string) =>
  new Paragraph({
    bullet: { level: 0 },
    spacing: { after: 80 },
    children: [new TextRun({ text: label, bold: true, font: FONT, size: 21 }), new TextRun({ text, font: FONT, size: 21 })],
  });

export async function makeBenefitsDocx(): Promise<Uint8Array> {
  const document = new Document({
    creator: `${COMPANY} People & Culture`,
    lastModifiedBy: `${COMPANY} People & Culture`,
    title: 'Benefits Overview 2026',
    subject: 'Employee benefits at Northwind Outfitters',
    description: 'Health plans, physical therapy, retirement savings, insurance, wellbeing and the employee discount.',
    revision: 3,
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 } },
        title: { run: { font: FONT, size: 44, bold: true, color: '21543D' } },
        heading1: { run: { font: FONT, size: 30, bold: true, color: '21543D' } },
        heading2: { run: { font: FONT, size: 24, bold: true, color: '333333' } },
      },
    },
    sections: [
      {
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ text: 'Northwind Outfitters · Benefits Overview 2026 · Internal', size: 16, color: '6B7075', font: FONT })],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({ text: 'Benefits Overview 2026', heading: HeadingLevel.TITLE }),
          new Paragraph({
            spacing: { after: 240 },
            children: [new TextRun({ text: 'People & Culture · Valid from 1 January to 31 December 2026', color: '6B7075', font: FONT, size: 20 })],
          }),
          p(
            'This overview summarises the benefits Northwind Outfitters offers its employees. The insurance terms and the pension plan rules are the binding documents; ask People & Culture for a copy.',
          ),

          h1('Who is eligible'),
          p(
            'The benefits in this overview apply to employees with a contract of at least 50% of full time. They start on the first day of the month after your start date. Seasonal staff on contracts shorter than three months receive the employee discount only.',
          ),

          h1('Health plans'),
          p('You choose one of two health plans. Northwind pays 80% of the premium; the monthly amounts below are your share, deducted from your salary.'),
          table(
            [34, 33, 33],
            ['Feature', 'Basic plan', 'Plus plan'],
            [
              ['Your monthly premium', '35 euros', '60 euros'],
              ['Annual deductible', '300 euros', '150 euros'],
              ['Doctor visit copay', '20 euros per visit', '10 euros per visit'],
              ['Specialist visit copay', '40 euros per visit', '25 euros per visit'],
              ['Dental check-ups', 'Not included', 'Two check-ups per year included'],
              ['Adding a family member', '45 euros per person per month', '70 euros per person per month'],
            ],
          ),
          h2('Enrolling and changing plans'),
          p(
            'Choose your plan in the HR portal within 31 days of your start date. If you do not choose, you are enrolled in the Basic plan. You can change plans once a year during open enrolment, from 1 to 30 November, for the following calendar year.',
          ),

          h1('Physical therapy'),
          p(
            'Both health plans cover up to 20 visits of physical therapy per calendar year with a licensed physiotherapist, for example after a sports injury or for long-term back, neck and joint problems.',
          ),
          bullet('Copay: ', '15 euros per visit, on both plans.'),
          bullet('Referral: ', 'no referral is needed for the first 6 visits in a calendar year; from the 7th visit, a referral from your doctor is required.'),
          p('Treatment for an injury at work is paid by the occupational injury insurance and does not count towards the yearly visit limit.'),

          h1('Retirement savings'),
          p(
            'For retirement savings, the company matches your own pension contributions euro for euro, up to 4% of your gross salary. Matching starts after three months of employment, and matched contributions belong to you from the first day; there is no vesting period. You choose your contribution and investment profile in the HR portal and can change them every month.',
          ),

          h1('Insurance'),
          p(
            'Life insurance pays twice your annual gross salary to your beneficiaries. Disability insurance pays 60% of your salary if you are unable to work for more than a year because of illness or injury. Both are free of charge and need no enrolment.',
          ),

          h1('Wellbeing'),
          bullet('Wellness allowance: ', '250 euros per calendar year towards gym memberships, sports clubs or race entry fees, claimed in the expense app.'),
          bullet('Employee assistance programme: ', 'five free, confidential counselling sessions per year by phone or video, for you and your household.'),
          bullet('Flu vaccination: ', 'offered free of charge at every site each October.'),

          h1('Discount on our products'),
          p(
            'The employee discount gives you 25% off all products in our stores and online shop, on purchases of up to 1,000 euros per calendar year. The discount is for you and your household; reselling discounted items is not allowed.',
          ),

          h1('Terms used in this overview'),
          table(
            [25, 75],
            ['Term', 'Meaning'],
            [
              ['Copay', 'The fixed amount you pay for each visit or treatment; the plan pays the rest.'],
              ['Deductible', 'The amount you pay yourself each calendar year before the plan starts paying, not counting copays.'],
              ['PT services', "Physical therapy services. The insurer's claim forms and app use this abbreviation."],
              ['Open enrolment', 'The period each November when you can change your health plan for the next year.'],
              ['Gross salary', 'Your salary before tax and other deductions.'],
            ],
          ),
          p(''),
          p('Questions about your benefits: benefits@northwind-outfitters.example.'),
        ],
      },
    ],
  });
  return normaliseZip(new Uint8Array(await Packer.toBuffer(document)));
}

// ---------------------------------------------------------------------------------------------
// Office locations (XLSX).
// ---------------------------------------------------------------------------------------------

const offices: (string | number)[][] = [
  ['Oslo', 'Head office', 'Skippergata 41, 0154 Oslo', 'Sofie Dahl', '+47 21 00 40 00', 'Mon–Fri 08:00–16:30', 38],
  ['Oslo', 'Store', 'Skippergata 41, 0154 Oslo (ground floor)', 'Kristoffer Lunde', '+47 21 00 40 10', 'Mon–Fri 10:00–20:00, Sat 10:00–18:00', 18],
  ['Bergen', 'Store', 'Strandkaien 8, 5013 Bergen', 'Ingrid Solberg', '+47 55 00 31 20', 'Mon–Fri 10:00–19:00, Sat 10:00–17:00', 14],
  ['Stockholm', 'Store', 'Hornsgatan 112, 118 21 Stockholm', 'Elin Berggren', '+46 8 000 52 30', 'Mon–Fri 10:00–19:00, Sat–Sun 11:00–17:00', 13],
  ['Hamburg', 'Store', 'Lange Reihe 63, 20099 Hamburg', 'Jana Kessler', '+49 40 0000 8140', 'Mon–Sat 10:00–20:00', 12],
  ['Lisbon', 'Store', 'Rua da Prata 150, 1100-420 Lisboa', 'Inês Carvalho', '+351 21 000 7720', 'Mon–Sat 10:00–21:00, Sun 12:00–19:00', 10],
  ['Drammen', 'Distribution centre', 'Lagerveien 3, 3036 Drammen', 'Rune Myhre', '+47 32 00 66 00', 'Mon–Fri 06:00–22:00 (not open to the public)', 17],
];

const NORWAY = 'Oslo head office, Oslo store, Bergen store, Drammen distribution centre';
const holidays: [date: string, name: string, closed: string][] = [
  ['2026-01-01', "New Year's Day", 'All sites'],
  ['2026-04-02', 'Maundy Thursday', NORWAY],
  ['2026-04-03', 'Good Friday', 'All sites'],
  ['2026-04-06', 'Easter Monday', 'All sites except Lisbon'],
  ['2026-05-01', 'Labour Day', 'All sites'],
  ['2026-05-14', 'Ascension Day', `${NORWAY}, Stockholm store, Hamburg store`],
  ['2026-05-17', 'Norwegian Constitution Day', NORWAY],
  ['2026-05-25', 'Whit Monday', `${NORWAY}, Hamburg store`],
  ['2026-06-06', 'National Day of Sweden', 'Stockholm store'],
  ['2026-06-10', 'Portugal Day', 'Lisbon store'],
  ['2026-06-19', 'Midsummer Eve', 'Stockholm store'],
  ['2026-10-03', 'Day of German Unity', 'Hamburg store'],
  ['2026-12-24', 'Christmas Eve', 'All sites from 13:00'],
  ['2026-12-25', 'Christmas Day', 'All sites'],
  ['2026-12-26', "St Stephen's Day (Boxing Day)", 'All sites except Lisbon'],
];

export async function makeOfficesXlsx(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `${COMPANY} Facilities`;
  wb.lastModifiedBy = `${COMPANY} Facilities`;
  wb.title = 'Office locations and holidays 2026';
  wb.company = COMPANY;
  wb.created = FIXED;
  wb.modified = FIXED;

  const headerStyle = (ws: ExcelJS.Worksheet) => {
    const row = ws.getRow(1);
    row.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF21543D' } };
    row.alignment = { vertical: 'middle' };
    row.height = 20;
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };

  const sites = wb.addWorksheet('Offices');
  sites.columns = [
    { header: 'City', key: 'city', width: 12 },
    { header: 'Site', key: 'site', width: 20 },
    { header: 'Address', key: 'address', width: 40 },
    { header: 'Manager', key: 'manager', width: 18 },
    { header: 'Phone', key: 'phone', width: 18 },
    { header: 'Opening hours', key: 'hours', width: 42 },
    { header: 'Staff', key: 'staff', width: 8 },
  ];
  sites.addRows(offices);
  headerStyle(sites);

  const days = wb.addWorksheet('Holidays');
  days.columns = [
    { header: 'Date', key: 'date', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: 'Holiday', key: 'holiday', width: 30 },
    { header: 'Offices closed', key: 'closed', width: 80 },
  ];
  days.addRows(holidays.map(([date, name, closed]) => [new Date(`${date}T00:00:00Z`), name, closed]));
  headerStyle(days);

  return normaliseZip(new Uint8Array(await wb.xlsx.writeBuffer()));
}

// ---------------------------------------------------------------------------------------------

// Zip entry times are local wall-clock times; built from local fields, they come out the same in every time zone.
const ZIP_TIME = new Date(FIXED.getUTCFullYear(), FIXED.getUTCMonth(), FIXED.getUTCDate(), FIXED.getUTCHours(), FIXED.getUTCMinutes());

/** Office files are zips whose entry dates and core properties record the time of writing; pin them. */
function normaliseZip(bytes: Uint8Array): Uint8Array {
  const stamp = FIXED.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries = unzipSync(bytes);
  const out: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    let content = data;
    if (name === 'docProps/core.xml') {
      const xml = strFromU8(data).replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`);
      content = strToU8(xml);
    }
    out[name] = [content, { mtime: ZIP_TIME, level: 6 }];
  }
  return zipSync(out);
}

export const GENERATED_FILES = {
  'travel-and-expense-policy.pdf': makeTravelPolicyPdf,
  'benefits-overview.docx': makeBenefitsDocx,
  'office-locations.xlsx': makeOfficesXlsx,
} as const;

export async function makeSampleLibrary(outDir = SAMPLE_LIBRARY_DIR): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, make] of Object.entries(GENERATED_FILES)) {
    const path = join(outDir, name);
    await writeFile(path, await make());
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const written = await makeSampleLibrary(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`Wrote ${written.length} files:\n${written.join('\n')}`);
}
