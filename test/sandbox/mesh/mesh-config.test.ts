// meshConfig and Telemetry access logging as pure functions: the mesh config istiod reads, and its
// merge rules for access logs (istio.io "Envoy Access Logs" and "Telemetry API" tasks; istio/istio
// pilot/pkg/model/telemetry.go mergeLogs). mesh-config-sandbox.test.ts drives the same end to end.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { defaultMeshConfig, parseMeshConfig, type MeshConfig } from '../../../src/sandbox/mesh/mesh-config.js';
import { accessLogOutputs, mergeAccessLogging } from '../../../src/sandbox/mesh/telemetry-access-log.js';
import { compileAccessLogFilter, responseCodeOf } from '../../../src/sandbox/mesh/access-log-filter.js';
import { unmodelledTelemetryMessages } from '../../../src/sandbox/mesh/telemetry-warnings.js';
import type { KubeObject } from '../../../src/cluster/types.js';

/** The mesh config text of the sandbox install (the demo profile's). */
const installMesh = (yaml.loadAll(readFileSync('manifests/istio/sandbox-install.yaml', 'utf8')) as KubeObject[]).find((d) => d?.kind === 'ConfigMap' && d.metadata.name === 'istio')!.data.mesh as string;
const telemetry = (name: string, namespace: string, spec: any): KubeObject => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace, creationTimestamp: '2026-01-01T00:00:00Z' }, spec });
const podIn = (namespace: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace, labels } });
const envoyOn = { accessLogging: [{ providers: [{ name: 'envoy' }] }] };
const mesh = (over: Partial<MeshConfig> = {}): MeshConfig => ({ ...defaultMeshConfig(), ...over });

describe('meshConfig from the istio ConfigMap (istio/istio pkg/config/mesh defaults)', () => {
  it('reads the sandbox install (demo profile: accessLogFile /dev/stdout) over istiod defaults', () => {
    const { config, error } = parseMeshConfig(installMesh);
    assert.equal(error, undefined);
    assert.deepEqual({ ...config }, { ...defaultMeshConfig(), accessLogFile: '/dev/stdout' });
  });

  it('defaults: no access log file, TEXT, auto mTLS on, no mesh retry policy, root namespace istio-system', () => {
    const d = parseMeshConfig('').config;
    assert.equal(d.accessLogFile, '');
    assert.equal(d.enableAutoMtls, true);
    assert.equal(d.defaultHttpRetryPolicy, undefined);
    assert.equal(d.rootNamespace, 'istio-system');
  });

  it('reads enableAutoMtls, defaultHttpRetryPolicy, accessLogEncoding and defaultProviders', () => {
    const { config } = parseMeshConfig('enableAutoMtls: false\ndefaultHttpRetryPolicy:\n  attempts: 0\naccessLogEncoding: JSON\ndefaultProviders:\n  accessLogging: [envoy]\n');
    assert.equal(config.enableAutoMtls, false);
    assert.deepEqual(config.defaultHttpRetryPolicy, { attempts: 0 });
    assert.equal(config.accessLogEncoding, 'JSON');
    assert.deepEqual(config.defaultAccessLogProviders, ['envoy']);
  });

  it('rejects bad YAML or a wrongly typed field with a reason naming it, and gives the defaults', () => {
    const syntax = parseMeshConfig('accessLogFile: [unclosed');
    assert.match(syntax.error!, /unexpected end of the stream|flow collection/);
    assert.equal(syntax.config.accessLogFile, '');
    assert.match(parseMeshConfig('enableAutoMtls: "no"').error!, /^enableAutoMtls: expected true or false, got "no"$/);
    assert.match(parseMeshConfig('- a\n- b').error!, /must be a YAML mapping, got a list/);
  });
});

