import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LabError, formatLabError } from '../../src/lab/errors.js';
import { MAX_LAB_BYTES, parseLab } from '../../src/lab/parse.js';
import type { ParseResult } from '../../src/lab/parse.js';
import { buildLab, readFixture } from './helpers.js';

function parseFixture(name: string): ParseResult {
  return parseLab(readFixture('invalid', 'core', name), `labs/core/${name}`);
}

function errorLines(result: ParseResult): string[] {
  assert.equal(result.ok, false, 'expected the lab to be rejected');
  return result.ok ? [] : result.errors.map(String);
}

describe('parseLab: valid labs', () => {
  it('parses the two-step fixture with defaults filled in', () => {
    const result = parseLab(readFixture('repo', 'labs', 'core', 'traffic-shifting.yaml'), 'labs/core/traffic-shifting.yaml');
    assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
    const { lab } = result;
    assert.equal(lab.name, 'traffic-shifting');
    assert.equal(lab.namespace, 'default');
    assert.deepEqual(lab.requires, ['deploy-httpbin']);
    assert.equal(lab.istio?.minVersion, '1.5');
    assert.deepEqual(lab.steps.map((s) => s.name), ['deploy-v2', 'shift-25']);
    assert.deepEqual(result.warnings, []);

    const [first, second] = lab.steps;
    assert.deepEqual(first.actions[0], { kind: 'apply', files: ['httpbin-v2.yaml', 'virtual-service.yaml'] });
    const traffic = second.checks[0];
    assert.equal(traffic.kind, 'traffic');
    if (traffic.kind !== 'traffic') return;
    assert.deepEqual(traffic.expect.split, { v1: 75, v2: 25 });
    assert.equal(traffic.from, 'ingress');
    assert.equal(traffic.method, 'GET');
    assert.equal(traffic.tolerance, 7);
    assert.equal(traffic.falseFailureRate, 0.001);
    assert.deepEqual(traffic.eventually, { timeout: '30s', interval: '2s', consecutive: 1 });
    const http = second.checks[1];
    assert.equal(http.kind, 'http');
    if (http.kind !== 'http') return;
    assert.deepEqual(http.expect.status, [418]);
    assert.deepEqual(http.expect.bodyContains, ['teapot']);
    assert.deepEqual(http.from, { deployment: 'sleep', container: 'sleep' });
  });

  it('locates fields of a parsed lab for later errors', () => {
    const result = parseLab(readFixture('repo', 'labs', 'core', 'traffic-shifting.yaml'), 'labs/core/traffic-shifting.yaml');
    assert.ok(result.ok);
    assert.deepEqual(result.locate(['steps', 0, 'actions', 0, 'files', 1]), { line: 19, column: 34 });
    assert.deepEqual(result.locate(['steps', 1, 'name']), { line: 32, column: 5 });
    assert.deepEqual(result.locate(['steps', 1, 'nope']), { line: 32, column: 5 });
  });

  it('accepts a few aliases within the budget', () => {
    const text = buildLab(`    checks:
      - kind: http
        headers: &h { x-user: jason }
        expect: { status: 200 }
      - kind: http
        headers: *h
        expect: { status: [200, 201] }
`);
    const result = parseLab(text, 'labs/core/sample.yaml');
    assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
    const second = result.lab.steps[0].checks[1];
    assert.ok(second.kind === 'http');
    assert.deepEqual(second.headers, { 'x-user': 'jason' });
  });

  it('supports YAML merge keys and locates errors inside merged items', () => {
    const text = buildLab(`    checks:
      - &base
        kind: load
        host: httpbin:8000
        requests: 10
        expect: { status: { 200: { min: 10 } } }
      - <<: *base
        concurrency: 1.5
`);
    assert.deepEqual(errorLines(parseLab(text, 'labs/core/sample.yaml')), [
      'labs/core/sample.yaml:18:9 steps[0].checks[1].concurrency: expected a whole number, got 1.5',
    ]);
  });
});

