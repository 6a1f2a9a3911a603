// Finds the pods of a workload a check names (pod selector or deployment) and the container to use.
import type { Cluster, KubeObject } from '../cluster/types.js';
import { isPodReady } from '../waits/index.js';

/** A workload as checks name it. */
export interface WorkloadSelector {
  pod?: Record<string, string>;
  deployment?: string;
  namespace?: string;
}

/** Pods of a workload, ready ones first. */
export interface WorkloadPods {
  namespace: string;
  /** "deployment/sleep" or "pods app=sleep". */
  describe: string;
  pods: KubeObject[];
}

const sidecarNames = new Set(['istio-proxy', 'istio-init', 'istio-validation']);

/** Label selector text from a map. */
export function formatSelector(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Lists the running pods of a workload (ready first); throws when there are none. */
export async function findWorkloadPods(cluster: Cluster, ref: WorkloadSelector, defaultNamespace: string): Promise<WorkloadPods> {
  const namespace = ref.namespace ?? defaultNamespace;
  let labels = ref.pod;
  let describe = `pods ${formatSelector(ref.pod ?? {})}`;
  if (ref.deployment) {
    describe = `deployment/${ref.deployment}`;
    const deployment = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: ref.deployment, namespace });
    if (!deployment) throw new Error(`deployment ${ref.deployment} not found in namespace ${namespace}`);
    labels = deployment.spec?.selector?.matchLabels ?? {};
  }
  const { items } = await cluster.list('v1', 'Pod', { namespace, labelSelector: formatSelector(labels ?? {}) });
  const pods = items
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running')
    .sort((a, b) => Number(isPodReady(b)) - Number(isPodReady(a)));
  if (!pods.length) throw new Error(`no running pods for ${describe} in namespace ${namespace}`);
  return { namespace, describe, pods };
}

/** The container to use: the named one, else the default-container annotation, else the first that is not a sidecar. */
export function selectAppContainer(pod: KubeObject, wanted?: string): string | undefined {
  if (wanted) return wanted;
  const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  return names.find((n) => !sidecarNames.has(n)) ?? names[0];
}
