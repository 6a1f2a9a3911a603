// Istio's standard HTTP metrics on one proxy (istio.io docs/reference/config/metrics): the
// `istio_requests_total` counter and the `istio_request_duration_milliseconds` histogram (Envoy's
// default buckets), counted when the proxy finishes a request — outbound/gateway as reporter=source,
// inbound as reporter=destination — and printed in Prometheus text as Envoy's /stats/prometheus does.
// Not modelled: istio_request_bytes / istio_response_bytes, gRPC message counts and TCP metrics.
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { hasSidecar, podByIp } from '../routing/index.js';
import { istioRequestLabels, serviceOfCluster, serviceOfInbound, type RequestFacts } from './istio-labels.js';
import type { ProxyState } from './proxy-state.js';

/** Envoy's default histogram buckets (ms), which Istio keeps for request duration. */
export const durationBucketsMs = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

interface Series {
  labels: Record<string, string>;
  count: number;
  sumMs: number;
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  buckets: number[];
}

/** The Istio metrics one proxy has counted. */
export class IstioMetrics {
  private readonly series = new Map<string, Series>();

  /** Counts one finished request with its labels (always the same names, in the same order: istio-labels.ts) and duration. */
  record(labels: Record<string, string>, durationMs: number): void {
    let key = '';
    for (const k in labels) key += `${labels[k]}\u0001`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, count: 0, sumMs: 0, buckets: new Array(durationBucketsMs.length + 1).fill(0) }));
    s.count++;
    s.sumMs += durationMs;
    const i = durationBucketsMs.findIndex((b) => durationMs <= b);
    s.buckets[i < 0 ? durationBucketsMs.length : i]++;
  }

  /** Prometheus text exposition (series in a stable order). */
  render(): string {
    if (!this.series.size) return '';
    const all = [...this.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
    const out = ['# TYPE istio_requests_total counter'];
    for (const s of all) out.push(`istio_requests_total{${formatLabels(s.labels)}} ${s.count}`);
    out.push('# TYPE istio_request_duration_milliseconds histogram');
    for (const s of all) {
      const labels = formatLabels(s.labels);
      let cumulative = 0;
      durationBucketsMs.forEach((le, i) => {
        cumulative += s.buckets[i];
        out.push(`istio_request_duration_milliseconds_bucket{${labels},le="${le}"} ${cumulative}`);
      });
      out.push(`istio_request_duration_milliseconds_bucket{${labels},le="+Inf"} ${s.count}`);
      out.push(`istio_request_duration_milliseconds_sum{${labels}} ${s.sumMs}`);
      out.push(`istio_request_duration_milliseconds_count{${labels}} ${s.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}

/** `a="x",b="y"` with Prometheus escaping. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
    .join(',');
}

const byProxy = new WeakMap<ProxyState, IstioMetrics>();

/** The Istio metrics of a proxy (created empty on first use; lives as long as the proxy's state). */
export function istioMetricsOf(proxy: ProxyState): IstioMetrics {
  let m = byProxy.get(proxy);
  if (!m) byProxy.set(proxy, (m = new IstioMetrics()));
  return m;
}

/** What the outbound side knows when a request ends. */
export interface SourceReport {
  pod: KubeObject;
  cluster?: string;
  /** `ip:port` of the upstream host, when one was chosen. */
  upstreamHost?: string;
  authority: string;
  /** The matched virtual host (`host:port`), for local replies that chose no cluster. */
  vhost?: string;
  autoMtls: boolean;
  status: number;
  flags: string[];
  durationMs: number;
}

/** reporter=source: a sidecar's outbound request or a gateway's request has finished. */
export function recordSourceRequest(snap: MeshSnapshot, proxy: ProxyState, r: SourceReport): void {
  const ip = r.upstreamHost?.replace(/:\d+$/, '');
  const destination = ip ? podByIp(snap, ip) : undefined;
  const host = r.authority.replace(/:\d+$/, '');
  const facts: RequestFacts = {
    reporter: 'source',
    source: r.pod,
    destination,
    service: serviceOfCluster(snap, r.cluster, host, r.vhost?.replace(/:\d+$/, '')),
    // Auto mTLS picks mTLS towards pods with a sidecar (§8); an explicit DR tls mode is not consulted here.
    mtls: r.autoMtls && hasSidecar(destination),
    status: r.status,
    flags: r.flags,
  };
  istioMetricsOf(proxy).record(istioRequestLabels(facts, snap.domain), r.durationMs);
}

/** reporter=destination: a sidecar's inbound request has finished. */
export function recordDestinationRequest(snap: MeshSnapshot, proxy: ProxyState, r: { pod: KubeObject; port: number; source?: KubeObject; mtls: boolean; authority: string; status: number; flags: string[]; durationMs: number }): void {
  const facts: RequestFacts = {
    reporter: 'destination',
    source: r.source,
    destination: r.pod,
    service: serviceOfInbound(snap, r.pod, r.port, r.authority.replace(/:\d+$/, '')),
    mtls: r.mtls,
    status: r.status,
    flags: r.flags,
  };
  istioMetricsOf(proxy).record(istioRequestLabels(facts, snap.domain), r.durationMs);
}
