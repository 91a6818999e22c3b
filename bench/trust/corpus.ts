/**
 * A second, held-out corpus for the trust benchmark and tests: the documents of a fictional
 * community makerspace, written deterministically in seven formats (Markdown, text, HTML, CSV,
 * DOCX, PDF, XLSX). Its vocabulary overlaps the sample library's on purpose (members, fees,
 * safety, approval, warranty), so unanswerable questions can share words with real documents.
 *
 * Run: node_modules/.bin/node --import tsx bench/trust/corpus.ts <outDir>
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { pinZipDates } from '../lib/fixture-files.js';

const FIXED = new Date('2026-02-01T09:00:00Z');

interface Section {
  heading: string;
  paragraphs: string[];
}
interface ProseDoc {
  file: string;
  title: string;
  sections: Section[];
}
interface TableDoc {
  file: string;
  title: string;
  header: string[];
  rows: string[][];
}

export const PROSE: ProseDoc[] = [
  {
    file: 'membership-guide.md',
    title: 'Riverside Makerspace Membership Guide',
    sections: [
      {
        heading: 'Membership tiers',
        paragraphs: [
          'A Hobby membership costs 35 pounds per month and gives access on weekday evenings and Saturdays.',
          'A Pro membership costs 80 pounds per month and includes 24-hour access with a personal key fob.',
          'Students with a valid card pay half price on the Hobby tier.',
        ],
      },
      {
        heading: 'Guests',
        paragraphs: [
          'Each member may bring up to two guests per visit. Guests must sign the waiver at the front desk and may not operate any machine that needs an induction.',
        ],
      },
      {
        heading: 'Cancelling',
        paragraphs: ['Memberships can be cancelled with one month of notice by emailing membership@riverside-makerspace.example.'],
      },
    ],
  },
  {
    file: 'laser-cutter-procedure.pdf',
    title: 'Laser Cutter Standard Operating Procedure',
    sections: [
      {
        heading: 'Before cutting',
        paragraphs: [
          'Switch on the fume extractor before the laser and check that the honeycomb bed is free of offcuts.',
          'Only plywood up to 6 mm, acrylic up to 8 mm, card and leather may be cut.',
        ],
      },
      {
        heading: 'Forbidden materials',
        paragraphs: ['Never cut PVC or vinyl: they release chlorine gas that damages the optics and harms your lungs.'],
      },
      {
        heading: 'During a job',
        paragraphs: [
          'Never leave the laser unattended while it is firing. A single job may run for at most 45 minutes, after which the tube must rest for 10 minutes.',
          'If a flame lasts longer than two seconds, press the red emergency stop and use the CO2 extinguisher mounted by the door.',
        ],
      },
    ],
  },
  {
    file: 'volunteer-handbook.docx',
    title: 'Volunteer Handbook',
    sections: [
      {
        heading: 'Shifts',
        paragraphs: [
          'Volunteers staff the front desk in three-hour shifts. Booking is done through the rota board in the kitchen.',
          'A volunteer who completes ten shifts in a quarter receives a free month of Hobby membership.',
        ],
      },
      {
        heading: 'Locking up',
        paragraphs: [
          'The last key holder on site closes the building: windows shut, kilns off, dust extraction off, alarm set with code sequence from the lockbox.',
          'Key holders are appointed by the operations lead, Tomasz Wierzbicki.',
        ],
      },
    ],
  },
  {
    file: 'wood-shop-rules.txt',
    title: 'Wood Shop Rules',
    sections: [
      {
        heading: 'Protective equipment',
        paragraphs: [
          'Safety glasses are required at all times in the wood shop. Hearing protection is required when the planer or the table saw is running.',
          'Gloves must not be worn at the table saw or the lathe.',
        ],
      },
      {
        heading: 'Dust',
        paragraphs: ['The dust extractor bag is emptied every Friday by the shop steward. Sweep your bench before you leave.'],
      },
    ],
  },
  {
    file: 'board-minutes-2026-03.html',
    title: 'Board meeting minutes, March 2026',
    sections: [
      {
        heading: 'Budget',
        paragraphs: [
          'The board approved a capital budget of 12,000 pounds for 2026. The largest item is a replacement electric kiln at 4,800 pounds.',
          'The treasurer, Aisha Mensah, reported a surplus of 2,150 pounds for the last financial year.',
        ],
      },
      {
        heading: 'Decisions',
        paragraphs: [
          'The board decided to open on Sundays from May, from 10:00 to 16:00, on a trial basis until September.',
          'The next annual general meeting will be held on 14 November 2026.',
        ],
      },
    ],
  },
  {
    file: 'ceramics-studio-guide.md',
    title: 'Ceramics Studio Guide',
    sections: [
      {
        heading: 'Firing',
        paragraphs: [
          'Bisque firings run to cone 04 and glaze firings to cone 6. Firing costs 4 pounds per shelf.',
          'Work for firing goes on the green trolley, labelled with your name and the date.',
        ],
      },
      {
        heading: 'Clay',
        paragraphs: ['Stoneware clay is sold at the desk for 18 pounds per 12.5 kg bag. Reclaimed clay is free for members.'],
      },
    ],
  },
  {
    file: 'grant-report-2025.txt',
    title: 'Community Grant Report 2025',
    sections: [
      {
        heading: 'Summary',
        paragraphs: [
          'The Harbour Foundation grant of 9,500 pounds paid for free repair cafe sessions and a youth electronics course.',
          'The repair cafe fixed 312 items in 2025, most of them lamps, toasters and bicycles.',
          'The youth electronics course ran for 10 weeks and was completed by 18 teenagers.',
        ],
      },
    ],
  },
];

export const TABLES: TableDoc[] = [
  {
    file: 'equipment-inventory.xlsx',
    title: 'Equipment inventory',
    header: ['Machine', 'Room', 'Induction required', 'Hourly rate', 'Bought'],
    rows: [
      ['Laser cutter (Trotec Speedy 300)', 'Digital lab', 'yes', '6 pounds', '2022'],
      ['3D printer (Prusa MK4)', 'Digital lab', 'no', '2 pounds', '2024'],
      ['Table saw (SawStop PCS)', 'Wood shop', 'yes', 'free', '2021'],
      ['Lathe (Record Power CL3)', 'Wood shop', 'yes', 'free', '2019'],
      ['Electric kiln (Rohde KE 100)', 'Ceramics studio', 'yes', 'per shelf', '2018'],
      ['Embroidery machine (Brother PR680W)', 'Textiles room', 'yes', '3 pounds', '2023'],
    ],
  },
  {
    file: 'safety-incidents-2025.csv',
    title: 'Safety incidents 2025',
    header: ['Date', 'Area', 'Incident', 'Action taken'],
    rows: [
      ['2025-02-11', 'Wood shop', 'Kickback on the table saw bruised a member', 'Riving knife refitted and induction repeated'],
      ['2025-06-03', 'Digital lab', 'Small flame in the laser cutter while cutting card', 'Air assist pressure raised and card jobs limited to 3 passes'],
      ['2025-09-22', 'Ceramics studio', 'Kiln shelf cracked during a glaze firing', 'Shelves inspected and two replaced'],
      ['2025-11-30', 'Textiles room', 'Needle broke on the embroidery machine', 'Needle replaced and thread tension reset'],
    ],
  },
];

/** Writes every document into `dir` and returns the file names. */
export async function makeTrustCorpus(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const d of PROSE) {
    const ext = d.file.split('.').pop()!;
    await writeFile(join(dir, d.file), await proseWriters[ext](d));
    written.push(d.file);
  }
  for (const t of TABLES) {
    const ext = t.file.split('.').pop()!;
    await writeFile(join(dir, t.file), await tableWriters[ext](t));
    written.push(t.file);
  }
  return written;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const proseWriters: Record<string, (d: ProseDoc) => Promise<Uint8Array | string>> = {
  md: async (d) => [`# ${d.title}`, ...d.sections.flatMap((s) => [`## ${s.heading}`, ...s.paragraphs])].join('\n\n') + '\n',
  txt: async (d) => [d.title.toUpperCase(), ...d.sections.flatMap((s) => [s.heading, ...s.paragraphs])].join('\n\n') + '\n',
  html: async (d) =>
    `<!doctype html><html><head><title>${esc(d.title)}</title></head><body><h1>${esc(d.title)}</h1>${d.sections
      .map((s) => `<h2>${esc(s.heading)}</h2>${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}`)
      .join('')}</body></html>\n`,
  docx: async (d) => {
    const doc = new Document({
      creator: 'Riverside Makerspace',
      title: d.title,
      sections: [
        {
          children: [
            new Paragraph({ text: d.title, heading: HeadingLevel.TITLE }),
            ...d.sections.flatMap((s) => [
              new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_1 }),
              ...s.paragraphs.map((p) => new Paragraph({ text: p })),
            ]),
          ],
        },
      ],
    });
    return fixZipDates(new Uint8Array(await Packer.toBuffer(doc)));
  },
  pdf: async (d) => {
    const pdf = await PDFDocument.create();
    pdf.setCreationDate(FIXED);
    pdf.setModificationDate(FIXED);
    pdf.setTitle(d.title);
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
    const page = pdf.addPage([595, 842]);
    let y = 790;
    const line = (text: string, f = font, size = 10) => {
      page.drawText(text, { x: 48, y, size, font: f });
      y -= size * 1.5;
    };
    line(d.title, bold, 16);
    for (const s of d.sections) {
      y -= 6;
      line(s.heading, bold, 12);
      for (const p of s.paragraphs) {
        let cur = '';
        for (const word of p.split(/\s+/)) {
          const next = cur ? `${cur} ${word}` : word;
          if (font.widthOfTextAtSize(next, 10) > 500) {
            line(cur);
            cur = word;
          } else cur = next;
        }
        if (cur) line(cur);
        y -= 4;
      }
    }
    return pdf.save();
  },
};

const tableWriters: Record<string, (t: TableDoc) => Promise<Uint8Array | string>> = {
  csv: async (t) => [t.header, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n',
  xlsx: async (t) => {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Riverside Makerspace';
    wb.created = FIXED;
    wb.modified = FIXED;
    const ws = wb.addWorksheet(t.title.slice(0, 31));
    ws.addRow(t.header);
    for (const r of t.rows) ws.addRow(r);
    return fixZipDates(new Uint8Array(await wb.xlsx.writeBuffer()));
  },
};

const fixZipDates = (bytes: Uint8Array) => pinZipDates(bytes, FIXED);

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? 'bench/.work/trust-corpus');
  console.log(`Wrote ${(await makeTrustCorpus(out)).length} files to ${out}`);
}
