import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { envoyStatsProbe, parseEnvoyStats, readCounter } from '../../src/probes/envoy-stats.js';
import { buildDeployment, buildPod, createContext, createFakeCluster, parseCheck } from './helpers.js';

const stats = (overflow: number) => `cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow: ${overflow}
cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_retry: 0
cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_pending_overflow: 1
cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_time: P0(nan,1) P25(nan,2)
server.live: 1
`;

function fortioCluster(overflow: number, code = 0) {
  return createFakeCluster([buildDeployment('fortio-deploy', { app: 'fortio' }), buildPod('fortio-1', { app: 'fortio' }, { containers: ['fortio', 'istio-proxy'] })], {
    exec: (_n, _p, container, argv) => (container === 'istio-proxy' && argv.join(' ') === 'pilot-agent request GET stats' ? { code, stdout: code ? '' : stats(overflow), stderr: code ? 'connection refused' : '' } : { code: 1, stdout: '', stderr: 'wrong exec' }),
  });
}

describe('envoy-stats probe', () => {
  it('parses name: value lines and matches names exactly or by suffix (summed)', () => {
    const s = parseEnvoyStats(stats(7));
    assert.equal(s.get('server.live'), 1);
    assert.equal(s.has('cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_time'), false);
    assert.equal(readCounter(s, 'upstream_rq_pending_overflow')!.value, 8);
    assert.equal(readCounter(s, 'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow')!.value, 7);
    assert.equal(readCounter(s, 'nope'), undefined);
  });

  it('passes when the circuit breaker tripped', async () => {
    const check = parseCheck({ kind: 'envoy-stats', deployment: 'fortio-deploy', counters: { 'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow': { gt: 0 } } });
    const r = await envoyStatsProbe(check, createContext(fortioCluster(12)));
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /=12 in istio-proxy of deployment\/fortio-deploy \(1 pod\)$/);
  });

  it('fails with the values it read; a missing stat counts as 0', async () => {
    const check = parseCheck({ kind: 'envoy-stats', deployment: 'fortio-deploy', counters: { 'httpbin.default.svc.cluster.local.upstream_rq_pending_overflow': { gt: 0 }, upstream_rq_retry_success: { gte: 1 } } });
    const r = await envoyStatsProbe(check, createContext(fortioCluster(0)));
    assert.equal(r.ok, false);
    assert.match(r.message, /upstream_rq_pending_overflow is 0, expected > 0; upstream_rq_retry_success is 0 \(no such stat; counted as 0\), expected ≥ 1/);
  });

  it('reports a failing pilot-agent', async () => {
    const check = parseCheck({ kind: 'envoy-stats', pod: { app: 'fortio' }, counters: { x: { eq: 0 } } });
    await assert.rejects(envoyStatsProbe(check, createContext(fortioCluster(0, 1))), /pilot-agent request GET stats failed in default\/fortio-1 \(istio-proxy\): connection refused/);
  });
});
