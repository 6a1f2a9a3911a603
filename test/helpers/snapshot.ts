// A comparable snapshot of every object in a cluster (status, resourceVersion, managedFields,
// timestamps and Events ignored), for "reset returns the cluster to its pre-run objects".
import * as k8s from '@kubernetes/client-node';
import { rawRequest } from './raw-http.js';

const volatileMeta = ['resourceVersion', 'managedFields', 'creationTimestamp', 'uid', 'generation'];

/** Snapshot: `group/kind namespace/name` → normalised object JSON. */
export async function snapshotCluster(kc: k8s.KubeConfig): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const groups = ['/api/v1', ...((await rawRequest(kc, 'GET', '/apis')).json().groups as any[]).map((g) => `/apis/${g.preferredVersion.groupVersion}`)];
  for (const gv of groups) {
    const resources = (await rawRequest(kc, 'GET', gv)).json().resources as any[];
    for (const r of resources.filter((x) => !x.name.includes('/') && x.verbs.includes('list'))) {
      if (r.kind === 'Event') continue;
      const list = (await rawRequest(kc, 'GET', `${gv}/${r.name}`)).json();
      for (const item of list.items ?? []) {
        const meta = { ...item.metadata };
        for (const k of volatileMeta) delete meta[k];
        if (meta.ownerReferences) meta.ownerReferences = meta.ownerReferences.map((o: any) => ({ ...o, uid: undefined }));
        const { status: _s, ...rest } = item;
        const key = `${gv}/${r.kind} ${meta.namespace ?? ''}/${meta.name}`;
        const normal = r.kind === 'Pod' || r.kind === 'ReplicaSet' || r.kind === 'EndpointSlice' || r.kind === 'Endpoints' ? { name: meta.generateName ?? meta.name } : { ...rest, metadata: meta };
        out.set(key.replace(/-[a-z0-9]{5,10}(-[a-z0-9]{5})?$/, '-*'), JSON.stringify(normal));
      }
    }
  }
  return out;
}

/** Lines describing how two snapshots differ (empty when equal). */
export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [k, v] of before) if (!after.has(k)) lines.push(`missing: ${k}`);
  else if (after.get(k) !== v) lines.push(`changed: ${k}\n  before ${v}\n  after  ${after.get(k)}`);
  for (const k of after.keys()) if (!before.has(k)) lines.push(`added: ${k}`);
  return lines;
}
