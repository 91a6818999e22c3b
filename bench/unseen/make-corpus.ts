/**
 * The unseen corpus: 16 documents of one fictional regional water utility, Fenmoor Water, written
 * deterministically (no randomness, no dates from the clock). Its questions (questions.jsonl,
 * unanswerable.jsonl) were written without looking at how Lantern decides that documents answer a
 * question, so they measure that decision on data it was never tuned on. Near-miss facts are on
 * purpose: two treatment works, two reservoirs, four regions, household and business tariffs,
 * weekday and weekend rates, so that unanswerable questions share the documents' words.
 *
 * Run alone: node_modules/.bin/node --import tsx bench/unseen/make-corpus.ts <out-dir>
 */
import { Document, Footer, Header, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import PptxGenJSModule from 'pptxgenjs';
import { epubBook, writeTree, pagedPdf, pinZipDates } from '../lib/fixture-files.js';

// pptxgenjs ships CommonJS types over an ES module build: the class is the default export either way.
const PptxGenJS = ((PptxGenJSModule as unknown as { default?: unknown }).default ?? PptxGenJSModule) as typeof PptxGenJSModule.default;

type Page = string[];

const FIXED = new Date('2025-11-30T09:00:00Z');

const fixZipDates = (bytes: Uint8Array) => pinZipDates(bytes, FIXED);

const pdf = (title: string, header: string, pages: Page[]) => pagedPdf({ title, header, footer: 'Fenmoor Water - internal', pages, date: FIXED, fontSize: 10 });

function droughtPlan(): Promise<Uint8Array> {
  return pdf('Drought Management Plan 2025', 'Fenmoor Water | Drought Management Plan 2025 | Water Resources', [
    [
      'Drought Management Plan 2025',
      '',
      'Prepared by the Water Resources team.',
      'Approved by the Board on 18 March 2025. This plan replaces the 2020 plan.',
      '',
      'Contents: Triggers, Actions, Supply options, Governance',
    ],
    [
      'Triggers',
      '',
      'Drought triggers are set for our two impounding reservoirs, Hollin and Carrow.',
      'Trigger 1 (developing drought): Hollin Reservoir below 70 percent of capacity.',
      'Trigger 2 (drought): Hollin Reservoir below 55 percent of capacity.',
      'Trigger 3 (severe drought): Hollin Reservoir below 40 percent of capacity.',
      'Carrow Reservoir triggers are 5 percentage points lower than the Hollin triggers.',
      'Hollin Reservoir holds 14,200 megalitres when full.',
      'Carrow Reservoir holds 6,850 megalitres when full.',
    ],
    [
      'Actions',
      '',
      'At Trigger 1 we launch a water efficiency campaign and step up active leak detection.',
      'At Trigger 2 we may introduce a Temporary Use Ban, commonly called a hosepipe ban.',
      'Customers are given at least 7 days notice before a Temporary Use Ban starts.',
      'Registered blue badge holders may keep using a hosepipe during a Temporary Use Ban.',
      'A non-essential use drought order is only applied for at Trigger 3.',
    ],
    [
      'Supply options',
      '',
      'The Kelvedon borehole group can supply an extra 12 megalitres per day in a drought.',
      'A bulk transfer of up to 8 megalitres per day can be taken from Eastmere Water.',
      'The transfer is made under the bulk supply agreement signed in 2019.',
      'The 2022 drought lasted 19 weeks and no Temporary Use Ban was needed.',
    ],
    [
      'Governance',
      '',
      'The Drought Management Group meets weekly once Trigger 1 is declared.',
      'The group is chaired by the Head of Water Resources, Priya Natarajan.',
      'The plan is reviewed every five years, or after any drought that reaches Trigger 2.',
    ],
  ]);
}

function staffHandbook(): Promise<Uint8Array> {
  return pdf('Staff Handbook 2025', 'Fenmoor Water Staff Handbook 2025 | People Services', [
    ['Staff Handbook 2025', '', 'Issued by People Services, April 2025.', '', 'Contents: Working hours, Leave and absence, Standby, Conduct and pay'],
    [
      'Working hours',
      '',
      'The standard working week is 37 hours, Monday to Friday.',
      'Core hours for office staff are 10:00 to 15:00.',
      'Process operators at the treatment works work a four on, four off shift pattern.',
      'Overtime is paid at time and a half on weekdays and double time on public holidays.',
    ],
    [
      'Leave and absence',
      '',
      'Annual leave is 26 days a year plus public holidays.',
      'Annual leave rises to 30 days after five years of service.',
      'Up to 5 days of unused leave may be carried over into the next leave year.',
      'The leave year runs from 1 April to 31 March.',
      'Report sickness to your line manager before 09:30 on the first day of absence.',
      'A fit note is needed for absences longer than seven calendar days.',
    ],
    [
      'Standby',
      '',
      'Staff on the standby rota receive an on-call allowance of 38 pounds per weekday night.',
      'The weekend on-call allowance is 95 pounds per day.',
      'Staff on standby must be able to reach their depot within 45 minutes.',
      'Each call-out is paid for a minimum of two hours.',
    ],
    [
      'Conduct and pay',
      '',
      'Gifts worth more than 25 pounds must be entered in the gifts register.',
      'Fenmoor Water matches pension contributions up to 8 percent of salary.',
      'Salaries are paid on the 25th of each month.',
      'The notice period is one month for grades 1 to 4 and three months for grade 5 and above.',
    ],
  ]);
}

const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
const table = (rows: string[][]) => new Table({ rows: rows.map((r) => new TableRow({ children: r.map(cell) })) });

async function confinedSpace(): Promise<Uint8Array> {
  const doc = new Document({
    title: 'Confined Space Entry Procedure',
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph('HS-CS-03 Rev 5 | Health and Safety | Issued 2024-09-02')] }) },
        footers: { default: new Footer({ children: [new Paragraph('Controlled document. Check the intranet for the current revision.')] }) },
        children: [
          new Paragraph({ text: 'Confined Space Entry Procedure', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Scope', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('This procedure covers entry into wet wells, valve chambers, service reservoirs and sewers owned by Fenmoor Water.'),
          new Paragraph({ text: 'Before entry', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('No one may enter a confined space without a permit to work issued by an authorised person.'),
          new Paragraph('A permit to work is valid for one shift of up to 12 hours.'),
          new Paragraph('The atmosphere is tested with a four-gas monitor before entry and continuously during the work.'),
          new Paragraph('Rescue equipment, including a tripod and winch, must be set up before the first person enters.'),
          new Paragraph('Entrants must have completed City & Guilds 6160 training within the last three years.'),
          new Paragraph({ text: 'Gas alarm levels', heading: HeadingLevel.HEADING_2 }),
          table([
            ['Gas', 'Alarm level'],
            ['Oxygen (low)', '19.5 percent'],
            ['Hydrogen sulphide', '5 ppm'],
            ['Carbon monoxide', '20 ppm'],
            ['Flammable gas', '10 percent LEL'],
          ]),
          new Paragraph('If any alarm sounds, everyone leaves the space at once and the permit is suspended.'),
          new Paragraph({ text: 'Roles', heading: HeadingLevel.HEADING_2 }),
          table([
            ['Role', 'Duty'],
            ['Authorised person', 'Issues and closes the permit to work'],
            ['Top man', 'Stays at the entrance, keeps contact with entrants and raises the alarm'],
            ['Entrant', 'Carries a personal gas monitor and an escape breathing set'],
          ]),
          new Paragraph('The top man never enters the space, even to attempt a rescue.'),
        ],
      },
    ],
  });
  return fixZipDates(new Uint8Array(await Packer.toBuffer(doc)));
}

