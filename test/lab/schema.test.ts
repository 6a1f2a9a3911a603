import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLab } from '../../src/lab/parse.js';
import { CheckSchema, WaitSchema, ActionSchema } from '../../src/lab/schema.js';
import type { Step } from '../../src/lab/schema.js';
import { buildLab, readFixture } from './helpers.js';

/** Parses a one-step lab and returns the errors as `line:col path: message` (file name dropped). */
function errorsOf(stepBody: string): string[] {
  const result = parseLab(buildLab(stepBody), 'labs/core/sample.yaml');
  assert.equal(result.ok, false, 'expected the lab to be rejected');
  return result.ok ? [] : result.errors.map((e) => String(e).replace('labs/core/sample.yaml:', ''));
}

/** Parses a one-step lab that must be valid and returns its step. */
function stepOf(stepBody: string): Step {
  const result = parseLab(buildLab(stepBody), 'labs/core/sample.yaml');
  assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
  return result.lab.steps[0];
}

function kindsOf(union: { options: readonly { shape: { kind: { value: string } } }[] }): string[] {
  return union.options.map((o) => o.shape.kind.value).sort();
}

describe('lab schema: every kind', () => {
  it('parses a lab using every action, wait and check kind', () => {
    const result = parseLab(readFixture('kinds', 'core', 'every-kind.yaml'), 'labs/core/every-kind.yaml');
    assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
    const steps = result.lab.steps;
    const used = (list: { kind: string }[]) => [...new Set(list.map((x) => x.kind))].sort();
    assert.deepEqual(used(steps.flatMap((s) => s.actions)), kindsOf(ActionSchema as never));
    assert.deepEqual(used(steps.flatMap((s) => s.wait)), kindsOf(WaitSchema as never));
    assert.deepEqual(used(steps.flatMap((s) => s.checks)), kindsOf(CheckSchema as never));
  });

  it('normalizes one-or-many fields to lists and fills defaults', () => {
    const step = stepOf(`    actions:
      - kind: restart
        deployment: reviews-v1
      - kind: delete
        target: { apiVersion: v1, kind: Service, name: reviews }
      - kind: patch
        target: { kind: Deployment, name: reviews-v1 }
        patch: { spec: { replicas: 2 } }
    wait:
      - kind: rollout
        deployment: reviews-v1
      - kind: condition
        target: { kind: Deployment, name: reviews-v1 }
        condition: Available
    checks:
      - kind: logs
        pod: { app: httpbin }
        contains: GET
      - kind: command
        program: kubectl
      - kind: metrics
        promql: up
        expect: { value: { eq: 1 } }
`);
    assert.deepEqual(step.actions[0], { kind: 'restart', deployment: ['reviews-v1'] });
    assert.equal(step.actions[1].kind === 'delete' && step.actions[1].ignoreNotFound, true);
    assert.equal(step.actions[2].kind === 'patch' && step.actions[2].type, 'merge');
    assert.deepEqual(step.wait[0], { kind: 'rollout', deployment: ['reviews-v1'] });
    assert.equal(step.wait[1].kind === 'condition' && step.wait[1].status, 'True');
    assert.deepEqual(step.checks[0].kind === 'logs' && step.checks[0].contains, ['GET']);
    const command = step.checks[1];
    assert.ok(command.kind === 'command');
    assert.deepEqual(command.args, []);
    assert.deepEqual(command.expect, { exitCode: 0 });
    const metrics = step.checks[2];
    assert.ok(metrics.kind === 'metrics');
    assert.deepEqual(metrics.prometheus, { namespace: 'istio-system', service: 'prometheus', port: 9090 });
    assert.deepEqual(metrics.eventually, { timeout: '60s', interval: '2s', consecutive: 1 });
  });
});

