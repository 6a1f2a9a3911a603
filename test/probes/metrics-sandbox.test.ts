// The metrics probe against the sandbox's own Prometheus addon (not a fake): it passes when
// istio_requests_total for httpbin rises after traffic, and fails with a useful message for a wrong
// metric name, a wrong label value, no traffic, and PromQL the sandbox does not evaluate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { metricsProbe } from '../../src/probes/metrics.js';
import { eventually } from '../helpers/sandbox.js';
import { startMeshWithPrometheus, type MeshWithPrometheus } from '../helpers/mesh-prometheus.js';
import { createContext, parseCheck } from './helpers.js';

describe('metrics probe on the sandbox Prometheus', () => {
  let mesh: MeshWithPrometheus;
  let trafficStarted: Date;
  const metrics = (promql: string, expect: Record<string, unknown>) => parseCheck({ kind: 'metrics', promql, expect });

  before(async () => {
    mesh = await startMeshWithPrometheus();
    // Let a scrape see httpbin before the traffic, so "the step start" has a value to compare with.
    await eventually(async () => (await mesh.query('up{app="httpbin"}')).data.result.length > 0, 10000);
    await new Promise((r) => setTimeout(r, 300));
    trafficStarted = new Date();
    for (let i = 0; i < 4; i++) await mesh.cluster.exec('default', mesh.curlPod, 'curl', ['curl', '-s', '-o', '/dev/null', 'http://httpbin:8000/get'], { timeoutMs: 20000 });
  });
  after(async () => {
    await mesh.dispose();
  });

  it('passes: istio_requests_total for the httpbin service rose by the 4 requests since the step began', async () => {
    const check = metrics('sum(istio_requests_total{reporter="destination",destination_service_name="httpbin"})', { increase: { gte: 4 } });
    const r = await eventually(async () => {
      const res = await metricsProbe(check, createContext(mesh.cluster, { startedAt: trafficStarted }));
      return res.ok ? res : undefined;
    }, 10000);
    assert.match(r.message, /rose by 4 since the step began \(no data → 4\)/, "no series before the first request: Envoy creates a counter on its first increment");
  });

  it('fails on the Mixer-era metric name and on a label value no series has', async () => {
    const mixer = await metricsProbe(metrics('sum(istio_request_count{destination_service="httpbin.default.svc.cluster.local"})', { value: { gt: 0 } }), createContext(mesh.cluster));
    assert.equal(mixer.ok, false);
    assert.match(mixer.message, /istio_request_count.* returned no data, expected > 0/);
    const label = await metricsProbe(metrics('sum(istio_requests_total{destination_service_name="httpbin-v2"})', { value: { gt: 0 } }), createContext(mesh.cluster));
    assert.equal(label.ok, false);
    assert.match(label.message, /returned no data/);
  });

  it('fails when nothing was sent since the step began', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const r = await metricsProbe(metrics('sum(istio_requests_total{reporter="destination",destination_service_name="httpbin"})', { increase: { gt: 0 } }), createContext(mesh.cluster, { startedAt: new Date() }));
    assert.equal(r.ok, false);
    assert.match(r.message, /rose by 0 since the step began .*expected an increase > 0/);
  });

  it('reports PromQL the sandbox does not evaluate as Prometheus\'s bad_data error', async () => {
    await assert.rejects(
      metricsProbe(metrics('topk(1, istio_requests_total)', { value: { gt: 0 } }), createContext(mesh.cluster)),
      /Prometheus answered bad_data: the aggregation topk\(\) is not supported by the istio-lab sandbox's Prometheus/,
    );
  });
});
