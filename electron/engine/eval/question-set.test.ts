import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuestionSet } from './question-set.js';
import { LanternError } from '../core/errors.js';

const problemsOf = (text: string, name: string): { line: number; message: string }[] => {
  try {
    parseQuestionSet(text, name);
  } catch (err) {
    assert.ok(err instanceof LanternError);
    assert.equal(err.code, 'invalid-input');
    return (err.details as { problems: { line: number; message: string }[] }).problems;
  }
  assert.fail('the set should have been refused');
};

test('a JSONL set reads phrases with alternatives, a regex, an expected place and unanswerable questions', () => {
  const text = [
    '// comments and blank lines are skipped',
    '',
    '{"question": "How long do refunds take?", "answer": ["5 to 7 business days", "five to seven"], "source": {"file": "handbook.md", "heading": "Refunds"}}',
    '{"id": "diem", "question": "Per diem in Germany?", "regex": "4\\\\d euros", "source": "travel.pdf"}',
    '{"question": "Baggage on Mars?", "unanswerable": true}',
  ].join('\n');
  const set = parseQuestionSet(text, 'set.jsonl');
  assert.equal(set.questions.length, 3);
  const [a, b, c] = set.questions;
  assert.deepEqual(a, {
    id: 'q3',
    line: 3,
    question: 'How long do refunds take?',
    answers: ['5 to 7 business days', 'five to seven'],
    source: { file: 'handbook.md', heading: 'Refunds' },
    unanswerable: false,
  });
  assert.equal(b.id, 'diem');
  assert.equal(b.pattern, '4\\d euros');
  assert.deepEqual(b.source, { file: 'travel.pdf' });
  assert.equal(c.unanswerable, true);
  assert.deepEqual(c.answers, []);
  assert.match(set.sha256, /^[0-9a-f]{64}$/);
});

test('the sample-questions.json shape (expect, file) is accepted line by line', () => {
  const set = parseQuestionSet('{"question": "Who manages Bergen?", "file": "offices.xlsx", "sheet": "Offices", "expect": "Ingrid Solberg"}\n', 's.jsonl');
  assert.deepEqual(set.questions[0].answers, ['Ingrid Solberg']);
  assert.deepEqual(set.questions[0].source, { file: 'offices.xlsx', sheet: 'Offices' });
});

test('every problem in a JSONL set is reported at once, each with its line', () => {
  const text = [
    '{"question": "fine", "answer": "x"}',
    '{"question": "broken JSON", ',
    '{"question": "no expectation"}',
    '{"question": "bad regex", "regex": "(unclosed"}',
    '{"question": "both", "answer": "x", "unanswerable": true}',
    '{"question": "bad page", "answer": "x", "source": {"file": "a.pdf", "page": "two"}}',
    '{"id": "q1", "question": "dup of line 1", "answer": "y"}',
    '["not an object"]',
  ].join('\n');
  const problems = problemsOf(text, 'bad.jsonl');
  assert.deepEqual(
    problems.map((p) => p.line),
    [2, 3, 4, 5, 6, 7, 8],
  );
  assert.match(problems[0].message, /not valid JSON/);
  assert.match(problems[1].message, /"answer".*"unanswerable"/);
  assert.match(problems[2].message, /regular expression/);
  assert.match(problems[3].message, /unanswerable question has no expected answer/);
  assert.match(problems[4].message, /"page" is a whole number/);
  assert.match(problems[5].message, /"q1" is already used on line 1/);
});

test('the error message names the file and the lines', () => {
  assert.throws(() => parseQuestionSet('{"question": ""}\n', 'team.jsonl'), /team\.jsonl has a problem:\n {2}line 1: "question" is missing or empty/);
});

test('a CSV set (spreadsheet export) reads alternatives split by |, places and yes/no flags', () => {
  const csv = [
    'question,answer,file,page,sheet,row,unanswerable',
    'What is the per diem in Germany?,48 euros | forty-eight euros,travel.pdf,2,,,',
    '"Who manages the ""Bergen"" store?",Ingrid Solberg,offices.xlsx,,Offices,4,no',
    'Baggage on Mars?,,,,,,yes',
  ].join('\r\n');
  const set = parseQuestionSet(csv, 'set.csv');
  assert.equal(set.questions.length, 3);
  assert.deepEqual(set.questions[0].answers, ['48 euros', 'forty-eight euros']);
  assert.deepEqual(set.questions[0].source, { file: 'travel.pdf', page: 2 });
  assert.equal(set.questions[1].question, 'Who manages the "Bergen" store?');
  assert.deepEqual(set.questions[1].source, { file: 'offices.xlsx', sheet: 'Offices', row: 4 });
  assert.equal(set.questions[2].unanswerable, true);
  assert.deepEqual(
    set.questions.map((q) => q.line),
    [2, 3, 4],
  );
});

test('CSV problems carry the line a record starts on, even after a quoted field that spans lines', () => {
  const csv = [
    'question,answer,file,page',
    '"A question',
    'over two lines",x,,',
    'fine,y,,',
    'no answer here,,,',
    'page is text,z,a.pdf,two',
    'place without file,z,,3',
  ].join('\n');
  const problems = problemsOf(csv, 'set.csv');
  assert.deepEqual(problems, [
    { line: 5, message: 'give an expected "answer" (or "regex"), or mark the question "unanswerable": true' },
    { line: 6, message: '"page" is a whole number from 1 (got "two")' },
    { line: 7, message: 'the expected source needs a "file"' },
  ]);
});

test('a CSV header with an unknown column or no question column is refused on line 1', () => {
  assert.match(problemsOf('question,answr\nq,a\n', 'set.csv')[0].message, /unknown column "answr"/);
  assert.match(
    problemsOf('prompt,answer\nq,a\n', 'set.csv')
      .map((p) => p.message)
      .join(' '),
    /needs a "question" column/,
  );
});

test('an empty set and an unknown extension are refused', () => {
  assert.match(problemsOf('\n\n', 'empty.jsonl')[0].message, /no questions/);
  assert.throws(() => parseQuestionSet('{}', 'set.txt'), /\.jsonl or \.csv/);
});
