// Scrape targets of one job: kubernetes_sd_configs role `pod` (one target per declared container port,
// one port-less target per container without ports, with Prometheus's __meta_kubernetes_pod_* labels)
// and static_configs, relabelled, defaulted (job, instance, scheme, path) and de-duplicated by their
// final label set, as a scrape pool does.
import type { KubeObject } from '../../types.js';
import type { ScrapeJob } from './config.js';
import { labelsKey } from './promql-functions.js';
import type { Labels } from './promql-values.js';
import { relabel } from './relabel.js';

/** One target to scrape. */
export interface Target {
  /** The final target labels (job, instance, and what relabelling kept). */
  labels: Labels;
  /** Labels before relabelling (the API's discoveredLabels). */
  discovered: Labels;
  url: string;
}

/** Prometheus label-name sanitising for discovered label and annotation keys. */
function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Discovered labels of every container port of every pod in `pods`. */
export function podTargets(pods: KubeObject[]): Labels[] {
  const out: Labels[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip) continue;
    const base: Labels = {
      __meta_kubernetes_namespace: pod.metadata.namespace ?? 'default',
      __meta_kubernetes_pod_name: pod.metadata.name ?? '',
      __meta_kubernetes_pod_ip: ip,
      __meta_kubernetes_pod_node_name: pod.spec?.nodeName ?? '',
      __meta_kubernetes_pod_host_ip: pod.status?.hostIP ?? '',
      __meta_kubernetes_pod_uid: pod.metadata.uid ?? '',
      __meta_kubernetes_pod_phase: pod.status?.phase ?? '',
      __meta_kubernetes_pod_ready: String((pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')),
    };
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) Object.assign(base, { [`__meta_kubernetes_pod_label_${sanitize(k)}`]: v, [`__meta_kubernetes_pod_labelpresent_${sanitize(k)}`]: 'true' });
    for (const [k, v] of Object.entries(pod.metadata.annotations ?? {})) Object.assign(base, { [`__meta_kubernetes_pod_annotation_${sanitize(k)}`]: v, [`__meta_kubernetes_pod_annotationpresent_${sanitize(k)}`]: 'true' });
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (owner) Object.assign(base, { __meta_kubernetes_pod_controller_kind: owner.kind, __meta_kubernetes_pod_controller_name: owner.name });
    const containers = [...(pod.spec?.initContainers ?? []).map((c: any) => ({ c, init: true })), ...(pod.spec?.containers ?? []).map((c: any) => ({ c, init: false }))];
    for (const { c, init } of containers) {
      const common = { ...base, __meta_kubernetes_pod_container_name: c.name, __meta_kubernetes_pod_container_image: c.image ?? '', __meta_kubernetes_pod_container_init: String(init) };
      const ports: any[] = c.ports ?? [];
      if (!ports.length && !init) out.push({ ...common, __address__: ip });
      for (const p of ports) {
        out.push({
          ...common,
          __address__: `${ip}:${p.containerPort}`,
          __meta_kubernetes_pod_container_port_name: p.name ?? '',
          __meta_kubernetes_pod_container_port_number: String(p.containerPort),
          __meta_kubernetes_pod_container_port_protocol: p.protocol ?? 'TCP',
        });
      }
    }
  }
  return out;
}

/** Relabels discovered targets into the job's scrape targets. */
export function buildTargets(job: ScrapeJob, discovered: Labels[]): Target[] {
  const seen = new Map<string, Target>();
  for (const d of discovered) {
    const start: Labels = { job: job.name, __scheme__: job.scheme, __metrics_path__: job.metricsPath, ...d };
    const after = relabel(start, job.relabel);
    if (!after?.__address__) continue;
    const labels: Labels = { instance: after.__address__ };
    for (const [k, v] of Object.entries(after)) if (!k.startsWith('__')) labels[k] = v;
    const params = Object.entries(after).filter(([k]) => k.startsWith('__param_')).map(([k, v]) => `${encodeURIComponent(k.slice(8))}=${encodeURIComponent(v)}`);
    const url = `${after.__scheme__}://${after.__address__}${after.__metrics_path__}${params.length ? `?${params.join('&')}` : ''}`;
    const key = labelsKey(labels);
    if (!seen.has(key)) seen.set(key, { labels, discovered: d, url });
  }
  return [...seen.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** The job's static targets as discovered label sets. */
export function staticTargets(job: ScrapeJob): Labels[] {
  return job.staticTargets.map((t) => ({ ...t.labels, __address__: t.address }));
}
