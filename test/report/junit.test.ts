// JUnit reporter: well-formed XML for every scenario, correct counts, hostile text escaped and round-tripped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/runner/events.js';
import { escapeXmlAttr, escapeXmlText } from '../../src/report/xml.js';
import { failingRun, scenarios, skippedRun } from './scenarios.js';
import { CaptureStream, replay } from './streams.js';
import { parseXml, type XmlElement } from './xml-check.js';

const junit = async (events: RunEvent[]) => parseXml(await replay(['junit'], events, { stdout: new CaptureStream() }));
const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

for (const [name, events] of Object.entries(scenarios)) {
  test(`junit (${name}) is well-formed`, async () => {
    const root = await junit(events());
    assert.equal(root.name, 'testsuites');
    for (const suite of all(root, 'testsuite')) {
      assert.equal(Number(suite.attrs.tests), suite.children.length);
      for (const tc of suite.children) assert.equal(tc.attrs.classname, suite.attrs.name);
    }
  });
}

test('junit counts failures and skips per suite', async () => {
  const root = await junit(skippedRun());
  const [install, mtls] = all(root, 'testsuite');
  assert.deepEqual(install.attrs, { ...install.attrs, name: 'core/install', tests: '3', failures: '1', skipped: '1', time: '60.500' });
  assert.equal(mtls.attrs.failures, '0');
  assert.deepEqual(all(install, 'skipped').length, 1);
  assert.match(all(install, 'failure')[0].attrs.message, /rollout deployment\/istiod: failed/);
  assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.skipped], ['4', '1', '1']);
});

test('junit failure carries messages, hint and diagnostics', async () => {
  const [failure] = all(await junit(failingRun()), 'failure');
  assert.equal(failure.attrs.message, 'traffic "75/25 split": v2 observed 41% (95% CI 35–47%) after 200 requests');
  assert.equal(failure.attrs.type, 'traffic');
  assert.match(failure.text, /Hint:\nWeights\nThe weights in the reviews VirtualService/);
  assert.match(failure.text, /Diagnostics:\nVirtualService default\/reviews:\n {2}route\[0\]/);
});

const HOSTILE = `it's "quoted" <b>&amp; ]]> \x00\x07\x1b[31mred\x1b[0m\x0b \ud800 \uffff tab\there\r\nnext`;

test('junit escapes hostile text in names, messages and bodies', async () => {
  const lab = 'core/<"evil">';
  const events: RunEvent[] = [
    { type: 'run-start', mode: 'run', target: { context: 'c', server: 's', sandbox: false }, labs: [lab], dryRun: false },
    { type: 'lab-start', lab, title: HOSTILE, steps: 1 },
    { type: 'step-start', lab, step: `step ${HOSTILE}`, title: HOSTILE, index: 0 },
    { type: 'check', lab, step: `step ${HOSTILE}`, phase: 'check', outcome: { kind: 'http&', name: HOSTILE, status: 'failed', message: HOSTILE, attempts: 1, durationMs: 1, observed: { body: HOSTILE } } },
    { type: 'step-end', lab, step: `step ${HOSTILE}`, status: 'failed', durationMs: 5, hint: HOSTILE, diagnostics: HOSTILE },
    { type: 'lab-end', lab, status: 'failed', durationMs: 5 },
    { type: 'run-end', status: 'failed', durationMs: 5, interrupted: false, summary: { passed: 0, failed: 1, skipped: 0 }, requests: 1 },
  ];
  const xml = await replay(['junit'], events, { stdout: new CaptureStream() });
  const root = parseXml(xml);
  const expected = `it's "quoted" <b>&amp; ]]> red \ufffd \ufffd tab\there\nnext`;
  const [suite] = all(root, 'testsuite');
  assert.equal(suite.attrs.name, 'core/<"evil">');
  const [tc] = all(root, 'testcase');
  assert.equal(tc.attrs.name, `step ${expected}`);
  const [failure] = all(root, 'failure');
  assert.equal(failure.attrs.type, 'http&');
  assert.ok(failure.attrs.message.includes(expected), failure.attrs.message);
  assert.ok(failure.text.includes(`Diagnostics:\n${expected}`), failure.text);
  assert.doesNotMatch(xml, /]]>/);
});

test('escape helpers', () => {
  assert.equal(escapeXmlText('a<b>&]]>'), 'a&lt;b&gt;&amp;]]&gt;');
  assert.equal(escapeXmlAttr(`"'\n\t<`), '&quot;&apos;&#10;&#9;&lt;');
  assert.equal(escapeXmlText('😀 ok \ud83d x'), '😀 ok \ufffd x');
});
