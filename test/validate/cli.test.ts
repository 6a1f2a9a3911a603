import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO } from './helpers.js';

const PROGRAM = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs `istio-lab validate ...args` in the fixture repo. */
function runValidate(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', PROGRAM, 'validate', ...args], {
    cwd: REPO,
    env: { ...process.env, ISTIO_LAB_ROOT: REPO, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('istio-lab validate', () => {
  it('exits 2 and prints file:line:col lines and a summary when there are errors', () => {
    const { code, stdout } = runValidate('manifests/wrong-type.yaml', 'manifests/route-rule.yaml');
    assert.equal(code, 2);
    assert.equal(
      stdout,
      [
        'manifests/route-rule.yaml:3:1 documents[0].kind: config.istio.io/v1alpha2 RouteRule is a legacy Istio API (0.1–0.8, removed in 1.0); use a VirtualService (networking.istio.io/v1) for the routes, with a DestinationRule for the subsets',
        'manifests/wrong-type.yaml:10:11 documents[0].spec.http[0].route[0].weight: must be an integer, got "fifty"',
        '2 files checked, 2 errors, 0 warnings',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when only warnings are found, and validates labs/ when no path is given', () => {
    assert.equal(runValidate('labs/core/clean.yaml').code, 0);
    const all = runValidate();
    assert.equal(all.code, 2);
    assert.match(all.stdout, /^10 files checked, 9 errors, 3 warnings$/m);
  });

  it('prints JSON with -o json', () => {
    const { code, stdout } = runValidate('-o', 'json', 'manifests/fault-percent.yaml');
    assert.equal(code, 2);
    const json = JSON.parse(stdout);
    assert.deepEqual([json.errors, json.warnings, json.problems.length], [1, 3, 4]);
  });

  it('shows examples in --help', () => {
    const { code, stdout } = runValidate('--help');
    assert.equal(code, 0);
    assert.match(stdout, /Usage: istio-lab validate \[options\] \[paths\.\.\.\]/);
    assert.match(stdout, /Examples:\n {2}\$ istio-lab validate /);
  });
});
