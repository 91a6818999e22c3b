import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze, analyzeByRegex, useWasmScan, wrapWasmScanForTests } from './analyzer.js';
import { MAX_CHUNK, wasmScanBytes } from './wasm-scan.js';
import { assembleWasmScan } from './wasm-scan-assembler.js';
import { randomTexts } from './testing/random-texts.js';
import { sharedDatasetsDir } from '../testing/shared-paths.js';

/** analyze() through the JavaScript scans (scanAscii, scan): what every index of analyzer 2 was built with. */
function analyzeByJs(text: string): string[] {
  useWasmScan(false);
  try {
    return analyze(text);
  } finally {
    useWasmScan(true);
  }
}

test('the module kept in wasm-scan.ts is exactly what its assembler source gives', () => {
  const assembled = Buffer.from(assembleWasmScan());
  assert.ok(WebAssembly.validate(assembled));
  assert.equal(
    Buffer.from(wasmScanBytes()).toString('base64'),
    assembled.toString('base64'),
    'wasm-scan.ts holds other bytes than wasm-scan-assembler.ts assembles: print them with `node --import tsx electron/engine/lexical/wasm-scan-assembler.ts`',
  );
});

function sameTerms(text: string, label = text.slice(0, 80)): void {
  const wasm = analyze(text);
  assert.deepEqual(wasm, analyzeByJs(text), label);
}

test('SciFact abstracts: the WebAssembly scan gives the very terms of the JavaScript scans (and of the reference regex)', async () => {
  const lines = (await readFile(join(sharedDatasetsDir(), 'scifact', 'corpus.jsonl'), 'utf8')).split('\n').filter((l) => l.trim());
  assert.ok(lines.length > 5000);
  let nonAscii = 0;
  lines.forEach((line, i) => {
    const { title, text } = JSON.parse(line) as { title: string; text: string };
    for (const t of [title, text]) {
      if (/[\u0080-\uffff]/.test(t)) nonAscii++;
      sameTerms(t, `document ${i}`);
      if (i % 10 === 0) assert.deepEqual(analyze(t), analyzeByRegex(t), `document ${i}`);
    }
  });
  assert.ok(nonAscii > 1000, 'the folded path was exercised');
});

test('hostile text: unicode, identifiers, possessives, numbers, surrogates, very long words and pieces', () => {
  const fixed = [
    'kayakPaddleTorqueLimit max_retry_count XMLHttpRequest mRNAs iPSCs NFkappaB aB a1B q9Z x86_64 __init__ _a_ a__b',
    "O'Brien's policies aren't the company’s; l’αλφα d'é x'9 it's' ''a ’’",
    'naïve café_menu ΑΒΓ Ωmega 𝐀bc 𝐀_x é_é ＡＢＣ１２３ ½ ٣٣ ﬁne İstanbul K ǅemal Ⅻ ① 😀word word😀',
    '\ud800 lone \udc00 surrogates \ud800\ud800x y\udfff',
    'β-catenin TNF-α IL-1β p53’s 5′-UTR ≥10 µm ±2 °C – — “quoted” (parens) [brackets]',
    '12345 1e10 3.14 0x1F 2nd 3rd 10th',
    '',
    ' ',
    'a',
    'A_',
    '_',
    "'",
    'é',
  ];
  for (const t of fixed) {
    sameTerms(t);
    assert.deepEqual(analyze(t), analyzeByRegex(t), t);
  }
  // Words far longer than any table slot expects, and texts longer than one WebAssembly piece:
  // with spaces (cut there), without (the JavaScript scan reads on), with other scripts late on.
  const long = 'x'.repeat(70_000);
  const words = Array.from({ length: 30_000 }, (_, i) => `w${i.toString(36)}ordCamelCase_${i % 7}`).join(' ');
  for (const t of [
    long,
    `${long}Tail end`,
    `start ${long} é ${long}`,
    words,
    `${words} naïve_café ${words}`,
    'ab_'.repeat(MAX_CHUNK),
    `${'abc '.repeat(MAX_CHUNK / 2)}é${'d_e '.repeat(MAX_CHUNK / 2)}`,
    `${'é '.repeat(MAX_CHUNK)}kayakPaddle`,
    `${'row,Value_1,naïve\n'.repeat(MAX_CHUNK / 4)}end`,
    `${'row,Value_1,kayakPaddle\n'.repeat(MAX_CHUNK / 4)}é`,
  ]) {
    sameTerms(t, `${t.length} characters`);
  }
  // Random strings over an alphabet of troublesome pieces.
  const alphabet = [
    'a',
    'Z',
    'é',
    'ß',
    'İ',
    'ﬁ',
    '½',
    '7',
    "'",
    '’',
    ' ',
    '-',
    '𝐀',
    '😀',
    'Ω',
    '\u0301',
    'K',
    '_',
    'kayakPaddle',
    'Torque',
    'mRNA',
    'q9',
    '\ud800',
    'Ab',
    '_é',
    "'é",
    '’x',
  ];
  for (const text of randomTexts(alphabet, 20_000, 16, 2024)) sameTerms(text, JSON.stringify(text));
});

test('the word table stays right past its capacity (it is cleared and refilled)', () => {
  // 150,000 distinct words: more than the table holds before it clears itself, twice over.
  const text = Array.from({ length: 150_000 }, (_, i) => `Zq${i.toString(36)}x`).join(' ');
  const terms = analyze(text);
  assert.equal(terms.length, 150_000);
  assert.deepEqual(terms, analyzeByJs(text));
  assert.deepEqual(analyze('Zq0x zq1X ZQ2x'), ['zq0x', 'zq1x', 'zq2x']);
});

test('a scan that fails part-way leaves no stray terms: the JavaScript scans take over for good', () => {
  const text = 'The kayak paddle survey in Tromsø found café owners and naïve tourists.';
  const expected = analyzeByJs(text);
  let failed = 0;
  // The ASCII pass runs (and writes "kayak", "paddl"…); the folded pass, after "Tromsø", traps.
  wrapWasmScanForTests((scan) => ({
    ...scan,
    scanFolded: () => {
      failed++;
      throw new WebAssembly.RuntimeError('unreachable');
    },
  }));
  assert.deepEqual(analyze(text), expected);
  assert.equal(failed, 1);
  assert.deepEqual(analyze(text), expected);
  assert.equal(failed, 1, 'the failed module is not used again');
});
