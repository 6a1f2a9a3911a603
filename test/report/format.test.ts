// Shared text helpers: durations, summary line, sanitising, Markdown hints, observed-data summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheckLabel, formatCount, formatDuration, formatSummary, sanitizeText } from '../../src/report/format.js';
import { markdownToPlain } from '../../src/report/markdown.js';
import { formatInline, summarizeObserved } from '../../src/report/observed.js';
import { toJsonValue } from '../../src/report/json-value.js';

test('formatDuration picks ms, s or m', () => {
  assert.equal(formatDuration(0), '0ms');
  assert.equal(formatDuration(340.4), '340ms');
  assert.equal(formatDuration(999), '999ms');
  assert.equal(formatDuration(1000), '1.0s');
  assert.equal(formatDuration(12_345), '12.3s');
  assert.equal(formatDuration(59_949), '59.9s');
  assert.equal(formatDuration(59_960), '1m00s');
  assert.equal(formatDuration(125_000), '2m05s');
  assert.equal(formatDuration(-5), '0ms');
});

test('summary, counts and check labels', () => {
  assert.equal(formatSummary({ passed: 3, failed: 1, skipped: 0 }), '3 passed, 1 failed, 0 skipped');
  assert.equal(formatCount(1, 'step'), '1 step');
  assert.equal(formatCount(2, 'step'), '2 steps');
  assert.equal(formatCheckLabel({ kind: 'traffic', name: '75/25 "split"' }), 'traffic "75/25 \\"split\\""');
  assert.equal(formatCheckLabel({ kind: 'pods', name: '' }), 'pods');
});

test('sanitizeText strips escapes and control characters, keeps newlines and tabs', () => {
  assert.equal(sanitizeText('a\x1b[31mred\x1b[0m\x1b]0;title\x07b\r\nc\td\x00\x7f'), 'aredb\nc\td');
});

test('markdownToPlain shows hints plainly', () => {
  const md = '# Title\n\nUse **bold**, *em*, `code *not em*` and [docs](https://istio.io).\n\n\n- one\n* two\n> quoted\n```yaml\nkind: VirtualService\n```\nsnake_case_name stays';
  assert.deepEqual(markdownToPlain(md), [
    'Title',
    '',
    'Use bold, em, code *not em* and docs (https://istio.io).',
    '',
    '• one',
    '• two',
    'quoted',
    '  kind: VirtualService',
    'snake_case_name stays',
  ]);
  assert.deepEqual(markdownToPlain('see `a`', { code: (s) => `<${s}>` }), ['see <a>']);
});

test('summarizeObserved: a few lines, never a dump', () => {
  assert.deepEqual(summarizeObserved(undefined), []);
  assert.deepEqual(summarizeObserved({ a: 1, b: { c: [1, 2] }, d: 'x\ny' }), ['a: 1', 'b: {"c":[1,2]}', 'd: x y']);
  assert.deepEqual(summarizeObserved({ a: 1, b: 2, c: 3, d: 4, e: 5 }, { maxLines: 3, width: 80 }), ['a: 1', 'b: 2', '… 3 more fields']);
  assert.deepEqual(summarizeObserved([1, 2, 3]), ['[1,2,3]']);
  const long = Array.from({ length: 50 }, (_, i) => ({ status: 200, i }));
  assert.deepEqual(summarizeObserved(long, { maxLines: 3, width: 40 }), ['{"status":200,"i":0}', '{"status":200,"i":1}', '… 48 more items']);
  assert.deepEqual(summarizeObserved('l1\n\nl2\nl3\nl4\nl5'), ['l1', 'l2', 'l3', '… 2 more lines']);
  assert.equal(summarizeObserved({ k: 'x'.repeat(500) }, { maxLines: 2, width: 20 })[0], `k: ${'x'.repeat(16)}…`);
});

test('formatInline and toJsonValue survive bigint, cycles, errors, maps', () => {
  const cyclic: Record<string, unknown> = { n: 10n };
  cyclic.self = cyclic;
  assert.equal(formatInline(cyclic, 100), '{"n":"10","self":"[Circular]"}');
  assert.deepEqual(toJsonValue({ e: new Error('x'), m: new Map([['k', new Set([1])]]), f: () => 1, inf: Infinity }), { e: { name: 'Error', message: 'x' }, m: { k: [1] }, inf: 'Infinity' });
  const shared = { a: 1 };
  assert.deepEqual(toJsonValue({ x: shared, y: shared }), { x: { a: 1 }, y: { a: 1 } });
  assert.equal(formatInline('abcdef', 4), 'abc…');
});
