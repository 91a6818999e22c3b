/**
 * The QA corpus: 20 documents in every format Lantern reads, written deterministically (no
 * randomness, no dates from the clock) so the committed questions in questions.jsonl always find
 * their answers at the same file and place. It holds what made citations vague before: a PDF
 * with running headers, slides whose content is a table, a chart and speaker notes, a spreadsheet
 * with a merged title row and formulas, a long CSV and a log where only one row or line answers,
 * and two editions of two documents with the same title.
 *
 * Run alone: node_modules/.bin/node --import tsx bench/qa/make-corpus.ts <out-dir>
 */
import { epubBook, writeTree, pagedPdf } from '../lib/fixture-files.js';
import { Document, Footer, FootnoteReferenceRun, Header, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import PptxGenJSModule from 'pptxgenjs';

type Page = string[];

// pptxgenjs ships CommonJS types over an ES module build: the class is the default export either way.
const PptxGenJS = ((PptxGenJSModule as unknown as { default?: unknown }).default ?? PptxGenJSModule) as typeof PptxGenJSModule.default;

const pdf = (title: string, header: string, pages: Page[]) =>
  pagedPdf({ title, header, footer: 'Uncontrolled when printed', pages, date: new Date(Date.UTC(2025, 0, 1)), fontSize: 11 });

function travelPolicy(rev: 2 | 3): Promise<Uint8Array> {
  const r3 = rev === 3;
  return pdf('Travel Policy', `Travel Policy - Rev ${rev} - Finance Operations`, [
    [
      'Travel Policy',
      '',
      `Revision ${rev}`,
      r3 ? 'Effective 1 February 2025' : 'Effective 1 March 2023',
      r3 ? 'Status: Current. This revision supersedes Revision 2 (2023).' : 'Status: Superseded by Revision 3 (2025).',
      'Policy owner: Finance Operations.',
      '',
      'Contents: Booking, Allowances, Mileage, Expenses',
    ],
    [
      'Booking',
      '',
      `All trips must be booked through the Corporate Travel Desk at least ${r3 ? 14 : 10} days before departure.`,
      `Flights of more than ${r3 ? 'six' : 'eight'} hours may be booked in premium economy.`,
      'Rail is preferred over flying for journeys under four hours.',
      'Travellers share rooms only by choice.',
    ],
    [
      'Allowances',
      '',
      `The daily meal allowance is ${r3 ? 55 : 45} euros for domestic travel.`,
      `Hotel costs in London, Paris and New York are capped at ${r3 ? 240 : 200} euros per night.`,
      `Hotels in other cities are capped at ${r3 ? 160 : 140} euros per night.`,
      'Alcohol is never reimbursed.',
    ],
    [
      'Mileage and expenses',
      '',
      `Private car use is reimbursed at ${r3 ? '0.35' : '0.30'} euros per kilometre.`,
      `Expense claims must be filed within ${r3 ? 30 : 60} days of return, with itemised receipts.`,
      'A lost receipt requires a signed declaration from the line manager.',
    ],
  ]);
}

function safetyReport(): Promise<Uint8Array> {
  const filler = (topic: string) => [
    `${topic} was reviewed by the site committees each quarter.`,
    'Findings were tracked in the corrective action register until closed.',
    'Each site manager signed off the quarterly review.',
  ];
  return pdf('Annual Safety Report 2025', 'Annual Safety Report 2025 | Confidential', [
    ['Annual Safety Report 2025', '', 'Prepared by the Group Safety Office.', 'Agenda: Results, Sites, Contractors, Audit'],
    ['Results', '', 'Lost-time injuries fell to 4 in 2025, from 9 in 2024.', ...filler('Injury data')],
    [
      'Sites',
      '',
      'The Rotterdam plant completed 412 days without a recordable incident.',
      'Forklift near-misses accounted for 38 percent of all reported events.',
      ...filler('Site performance'),
    ],
    ['Contractors', '', 'Every contractor must complete the SafeStart induction before site access.', ...filler('Contractor onboarding')],
    ['Audit', '', 'The external audit score rose to 92 out of 100.', 'The next external audit is planned for October 2026.', ...filler('The audit plan')],
  ]);
}

async function lockoutProcedure(year: 2021 | 2024): Promise<Buffer> {
  const current = year === 2024;
  const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
  const doc = new Document({
    title: 'Lockout Tagout Procedure',
    keywords: current ? 'status: current' : 'status: superseded',
    footnotes: { 1: { children: [new Paragraph('Padlocks are issued by the tool store in building C.')] } },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph(`LOTO-7 Rev ${current ? 4 : 2} | Issued ${year}-06-01`)] }) },
        footers: { default: new Footer({ children: [new Paragraph('Controlled document. Printed copies are uncontrolled.')] }) },
        children: [
          new Paragraph({ text: 'Lockout Tagout Procedure', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Scope', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('This procedure applies to every machine with more than one energy source.'),
          new Paragraph({ text: 'Isolation steps', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({
            children: [
              new TextRun(`Each worker applies a personal ${current ? 'red' : 'yellow'} padlock to every isolation point.`),
              new FootnoteReferenceRun(1),
            ],
          }),
          new Paragraph(
            current ? 'Stored energy must be released and then verified by a try-start test.' : 'Stored energy must be released before work starts.',
          ),
          new Paragraph({ text: 'Roles', heading: HeadingLevel.HEADING_2 }),
          new Table({
            rows: [
              new TableRow({ children: [cell('Role'), cell('Responsibility')] }),
              new TableRow({ children: [cell('Authorised person'), cell('Applies locks and tags')] }),
              new TableRow({ children: [cell('Area supervisor'), cell(current ? 'Approves the isolation plan' : 'Applies the group lock')] }),
              new TableRow({ children: [cell('Shift lead'), cell(current ? 'Keeps the key register' : 'Approves the isolation plan')] }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function leaveGuide(): Promise<Buffer> {
  const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
  const doc = new Document({
    title: 'Parental Leave Guide',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Parental Leave Guide', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Entitlement', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Birth parents receive 18 weeks of fully paid leave.'),
          new Paragraph('Partners receive 6 weeks of paid leave, to be taken within the first year.'),
          new Paragraph({ text: 'Requesting leave', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Leave requests go to HR at least 8 weeks before the expected date.'),
          new Paragraph({ text: 'Salary top-up', heading: HeadingLevel.HEADING_2 }),
          new Table({
            rows: [
              new TableRow({ children: [cell('Tenure'), cell('Top-up')] }),
              new TableRow({ children: [cell('Under two years'), cell('80 percent of salary')] }),
              new TableRow({ children: [cell('Two years or more'), cell('100 percent of salary')] }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function businessReview(): Promise<Uint8Array> {
  const p = new PptxGenJS();
  p.title = 'Q3 Business Review';
  let s = p.addSlide();
  s.addText('Q3 Business Review', { placeholder: 'title', x: 0.5, y: 0.5, w: 9, h: 1 });
  s.addText('Sales leadership, October', { x: 0.5, y: 2, w: 9, h: 1 });
  s = p.addSlide();
  s.addText('Regional targets', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addTable(
    [
      ['Region', 'Q3 target', 'Q3 actual'],
      ['North', '1.20M', '1.35M'],
      ['South', '0.90M', '0.82M'],
      ['East', '1.50M', '1.61M'],
      ['West', '0.70M', '0.75M'],
    ].map((r) => r.map((text) => ({ text }))),
    { x: 0.5, y: 1.3, w: 9 },
  );
  s = p.addSlide();
  s.addText('Highlights', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Customer churn dropped to 3.1 percent.\nThe Lisbon office opened in August.\nTwo enterprise renewals closed early.', {
    x: 0.5,
    y: 1.3,
    w: 9,
    h: 3,
  });
  s = p.addSlide();
  s.addText('Revenue mix', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addChart(p.ChartType.bar, [{ name: 'MRR', labels: ['SMB', 'Mid-market', 'Enterprise'], values: [120, 180, 260] }], {
    x: 0.5,
    y: 1.3,
    w: 8,
    h: 4,
    showTitle: true,
    title: 'Monthly recurring revenue by segment',
  });
  s.addNotes('Enterprise grew fastest, up 14 percent quarter on quarter.');
  s = p.addSlide();
  s.addText('Risks', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Component supply remains the main risk to Q4 deliveries.', { x: 0.5, y: 1.3, w: 9, h: 1 });
  s.addNotes('Supplier lead times for sensors are now 16 weeks.');
  s = p.addSlide();
  s.addText('Pricing', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addTable(
    [
      ['Plan', 'Monthly price', 'Seats included'],
      ['Starter', 'EUR 29', '5'],
      ['Team', 'EUR 79', '25'],
      ['Enterprise', 'Custom quote', 'Unlimited'],
    ].map((r) => r.map((text) => ({ text }))),
    { x: 0.5, y: 1.3, w: 9 },
  );
  return new Uint8Array((await p.write({ outputType: 'nodebuffer' })) as Buffer);
}

async function onboardingDeck(): Promise<Uint8Array> {
  const p = new PptxGenJS();
  let s = p.addSlide();
  s.addText('New Starter Onboarding', { x: 0.5, y: 0.5, w: 9, h: 1, fontSize: 32 });
  s = p.addSlide();
  s.addText('Your first week', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Laptops are collected from the IT desk on the second floor on day one.\nBadge photos are taken on Tuesday mornings in reception.', {
    x: 0.5,
    y: 1.3,
    w: 9,
    h: 2,
  });
  s = p.addSlide();
  s.addText('Key contacts', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addTable(
    [
      ['Topic', 'Contact', 'Extension'],
      ['Payroll', 'Marta Silva', '4471'],
      ['IT accounts', 'Jonas Berg', '4410'],
      ['Facilities', 'Amir Haddad', '4432'],
    ].map((r) => r.map((text) => ({ text }))),
    { x: 0.5, y: 1.3, w: 9 },
  );
  s = p.addSlide();
  s.addText('Tools', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Timesheets are submitted in Harvest every Friday by 3 pm.', { x: 0.5, y: 1.3, w: 9, h: 1 });
  return new Uint8Array((await p.write({ outputType: 'nodebuffer' })) as Buffer);
}

async function budget(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = 'Budget 2026';
  const opex = wb.addWorksheet('Opex');
  opex.addRow(['Operating budget 2026']);
  opex.mergeCells('A1:D1');
  opex.addRow(['Department', 'Q1', 'Q2', 'Half-year total']);
  const depts: [string, number, number][] = [
    ['Marketing', 120000, 130000],
    ['Engineering', 410000, 420000],
    ['Support', 95000, 97000],
    ['Facilities', 60000, 61000],
  ];
  depts.forEach(([d, a, b], i) => opex.addRow([d, a, b, { formula: `B${i + 3}+C${i + 3}`, result: a + b }]));
  const hc = wb.addWorksheet('Headcount');
  hc.addRow(['Team', 'Location', 'FTE']);
  hc.addRow(['Platform', 'Oslo', 14]);
  hc.addRow(['Data', 'Lisbon', 9]);
  hc.addRow(['Mobile', 'Berlin', 11]);
  const as = wb.addWorksheet('Assumptions');
  as.addRow(['Assumption', 'Value']);
  as.addRow(['Salary increase', '3.5 percent']);
  as.addRow(['Inflation', '2.4 percent']);
  as.addRow(['EUR/USD rate', '1.08']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jon', 'Kemal', 'Lena', 'Milo', 'Nora', 'Omar', 'Pia'];
const LAST = ['Alves', 'Brandt', 'Costa', 'Dahl', 'Eriksen', 'Fischer', 'Garcia', 'Holm', 'Ivanov', 'Jensen', 'Klein', 'Lund', 'Moreau'];
const MODELS = ['ThinkPad T14', 'Latitude 7440', 'EliteBook 840', 'MacBook Air 13'];
const PLACES = ['Oslo', 'Lisbon', 'Berlin', 'Remote'];

/** Asset register: 400 laptops; row r holds asset LT-(r-1), padded to four digits. */
async function assetRegister(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Laptops');
  ws.addRow(['Asset tag', 'Model', 'Owner', 'Purchased', 'Location']);
  for (let i = 1; i <= 400; i++) {
    const owner = `${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 5) % LAST.length]}`;
    ws.addRow([
      `LT-${String(i).padStart(4, '0')}`,
      MODELS[i % MODELS.length],
      owner,
      new Date(Date.UTC(2021 + (i % 4), i % 12, 1 + (i % 27))),
      PLACES[i % PLACES.length],
    ]);
  }
  ws.getColumn(4).numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const SYSTEMS = ['CRM', 'Billing', 'Intranet', 'Email', 'VPN', 'Warehouse'];
const SPECIAL: Record<number, string> = {
  57: 'Payroll export timed out after the bank changed its SFTP host key',
  142: 'Badge readers in building C rejected all cards after a firmware update',
  188: 'Warehouse scanners lost Wi-Fi when the 5 GHz band was disabled',
  233: 'Customer portal showed stale invoices because the cache TTL was set to 30 days',
  276: 'Printer queue on floor 4 filled the disk of the print server',
};

/** Incident log: 300 incidents, line n + 1 holds INC-(1000 + n). */
function incidentLog(): string {
  const rows = ['id,date,system,severity,summary'];
  for (let n = 1; n <= 300; n++) {
    const sev = SPECIAL[n] ? (n % 2 ? 'P1' : 'P2') : ['P3', 'P4'][n % 2];
    const summary = SPECIAL[n] ?? `Routine ${SYSTEMS[n % SYSTEMS.length]} ticket ${n}: user request handled`;
    const day = String(1 + (n % 28)).padStart(2, '0');
    rows.push(`INC-${1000 + n},2025-${String(1 + (n % 12)).padStart(2, '0')}-${day},${SYSTEMS[n % SYSTEMS.length]},${sev},"${summary}"`);
  }
  return rows.join('\n') + '\n';
}

/** A backup server log: 600 lines, the notable ones at fixed line numbers. */
function backupLog(): string {
  const lines: string[] = [];
  const notable: Record<number, string> = {
    137: 'WARN  backup job nightly-incr slow: throughput 12 MB/s below the 40 MB/s target',
    337: 'ERROR backup job nightly-full failed: disk quota exceeded on /mnt/vault',
    412: 'INFO  TLS certificate for vault.internal renewed, valid until 2026-11-30',
    530: 'ERROR restore test of mailbox archive failed: checksum mismatch in volume 17',
  };
  for (let n = 1; n <= 600; n++) {
    const hh = String(Math.floor(n / 25) % 24).padStart(2, '0');
    const mm = String((n * 7) % 60).padStart(2, '0');
    lines.push(`2025-09-14 ${hh}:${mm}:00 ${notable[n] ?? `INFO  heartbeat ok, queue depth ${n % 9}, worker ${n % 4}`}`);
  }
  return lines.join('\n') + '\n';
}

const MINUTES = `IT Steering Group - minutes of the October meeting

Present: Ana Costa (chair), Jon Dahl, Lena Moreau, Omar Holm.

1. Password policy
The group agreed that passwords will expire every 180 days instead of 90,
provided multi-factor authentication is enabled on the account.

2. Laptop refresh
Laptops older than four years will be replaced during the first quarter.
The budget for the refresh is 240,000 euros.

3. Next meeting
The next meeting is on 12 November in room Fjord.
`;

const VPN_MD = `---
title: VPN setup
---
# VPN setup

## Installing the client

Download the WireGuard client from the Software Center.
Import the profile file that IT sends you by email.

## Connecting

Connect before opening any internal site. The gateway is vpn.example.org on port 51820.

| Office | Gateway | DNS |
| --- | --- | --- |
| Oslo | vpn-osl.example.org | 10.1.0.53 |
| Lisbon | vpn-lis.example.org | 10.2.0.53 |

## Troubleshooting

If the tunnel drops every few minutes, lower the MTU to 1380.
`;

const RELEASE_MD = `# Release process

## Freeze

Code freeze starts on the Wednesday before a release at 12:00 UTC.

## Approval

A release needs sign-off from two reviewers, one of them from QA.

## Rollback

Rollbacks are done with the previous container image; never hotfix in production.
`;

const SECURITY_HTML = `<!doctype html><html><head><title>Information Security</title></head><body>
<nav>Home | Policies | Contact</nav>
<h1>Information Security</h1>
<h2>Classification</h2>
<table><tr><th>Level</th><th>Meaning</th><th>Example</th></tr>
<tr><td>Public</td><td>May be shared freely</td><td>Press releases</td></tr>
<tr><td>Internal</td><td>Staff only</td><td>Org charts</td></tr>
<tr><td>Confidential</td><td>Named people only</td><td>Salary data</td></tr>
</table>
<h2>Phishing</h2>
<p>Report suspicious email with the Report Phish button; never forward it to colleagues.</p>
<h2>Devices</h2>
<p>Screens must lock automatically after 5 minutes of inactivity.</p>
<footer>Copyright Example Corp</footer>
</body></html>`;

const HOLIDAYS_HTML = `<!doctype html><html><head><title>Office Holiday Calendar 2026</title></head><body>
<h1>Office Holiday Calendar 2026</h1>
<table><thead><tr><th>Date</th><th>Holiday</th><th>Offices</th></tr></thead><tbody>
<tr><td>2026-05-17</td><td>Constitution Day</td><td>Oslo</td></tr>
<tr><td>2026-06-10</td><td>Portugal Day</td><td>Lisbon</td></tr>
<tr><td>2026-10-03</td><td>German Unity Day</td><td>Berlin</td></tr>
</tbody></table>
</body></html>`;

const RATE_LIMITER = `"""Token-bucket rate limiter for the public API."""
import time

# Requests allowed in a burst before throttling starts.
DEFAULT_BURST = 40
# Length of the refill window in seconds.
WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, burst=DEFAULT_BURST, window=WINDOW_SECONDS):
        self.burst = burst
        self.window = window
        self.tokens = burst
        self.updated = time.monotonic()

    def allow(self):
        """Returns True when a request may go ahead; throttled clients get HTTP 429."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.burst / self.window)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
`;

const DEPLOY_YAML = `# Production deployment of the orders service
service: orders
region: eu-north-1
replicas: 6
resources:
  cpu: 500m
  memory: 768Mi
healthcheck:
  path: /healthz
  interval_seconds: 15
`;

function epub(): Uint8Array {
  return epubBook('Field Service Manual', '2025-04-01', [
    {
      file: 'safety.xhtml',
      title: 'Safety',
      body: '<p>Wear insulated gloves rated for 1000 volts when opening a live cabinet.</p><p>Never work alone on a roof installation.</p>',
    },
    {
      file: 'calibration.xhtml',
      title: 'Calibration',
      body: '<p>Pressure sensors are calibrated every 6 months against the reference gauge.</p><p>Record each calibration in the blue logbook.</p>',
    },
    {
      file: 'parts.xhtml',
      title: 'Spare parts',
      body: '<table><tr><th>Part</th><th>Part number</th><th>Replace every</th></tr><tr><td>Air filter</td><td>AF-220</td><td>3 months</td></tr><tr><td>Drive belt</td><td>DB-914</td><td>2 years</td></tr><tr><td>Gasket kit</td><td>GK-075</td><td>1 year</td></tr></table>',
    },
  ]);
}

/** Writes the corpus under `dir`; returns the relative paths written. */
export async function makeQaCorpus(dir: string): Promise<string[]> {
  const files: Record<string, Uint8Array | string | Buffer> = {
    'policies/travel-policy-rev3-2025.pdf': await travelPolicy(3),
    'policies/archive/travel-policy-rev2-2023.pdf': await travelPolicy(2),
    'reports/annual-safety-report-2025.pdf': await safetyReport(),
    'procedures/lockout-tagout-procedure-2024.docx': await lockoutProcedure(2024),
    'procedures/lockout-tagout-procedure-2021.docx': await lockoutProcedure(2021),
    'hr/parental-leave-guide.docx': await leaveGuide(),
    'sales/q3-business-review.pptx': await businessReview(),
    'hr/new-starter-onboarding.pptx': await onboardingDeck(),
    'finance/budget-2026.xlsx': await budget(),
    'it/asset-register.xlsx': await assetRegister(),
    'ops/incident-log.csv': incidentLog(),
    'ops/backup-server.log': backupLog(),
    'notes/it-steering-minutes.txt': MINUTES,
    'it/vpn-setup.md': VPN_MD,
    'eng/release-process.md': RELEASE_MD,
    'it/information-security.html': SECURITY_HTML,
    'hr/holiday-calendar.html': HOLIDAYS_HTML,
    'eng/rate_limiter.py': RATE_LIMITER,
    'eng/deploy.yaml': DEPLOY_YAML,
    'manuals/field-service-manual.epub': epub(),
  };
  return writeTree(dir, files);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: make-corpus.ts <out-dir>');
  console.log((await makeQaCorpus(out)).join('\n'));
}
