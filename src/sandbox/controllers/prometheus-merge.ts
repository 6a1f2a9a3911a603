// Istio's "metrics merge" at injection (istio/istio pkg/kube/inject applyPrometheusMerge; istio.io
// docs/ops/integrations/prometheus, "Option 1: Metrics merging"): unless the pod opts out of scraping
// or of merging, the injector moves the pod's own prometheus.io/{scrape,path,port} annotations into
// the sidecar's ISTIO_PROMETHEUS_ANNOTATIONS env and points the annotations at the agent
// (15020, /stats/prometheus), which then serves Envoy's metrics together with the app's.
import type { KubeObject } from '../types.js';

/** The agent's status port, where the merged metrics are served. */
export const MERGED_METRICS_PORT = '15020';
/** The env var the agent reads the app's original scrape settings from. */
export const PROMETHEUS_ANNOTATIONS_ENV = 'ISTIO_PROMETHEUS_ANNOTATIONS';
/** Pod annotation that overrides meshConfig.enablePrometheusMerge for one pod. */
const mergeAnnotation = 'prometheus.istio.io/merge-metrics';

/** Prometheus's label-name sanitising: `prometheus.io/scrape`, `prometheus-io/scrape` … are one annotation to it. */
const sanitized = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, '_');
const kinds = { prometheus_io_scrape: 'scrape', prometheus_io_path: 'path', prometheus_io_port: 'port' } as const;

/** Go's strconv.ParseBool. */
export function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Rewrites `pod`'s annotations and the sidecar's env in place; `meshEnabled` is meshConfig.enablePrometheusMerge (default true). */
export function applyPrometheusMerge(pod: KubeObject, sidecar: { env?: { name: string; value?: string }[] }, meshEnabled = true): void {
  const annotations: Record<string, string> = pod.metadata.annotations ?? {};
  const found: { scrape?: string; path?: string; port?: string } = {};
  for (const [k, v] of Object.entries(annotations)) {
    const kind = kinds[sanitized(k) as keyof typeof kinds];
    if (kind) found[kind] = v;
  }
  // A pod that says it must not be scraped keeps its annotations.
  if (found.scrape !== undefined && parseBool(found.scrape) === false) return;
  const perPod = annotations[mergeAnnotation] !== undefined ? parseBool(annotations[mergeAnnotation]) : undefined;
  if (!(perPod ?? meshEnabled)) return;
  // Already pointing at the agent (re-injection, or the user's own choice).
  if (found.port === MERGED_METRICS_PORT) return;
  if (found.scrape !== undefined || found.path !== undefined || found.port !== undefined) {
    sidecar.env = [...(sidecar.env ?? []), { name: PROMETHEUS_ANNOTATIONS_ENV, value: JSON.stringify({ scrape: found.scrape ?? '', path: found.path ?? '', port: found.port ?? '' }) }];
  }
  for (const k of Object.keys(annotations)) if (kinds[sanitized(k) as keyof typeof kinds]) delete annotations[k];
  pod.metadata.annotations = { ...annotations, 'prometheus.io/port': MERGED_METRICS_PORT, 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/scrape': 'true' };
}

/** What the agent reads back from ISTIO_PROMETHEUS_ANNOTATIONS: the app endpoint it merges (path /metrics and port 80 unless set), or undefined when the app is not scraped. */
export function appScrapeTarget(raw: string | undefined): { port: string; path: string } | undefined {
  if (!raw) return undefined;
  try {
    const cfg = JSON.parse(raw) as { scrape?: string; path?: string; port?: string };
    if (cfg.scrape && parseBool(cfg.scrape) === false) return undefined;
    return { port: cfg.port || '80', path: cfg.path || '/metrics' };
  } catch {
    return undefined;
  }
}