async function leakAllowance(): Promise<Uint8Array> {
  const doc = new Document({
    title: 'Leak Allowance and Guaranteed Standards',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Leak Allowance and Guaranteed Standards', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Customer Services guidance, 2025-26.'),
          new Paragraph({ text: 'Leak allowance', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Household customers with a metered supply can apply for a leak allowance once a leak on their supply pipe is repaired.'),
          new Paragraph('The repair must be completed within 28 days of the customer being told about the leak.'),
          new Paragraph('One leak allowance is granted per property in any five-year period.'),
          new Paragraph("The allowance is the difference between the bill and the property's average consumption over the previous 12 months."),
          new Paragraph('We repair a household supply pipe free of charge for the first leak, for a length of up to 10 metres.'),
          new Paragraph('Non-household customers must apply to their retailer.'),
          new Paragraph({ text: 'Guaranteed Standards Scheme payments', heading: HeadingLevel.HEADING_2 }),
          table([
            ['Standard', 'Household payment', 'Business payment'],
            ['Appointment missed or not kept', '40 pounds', '40 pounds'],
            ['Supply interrupted for more than 12 hours', '50 pounds', '75 pounds'],
            ['Written complaint not answered within 10 working days', '30 pounds', '30 pounds'],
            ['Low pressure on two occasions in 28 days', '25 pounds', '25 pounds'],
          ]),
          new Paragraph('Payments are credited to the account within 20 working days.'),
        ],
      },
    ],
  });
  return fixZipDates(new Uint8Array(await Packer.toBuffer(doc)));
}