describe('parseLab: errors with file:line:column and path', () => {
  it('reports a split that does not sum to 100 at the split key', () => {
    assert.deepEqual(errorLines(parseFixture('bad-split.yaml')), [
      'labs/core/bad-split.yaml:22:11 steps[1].checks[0].expect.split: weights must sum to 100 (got 90)',
    ]);
  });

  it('reports YAML syntax errors with a position', () => {
    assert.deepEqual(errorLines(parseFixture('syntax-error.yaml')), [
      'labs/core/syntax-error.yaml:8:1 YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports missing fields at the enclosing map', () => {
    assert.deepEqual(errorLines(parseFixture('missing-fields.yaml')), [
      'labs/core/missing-fields.yaml:2:1 title: missing required field "title"',
      'labs/core/missing-fields.yaml:7:5 steps[0].instructions: missing required field "instructions"',
    ]);
  });

  it('suggests the closest kind and field name for typos', () => {
    assert.deepEqual(errorLines(parseFixture('unknown-kind.yaml')), [
      'labs/core/unknown-kind.yaml:12:9 steps[0].checks[0].kind: unknown kind "htp" (did you mean "http"?); expected one of: resource, absent, pods, http, traffic, latency, load, logs, metrics, envoy-stats, command',
      'labs/core/unknown-kind.yaml:17:11 steps[0].checks[1].expect.statuss: unknown field "statuss" (did you mean "status"?)',
    ]);
  });

  it('reports duplicate step names and a lab requiring itself', () => {
    assert.deepEqual(errorLines(parseFixture('duplicate-steps.yaml')), [
      'labs/core/duplicate-steps.yaml:6:28 requires[1]: a lab cannot require itself ("core/duplicate-steps")',
      'labs/core/duplicate-steps.yaml:12:5 steps[1].name: duplicate step name "apply" (also steps[0])',
    ]);
  });

  it('requires the track to match the folder and warns about a missing schema comment', () => {
    const result = parseFixture('wrong-track.yaml');
    assert.deepEqual(errorLines(result), [
      'labs/core/wrong-track.yaml:3:1 track: track "gke-workshop" must match the lab\'s folder "core"',
      'labs/core/wrong-track.yaml:13:9 steps[0].wait[0].timeout: expected a duration such as "500ms", "3s" or "2m" (got "soon")',
    ]);
    assert.deepEqual(result.warnings.map(String), [
      'labs/core/wrong-track.yaml:1:1 warning: first line should be "# yaml-language-server: $schema=../../schema/lab.schema.json" so editors can validate the lab',
    ]);
  });

  it('requires the name to match the file name', () => {
    const result = parseLab(buildLab(''), 'labs/core/other.yaml');
    assert.deepEqual(errorLines(result), ['labs/core/other.yaml:2:1 name: name "sample" must match the file name "other.yaml"']);
  });

  it('rejects more than one YAML document, pointing at the second', () => {
    assert.deepEqual(errorLines(parseFixture('two-documents.yaml')), [
      'labs/core/two-documents.yaml:11:1 a lab file holds exactly one YAML document, found 2; remove the "---" separator or split the file',
    ]);
  });

  it('rejects an empty file', () => {
    assert.deepEqual(errorLines(parseLab('# just a comment\n', 'labs/core/empty.yaml')), [
      'labs/core/empty.yaml:1:1 file is empty; a lab needs name, title, track, summary, scope and steps',
    ]);
  });

  it('rejects a list at the top level', () => {
    assert.deepEqual(errorLines(parseLab('- a\n- b\n', 'lab.yaml')), ['lab.yaml:1:1 expected a map, got a list']);
  });

  it('reports duplicate keys as YAML errors', () => {
    const lines = errorLines(parseLab(`${buildLab('')}\n    title: Again\n`, 'labs/core/sample.yaml'));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^labs\/core\/sample\.yaml:12:5 YAML: map keys must be unique/);
  });
});

describe('parseLab: limits against hostile input', () => {
  it('rejects an alias bomb quickly, at the first alias', () => {
    const started = performance.now();
    const lines = errorLines(parseFixture('alias-bomb.yaml'));
    assert.ok(performance.now() - started < 1000, 'alias bomb took too long');
    assert.deepEqual(lines, [
      'labs/core/alias-bomb.yaml:3:8 too many YAML alias expansions (limit 50); write the values out instead of nesting aliases',
    ]);
  });

  it('rejects a file over 1 MiB without parsing it', () => {
    const text = `${buildLab('')}\n# ${'x'.repeat(MAX_LAB_BYTES)}\n`;
    const bytes = Buffer.byteLength(text);
    assert.deepEqual(errorLines(parseLab(text, 'labs/core/sample.yaml')), [
      `labs/core/sample.yaml:1:1 file is ${bytes} bytes; the limit is 1 MiB (1048576 bytes)`,
    ]);
  });
});

describe('LabError', () => {
  it('formats as file:line:col path: message, with warnings marked', () => {
    const error = new LabError('labs/core/a.yaml', 3, 7, 'steps[0].title', 'missing required field "title"');
    assert.equal(String(error), 'labs/core/a.yaml:3:7 steps[0].title: missing required field "title"');
    assert.equal(formatLabError(new LabError('a.yaml', 1, 1, '', 'no path')), 'a.yaml:1:1 no path');
    assert.equal(String(new LabError('a.yaml', 1, 1, '', 'hmm', 'warning')), 'a.yaml:1:1 warning: hmm');
  });
});
