// @kubernetes/client-node drives the sandbox as it would a real cluster: SSA, watch, exec, logs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { eventually, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', version: 'v1' } }, spec: { containers: [{ name: 'web', image: 'example/web:1.0', ports: [{ containerPort: 8080 }] }] } },
  },
};
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};

describe('client-node against the sandbox', () => {
  let sb: TestSandbox;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let objects: k8s.KubernetesObjectApi;
  before(async () => {
    sb = await startTestSandbox();
    core = sb.kc.makeApiClient(k8s.CoreV1Api);
    apps = sb.kc.makeApiClient(k8s.AppsV1Api);
    objects = k8s.KubernetesObjectApi.makeApiClient(sb.kc);
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
  });
  after(() => sb.dispose());

  it('server-side applies a Deployment and Service with a field manager, and records managedFields', async () => {
    for (const obj of [deployment, service]) {
      await objects.patch(obj as k8s.KubernetesObject, undefined, undefined, 'istio-lab', true, k8s.PatchStrategy.ServerSideApply);
    }
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    const managers = (d.metadata?.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`);
    assert.ok(managers.includes('istio-lab/Apply'), `managedFields: ${managers}`);
    const svc = await core.readNamespacedService({ name: 'web', namespace: 'shop' });
    assert.match(svc.spec?.clusterIP ?? '', /^10\.9[6-9]\./);
  });

  it('runs the Deployment to 2 ready pods with real-looking names, and fills Endpoints', async () => {
    const ready = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
      return d.status?.readyReplicas === 2 && d.status?.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    assert.equal(ready.status?.updatedReplicas, 2);
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=web' });
    assert.equal(pods.items.length, 2);
    for (const p of pods.items) assert.match(p.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const eps = await eventually(async () => {
      const e = await core.readNamespacedEndpoints({ name: 'web', namespace: 'shop' });
      return (e.subsets?.[0]?.addresses ?? []).length === 2 ? e : undefined;
    });
    assert.equal(eps.subsets![0].ports![0].port, 8080);
  });

  it('re-applying the same manifest is a no-op that keeps the resourceVersion', async () => {
    const before = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' })).metadata!.resourceVersion;
    await objects.patch(deployment as k8s.KubernetesObject, undefined, undefined, 'istio-lab', true, k8s.PatchStrategy.ServerSideApply);
    const afterRv = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' })).metadata!.resourceVersion;
    assert.equal(afterRv, before);
  });

  it('streams watch events in order and resumes from a resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'shop' });
    const seen: string[] = [];
    const watch = new k8s.Watch(sb.kc);
    const req = await watch.watch('/api/v1/namespaces/shop/configmaps', { resourceVersion: list.metadata!.resourceVersion }, (type, obj: any) => seen.push(`${type}:${obj.metadata.name}:${obj.data?.v ?? ''}`), () => undefined);
    await core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'w1' }, data: { v: '1' } } });
    await core.patchNamespacedConfigMap({ namespace: 'shop', name: 'w1', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'w1' });
    await eventually(() => seen.length >= 3);
    req.abort();
    assert.deepEqual(seen, ['ADDED:w1:1', 'MODIFIED:w1:2', 'DELETED:w1:2']);
  });

  it('execs a command in a pod and reports its exit status', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=web' });
    const pod = pods.items[0].metadata!.name!;
    const exec = new k8s.Exec(sb.kc);
    const run = (command: string[]) =>
      new Promise<{ out: string; err: string; status: k8s.V1Status }>((resolve, reject) => {
        const out = new PassThrough();
        const err = new PassThrough();
        let o = '';
        let e = '';
        out.on('data', (c) => (o += c));
        err.on('data', (c) => (e += c));
        exec.exec('shop', pod, 'web', command, out, err, null, false, (status) => resolve({ out: o, err: e, status })).catch(reject);
      });
    const host = await run(['hostname']);
    assert.equal(host.out.trim(), pod);
    assert.equal(host.status.status, 'Success');
    // Through a shell, a missing program is exit 127 with the shell's message; exec'd directly,
    // containerd refuses to start it and the API server answers an internal error (kubectl exits 1).
    const viaShell = await run(['sh', '-c', 'no-such-tool']);
    assert.equal(viaShell.status.status, 'Failure');
    assert.equal(viaShell.status.details?.causes?.[0]?.message, '127');
    assert.match(viaShell.err, /sh: no-such-tool: not found/);
    const direct = await run(['no-such-tool']);
    assert.equal(direct.status.status, 'Failure');
    assert.match(direct.status.message ?? '', /executable file not found in \$PATH/);
  });

  it('reads pod logs with tailLines', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=web' });
    const text = await core.readNamespacedPodLog({ namespace: 'shop', name: pods.items[0].metadata!.name!, tailLines: 5 });
    assert.equal(typeof text, 'string');
    assert.ok(text.split('\n').filter(Boolean).length <= 5);
  });

  it('scales through the scale subresource and rolls out a new ReplicaSet on template change', async () => {
    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: { spec: { replicas: 3 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await eventually(async () => (await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' })).status?.readyReplicas === 3);
    const v2 = structuredClone(deployment);
    v2.spec.template.metadata.labels.version = 'v2';
    await objects.patch(v2 as k8s.KubernetesObject, undefined, undefined, 'istio-lab', true, k8s.PatchStrategy.ServerSideApply);
    await eventually(async () => {
      const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=web' });
      return pods.items.length === 2 && pods.items.every((p) => p.metadata?.labels?.version === 'v2' && !p.metadata?.deletionTimestamp);
    }, 8000);
    const rs = await apps.listNamespacedReplicaSet({ namespace: 'shop' });
    assert.equal(rs.items.length, 2);
    assert.deepEqual(rs.items.map((r) => r.spec?.replicas).sort(), [0, 2]);
  });

  it('serves a CRD and its custom resources once established', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
        // client-node's typed serializer wants the model's attribute name (x_kubernetes_preserve_unknown_fields);
        // a raw 'x-kubernetes-preserve-unknown-fields' key would be dropped before it reaches the server.
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } } } }],
      },
    };
    await objects.create(crd as k8s.KubernetesObject);
    const custom = sb.kc.makeApiClient(k8s.CustomObjectsApi);
    await eventually(async () => custom.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'shop', plural: 'widgets' }));
    await custom.createNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'shop', plural: 'widgets', body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3, anything: { goes: true } } } });
    const got: any = await custom.getNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'shop', plural: 'widgets', name: 'w' });
    assert.deepEqual(got.spec, { size: 3, anything: { goes: true } });
  });

  it('prunes fields a structural schema does not declare, with a Warning, as a real server does', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'strictwidgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'strictwidgets', singular: 'strictwidget', kind: 'StrictWidget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    await objects.create(crd as k8s.KubernetesObject);
    const custom = sb.kc.makeApiClient(k8s.CustomObjectsApi);
    await eventually(async () => custom.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'shop', plural: 'strictwidgets' }));
    await custom.createNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'shop', plural: 'strictwidgets', body: { apiVersion: 'example.com/v1', kind: 'StrictWidget', metadata: { name: 's' }, spec: { size: 3, color: 'red' } } });
    const got: any = await custom.getNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'shop', plural: 'strictwidgets', name: 's' });
    assert.deepEqual(got.spec, { size: 3 });
  });

  it('deletes a namespace with its contents', async () => {
    await core.createNamespace({ body: { metadata: { name: 'gone' } } });
    await core.createNamespacedConfigMap({ namespace: 'gone', body: { metadata: { name: 'c' } } });
    await core.deleteNamespace({ name: 'gone' });
    await eventually(async () => {
      try {
        await core.readNamespace({ name: 'gone' });
        return false;
      } catch (err) {
        return (err as k8s.ApiException<unknown>).code === 404;
      }
    }, 5000);
    const cms = await core.listConfigMapForAllNamespaces({ fieldSelector: 'metadata.namespace=gone' });
    assert.equal(cms.items.length, 0);
  });
});