const pptxTable = (rows: string[][]) => rows.map((r) => r.map((text) => ({ text })));

async function capitalProgramme(): Promise<Uint8Array> {
  const p = new PptxGenJS();
  p.title = 'Capital Programme 2025-26';
  let s = p.addSlide();
  s.addText('Capital Programme 2025-26', { x: 0.5, y: 0.5, w: 9, h: 1, fontSize: 32 });
  s.addText('Asset Investment Board, February 2025', { x: 0.5, y: 2, w: 9, h: 1 });
  s = p.addSlide();
  s.addText('Schemes', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addTable(
    pptxTable([
      ['Scheme', 'Budget', 'Completion'],
      ['Ashby Moor UV disinfection upgrade', '4.8M pounds', 'March 2026'],
      ['Kelvedon filter refurbishment', '2.1M pounds', 'November 2025'],
      ['Coastal mains renewal phase 2', '6.3M pounds', 'June 2027'],
      ['Smart meter rollout North Fen', '3.4M pounds', 'December 2026'],
      ['Hollin dam spillway repair', '1.2M pounds', 'September 2025'],
    ]),
    { x: 0.5, y: 1.3, w: 9 },
  );
  s.addNotes('The spillway repair was brought forward after the January 2025 inspection found cracking in the spillway channel.');
  s = p.addSlide();
  s.addText('Funding', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Total capital programme: 17.8M pounds.\nFunded 60 percent from borrowing and 40 percent from customer bills.', { x: 0.5, y: 1.3, w: 9, h: 2 });
  s = p.addSlide();
  s.addText('Risks', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Ductile iron pipe prices rose 11 percent in 2024.\nUV lamp supply for Ashby Moor depends on a single manufacturer.', {
    x: 0.5,
    y: 1.3,
    w: 9,
    h: 2,
  });
  s.addNotes('The contractor for the coastal mains renewal is Marlow Civils; the contract was signed in December 2024.');
  return fixZipDates(new Uint8Array((await p.write({ outputType: 'nodebuffer' })) as Buffer));
}

async function winterReadiness(): Promise<Uint8Array> {
  const p = new PptxGenJS();
  p.title = 'Winter Readiness 2025';
  let s = p.addSlide();
  s.addText('Winter Readiness 2025', { x: 0.5, y: 0.5, w: 9, h: 1, fontSize: 32 });
  s.addText('Operations directorate briefing, October 2025', { x: 0.5, y: 2, w: 9, h: 1 });
  s = p.addSlide();
  s.addText('Standby generators', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addTable(
    pptxTable([
      ['Site', 'Generator', 'Fuel autonomy'],
      ['Ashby Moor WTW', '1,250 kVA', '72 hours'],
      ['Kelvedon WTW', '800 kVA', '48 hours'],
      ['Hollin raw water pumping station', '500 kVA', '36 hours'],
    ]),
    { x: 0.5, y: 1.3, w: 9 },
  );
  s.addNotes('Generator fuel tanks are refilled by Tarnfield Fuels within 24 hours of a call.');
  s = p.addSlide();
  s.addText('Freeze-thaw', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText(
    'A freeze-thaw incident is declared after three nights below minus 4 degrees.\nThe customer contact centre stays open until 22:00 during an incident.',
    { x: 0.5, y: 1.3, w: 9, h: 2 },
  );
  s.addNotes('In the February 2024 freeze-thaw incident we repaired 412 bursts in ten days.');
  s = p.addSlide();
  s.addText('Bottled water', { x: 0.5, y: 0.3, w: 9, h: 0.8, fontSize: 28 });
  s.addText('Customers on the Priority Services Register receive bottled water within 6 hours of an interruption.\nWe supply 10 litres per person per day.', {
    x: 0.5,
    y: 1.3,
    w: 9,
    h: 2,
  });
  s.addNotes('The bottled water stock of 40 pallets is held at the Brannock depot.');
  return fixZipDates(new Uint8Array((await p.write({ outputType: 'nodebuffer' })) as Buffer));
}

const VILLAGES = [
  'Abbots Ripton',
  'Barrow Green',
  'Bexley Fen',
  'Brannock',
  'Carrow Tower',
  'Church Lane',
  'Deeping Road',
  'Eastgate',
  'Elm Drove',
  'Fenstanton',
  'Gallows Hill',
  'Hollin Intake',
  'Holme Bridge',
  'Ketton Cross',
  'Lark Rise',
  'Marsh Chapel',
  'Mill Dam',
  'Newborough',
  'Oakham Rise',
  'Orchard Way',
  'Parson Drove',
  'Quay Street',
  'Ramsey Heights',
  'Saltmarsh Lane',
  'Sandy Lode',
  'Sutton Gault',
  'Thorney Toll',
  'Upwell',
  'Walpole Bank',
  'Welney Wash',
  'West Fen',
  'Whittlesey Road',
  'Wisbech Gate',
  'Yaxley Lode',
  'Benwick',
  'Coates',
  'Doddington',
  'Friday Bridge',
  'Guyhirn',
  'Manea',
];
const REGIONS = ['North Fen', 'South Fen', 'Coastal', 'Uplands'];
const STATION_TYPES = ['Clean water booster', 'Sewage pumping', 'Surface water', 'Clean water booster', 'Sewage pumping'];
const MAKES = ['Flygt', 'KSB', 'Sulzer', 'Xylem Godwin'];
const code = (i: number) => `PS-${String(i).padStart(3, '0')}`;

async function pumpingStations(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.title = 'Pumping station register';
  wb.created = FIXED;
  wb.modified = FIXED;
  const st = wb.addWorksheet('Stations');
  st.addRow(['Station code', 'Name', 'Region', 'Type', 'Commissioned']);
  VILLAGES.forEach((name, k) => {
    const i = k + 1;
    st.addRow([code(i), name, REGIONS[(i * 3) % 4], STATION_TYPES[i % STATION_TYPES.length], String(1961 + ((i * 7) % 58))]);
  });
  const pumps = wb.addWorksheet('Pumps');
  pumps.addRow(['Station code', 'Pump', 'Make', 'Duty flow', 'Motor rating']);
  VILLAGES.forEach((_, k) => {
    const i = k + 1;
    for (const n of [1, 2]) {
      pumps.addRow([
        code(i),
        `P${n}`,
        MAKES[(i + n) % MAKES.length],
        `${12 + ((i * 11 + n * 5) % 70)} l/s`,
        `${[5.5, 7.5, 11, 15, 18.5, 22, 30][(i + n * 3) % 7]} kW`,
      ]);
    }
  });
  const mt = wb.addWorksheet('Maintenance');
  mt.addRow(['Task', 'Interval', 'Done by']);
  mt.addRow(['Pump vibration check', 'Monthly', 'Mechanical fitter']);
  mt.addRow(['Wet well clean', 'Every 6 months', 'Tanker crew']);
  mt.addRow(['Motor insulation resistance test', 'Every 12 months', 'Electrical technician']);
  mt.addRow(['Non-return valve overhaul', 'Every 3 years', 'Mechanical fitter']);
  mt.addRow(['Kiosk and fence inspection', 'Every 3 months', 'Area operator']);
  return fixZipDates(new Uint8Array(await wb.xlsx.writeBuffer()));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June'];

async function waterQuality(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.title = 'Water quality results January to June 2025';
  wb.created = FIXED;
  wb.modified = FIXED;
  const works: [string, number][] = [
    ['Ashby Moor', 0],
    ['Kelvedon', 1],
  ];
  for (const [name, w] of works) {
    const ws = wb.addWorksheet(name);
    ws.addRow(['Month', 'Turbidity (NTU)', 'Free chlorine (mg/l)', 'Nitrate (mg/l)', 'Coliform detections']);
    MONTHS.forEach((m, i) => {
      ws.addRow([
        `${m} 2025`,
        ((w ? 0.12 : 0.08) + i * 0.01 + (w && i === 3 ? 0.31 : 0)).toFixed(2),
        ((w ? 0.62 : 0.55) + ((i * 3) % 5) * 0.02).toFixed(2),
        ((w ? 31.4 : 18.2) + ((i * 7) % 6) * 0.9).toFixed(1),
        w && i === 3 ? '1' : '0',
      ]);
    });
  }
  const lim = wb.addWorksheet('Limits');
  lim.addRow(['Parameter', 'Limit', 'Where']);
  lim.addRow(['Turbidity', '4 NTU', 'Customer tap']);
  lim.addRow(['Turbidity', '1 NTU', 'Treatment works outlet']);
  lim.addRow(['Nitrate', '50 mg/l', 'Customer tap']);
  lim.addRow(['Lead', '10 micrograms per litre', 'Customer tap']);
  lim.addRow(['Coliform bacteria', '0 per 100 ml', 'Treatment works outlet']);
  return fixZipDates(new Uint8Array(await wb.xlsx.writeBuffer()));
}

const CATEGORIES = ['Billing', 'Water quality', 'Pressure', 'Metering', 'Roadworks'];
const CHANNELS = ['Phone', 'Email', 'Web form', 'Letter'];
// The streets named here match the pumping station register's regions, so the two files agree.
const COMPLAINTS: Record<number, [category: string, region: string, summary: string]> = {
  47: ['Pressure', 'South Fen', 'Low pressure every morning at Oakham Rise since the mains were relined'],
  147: ['Water quality', 'North Fen', 'Brown discoloured water in Saltmarsh Lane after mains flushing'],
  233: ['Billing', 'South Fen', 'Customer charged twice for sewerage after moving home'],
  311: ['Roadworks', 'Coastal', "Contractor left a trench unfenced outside St Bride's primary school"],
};

/** Complaints log: 360 complaints; line n + 1 holds CMP-25-n, padded to four digits. */
function complaintsLog(): string {
  const rows = ['reference,received,region,category,channel,status,summary'];
  for (let n = 1; n <= 360; n++) {
    const special = COMPLAINTS[n];
    const category = special?.[0] ?? CATEGORIES[n % CATEGORIES.length];
    const region = special?.[1] ?? REGIONS[n % 4];
    const summary = special?.[2] ?? `${category} query answered and closed at first contact`;
    const status = n === 233 ? 'Escalated to CCWater' : special ? 'Resolved' : n % 9 === 0 ? 'Open' : 'Closed';
    const date = `2025-${String(1 + (n % 10)).padStart(2, '0')}-${String(1 + ((n * 3) % 28)).padStart(2, '0')}`;
    rows.push(`CMP-25-${String(n).padStart(4, '0')},${date},${region},${category},${CHANNELS[(n * 5) % 4]},${status},"${summary}"`);
  }
  return rows.join('\n') + '\n';
}

const BOARD_MINUTES = `FENMOOR WATER - MINUTES OF THE BOARD MEETING
Held on 18 March 2025 at Fenmoor House, Brannock

Present: Sir Alan Crewe (Chair), Helen Marsh (Chief Executive), Tom Akande (Operations Director),
Priya Natarajan (Head of Water Resources, for item 1), Ruth Ellery (Company Secretary).

1. Drought Management Plan 2025
The Board approved the Drought Management Plan 2025. Hollin Reservoir stood at 83 percent on 14 March.

2. Leakage
Leakage for 2024-25 is forecast at 98.4 megalitres per day against a regulatory target of 92.
Tom Akande will bring a recovery plan, including 30 extra leak detection staff, to the June meeting.

3. Pay award
The Board agreed a pay award of 4.2 percent for all grades from 1 April 2025.

4. Customer service
Written complaints fell by 12 percent in the year. The Board asked for a review of billing complaints
after moving home.

5. Any other business
The Chief Executive will retire in December 2025; the search for a successor has begun.

Next meeting: 17 June 2025 at Kelvedon WTW.
`;

const SCADA_MD = `# SCADA remote access

Remote access to the SCADA system is only allowed through the jump host \`jump.scada.fenmoor.local\`.

## Getting an account

Request an account with service desk form SR-214. The Control Room Manager approves every request.
SCADA account passwords are changed every 60 days.

## Vendor sessions

Vendor sessions last at most 4 hours and a Fenmoor engineer must watch the whole session.

## Historians and control rooms

| Site | Historian server | Control room extension |
| --- | --- | --- |
| Ashby Moor WTW | hist-asm-01 | 3310 |
| Kelvedon WTW | hist-kel-01 | 3320 |
| Network control (Brannock) | hist-net-01 | 3300 |

## If the link is down

Operators switch the affected site to local control and phone the control room every hour.
`;

const SAMPLES_MD = `# Sample handling guide

Laboratory Services, Kelvedon laboratory.

## Taking samples

Run a customer tap for 2 minutes before taking a sample.
Bottles for coliform tests contain sodium thiosulphate: do not rinse them.
Every sample travels with chain of custody form LAB-F-09.

## Bottles and holding times

| Test | Bottle | Maximum holding time |
| --- | --- | --- |
| Bacteriology | 500 ml sterile, blue cap | 6 hours |
| Nitrate | 500 ml plastic, white cap | 48 hours |
| Metals | 250 ml acid-washed, red cap | 28 days |
| Taste and odour | 1 litre glass, green cap | 24 hours |

## Transport

Keep bacteriology samples in a cool box at 2 to 8 degrees.
Samples arriving after 16:00 on a Friday are not accepted until Monday.
`;

const CHARGES_HTML = `<!doctype html><html><head><title>Our charges 2025-26</title></head><body>
<nav>Home | Your account | Our charges | Contact us</nav>
<h1>Our charges 2025-26</h1>
<p>These charges apply from 1 April 2025 to 31 March 2026.</p>
<h2>Metered charges</h2>
<table><thead><tr><th>Charge</th><th>Household</th><th>Business</th></tr></thead><tbody>
<tr><td>Water, per cubic metre</td><td>£1.62</td><td>£1.48</td></tr>
<tr><td>Sewerage, per cubic metre</td><td>£2.05</td><td>£1.97</td></tr>
<tr><td>Water standing charge, per year</td><td>£34.00</td><td>£96.00</td></tr>
</tbody></table>
<h2>Your bill</h2>
<p>The average household bill for 2025-26 is £512, up 6.8 percent on 2024-25.</p>
<p>Unmetered charges are based on the rateable value of the property.</p>
<p>Customers on the WaterSure Plus scheme pay no more than the average metered household bill.</p>
<p>You can pay by Direct Debit on the 1st, 8th, 15th or 22nd of the month.</p>
<footer>Fenmoor Water Ltd, Fenmoor House, Brannock</footer>
</body></html>`;

/** Telemetry gateway log: 480 lines of one night, the notable ones at fixed line numbers. */
function telemetryLog(): string {
  const notable: Record<number, string> = {
    96: 'WARN  outstation OS-HOL-07 (Hollin intake) lost GPRS signal for 14 minutes',
    201: 'ERROR Carrow tower level sensor reported 132 percent; value rejected as out of range',
    305: 'ERROR chlorine analyser CL-KEL-2 at Kelvedon WTW stopped reporting; duty process scientist paged',
    377: 'INFO  firmware 4.2.1 pushed to 118 outstations, 3 deferred',
  };
  const lines: string[] = [];
  for (let n = 1; n <= 480; n++) {
    const hh = String(Math.floor(n / 20) % 24).padStart(2, '0');
    const mm = String((n * 3) % 60).padStart(2, '0');
    lines.push(`2025-11-03 ${hh}:${mm}:00 ${notable[n] ?? `INFO  poll cycle complete, ${200 + (n % 7)} outstations, ${n % 5} retries`}`);
  }
  return lines.join('\n') + '\n';
}

const ALARMS_YAML = `# Telemetry alarm thresholds for the Kelvedon WTW final water outlet
site: Kelvedon WTW
outlet:
  free_chlorine_mg_l:
    low_alarm: 0.3
    high_alarm: 1.2
  turbidity_ntu:
    high_alarm: 0.8
  ph:
    low_alarm: 6.8
    high_alarm: 8.9
escalation:
  first_call: duty-process-scientist
  second_call_after_minutes: 20
  second_call: operations-duty-manager
`;

function driverHandbook(): Uint8Array {
  return fixZipDates(
    epubBook('Fleet Driver Handbook', '2025-05-01', [
      {
        file: 'checks.xhtml',
        title: 'Daily vehicle checks',
        body: '<p>Complete the walk-around check in the Fleetcheck app before the first journey of each day.</p><p>A vehicle with a red defect must not be driven until the workshop clears it.</p>',
      },
      {
        file: 'fuel.xhtml',
        title: 'Fuel and mileage',
        body: '<p>Fuel cards may only be used for company vehicles.</p><p>Upload fuel receipts within 5 working days.</p><p>Private journeys in a pool van are not allowed.</p>',
      },
      {
        file: 'accidents.xhtml',
        title: 'Accidents and speeding',
        body: '<p>After an accident, call the fleet helpline on 0800 046 7711, which is open 24 hours a day.</p><p>Telematics alerts for speeds more than 10 percent over the limit are sent to your manager.</p>',
      },
      {
        file: 'servicing.xhtml',
        title: 'Servicing',
        body: '<table><tr><th>Vehicle</th><th>Service interval</th></tr><tr><td>Transit Custom van</td><td>18,000 miles</td></tr><tr><td>Ranger pickup</td><td>12,500 miles</td></tr><tr><td>Jetting unit</td><td>500 engine hours</td></tr></table>',
      },
    ]),
  );
}

/** Writes the corpus under `dir`; returns the relative paths written. */
export async function makeUnseenCorpus(dir: string): Promise<string[]> {
  const files: Record<string, Uint8Array | string> = {
    'water-resources/drought-management-plan-2025.pdf': await droughtPlan(),
    'people/staff-handbook-2025.pdf': await staffHandbook(),
    'health-safety/confined-space-entry-procedure.docx': await confinedSpace(),
    'customer/leak-allowance-and-guaranteed-standards.docx': await leakAllowance(),
    'finance/capital-programme-2025-26.pptx': await capitalProgramme(),
    'operations/winter-readiness-2025.pptx': await winterReadiness(),
    'assets/pumping-station-register.xlsx': await pumpingStations(),
    'lab/water-quality-results-2025-h1.xlsx': await waterQuality(),
    'customer/complaints-log-2025.csv': complaintsLog(),
    'board/board-minutes-2025-03-18.txt': BOARD_MINUTES,
    'it/scada-remote-access.md': SCADA_MD,
    'lab/sample-handling-guide.md': SAMPLES_MD,
    'customer/our-charges-2025-26.html': CHARGES_HTML,
    'it/telemetry-gateway.log': telemetryLog(),
    'it/kelvedon-alarm-thresholds.yaml': ALARMS_YAML,
    'fleet/driver-handbook.epub': driverHandbook(),
  };
  return writeTree(dir, files);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: make-corpus.ts <out-dir>');
  console.log((await makeUnseenCorpus(out)).join('\n'));
}
