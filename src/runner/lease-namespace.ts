// The namespace istio-lab's Lease lives in (istio-lab-system, shared with the state ConfigMap):
// created on first acquire like the state's, removed by the last release when istio-lab created it
// and nothing else of istio-lab's is left there.
import type { Cluster, KubeObject, ObjectRef } from '../cluster/types.js';
import { waitForObject } from '../waits/watch.js';
import { UserError, ExitCode } from '../cli/errors.js';
import { managedByLabel, managedByValue } from './ownership.js';
import { stateName, stateNamespace } from './state.js';

/** Name of the Lease. */
export const leaseName = 'istio-lab';
const namespaceRef: ObjectRef = { apiVersion: 'v1', kind: 'Namespace', name: stateNamespace };

/** Create istio-lab-system (owned) if it is missing; wait out a terminating one first. */
export async function ensureLeaseNamespace(cluster: Cluster, signal: AbortSignal): Promise<void> {
  const ns = await cluster.get(namespaceRef);
  if (ns && !ns.metadata.deletionTimestamp) return;
  if (ns) await waitForObject({ cluster, signal }, namespaceRef, (o) => !o, 60_000, `namespace ${stateNamespace} to finish terminating`);
  const body: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: stateNamespace, labels: { [managedByLabel]: managedByValue } } };
  await cluster.create(body).catch((err) => (isStatus(err, 409) ? undefined : Promise.reject(err)));
}

/**
 * Delete istio-lab-system while still holding the Lease in it, when istio-lab created it and it holds
 * neither state nor another Lease; waits until it is gone. Deleting the namespace deletes the Lease
 * with it, and nobody can create a Lease in a terminating namespace, so no other istio-lab's lease
 * can vanish with it. Returns false (and deletes nothing) when the namespace is still in use.
 */
export async function removeLeaseNamespaceIfUnused(cluster: Cluster): Promise<boolean> {
  const ns = await cluster.get(namespaceRef);
  if (ns?.metadata.labels?.[managedByLabel] !== managedByValue || ns.metadata.deletionTimestamp) return false;
  if (await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: stateNamespace, name: stateName })) return false;
  const leases = await cluster.list('coordination.k8s.io/v1', 'Lease', { namespace: stateNamespace });
  if (!leases.items.every((l) => l.metadata.name === leaseName)) return false;
  await cluster.delete(namespaceRef);
  const done = new AbortController();
  const timer = setTimeout(() => done.abort(), 15_000);
  await waitForObject({ cluster, signal: done.signal }, namespaceRef, (o) => !o, 15_000, `namespace ${stateNamespace} to be deleted`).catch(() => undefined);
  clearTimeout(timer);
  return true;
}

/** True when `err` is an API error with one of these HTTP statuses. */
export function isStatus(err: unknown, ...codes: number[]): boolean {
  return codes.includes((err as { status?: number }).status ?? -1);
}

/** 403 because istio-lab-system is being deleted (by another istio-lab's last release): wait and retry. */
export function isTerminating(err: unknown): boolean {
  return isStatus(err, 403) && /being terminated/.test((err as Error).message ?? '');
}

/** The cluster refused the Lease for another reason (RBAC): say what istio-lab needs. */
export function leaseRefused(err: unknown, cluster: Cluster): unknown {
  const e = err as { status?: number; message?: string };
  if (e.status !== 403) return err;
  return new UserError(
    `context "${cluster.target.context}" refused to let istio-lab create its Lease ${leaseName} in namespace ${stateNamespace}: ${e.message} (HTTP 403).`,
    ExitCode.unreachable,
    `grant create, get, update and delete on leases.coordination.k8s.io (and configmaps, for istio-lab's state) in namespace ${stateNamespace}, or use a cluster where you have them.`,
  );
}
