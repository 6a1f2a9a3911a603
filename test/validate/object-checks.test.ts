import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkLegacyFields, checkName, checkObject, createKindRegistry, selectNameRule } from '../../src/validate/index.js';
import { convertPointer } from '../../src/validate/istio-schema.js';
import { findPaths } from '../../src/validate/legacy-fields.js';

const registry = createKindRegistry();

async function check(object: unknown): Promise<string[]> {
  return (await checkObject(object, registry)).map((p) => `${p.severity} ${p.path.join('.')}: ${p.message}`);
}

describe('names', () => {
  it('uses the rule of the kind', () => {
    assert.equal(selectNameRule('Deployment'), 'dns1123Subdomain');
    assert.equal(selectNameRule('Namespace'), 'dns1123Label');
    assert.equal(selectNameRule('Service'), 'dns1035Label');
    assert.equal(selectNameRule('ClusterRole'), 'pathSegment');
  });

  it('accepts valid names and suggests a fix for invalid ones', () => {
    assert.equal(checkName('reviews-v1.bookinfo', 'dns1123Subdomain'), undefined);
    assert.equal(checkName('system:aggregate-to-view', 'pathSegment'), undefined);
    assert.match(checkName('reviews.v1', 'dns1123Label') ?? '', /DNS-1123 label.*\(try "reviews-v1"\)$/);
    assert.match(checkName('1st', 'dns1035Label') ?? '', /starting with a letter/);
    assert.match(checkName('a'.repeat(64), 'dns1123Label') ?? '', /at most 63 characters/);
    assert.match(checkName('a/b', 'pathSegment') ?? '', /without "\/" or "%"/);
  });
});

describe('Istio schema', () => {
  it('maps ajv errors to field paths with a readable message', async () => {
    const problems = await check({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', labels: { version: 1 } },
      spec: {
        hosts: 'reviews',
        http: [{ match: [{ uri: { exact: '/a', prefix: '/b' } }], route: [{ destination: { host: 'reviews', port: { number: '80' } } }], timeout: 5 }],
      },
    });
    assert.deepEqual(problems, [
      'error spec.hosts: must be a list, got "reviews"',
      'error spec.http.0.match.0.uri: set only one of "exact", "prefix"; they are alternatives',
      'error spec.http.0.route.0.destination.port.number: must be an integer, got "80"',
      'error spec.http.0.timeout: must be a string, got 5',
      'error metadata.labels.version: must be a string, got 1',
    ]);
  });

  it('validates v1 security and telemetry kinds with the closest model', async () => {
    assert.deepEqual(await check({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default' }, spec: { mtls: { mode: 'strict' } } }), [
      'error spec.mtls.mode: must be one of UNSET, DISABLE, PERMISSIVE, STRICT; got "strict"',
    ]);
    assert.deepEqual(await check({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh' }, spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } }), []);
  });

  it('turns JSON pointers into path segments, numbers only for list indexes', () => {
    const data = { spec: { http: [{ headers: { '0': 'x', 'a/b': 'y' } }] } };
    assert.deepEqual(convertPointer('/spec/http/0/headers/0', data), ['spec', 'http', 0, 'headers', '0']);
    assert.deepEqual(convertPointer('/spec/http/0/headers/a~1b', data), ['spec', 'http', 0, 'headers', 'a/b']);
  });
});

describe('legacy fields', () => {
  it('finds every match of a pattern across list items', () => {
    const spec = { spec: { subsets: [{ trafficPolicy: { outlierDetection: { consecutiveErrors: 1 } } }, {}, { trafficPolicy: { outlierDetection: { consecutiveErrors: 2 } } }] } };
    assert.deepEqual(findPaths(spec, 'spec.subsets[].trafficPolicy.outlierDetection.consecutiveErrors'), [
      ['spec', 'subsets', 0, 'trafficPolicy', 'outlierDetection', 'consecutiveErrors'],
      ['spec', 'subsets', 2, 'trafficPolicy', 'outlierDetection', 'consecutiveErrors'],
    ]);
  });

  it('flags removed VirtualService fields as errors and deprecated ones as warnings', () => {
    const vs = { spec: { http: [{ websocketUpgrade: true, mirrorPercent: 5, removeResponseHeaders: ['x'] }] } };
    assert.deepEqual(
      checkLegacyFields(vs, 'VirtualService').map((p) => `${p.severity} ${p.path.join('.')}`),
      ['warning spec.http.0.mirrorPercent', 'error spec.http.0.websocketUpgrade', 'error spec.http.0.removeResponseHeaders'],
    );
  });

  it('flags DestinationRule consecutiveErrors with its replacement', async () => {
    const problems = await check({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews' },
      spec: { host: 'reviews', trafficPolicy: { outlierDetection: { consecutiveErrors: 5 } } },
    });
    assert.deepEqual(problems, [
      'error spec.trafficPolicy.outlierDetection.consecutiveErrors: consecutiveErrors is ignored since Istio 1.7; use consecutive5xxErrors (or consecutiveGatewayErrors for 502/503/504 only)',
    ]);
  });
});

describe('checkObject', () => {
  it('stops at the shape check when apiVersion, kind or metadata.name is missing', async () => {
    assert.deepEqual(await check({ kind: 'Service', metadata: {} }), [
      'error apiVersion: missing required field "apiVersion"',
      'error metadata.name: missing required field "metadata.name"',
    ]);
  });

  it('checks metadata.namespace as a DNS-1123 label', async () => {
    assert.deepEqual(await check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'Book_Info' } }), [
      'error metadata.namespace: namespace "Book_Info" is not valid: it must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (try "book-info")',
    ]);
  });
});
