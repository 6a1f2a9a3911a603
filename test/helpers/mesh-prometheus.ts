// Test harness: a sandbox with Istio installed, httpbin and curl meshed in `default`, and the
// Prometheus addon (manifests/addons/prometheus.yaml) with its scrape_interval shortened so tests
// stay fast; everything reached through the kubeconfig, as a lab would.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { connectCluster } from '../../src/cluster/kube.js';
import type { Cluster, KubeObject } from '../../src/cluster/types.js';
import { eventually, startTestSandbox, type TestSandbox } from './sandbox.js';

/** A meshed sandbox with Prometheus. */
export interface MeshWithPrometheus {
  sb: TestSandbox;
  cluster: Cluster;
  /** Name of the running curl pod in `default`. */
  curlPod: string;
  /** GET /api/v1/query (at `time`, unix seconds) through a port-forward to the Prometheus pod. */
  query(promql: string, time?: number): Promise<any>;
  dispose(): Promise<void>;
}

function docs(file: string): KubeObject[] {
  return (yaml.loadAll(readFileSync(file, 'utf8')) as KubeObject[]).filter(Boolean);
}

async function readyPod(cluster: Cluster, namespace: string, selector: string): Promise<KubeObject> {
  return eventually(async () => (await cluster.list('v1', 'Pod', { namespace, labelSelector: selector })).items.find((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')), 20000);
}

/** Starts the sandbox and installs Istio, httpbin, curl and Prometheus (scraping every `interval`). */
export async function startMeshWithPrometheus(interval = '200ms'): Promise<MeshWithPrometheus> {
  const sb = await startTestSandbox();
  const cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
  const apply = (obj: KubeObject) => eventually(() => cluster.apply(obj, { fieldManager: 'test', force: true }), 10000);
  for (const d of [...docs('manifests/istio/crds.yaml'), ...docs('manifests/istio/sandbox-install.yaml')]) {
    if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = 'default';
    await apply(d);
  }
  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } });
  await eventually(async () => (await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'istiod', namespace: 'istio-system' }))?.status?.readyReplicas === 1, 10000);
  for (const d of [...docs('manifests/samples/httpbin.yaml'), ...docs('manifests/samples/curl.yaml')]) await apply({ ...d, metadata: { ...d.metadata, namespace: 'default' } });
  for (const d of docs('manifests/addons/prometheus.yaml')) {
    if (d.kind === 'ConfigMap') d.data['prometheus.yml'] = d.data['prometheus.yml'].replace('scrape_interval: 15s', `scrape_interval: ${interval}`);
    await apply(d);
  }
  const curl = await readyPod(cluster, 'default', 'app=curl');
  await readyPod(cluster, 'default', 'app=httpbin');
  const prometheus = await readyPod(cluster, 'istio-system', 'app.kubernetes.io/name=prometheus');
  const forward = await cluster.portForward('istio-system', prometheus.metadata.name!, 9090);
  return {
    sb,
    cluster,
    curlPod: curl.metadata.name!,
    async query(promql, time) {
      const params = new URLSearchParams({ query: promql, ...(time !== undefined ? { time: String(time) } : {}) });
      const res = await fetch(`http://127.0.0.1:${forward.localPort}/api/v1/query?${params}`);
      return res.json();
    },
    async dispose() {
      await forward.close();
      cluster.close();
      await sb.dispose();
    },
  };
}
