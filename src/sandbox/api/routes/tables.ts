// Server-side printing: list/get responses as meta.k8s.io Table, which `kubectl get` asks for.
import type { KubeObject } from '../../types.js';
import type { ResourceType } from '../resource-types.js';

interface Column {
  name: string;
  type?: string;
  priority?: number;
  cell: (o: KubeObject, now: number) => unknown;
}

const name: Column = { name: 'Name', cell: (o) => o.metadata.name };
const age: Column = { name: 'Age', cell: (o, now) => formatAge(o.metadata.creationTimestamp, now) };

/** Columns per storage key; kinds not listed print Name and Age. */
const printers: Record<string, Column[]> = {
  '/pods': [
    name,
    { name: 'Ready', cell: (o) => `${readyCount(o)}/${containerCount(o)}` },
    { name: 'Status', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0)) },
    age,
    { name: 'IP', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
    { name: 'Nominated Node', priority: 1, cell: () => '<none>' },
    { name: 'Readiness Gates', priority: 1, cell: () => '<none>' },
  ],
  'apps/deployments': [
    name,
    { name: 'Ready', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    age,
    { name: 'Containers', priority: 1, cell: (o) => containers(o.spec?.template).map((c: any) => c.name).join(',') },
    { name: 'Images', priority: 1, cell: (o) => containers(o.spec?.template).map((c: any) => c.image).join(',') },
    { name: 'Selector', priority: 1, cell: (o) => selector(o.spec?.selector?.matchLabels) },
  ],
  'apps/replicasets': [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    age,
  ],
  '/services': [
    name,
    { name: 'Type', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', cell: externalIp },
    { name: 'Port(s)', cell: (o) => (o.spec?.ports ?? []).map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',') || '<none>' },
    age,
    { name: 'Selector', priority: 1, cell: (o) => selector(o.spec?.selector) || '<none>' },
  ],
  '/namespaces': [name, { name: 'Status', cell: (o) => o.status?.phase ?? 'Active' }, age],
  '/nodes': [
    name,
    { name: 'Status', cell: (o) => ((o.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady') },
    { name: 'Roles', cell: (o) => Object.keys(o.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.split('/')[1]).join(',') || '<none>' },
    age,
    { name: 'Version', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
  ],
  '/endpoints': [
    name,
    { name: 'Endpoints', cell: (o) => (o.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).flatMap((a: any) => (s.ports ?? []).map((p: any) => `${a.ip}:${p.port}`))).join(',') || '<none>' },
    age,
  ],
  '/configmaps': [name, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length }, age],
  '/secrets': [name, { name: 'Type', cell: (o) => o.type ?? 'Opaque' }, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length }, age],
  '/serviceaccounts': [name, { name: 'Secrets', type: 'integer', cell: (o) => (o.secrets ?? []).length }, age],
  '/events': [
    { name: 'Last Seen', cell: (o, now) => formatAge(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now) },
    { name: 'Type', cell: (o) => o.type ?? 'Normal' },
    { name: 'Reason', cell: (o) => o.reason ?? '' },
    { name: 'Object', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
    { name: 'Message', cell: (o) => o.message ?? '' },
  ],
  'apiextensions.k8s.io/customresourcedefinitions': [name, { name: 'Created At', cell: (o) => o.metadata.creationTimestamp }],
};

/** Build a Table for a list (or a single object) of one resource type. */
export function toTable(rt: ResourceType, objects: KubeObject[], opts: { resourceVersion?: string; includeObject?: string; crdColumns?: any[]; now?: number; continueToken?: string }): Record<string, unknown> {
  const cols = opts.crdColumns?.length ? crdColumns(opts.crdColumns) : printers[`${rt.group}/${rt.plural}`] ?? [name, age];
  const now = opts.now ?? Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: opts.resourceVersion, ...(opts.continueToken ? { continue: opts.continueToken } : {}) },
    columnDefinitions: cols.map((c) => ({ name: c.name, type: c.type ?? 'string', format: c.name === 'Name' ? 'name' : '', description: '', priority: c.priority ?? 0 })),
    rows: objects.map((o) => ({ cells: cols.map((c) => c.cell(o, now)), object: rowObject(o, opts.includeObject) })),
  };
}

function rowObject(o: KubeObject, include: string | undefined): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

function crdColumns(defs: any[]): Column[] {
  const cols: Column[] = [name];
  for (const d of defs) {
    cols.push({ name: d.name, type: d.type, priority: d.priority ?? 0, cell: (o, now) => {
      const v = readJsonPath(o, d.jsonPath);
      if (d.type === 'date') return formatAge(v as string, now);
      // kube-apiserver prints a string column through jsonpath, which writes arrays and maps as JSON:
      // Istio's VirtualService shows GATEWAYS `["bookinfo-gateway"]` and HOSTS `["*"]` (§1.1).
      if ((d.type ?? 'string') === 'string' && v !== null && typeof v === 'object') return JSON.stringify(v);
      return v ?? '';
    } });
  }
  if (!defs.some((d) => d.jsonPath === '.metadata.creationTimestamp')) cols.push(age);
  return cols;
}

function readJsonPath(o: unknown, path: string): unknown {
  let cur: any = o;
  for (const part of String(path).replace(/^\./, '').split('.')) cur = cur?.[part];
  return cur;
}

function containers(template: any): any[] {
  return template?.spec?.containers ?? [];
}

function containerCount(o: KubeObject): number {
  const sidecars = (o.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').length;
  return (o.spec?.containers ?? []).length + sidecars;
}

function readyCount(o: KubeObject): number {
  const all = [...(o.status?.containerStatuses ?? []), ...(o.status?.initContainerStatuses ?? []).filter((s: any) => (o.spec?.initContainers ?? []).some((c: any) => c.name === s.name && c.restartPolicy === 'Always'))];
  return all.filter((s: any) => s.ready).length;
}

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const waiting = (o.status?.containerStatuses ?? []).find((s: any) => s.state?.waiting)?.state?.waiting?.reason;
  const initWaiting = (o.status?.initContainerStatuses ?? []).find((s: any) => s.state?.waiting);
  if (initWaiting) return `Init:0/${(o.spec?.initContainers ?? []).length}`;
  if (o.status?.phase === 'Succeeded') return 'Completed';
  if (waiting) return waiting;
  return o.status?.reason ?? o.status?.phase ?? 'Pending';
}

function externalIp(o: KubeObject): string {
  const ing = o.status?.loadBalancer?.ingress ?? [];
  if (ing.length) return ing.map((i: any) => i.ip ?? i.hostname).join(',');
  if (o.spec?.type === 'LoadBalancer') return '<pending>';
  return (o.spec?.externalIPs ?? []).join(',') || '<none>';
}

function selector(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/** kubectl-style age: 45s, 3m12s, 5h, 2d. */
export function formatAge(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