describe('istio.io Telemetry API: which access logs a workload writes (mergeLogs)', () => {
  const root = telemetry('mesh-default', 'istio-system', envoyOn);
  const other = telemetry('ns', 'other', envoyOn);
  const httpbinOff = telemetry('httpbin', 'default', { selector: { matchLabels: { app: 'httpbin' } }, accessLogging: [{ providers: [{ name: 'envoy' }], disabled: true }] });
  const paths = (m: MeshConfig, t: KubeObject[], pod: KubeObject, mode: 'CLIENT' | 'SERVER' = 'CLIENT') => accessLogOutputs(m, t, pod, mode).map((o) => o.path);

  it('no Telemetry: meshConfig.accessLogFile decides (empty = none)', () => {
    assert.deepEqual(paths(mesh(), [], podIn('default', {})), []);
    assert.deepEqual(paths(mesh({ accessLogFile: '/dev/stdout' }), [], podIn('default', {})), ['/dev/stdout']);
  });

  it('a namespace-wide Telemetry turns the envoy provider on in its namespace only', () => {
    assert.deepEqual(paths(mesh(), [other], podIn('other', {})), ['/dev/stdout']);
    assert.deepEqual(paths(mesh(), [other], podIn('default', {})), []);
  });

  it('disabled: true on a workload selector wins over a mesh-wide Telemetry, and over accessLogFile', () => {
    assert.deepEqual(paths(mesh(), [root, httpbinOff], podIn('default', { app: 'httpbin' })), []);
    assert.deepEqual(paths(mesh(), [root, httpbinOff], podIn('default', { app: 'curl' })), ['/dev/stdout']);
    assert.deepEqual(paths(mesh({ accessLogFile: '/dev/stdout' }), [httpbinOff], podIn('default', { app: 'httpbin' })), [], 'a Telemetry that applies replaces the mesh file log');
  });

  it('match.mode SERVER with disabled: true turns off the inbound side only; providers inherit from the parent level', () => {
    const serverOff = telemetry('srv', 'default', { accessLogging: [{ match: { mode: 'SERVER' }, disabled: true }] });
    const levels = [root.spec.accessLogging, serverOff.spec.accessLogging];
    assert.deepEqual([...mergeAccessLogging(levels, [], 'SERVER').keys()], []);
    assert.deepEqual([...mergeAccessLogging(levels, [], 'CLIENT').keys()], ['envoy']);
  });

  it('meshConfig.defaultProviders.accessLogging enables logging with no Telemetry at all', () => {
    assert.deepEqual(paths(mesh({ defaultAccessLogProviders: ['envoy'] }), [], podIn('default', {})), ['/dev/stdout']);
  });

  it('an extensionProviders envoyFileAccessLog gives its path and format; other provider kinds write nothing here', () => {
    const m = mesh({ extensionProviders: [{ name: 'file', envoyFileAccessLog: { path: '/tmp/a.log', logFormat: { labels: { code: '%RESPONSE_CODE%' } } } }, { name: 'otel', envoyOtelAls: { service: 'otel.default', port: 4317 } }] });
    const outs = accessLogOutputs(m, [telemetry('t', 'default', { accessLogging: [{ providers: [{ name: 'file' }, { name: 'otel' }] }] })], podIn('default', {}), 'CLIENT');
    assert.deepEqual(outs, [{ source: 'Telemetry provider file', path: '/tmp/a.log', customFormat: 'a JSON logFormat (labels)', filter: undefined }]);
  });

  it('filter expressions: response.code comparisons (&&, ||) are evaluated; anything else is not', () => {
    const f = compileAccessLogFilter('response.code >= 400')!;
    assert.deepEqual([200, 404, 503].map(f), [false, true, true]);
    assert.deepEqual([200, 404, 503].map(compileAccessLogFilter('response.code >= 400 && response.code < 500')!), [false, true, false]);
    assert.equal(compileAccessLogFilter('request.url_path.startsWith("/status")'), undefined);
    assert.equal(responseCodeOf('[2026-01-01T00:00:00.000Z] "GET /status/418 HTTP/1.1" 418 - via_upstream'), 418);
  });

  it('unmodelled Telemetry parts are named: tracing, a CEL filter it cannot evaluate, an unknown provider', () => {
    const t = telemetry('t', 'default', { tracing: [{ randomSamplingPercentage: 10 }], accessLogging: [{ providers: [{ name: 'nope' }], filter: { expression: 'request.host == "x"' } }] });
    assert.deepEqual(unmodelledTelemetryMessages(t, mesh()).map((w) => w.reason), ['TelemetryFieldsNotEmulated', 'AccessLogFilterNotEmulated', 'AccessLogProviderNotFound']);
    assert.deepEqual(unmodelledTelemetryMessages(telemetry('ok', 'default', envoyOn), mesh()), []);
  });
});
