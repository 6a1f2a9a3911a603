// Envoy's admin /stats/prometheus (port 15090, merged by pilot-agent on 15020): Istio's standard
// metrics, then the Envoy stats the proxy keeps (stats-inclusion.ts) renamed the way Envoy's tag
// extraction does for the stats the sandbox has — `cluster.<name>.<stat>` →
// `envoy_cluster_<stat>{cluster_name}`, response codes as `response_code` / `response_code_class`,
// `listener.<address>.<stat>` → `envoy_listener_<stat>{listener_address}`, the rest `envoy_<name>`.
// Envoy stats are printed untyped (no # TYPE lines), which PromQL does not mind.
import { formatLabels } from './istio-metrics.js';

/** Split `cluster.<name>.<stat>`; cluster names contain dots, the sandbox's stat suffixes are known. */
const clusterStatPattern = /^cluster\.(.+?)\.((?:upstream_|outlier_detection\.|circuit_breakers\.).*)$/;

/** Prometheus metric-name characters only. */
function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_');
}

/** One `name: value` Envoy stat as a Prometheus sample line. */
function convert(name: string, value: string): string {
  const cluster = clusterStatPattern.exec(name);
  if (cluster) {
    const [, clusterName, stat] = cluster;
    const code = /^upstream_rq_(\d{3})$/.exec(stat);
    if (code) return `envoy_cluster_upstream_rq{${formatLabels({ response_code: code[1], cluster_name: clusterName })}} ${value}`;
    const cls = /^upstream_rq_(\d)xx$/.exec(stat);
    if (cls) return `envoy_cluster_upstream_rq_xx{${formatLabels({ response_code_class: cls[1], cluster_name: clusterName })}} ${value}`;
    return `envoy_cluster_${sanitize(stat)}{${formatLabels({ cluster_name: clusterName })}} ${value}`;
  }
  const listener = /^listener\.(\d+\.\d+\.\d+\.\d+_\d+)\.(.+)$/.exec(name);
  if (listener) return `envoy_listener_${sanitize(listener[2])}{${formatLabels({ listener_address: listener[1] })}} ${value}`;
  return `envoy_${sanitize(name)} ${value}`;
}

/** The /stats/prometheus body: Istio metrics text, then the kept Envoy stats (`name: value` lines). */
export function renderPrometheusStats(istioText: string, envoyStats: string): string {
  const lines = envoyStats
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const i = line.lastIndexOf(': ');
      return convert(line.slice(0, i), line.slice(i + 2));
    });
  return istioText + (lines.length ? `${lines.join('\n')}\n` : '');
}
