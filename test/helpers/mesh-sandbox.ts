// Test harness: a sandbox with the sandbox Istio install (manifests/istio) and `default` labelled for
// injection, reached only through its kubeconfig as a lab would; helpers to apply sample manifests and
// inline YAML, wait for ready pods, and build a StepContext for probes.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { connectCluster } from '../../src/cluster/kube.js';
import type { Cluster, KubeObject } from '../../src/cluster/types.js';
import type { StepContext } from '../../src/runner/context.js';
import { createContext } from '../probes/helpers.js';
import { eventually, startTestSandbox, type TestSandbox } from './sandbox.js';

/** A meshed sandbox for one test file. */
export interface MeshSandbox {
  sb: TestSandbox;
  cluster: Cluster;
  /** Applies a manifest file or inline YAML (objects without a namespace go to `namespace`). */
  apply(fileOrYaml: string, namespace?: string): Promise<void>;
  /** Deletes an Istio networking object (v1) if it exists. */
  deleteIstio(kind: string, name: string, namespace?: string): Promise<void>;
  /** Waits until `count` pods matching `selector` are ready; returns their names. */
  ready(namespace: string, selector: string, count?: number): Promise<string[]>;
  /** A StepContext for a lab in `namespace` whose step began at `startedAt`. */
  ctx(namespace?: string, startedAt?: Date): StepContext;
  dispose(): Promise<void>;
}

function parseDocs(fileOrYaml: string): KubeObject[] {
  const text = /\n/.test(fileOrYaml) ? fileOrYaml : readFileSync(fileOrYaml, 'utf8');
  return (yaml.loadAll(text) as KubeObject[]).filter(Boolean);
}

const isReady = (p: KubeObject) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

/** Starts the sandbox and installs Istio; `namespaces` are created with injection on (true) or off (false). */
export async function startMeshSandbox(namespaces: Record<string, boolean> = {}): Promise<MeshSandbox> {
  const sb = await startTestSandbox();
  const cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
  const applyObject = (o: KubeObject) => eventually(() => cluster.apply(o, { fieldManager: 'test', force: true }), 10000);
  const apply = async (fileOrYaml: string, namespace = 'default') => {
    for (const d of parseDocs(fileOrYaml)) {
      if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(d.kind)) d.metadata.namespace = namespace;
      await applyObject(d);
    }
  };
  for (const f of ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml']) await apply(f);
  for (const [name, inject] of Object.entries({ default: true, ...namespaces })) {
    await applyObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: inject ? { 'istio-injection': 'enabled' } : {} } });
  }
  await eventually(async () => (await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'istiod', namespace: 'istio-system' }))?.status?.readyReplicas === 1, 10000);
  return {
    sb,
    cluster,
    apply,
    async deleteIstio(kind, name, namespace = 'default') {
      await cluster.delete({ apiVersion: 'networking.istio.io/v1', kind, name, namespace }).catch(() => undefined);
    },
    async ready(namespace, selector, count = 1) {
      return eventually(async () => {
        const pods = (await cluster.list('v1', 'Pod', { namespace, labelSelector: selector })).items.filter(isReady);
        return pods.length >= count && pods.map((p) => p.metadata.name!);
      }, 20000);
    },
    ctx: (namespace = 'default', startedAt = new Date()) => createContext(cluster, { namespace, startedAt }),
    async dispose() {
      cluster.close();
      await sb.dispose();
    },
  };
}
