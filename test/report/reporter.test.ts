// createReporters: spec parsing, the one-stdout rule, the default reporter, fan-out and close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeReporters, createReporters, defaultReporterName, fanOut, parseReporterSpec, reporterNames, type Reporter } from '../../src/report/reporter.js';
import { failingRun } from './scenarios.js';
import { CaptureStream, FakeTtyStream, replay } from './streams.js';

const base = { env: {}, cwd: '/work' };

test('parseReporterSpec reads name and optional file', () => {
  assert.deepEqual(parseReporterSpec('pretty'), { name: 'pretty' });
  assert.deepEqual(parseReporterSpec('json=report.json'), { name: 'json', file: 'report.json' });
  assert.deepEqual(parseReporterSpec('junit=out/report.xml'), { name: 'junit', file: 'out/report.xml' });
  assert.deepEqual(parseReporterSpec('plain=a=b.log'), { name: 'plain', file: 'a=b.log' });
});

test('unknown reporter names throw, listing the valid ones', () => {
  assert.deepEqual(reporterNames, ['pretty', 'plain', 'json', 'junit']);
  assert.throws(() => parseReporterSpec('tap'), /unknown reporter "tap"; valid reporters: pretty, plain, json, junit/);
  assert.throws(() => parseReporterSpec('toString'), /unknown reporter "toString"/);
  assert.throws(() => parseReporterSpec('json='), /reporter "json" needs a file after "=", e.g. json=report.json/);
});

test('at most one reporter may write to stdout', () => {
  assert.throws(() => createReporters(['pretty', 'json'], { ...base, stdout: new CaptureStream() }), /at most one reporter may write to stdout, got pretty, json/);
  assert.throws(() => createReporters(['json=a.json', 'junit=./a.json'], { ...base, stdout: new CaptureStream() }), /same file: \.\/a\.json/);
  assert.equal(createReporters(['json', 'junit=a.xml'], { ...base, stdout: new CaptureStream() }).length, 2);
});

test('stdout gets the default reporter when every spec writes a file', () => {
  assert.equal(createReporters(['junit=a.xml'], { ...base, stdout: new CaptureStream() }).length, 2);
  assert.equal(createReporters([], { ...base, stdout: new CaptureStream() }).length, 1);
});

test('default is pretty only on an interactive colour TTY', () => {
  const tty = new FakeTtyStream();
  assert.equal(defaultReporterName(tty, {}), 'pretty');
  assert.equal(defaultReporterName(new CaptureStream(), {}), 'plain');
  assert.equal(defaultReporterName(tty, { CI: 'true' }), 'plain');
  assert.equal(defaultReporterName(tty, { NO_COLOR: '1' }), 'plain');
  assert.equal(defaultReporterName(tty, { TERM: 'dumb' }), 'plain');
  assert.equal(defaultReporterName(tty, { FORCE_COLOR: '0' }), 'plain');
  assert.equal(defaultReporterName(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), 'pretty');
  assert.equal(defaultReporterName(new CaptureStream(), { FORCE_COLOR: '3' }), 'plain');
});

test('default on a TTY under CI=true prints plain lines', async () => {
  const out = await replay([], failingRun(), { stdout: new FakeTtyStream(), env: { CI: 'true' } });
  assert.match(out, /^\[run\] target istio-lab-sandbox/);
  assert.match(out, /\n1 passed, 1 failed, 0 skipped\n$/);
  assert.ok(!out.includes('\x1b'));
});

test('explicit pretty with FORCE_COLOR but no TTY: colour, no spinner escapes', async () => {
  const out = await replay(['pretty'], failingRun(), { stdout: new CaptureStream(), env: { FORCE_COLOR: '1' } });
  assert.ok(out.includes('\x1b[32m✔\x1b[39m'));
  assert.ok(!out.includes('\x1b[?25l') && !out.includes('\x1b[1G'));
});

test('fanOut delivers every event to every reporter even if one throws', () => {
  const seen: string[] = [];
  const ok: Reporter = { onEvent: (e) => void seen.push(e.type), close: async () => {} };
  const bad: Reporter = { onEvent: () => { throw new Error('boom'); }, close: async () => {} };
  const sink = fanOut([bad, ok]);
  assert.throws(() => sink({ type: 'notice', message: 'x' }), /boom/);
  assert.deepEqual(seen, ['notice']);
  assert.throws(() => fanOut([bad, bad])({ type: 'notice', message: 'x' }), AggregateError);
});

test('closeReporters closes all, then reports failures', async () => {
  let closed = 0;
  const ok: Reporter = { onEvent: () => {}, close: async () => void closed++ };
  const bad: Reporter = { onEvent: () => {}, close: async () => { throw new Error('disk full'); } };
  await assert.rejects(closeReporters([bad, ok, ok]), /disk full/);
  assert.equal(closed, 2);
});
