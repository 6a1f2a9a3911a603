import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/cluster/types.js';
import { metricsProbe, readQueryValue } from '../../src/probes/metrics.js';
import { buildPod, createContext, createFakeCluster, parseCheck, startServer } from './helpers.js';

const promService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'prometheus', namespace: 'istio-system' },
  spec: { selector: { app: 'prometheus' }, ports: [{ port: 9090, targetPort: 9090 }] },
};
const vector = (...values: number[]) => ({ status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1, String(v)] })) } });

/** A fake Prometheus: `at` maps the query's `time` parameter (absent = now) to a response body. */
async function prometheus(at: (time: string | null) => unknown) {
  const queries: URLSearchParams[] = [];
  const srv = await startServer((req, res) => {
    const params = new URL(req.url!, 'http://x').searchParams;
    queries.push(params);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(at(params.get('time'))));
  });
  const cluster = createFakeCluster([promService, buildPod('prometheus-1', { app: 'prometheus' }, { namespace: 'istio-system', containers: ['prometheus-server'] })], { portForward: () => srv.port });
  return { srv, cluster, queries };
}

describe('metrics probe', () => {
  it('compares a value through a port-forward to the Prometheus pod, and closes it', async () => {
    const { srv, cluster, queries } = await prometheus(() => vector(3, 4));
    try {
      const check = parseCheck({ kind: 'metrics', promql: 'sum(istio_requests_total{destination_app="reviews"})', expect: { value: { gte: 5 } } });
      const r = await metricsProbe(check, createContext(cluster));
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /= 7 \(sum of 2 series\)$/);
      assert.equal(queries[0].get('query'), 'sum(istio_requests_total{destination_app="reviews"})');
      assert.deepEqual(cluster.calls.forwards, ['istio-system/prometheus-1:9090']);
      assert.equal(cluster.calls.closedForwards, 1);
    } finally {
      await srv.close();
    }
  });

  it('measures the increase since the step began (the query at the step start time)', async () => {
    const startedAt = new Date('2026-01-01T00:00:00Z');
    const { srv, cluster, queries } = await prometheus((time) => (time ? vector(10) : vector(10)));
    try {
      const check = parseCheck({ kind: 'metrics', promql: 'sum(istio_requests_total)', expect: { increase: { gt: 0 } } });
      const r = await metricsProbe(check, createContext(cluster, { startedAt }));
      assert.equal(r.ok, false);
      assert.match(r.message, /rose by 0 since the step began \(10 → 10\), expected an increase > 0/);
      assert.equal(queries[1].get('time'), String(startedAt.getTime() / 1000));
    } finally {
      await srv.close();
    }
  });

  it('says when the query has no data or Prometheus is missing', async () => {
    const { srv, cluster } = await prometheus(() => vector());
    try {
      const r = await metricsProbe(parseCheck({ kind: 'metrics', promql: 'up{job="none"}', expect: { value: { eq: 1 } } }), createContext(cluster));
      assert.match(r.message, /returned no data, expected = 1/);
    } finally {
      await srv.close();
    }
    await assert.rejects(metricsProbe(parseCheck({ kind: 'metrics', promql: 'up', expect: { value: { eq: 1 } } }), createContext(createFakeCluster([]))), /no Prometheus Service istio-system\/prometheus/);
  });

  it('reads scalars and refuses range results', () => {
    assert.deepEqual(readQueryValue({ status: 'success', data: { resultType: 'scalar', result: [1, '2.5'] } }), { value: 2.5, series: 1 });
    assert.throws(() => readQueryValue({ status: 'success', data: { resultType: 'matrix', result: [] } }), /a matrix result cannot be compared/);
    assert.throws(() => readQueryValue({ status: 'error', errorType: 'bad_data', error: 'parse error' }), /bad_data: parse error/);
  });
});
