// JSON reporter: the document parses and has the promised shape for every scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/runner/events.js';
import { failingRun, interruptedRun, scenarios } from './scenarios.js';
import { CaptureStream, replay } from './streams.js';

const STATUS = ['passed', 'failed', 'skipped'];

function assertShape(doc: any): void {
  assert.ok(['run', 'verify', 'reset'].includes(doc.mode));
  assert.ok(doc.target === null || (typeof doc.target.context === 'string' && typeof doc.target.server === 'string' && typeof doc.target.sandbox === 'boolean'));
  assert.equal(typeof doc.interrupted, 'boolean');
  assert.ok(STATUS.includes(doc.status));
  assert.deepEqual(Object.keys(doc.summary), ['passed', 'failed', 'skipped']);
  for (const lab of doc.labs) {
    for (const k of ['name', 'track', 'status', 'durationMs', 'steps']) assert.ok(k in lab, `lab.${k}`);
    assert.ok(STATUS.includes(lab.status));
    for (const step of lab.steps) {
      for (const k of ['name', 'status', 'durationMs', 'checks']) assert.ok(k in step, `step.${k}`);
      assert.ok(STATUS.includes(step.status));
      for (const c of step.checks) {
        for (const k of ['kind', 'status', 'message', 'attempts', 'observed']) assert.ok(k in c, `check.${k}`);
        assert.ok(STATUS.includes(c.status));
        assert.equal(typeof c.attempts, 'number');
      }
    }
  }
}

for (const [name, events] of Object.entries(scenarios)) {
  test(`json (${name}) parses and matches the shape`, async () => {
    const doc = JSON.parse(await replay(['json'], events(), { stdout: new CaptureStream() }));
    assertShape(doc);
  });
}

test('json carries the failing step in detail', async () => {
  const doc = JSON.parse(await replay(['json'], failingRun(), { stdout: new CaptureStream() }));
  assert.deepEqual(doc.summary, { passed: 1, failed: 1, skipped: 0 });
  const [lab] = doc.labs;
  assert.deepEqual([lab.track, lab.name, lab.status], ['traffic', 'canary', 'failed']);
  const failed = lab.steps[1];
  assert.equal(failed.status, 'failed');
  assert.match(failed.hint, /VirtualService/);
  assert.match(failed.diagnostics, /weight 50/);
  const traffic = failed.checks.find((c: any) => c.kind === 'traffic');
  assert.deepEqual(traffic.observed.distribution, { v1: 118, v2: 82 });
});

test('json reports an interrupted run', async () => {
  const doc = JSON.parse(await replay(['json'], interruptedRun(), { stdout: new CaptureStream() }));
  assert.equal(doc.interrupted, true);
  assert.equal(doc.labs[0].steps[0].name, 'istio-base');
});

test('json survives hostile observed data and text', async () => {
  const cyclic: Record<string, unknown> = { big: 2n ** 70n };
  cyclic.self = cyclic;
  const events: RunEvent[] = [
    ...failingRun().slice(0, 3),
    { type: 'step-start', lab: 'traffic/canary', step: 's', title: 't', index: 0 },
    { type: 'check', lab: 'traffic/canary', step: 's', phase: 'check', outcome: { kind: 'http', name: '"<&>', status: 'failed', message: 'a\u0000b\u2028c', attempts: 1, durationMs: 1, observed: cyclic } },
    { type: 'step-end', lab: 'traffic/canary', step: 's', status: 'failed', durationMs: 1 },
  ];
  const doc = JSON.parse(await replay(['json'], events, { stdout: new CaptureStream() }));
  const c = doc.labs[0].steps[0].checks[0];
  assert.deepEqual(c.observed, { big: '1180591620717411303424', self: '[Circular]' });
  assert.equal(c.message, 'a\u0000b\u2028c');
  assert.equal(c.name, '"<&>');
});
