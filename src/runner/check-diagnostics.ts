// The diagnostics attached to a step whose traffic checks failed: the Istio objects that decide where
// the checked requests go (VirtualServices, DestinationRules; Gateways for ingress checks) and the
// recent access log of the proxies on their way (the sending pod's sidecar or the ingress gateway,
// and the called service's sidecars): what a person would `kubectl get vs,dr -o yaml` and
// `kubectl logs -c istio-proxy` for. Never throws: what cannot be read is said in one line.
import yaml from 'js-yaml';
import type { Check } from '../lab/index.js';
import type { Cluster, KubeObject } from '../cluster/types.js';
import { findGatewayService } from '../traffic/index.js';
import type { StepContext } from './context.js';

const ISTIO = 'networking.istio.io/v1';
/** Most objects and log lines shown, so a failure stays readable. */
const MAX_OBJECTS = 6;
const MAX_OBJECT_LINES = 24;
const LOG_LINES = 5;

/** What a failed check tells about where its traffic went. */
interface TrafficScope {
  namespaces: Set<string>;
  /** Short service names the requests were for (empty: every object in the namespaces). */
  services: Set<string>;
  /** Pods whose sidecar sent the requests, by namespace and labels. */
  sources: { namespace: string; labels?: Record<string, string>; deployment?: string }[];
  ingress: boolean;
}

/** The scope of the failed checks that send or observe mesh traffic; undefined when none does. */
function scopeOf(checks: Check[], labNamespace: string): TrafficScope | undefined {
  const scope: TrafficScope = { namespaces: new Set(), services: new Set(), sources: [], ingress: false };
  for (const check of checks) {
    const c = check as Check & { from?: unknown; host?: string; namespace?: string; deployment?: string; pod?: Record<string, string> };
    if (!['http', 'traffic', 'latency', 'load', 'logs', 'envoy-stats'].includes(check.kind)) continue;
    scope.namespaces.add(labNamespace);
    if (c.from === 'ingress') scope.ingress = true;
    else if (c.from && typeof c.from === 'object') {
      const from = c.from as { namespace?: string; pod?: Record<string, string>; deployment?: string };
      scope.sources.push({ namespace: from.namespace ?? labNamespace, labels: from.pod, deployment: from.deployment });
    }
    if (check.kind === 'envoy-stats') scope.sources.push({ namespace: c.namespace ?? labNamespace, labels: c.pod, deployment: c.deployment });
    if (c.host && c.from !== 'ingress') {
      const [name, namespace] = c.host.split(':')[0].split('.');
      scope.services.add(name);
      if (namespace && namespace !== 'svc') scope.namespaces.add(namespace);
    }
  }
  return scope.namespaces.size ? scope : undefined;
}

/** Whether an Istio object's hosts name one of the services (short name or FQDN). */
function namesService(o: KubeObject, services: Set<string>): boolean {
  const hosts: string[] = o.kind === 'DestinationRule' ? [o.spec?.host] : o.spec?.hosts ?? [];
  return hosts.some((h) => typeof h === 'string' && services.has(h.split('.')[0]));
}

/** An object as a short YAML block under its kind, namespace and name. */
function renderObject(o: KubeObject): string[] {
  const lines = yaml.dump(o.spec ?? {}, { flowLevel: 4, lineWidth: 160, noRefs: true }).trimEnd().split('\n');
  const shown = lines.length > MAX_OBJECT_LINES ? [...lines.slice(0, MAX_OBJECT_LINES), `… ${lines.length - MAX_OBJECT_LINES} more lines`] : lines;
  return [`${o.kind} ${o.metadata.namespace}/${o.metadata.name}:`, ...shown.map((l) => `  ${l}`)];
}

/** The Istio objects in scope: those naming the services, else all in the namespaces; Gateways for ingress checks. */
async function relevantObjects(cluster: Cluster, scope: TrafficScope): Promise<KubeObject[]> {
  const kinds = ['VirtualService', 'DestinationRule', ...(scope.ingress ? ['Gateway'] : [])];
  const all: KubeObject[] = [];
  for (const namespace of scope.namespaces) for (const kind of kinds) all.push(...(await cluster.list(ISTIO, kind, { namespace })).items);
  const named = scope.services.size ? all.filter((o) => o.kind === 'Gateway' || namesService(o, scope.services)) : all;
  return named.slice(0, MAX_OBJECTS);
}