describe('lab schema: refinements a person understands', () => {
  it('caps a mix at 100 percent', () => {
    assert.deepEqual(errorsOf(`    checks:
      - kind: traffic
        classify: { by: status }
        expect: { mix: { "503": 70, "200": 40 } }
`), ['14:19 steps[0].checks[0].expect.mix: percentages must not add up to more than 100 (got 110)']);
  });

  it('names buckets the classifier cannot produce', () => {
    assert.deepEqual(errorsOf(`    checks:
      - kind: traffic
        classify: { by: bodyRegex, buckets: { v2: black, v3: red } }
        expect:
          split: { v1: 50, v3: 50 }
`), ['15:20 steps[0].checks[0].expect.split.v1: bucket "v1" is not one the classifier produces (v2, v3, other)']);
  });

  it('requires exactly one manifest source', () => {
    assert.deepEqual(errorsOf(`    actions:
      - kind: apply
        namespace: default
      - kind: delete
        file: a.yaml
        target: { apiVersion: v1, kind: Service, name: a }
`), [
      '12:9 steps[0].actions[0]: give exactly one of "file", "files" or "inline" (none given)',
      '14:9 steps[0].actions[1]: give exactly one of "file", "files", "inline" or "target" (got "file" and "target")',
    ]);
  });

  it('checks inline objects and inline YAML text', () => {
    assert.deepEqual(errorsOf(`    actions:
      - kind: apply
        inline:
          apiVersion: v1
          kind: ConfigMap
          metadata: { labels: { a: b } }
      - kind: apply
        inline: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: ok
          ---
          kind: Service
`), [
      '16:21 steps[0].actions[0].inline.metadata.name: missing required field "metadata.name"',
      '18:9 steps[0].actions[1].inline: inline YAML line 6 (documents[1].apiVersion): missing required field "apiVersion"',
      '18:9 steps[0].actions[1].inline: inline YAML line 6 (documents[1].metadata): missing required field "metadata" (with a name)',
    ]);
  });

  it('matches the patch type to the patch shape', () => {
    assert.deepEqual(errorsOf(`    actions:
      - kind: patch
        target: { kind: Deployment, name: a }
        type: json
        patch: { spec: {} }
`), ['15:9 steps[0].actions[0].patch: a json patch is a list of operations ({op, path, value})']);
  });

  it('explains bad values: enums, percentages, regexes, label keys, request origin', () => {
    assert.deepEqual(errorsOf(`    actions:
      - kind: label
        target: { kind: Namespace, name: default }
        labels: { "bad key!": x }
    checks:
      - kind: command
        program: kubect
      - kind: load
        from: ingres
        requests: 10
        expect: { status: { "200": { min: 120 } } }
      - kind: logs
        deployment: a
        count: { pattern: "([a-z" }
      - kind: http
        from: { pod: { app: sleep }, deployment: sleep }
        path: headers
`), [
      '14:19 steps[0].actions[0].labels["bad key!"]: invalid key "bad key!": must be a Kubernetes label key, like "app" or "istio.io/rev" (got "bad key!")',
      '17:9 steps[0].checks[0].program: expected one of: istioctl, kubectl (got "kubect") (did you mean "kubectl"?)',
      '19:9 steps[0].checks[1].from: expected "ingress" or a map, got "ingres"',
      '21:38 steps[0].checks[1].expect.status["200"].min: must be a percentage between 0 and 100 (got 120)',
      '24:18 steps[0].checks[2].count.pattern: invalid regular expression "([a-z": unterminated character class',
      '26:9 steps[0].checks[3].from: give exactly one of "pod" or "deployment" (got "pod" and "deployment")',
      '27:9 steps[0].checks[3].path: must start with "/" (got "headers")',
    ]);
  });

  it('requires one of requests or duration for load, and an expectation', () => {
    assert.deepEqual(errorsOf(`    checks:
      - kind: load
        requests: 10
        duration: 5s
        expect: {}
      - kind: latency
        expect: { proportion: 50 }
`), [
      '12:9 steps[0].checks[0]: give exactly one of "requests" or "duration" (got "requests" and "duration")',
      '15:9 steps[0].checks[0].expect: give at least one of status, headers, latency',
      '17:9 steps[0].checks[1].expect: give slowerThan, fasterThan or percentiles',
    ].sort());
  });

  it('rejects a consecutive count of zero and a lab without steps', () => {
    assert.deepEqual(errorsOf(`    checks:
      - kind: pods
        selector: { app: a }
        eventually: { consecutive: 0 }
`), ['14:23 steps[0].checks[0].eventually.consecutive: must be at least 1 (got 0)']);
    const result = parseLab(buildLab('').replace(/steps:[\s\S]*$/, 'steps: []\n'), 'labs/core/sample.yaml');
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map(String), ['labs/core/sample.yaml:7:1 steps: a lab needs at least one step']);
  });
});
