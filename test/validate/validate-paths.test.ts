import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatReportJson, formatReportText, validatePaths } from '../../src/validate/index.js';
import { REPO, fixturePath } from './helpers.js';

const SUBDOMAIN = 'it must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters';

describe('validatePaths', () => {
  it('checks every lab under labs/ and the manifests they reference when no path is given', async () => {
    const report = await validatePaths([], { cwd: REPO, repoRoot: REPO });
    assert.deepEqual(report.problems.map(String), [
      `labs/core/legacy-port.yaml:26:23 steps[1].actions[0].inline.metadata.name: name "Bookinfo_Gateway" is not valid: ${SUBDOMAIN} (try "bookinfo-gateway")`,
      'labs/core/legacy-port.yaml:41:31 steps[1].actions[1].inline.documents[0].spec.trafficPolicy.loadBalancer.simple: must be one of UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST; got "RANDOMLY"',
      'labs/core/missing-ref.yaml:13:9 steps[0].actions[0].file: manifest file not found: "nowhere.yaml" (looked for labs/core/nowhere.yaml and manifests/nowhere.yaml)',
      `manifests/bad-name.yaml:4:3 documents[0].metadata.name: name "Reviews_Config" is not valid: ${SUBDOMAIN} (try "reviews-config")`,
      'manifests/extensions-deployment.yaml:1:1 documents[0].apiVersion: Deployment is no longer served at extensions/v1beta1 (removed in Kubernetes 1.16); use apps/v1',
      'manifests/fault-percent.yaml:1:1 warning: documents[0].apiVersion: networking.istio.io/v1alpha3 is still served, but networking.istio.io/v1 is preferred (Istio 1.22+)',
      'manifests/fault-percent.yaml:10:11 warning: documents[0].spec.http[0].fault.delay.percent: fault.delay.percent is deprecated (Istio ≤1.0 API); use percentage: { value: <percent> }',
      'manifests/fault-percent.yaml:13:11 documents[0].spec.http[0].fault.abort.percent: fault.abort.percent was removed in Istio 1.5; use percentage: { value: <percent> }',
      'manifests/fault-percent.yaml:16:7 warning: documents[0].spec.http[0].mirror_percent: mirror_percent is deprecated; use mirrorPercentage: { value: <percent> } (or mirrors[].percentage on Istio 1.19+)',
      'manifests/route-rule.yaml:3:1 documents[0].kind: config.istio.io/v1alpha2 RouteRule is a legacy Istio API (0.1–0.8, removed in 1.0); use a VirtualService (networking.istio.io/v1) for the routes, with a DestinationRule for the subsets',
      'manifests/unknown-kind.yaml:2:1 documents[0].kind: unknown kind "VirtualServce" in networking.istio.io (did you mean "VirtualService"?)',
      'manifests/wrong-type.yaml:10:11 documents[0].spec.http[0].route[0].weight: must be an integer, got "fifty"',
    ]);
    assert.equal(report.files.length, 10);
    assert.equal(report.errorCount, 9);
    assert.equal(report.warningCount, 3);
  });

  it('passes a clean lab and its manifests (CRD-defined kinds included)', async () => {
    const report = await validatePaths(['labs/core/clean.yaml'], { cwd: REPO, repoRoot: REPO });
    assert.deepEqual(report.problems.map(String), []);
    assert.deepEqual(report.files, ['labs/core/clean.yaml', 'manifests/valid.yaml']);
    assert.equal(formatReportText(report), '2 files checked, 0 errors, 0 warnings\n');
  });

  it('checks a manifest file given directly, with paths relative to the working folder', async () => {
    const report = await validatePaths(['repo/manifests/wrong-type.yaml'], { cwd: fixturePath(), repoRoot: REPO });
    assert.deepEqual(report.problems.map(String), [
      'repo/manifests/wrong-type.yaml:10:11 documents[0].spec.http[0].route[0].weight: must be an integer, got "fifty"',
    ]);
  });

  it('walks folders, expands kind: List, reports YAML syntax errors and missing paths', async () => {
    const report = await validatePaths(['loose', 'no/such/file.yaml'], { cwd: fixturePath(), repoRoot: REPO });
    assert.deepEqual(report.problems.map(String), [
      'loose/broken-yaml.yaml:5:1 YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
      'loose/list.yaml:8:5 documents[0].items[1].apiVersion: StatefulSet is no longer served at apps/v1beta2 (removed in Kubernetes 1.16); use apps/v1',
      'no/such/file.yaml:1:1 no such file or directory',
    ]);
    assert.deepEqual(report.files, ['loose/broken-yaml.yaml', 'loose/list.yaml']);
  });

  it('checks a manifest once when a lab and a folder both name it', async () => {
    const report = await validatePaths(['labs/core/clean.yaml', 'manifests/valid.yaml', 'manifests'], { cwd: REPO, repoRoot: REPO });
    assert.equal(report.files.filter((f) => f === 'manifests/valid.yaml').length, 1);
  });

  it('renders JSON with positions and severities', async () => {
    const report = await validatePaths(['manifests/fault-percent.yaml'], { cwd: REPO, repoRoot: REPO });
    const json = JSON.parse(formatReportJson(report));
    assert.deepEqual(json.files, ['manifests/fault-percent.yaml']);
    assert.equal(json.errors, 1);
    assert.equal(json.warnings, 3);
    assert.deepEqual(json.problems[2], {
      file: 'manifests/fault-percent.yaml',
      line: 13,
      column: 11,
      path: 'documents[0].spec.http[0].fault.abort.percent',
      severity: 'error',
      message: 'fault.abort.percent was removed in Istio 1.5; use percentage: { value: <percent> }',
    });
  });
});
