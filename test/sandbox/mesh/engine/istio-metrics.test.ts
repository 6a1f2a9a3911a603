// Istio standard metrics on the proxy engine (istio.io docs/reference/config/metrics): what each
// proxy prints on /stats/prometheus after requests finish — both reporters, the label values, the
// duration histogram — plus the kept Envoy stats renamed as Envoy's Prometheus output names them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition } from '../../../../src/sandbox/workloads/prometheus/exposition.js';
import { durationBucketsMs } from '../../../../src/sandbox/mesh/proxy/istio-metrics.js';
import { harness, pod, reply, snapshot, world } from './harness.js';

/** Samples of one metric in a proxy's exposition, by name. */
function samples(text: string, name: string) {
  return parseExposition(text).filter((s) => s.labels.__name__ === name);
}

describe('Istio standard metrics on the engine', () => {
  const w = world();
  const h = harness(snapshot(w.base), { app: (_p, _port, req) => reply(req.path.startsWith('/status/503') ? 503 : 200, 'ok') });

  it('the client sidecar reports reporter="source" and the server sidecar reporter="destination", one series per response code', async () => {
    for (let i = 0; i < 3; i++) await h.send(w.sleep, 'httpbin:8000', '/get');
    await h.send(w.sleep, 'httpbin:8000', '/status/503');
    const client = samples(h.engine.prometheus(w.sleep), 'istio_requests_total');
    assert.deepEqual(client.map((s) => [s.labels.reporter, s.labels.response_code, s.value]), [['source', '200', 3], ['source', '503', 1]]);
    assert.deepEqual(
      { ...client[0].labels, __name__: undefined },
      {
        __name__: undefined,
        reporter: 'source',
        source_workload: 'sleep-1',
        source_canonical_service: 'sleep',
        source_canonical_revision: 'latest',
        source_workload_namespace: 'default',
        source_principal: 'spiffe://cluster.local/ns/default/sa/sleep',
        source_app: 'sleep',
        source_version: '',
        source_cluster: 'Kubernetes',
        destination_workload: 'httpbin-1',
        destination_workload_namespace: 'default',
        destination_principal: 'spiffe://cluster.local/ns/default/sa/httpbin',
        destination_app: 'httpbin',
        destination_version: 'v1',
        destination_service: 'httpbin.default.svc.cluster.local',
        destination_canonical_service: 'httpbin',
        destination_canonical_revision: 'v1',
        destination_service_name: 'httpbin',
        destination_service_namespace: 'default',
        destination_cluster: 'Kubernetes',
        request_protocol: 'http',
        response_code: '200',
        grpc_response_status: '',
        response_flags: '-',
        connection_security_policy: 'unknown',
      },
    );
    const server = samples(h.engine.prometheus(w.httpbin), 'istio_requests_total');
    assert.deepEqual(server.map((s) => [s.labels.reporter, s.labels.response_code, s.value]), [['destination', '200', 3], ['destination', '503', 1]]);
    assert.equal(server[0].labels.connection_security_policy, 'mutual_tls');
    assert.equal(server[0].labels.source_workload, 'sleep-1');
  });

  it('the duration histogram has Envoy\'s default buckets, cumulative, with _sum and _count', async () => {
    const text = h.engine.prometheus(w.httpbin);
    assert.match(text, /^# TYPE istio_request_duration_milliseconds histogram$/m);
    const buckets = samples(text, 'istio_request_duration_milliseconds_bucket').filter((s) => s.labels.response_code === '200');
    assert.deepEqual(buckets.map((s) => s.labels.le), [...durationBucketsMs.map(String), '+Inf']);
    // The engine's manual clock does not move, so every request took 0 ms: all land in the first bucket.
    assert.ok(buckets.every((s) => s.value === 3));
    assert.equal(samples(text, 'istio_request_duration_milliseconds_count').find((s) => s.labels.response_code === '200')?.value, 3);
    assert.equal(samples(text, 'istio_request_duration_milliseconds_sum').find((s) => s.labels.response_code === '200')?.value, 0);
    // An app that takes 30 ms: the request counts in le="50" and every bucket above, not in le="25".
    const slow = harness(snapshot(w.base), { app: () => (slow.advance(30), reply(200)) });
    await slow.send(w.sleep, 'httpbin:8000', '/delay');
    const timed = samples(slow.engine.prometheus(w.httpbin), 'istio_request_duration_milliseconds_bucket');
    assert.deepEqual(timed.filter((b) => b.value === 1).map((b) => b.labels.le)[0], '50');
    assert.equal(timed.find((b) => b.labels.le === '25')?.value, 0);
    assert.equal(samples(slow.engine.prometheus(w.httpbin), 'istio_request_duration_milliseconds_sum')[0].value, 30);
  });

  it('a caller without a sidecar is "unknown" to the destination report, and its plaintext is connection_security_policy="none"', async () => {
    const plain = pod('legacy', 'default', { app: 'legacy' }, { sidecar: false });
    await h.engine.inbound(w.httpbin, 8080, { method: 'GET', path: '/get', authority: 'httpbin:8000', headers: {} }, { mtls: false, source: plain }, async () => reply(200));
    const s = samples(h.engine.prometheus(w.httpbin), 'istio_requests_total').find((x) => x.labels.connection_security_policy === 'none');
    assert.ok(s, 'a plaintext series');
    assert.deepEqual([s.labels.source_workload, s.labels.source_app, s.labels.source_principal, s.labels.destination_service], ['unknown', 'unknown', 'unknown', 'httpbin.default.svc.cluster.local']);
  });

  it('the kept Envoy stats follow, named as Envoy\'s /stats/prometheus names them', () => {
    const text = h.engine.prometheus(w.sleep);
    const rq = samples(text, 'envoy_cluster_upstream_rq').find((s) => s.labels.response_code === '503');
    assert.deepEqual(rq?.labels, { __name__: 'envoy_cluster_upstream_rq', response_code: '503', cluster_name: 'outbound|8000||httpbin.default.svc.cluster.local' });
    assert.equal(rq?.value, 1);
    assert.equal(samples(text, 'envoy_cluster_upstream_rq_xx').find((s) => s.labels.response_code_class === '2' && s.labels.cluster_name.includes('httpbin'))?.value, 3);
    assert.equal(samples(text, 'envoy_cluster_upstream_rq_total').find((s) => s.labels.cluster_name === 'outbound|8000||httpbin.default.svc.cluster.local')?.value, 4);
  });
});
