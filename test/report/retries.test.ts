// The run's retry count in every reporter: pretty and plain mention it only when there were
// retries; json always carries it; junit adds it as a suite property when there were retries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/runner/events.js';
import { failingRun } from './scenarios.js';
import { CaptureStream, replay } from './streams.js';
import { parseXml, type XmlElement } from './xml-check.js';

/** The failing scenario, its run-end carrying `retries` (absent: an emitter that predates the count). */
function withRetries(retries: number | undefined): RunEvent[] {
  return failingRun().map((e) => (e.type === 'run-end' ? { ...e, retries } : e));
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

test('plain and pretty show the retries on the run line only when there were some', async () => {
  for (const spec of ['plain', 'pretty']) {
    assert.match(await replay([spec], withRetries(7), { stdout: new CaptureStream() }), /in 12\.3s.*, 7 retries$/m, spec);
    assert.match(await replay([spec], withRetries(1), { stdout: new CaptureStream() }), /in 12\.3s.*, 1 retry$/m, spec);
    for (const none of [0, undefined]) assert.doesNotMatch(await replay([spec], withRetries(none), { stdout: new CaptureStream() }), /retr(y|ies)/, `${spec} with ${none}`);
  }
});

test('json always has the retries count', async () => {
  assert.equal(JSON.parse(await replay(['json'], withRetries(7), { stdout: new CaptureStream() })).retries, 7);
  assert.equal(JSON.parse(await replay(['json'], withRetries(undefined), { stdout: new CaptureStream() })).retries, 0);
});

test('junit carries the retries as a property of each suite, before its test cases', async () => {
  const root = parseXml(await replay(['junit'], withRetries(7), { stdout: new CaptureStream() }));
  const suites = all(root, 'testsuite');
  assert.ok(suites.length > 0);
  for (const suite of suites) {
    assert.equal(suite.children[0].name, 'properties');
    assert.deepEqual(all(suite, 'property').map((p) => p.attrs), [{ name: 'retries', value: '7' }]);
    assert.equal(Number(suite.attrs.tests), suite.children.filter((c) => c.name === 'testcase').length);
  }
  assert.deepEqual(all(parseXml(await replay(['junit'], withRetries(0), { stdout: new CaptureStream() })), 'properties'), []);
});
