// Istio trims the stats Envoy keeps unless the pod opts in (istio.io ops/configuration/telemetry/envoy-stats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterStatsForPod } from '../../../../src/sandbox/mesh/proxy/stats-inclusion.js';

const stats = ['cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow: 3', 'cluster.xds-grpc.upstream_cx_total: 1', 'server.live: 1', 'http.inbound_0.0.0.0_8080.rq_total: 9'].join('\n');
const pod = (annotations?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', annotations } });

test('stats: a pod without proxyStatsMatcher reports only the default prefixes (no cluster.outbound)', () => {
  assert.equal(filterStatsForPod(stats, pod()), 'cluster.xds-grpc.upstream_cx_total: 1\nserver.live: 1');
});

test('stats: proxy.istio.io/config proxyStatsMatcher inclusionPrefixes opts in (Istio fortio sample)', () => {
  const out = filterStatsForPod(stats, pod({ 'proxy.istio.io/config': 'proxyStatsMatcher:\n  inclusionPrefixes:\n  - "cluster.outbound"' }));
  assert.match(out, /upstream_rq_pending_overflow: 3/);
  assert.doesNotMatch(out, /http\.inbound/);
});

test('stats: legacy sidecar.istio.io/statsInclusionRegexps still opts in', () => {
  assert.match(filterStatsForPod(stats, pod({ 'sidecar.istio.io/statsInclusionRegexps': 'http\\..*' })), /http\.inbound_0\.0\.0\.0_8080\.rq_total: 9/);
});
