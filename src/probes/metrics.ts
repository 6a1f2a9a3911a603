// `metrics` probe: a PromQL query against the cluster's Prometheus, reached by port-forward to a
// pod behind its Service; compares the value, or its increase since the step began (the same
// query evaluated at the step's start time).
import type { MetricsCheck } from '../lab/index.js';
import type { Cluster, KubeObject } from '../cluster/types.js';
import { formatComparison, satisfies } from './compare.js';
import type { Probe } from './probe.js';
import { formatSelector } from './workload.js';

/** A Prometheus query result reduced to one number (vectors are summed); undefined when empty. */
export interface QueryValue {
  value: number | undefined;
  series: number;
}

/** Reduces a Prometheus /api/v1/query response body to one number. */
export function readQueryValue(body: any): QueryValue {
  if (body?.status !== 'success') throw new Error(`Prometheus answered ${body?.errorType ?? 'an error'}: ${body?.error ?? JSON.stringify(body).slice(0, 200)}`);
  const { resultType, result } = body.data ?? {};
  if (resultType === 'scalar') return { value: Number(result[1]), series: 1 };
  if (resultType === 'vector') return { value: result.length ? result.reduce((a: number, s: any) => a + Number(s.value[1]), 0) : undefined, series: result.length };
  throw new Error(`a ${resultType} result cannot be compared; make the query return a scalar or an instant vector`);
}

/** The pod and container port behind the Prometheus Service. */
async function findPrometheus(cluster: Cluster, cfg: MetricsCheck['prometheus']): Promise<{ pod: string; port: number }> {
  const service = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: cfg.service, namespace: cfg.namespace });
  if (!service) throw new Error(`no Prometheus Service ${cfg.namespace}/${cfg.service} (install samples/addons/prometheus.yaml)`);
  const ports: { port: number; targetPort?: number | string }[] = service.spec?.ports ?? [];
  const target = ports.find((p) => p.port === cfg.port)?.targetPort ?? cfg.port;
  const { items } = await cluster.list('v1', 'Pod', { namespace: cfg.namespace, labelSelector: formatSelector(service.spec?.selector ?? {}) });
  const pod: KubeObject | undefined = items.find((p) => p.status?.phase === 'Running');
  if (!pod) throw new Error(`no running Prometheus pod behind ${cfg.namespace}/${cfg.service}`);
  const named = (pod.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []).find((p: any) => p.name === target);
  return { pod: pod.metadata.name!, port: typeof target === 'number' ? target : named?.containerPort ?? 9090 };
}

/** Evaluates `promql` at `time` (default now) through a local port. */
async function query(localPort: number, promql: string, time: Date | undefined, signal: AbortSignal): Promise<QueryValue> {
  const params = new URLSearchParams({ query: promql, ...(time ? { time: String(time.getTime() / 1000) } : {}) });
  const res = await fetch(`http://127.0.0.1:${localPort}/api/v1/query?${params}`, { signal });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Prometheus answered ${res.status} with a non-JSON body: ${text.slice(0, 120)}`);
  }
  return readQueryValue(body);
}

/** Queries Prometheus and compares the value or its increase over the step. */
export const metricsProbe: Probe<MetricsCheck> = async (check, ctx) => {
  const { pod, port } = await findPrometheus(ctx.cluster, check.prometheus);
  const forward = await ctx.cluster.portForward(check.prometheus.namespace, pod, port);
  try {
    const now = await query(forward.localPort, check.promql, undefined, ctx.signal);
    const cmp = check.expect.value ?? check.expect.increase!;
    let value = now.value;
    let what = `${check.promql} = ${now.value ?? 'no data'}`;
    if (check.expect.increase && now.value !== undefined) {
      const before = await query(forward.localPort, check.promql, ctx.startedAt, ctx.signal);
      value = now.value - (before.value ?? 0);
      what = `${check.promql} rose by ${value} since the step began (${before.value ?? 'no data'} → ${now.value})`;
    }
    const series = now.series > 1 ? ` (sum of ${now.series} series)` : '';
    if (value === undefined) return { ok: false, message: `${check.promql} returned no data, expected ${formatComparison(cmp)}` };
    if (satisfies(value, cmp)) return { ok: true, message: `${what}${series}` };
    return { ok: false, message: `${what}${series}, expected ${check.expect.increase ? 'an increase ' : ''}${formatComparison(cmp)}`, observed: { value, series: now.series } };
  } finally {
    await forward.close();
  }
};