/** Label selector text. */
const selectorText = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

/** The first running pod of a selector or deployment. */
async function findPod(cluster: Cluster, namespace: string, labels: Record<string, string> | undefined, deployment?: string): Promise<KubeObject | undefined> {
  if (deployment) labels = (await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, namespace }))?.spec?.selector?.matchLabels;
  if (!labels) return undefined;
  const { items } = await cluster.list('v1', 'Pod', { namespace, labelSelector: selectorText(labels) });
  return items.find((p) => p.status?.phase === 'Running');
}

/** The pods whose sidecar logs tell what happened: senders, the ingress gateway, and the called services' pods. */
async function proxyPods(cluster: Cluster, scope: TrafficScope): Promise<{ pod: KubeObject; role: string }[]> {
  const out: { pod: KubeObject; role: string }[] = [];
  for (const s of scope.sources) {
    const pod = await findPod(cluster, s.namespace, s.labels, s.deployment);
    if (pod) out.push({ pod, role: 'sender' });
  }
  if (scope.ingress) {
    const gateway = await findGatewayService(cluster);
    const pod = gateway && (await findPod(cluster, gateway.metadata.namespace!, gateway.spec?.selector));
    if (pod) out.push({ pod, role: 'ingress gateway' });
  }
  for (const namespace of scope.namespaces) {
    for (const name of scope.services) {
      const service = await cluster.get({ apiVersion: 'v1', kind: 'Service', name, namespace });
      const pod = service?.spec?.selector && (await findPod(cluster, namespace, service.spec.selector));
      if (pod) out.push({ pod, role: `${name} (called)` });
    }
  }
  const meshed = out.filter((p) => [...(p.pod.spec?.containers ?? []), ...(p.pod.spec?.initContainers ?? [])].some((c: any) => c.name === 'istio-proxy'));
  const seen = new Set<string>();
  return meshed.filter((p) => !seen.has(p.pod.metadata.uid ?? p.pod.metadata.name!) && seen.add(p.pod.metadata.uid ?? p.pod.metadata.name!)).slice(0, 4);
}

/** Istio objects and recent proxy logs for failed checks; empty when no failed check involves mesh traffic. */
export async function collectCheckDiagnostics(ctx: StepContext, failed: Check[]): Promise<string> {
  const scope = scopeOf(failed, ctx.loaded.lab.namespace);
  if (!scope) return '';
  const lines: string[] = [];
  try {
    const objects = await relevantObjects(ctx.cluster, scope);
    const where = [...scope.namespaces].join(', ');
    if (!objects.length) lines.push(`no VirtualService or DestinationRule${scope.services.size ? ` for ${[...scope.services].join(', ')}` : ''} in ${where}`);
    for (const o of objects) lines.push(...renderObject(o));
  } catch (err) {
    lines.push(`(could not list Istio objects: ${(err as Error).message})`);
  }
  const since = new Date(Math.floor(ctx.startedAt.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  try {
    for (const { pod, role } of await proxyPods(ctx.cluster, scope)) {
      const log = await ctx.cluster.logs(pod.metadata.namespace!, pod.metadata.name!, 'istio-proxy', { tailLines: LOG_LINES, sinceTime: since }).catch((err: Error) => `(cannot read: ${err.message})`);
      const recent = log.split('\n').filter(Boolean);
      const head = `istio-proxy log of ${pod.metadata.namespace}/${pod.metadata.name} (${role})`;
      lines.push(recent.length ? `${head}, last ${recent.length} lines since the step began:` : `${head}: no lines since the step began`, ...recent.map((l) => `  ${l}`));
    }
  } catch (err) {
    lines.push(`(could not read proxy logs: ${(err as Error).message})`);
  }
  return lines.join('\n');
}
