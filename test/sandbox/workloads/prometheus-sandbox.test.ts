// Istio standard metrics end to end on the sandbox: a meshed curl pod calls httpbin, the sidecars count
// istio_requests_total (reporter=source on curl's, reporter=destination on httpbin's) on
// /stats/prometheus, and the Prometheus addon scrapes them through the kubernetes-pods job.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/sandbox.js';
import { startMeshWithPrometheus, type MeshWithPrometheus } from '../../helpers/mesh-prometheus.js';

const sum = (body: any): number | undefined => (body.data.result.length ? body.data.result.reduce((a: number, r: any) => a + Number(r.value[1]), 0) : undefined);

describe('sandbox: Istio standard metrics scraped by the Prometheus addon', () => {
  let mesh: MeshWithPrometheus;
  const curl = (...args: string[]) => mesh.cluster.exec('default', mesh.curlPod, 'curl', ['curl', ...args], { timeoutMs: 20000 });

  before(async () => {
    mesh = await startMeshWithPrometheus();
  });
  after(async () => {
    await mesh.dispose();
  });

  it('istio_requests_total for httpbin rises after traffic, with the labels Istio reports on each side', async () => {
    const dest = 'istio_requests_total{reporter="destination",destination_service_name="httpbin",response_code="418"}';
    const before = sum(await mesh.query(`sum(${dest})`)) ?? 0;
    for (let i = 0; i < 5; i++) assert.equal((await curl('-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/status/418')).stdout, '418');
    const after = await eventually(async () => {
      const v = sum(await mesh.query(`sum(${dest})`));
      return v !== undefined && v >= before + 5 ? v : undefined;
    }, 10000);
    assert.equal(after - before, 5);

    const server = (await mesh.query(dest)).data.result;
    assert.equal(server.length, 1);
    const s = server[0].metric;
    assert.deepEqual(
      {
        reporter: s.reporter,
        source_workload: s.source_workload,
        source_workload_namespace: s.source_workload_namespace,
        source_principal: s.source_principal,
        source_app: s.source_app,
        source_canonical_service: s.source_canonical_service,
        destination_workload: s.destination_workload,
        destination_workload_namespace: s.destination_workload_namespace,
        destination_principal: s.destination_principal,
        destination_app: s.destination_app,
        destination_version: s.destination_version,
        destination_service: s.destination_service,
        destination_service_name: s.destination_service_name,
        destination_service_namespace: s.destination_service_namespace,
        destination_canonical_revision: s.destination_canonical_revision,
        request_protocol: s.request_protocol,
        response_flags: s.response_flags,
        connection_security_policy: s.connection_security_policy,
      },
      {
        reporter: 'destination',
        source_workload: 'curl',
        source_workload_namespace: 'default',
        source_principal: 'spiffe://cluster.local/ns/default/sa/curl',
        source_app: 'curl',
        source_canonical_service: 'curl',
        destination_workload: 'httpbin',
        destination_workload_namespace: 'default',
        destination_principal: 'spiffe://cluster.local/ns/default/sa/httpbin',
        destination_app: 'httpbin',
        destination_version: 'v1',
        destination_service: 'httpbin.default.svc.cluster.local',
        destination_service_name: 'httpbin',
        destination_service_namespace: 'default',
        destination_canonical_revision: 'v1',
        request_protocol: 'http',
        response_flags: '-',
        connection_security_policy: 'mutual_tls',
      },
    );
    // Prometheus's kubernetes-pods job adds the target labels of the scraped pod.
    assert.equal(s.job, 'kubernetes-pods');
    assert.equal(s.app, 'httpbin');
    assert.match(s.pod, /^httpbin-/);

    const client = (await mesh.query('istio_requests_total{reporter="source",destination_service_name="httpbin",response_code="418"}')).data.result;
    assert.equal(client.length, 1);
    assert.equal(client[0].metric.source_workload, 'curl');
    assert.equal(client[0].metric.connection_security_policy, 'unknown');
    assert.equal(client[0].metric.app, 'curl', 'scraped from the curl pod');
    assert.equal(Number(client[0].value[1]), 5);
  });

  it('the duration histogram counts the same requests, and rate() over the scrapes is positive', async () => {
    const count = await mesh.query('sum(istio_request_duration_milliseconds_count{reporter="destination",destination_service_name="httpbin",response_code="418"})');
    const inf = await mesh.query('sum(istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_name="httpbin",response_code="418",le="+Inf"})');
    assert.equal(sum(count), 5);
    assert.equal(sum(inf), 5);
    for (let i = 0; i < 3; i++) await curl('-s', '-o', '/dev/null', 'http://httpbin:8000/status/418');
    await eventually(async () => (sum(await mesh.query('sum(rate(istio_requests_total{reporter="destination",destination_service_name="httpbin"}[5s]))')) ?? 0) > 0, 10000);
  });

  it('§7/§8 the agent port 15020 is outside inbound capture: the gateway is scraped, and STRICT mTLS does not stop scrapes', async () => {
    const gw = await eventually(async () => {
      const r = (await mesh.query('up{job="kubernetes-pods",app="istio-ingressgateway"}')).data.result;
      return r.length ? r : undefined;
    }, 10000);
    assert.equal(gw[0].value[1], '1');
    await mesh.cluster.apply({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'default' }, spec: { mtls: { mode: 'STRICT' } } }, { fieldManager: 'test', force: true });
    const t = Date.now() / 1000 + 1;
    await new Promise((r) => setTimeout(r, 1500));
    const up = (await mesh.query('up{job="kubernetes-pods",app="httpbin"}', t)).data.result;
    assert.equal(up[0].value[1], '1');
    await mesh.cluster.delete({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', name: 'default', namespace: 'default' });
  });

  it('a local reply is counted too: 404 NR from curl\'s sidecar for a path no route matches', async () => {
    await mesh.cluster.apply(
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'httpbin', namespace: 'default' }, spec: { hosts: ['httpbin'], http: [{ match: [{ uri: { prefix: '/status' } }], route: [{ destination: { host: 'httpbin' } }] }] } },
      { fieldManager: 'test', force: true },
    );
    await eventually(async () => (await curl('-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/get')).stdout === '404', 10000);
    const nr = await eventually(async () => {
      const r = (await mesh.query('istio_requests_total{reporter="source",response_code="404",response_flags="NR"}')).data.result;
      return r.length ? r : undefined;
    }, 10000);
    assert.equal(nr[0].metric.destination_service, 'httpbin.default.svc.cluster.local');
    assert.equal(nr[0].metric.destination_workload, 'unknown');
  });
});
