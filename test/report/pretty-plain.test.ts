// Pretty and plain reporters: untrusted text cannot drive the terminal; a dangling spinner is stopped at close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/runner/events.js';
import { formatPlainEvent } from '../../src/report/reporters/plain.js';
import { failingRun } from './scenarios.js';
import { CaptureStream, FakeTtyStream, replay } from './streams.js';

const EVIL = 'ok\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x00\nsecond line';

function hostileRun(): RunEvent[] {
  const lab = 'traffic/canary';
  return [
    ...failingRun().slice(0, 3),
    { type: 'step-start', lab, step: 's', title: EVIL, index: 0 },
    { type: 'check', lab, step: 's', phase: 'check', outcome: { kind: 'http', name: 'n', status: 'failed', message: EVIL, attempts: 1, durationMs: 1, observed: { body: EVIL } } },
    { type: 'step-end', lab, step: 's', status: 'failed', durationMs: 1, hint: EVIL, diagnostics: EVIL },
  ];
}

for (const spec of ['pretty', 'plain']) {
  test(`${spec} strips escape sequences from untrusted text`, async () => {
    const out = await replay([spec], hostileRun(), { stdout: new CaptureStream() });
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f]/);
    assert.match(out, /okred/);
  });
}

test('plain keeps every line tagged, even for multi-line text', async () => {
  const out = await replay(['plain'], hostileRun(), { stdout: new CaptureStream() });
  for (const line of out.trimEnd().split('\n')) assert.match(line, /^\[[a-z-]+\] /);
});

test('plain action without changes prints its summary', () => {
  assert.deepEqual(formatPlainEvent({ type: 'action', lab: 'a/b', step: 's', summary: 'scale deployment/x to 3', changes: [] }), ['[scale] scale deployment/x to 3']);
  assert.deepEqual(formatPlainEvent({ type: 'action', lab: 'a/b', step: 's', summary: 'Apply it', changes: [] }), ['[action] Apply it']);
});

test('pretty stops a running spinner at close and restores the cursor', async () => {
  const stdout = new FakeTtyStream();
  const out = await replay([], failingRun().slice(0, 4), { stdout, env: { FORCE_COLOR: '0', TERM: 'xterm' } });
  assert.match(out, /^\[run\]/, 'FORCE_COLOR=0 selects plain');
  const tty = new FakeTtyStream();
  const pretty = await replay([], failingRun().slice(0, 4), { stdout: tty, env: {} });
  assert.ok(pretty.includes('\x1b[?25l'), 'cursor hidden while spinning');
  assert.ok(pretty.endsWith('\x1b[?25h'), 'cursor shown again at close');
});
