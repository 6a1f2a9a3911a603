// StatefulSet, DaemonSet and Job controllers: minimal but real-looking pods and status.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { namespace, startHarness, waitFor, type Harness } from './harness.js';

const template = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...extra },
});

describe('StatefulSet, DaemonSet and Job controllers', () => {
  let h: Harness;
  before(() => {
    h = startHarness({ autoReady: false });
    h.apply(namespace('wl'));
  });
  after(() => h.stop());

  const readyAll = () => {
    for (const p of h.list('/pods', 'wl')) if (p.spec.nodeName && !p.status?.podIP && !p.metadata.deletionTimestamp && p.spec.restartPolicy === 'Always') h.setPodReady(p, true);
  };

  it('StatefulSet creates <name>-<ordinal> pods in order and reports status', async () => {
    h.apply({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'wl' }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }) } });
    await waitFor(() => h.get('/pods', 'wl', 'db-0'), 'db-0');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.get('/pods', 'wl', 'db-1'), undefined, 'OrderedReady waits for db-0 to be Ready');
    const sts = await waitFor(() => {
      readyAll();
      const s = h.get('apps/statefulsets', 'wl', 'db')!;
      return s.status?.readyReplicas === 3 && s;
    }, 'three ready');
    const pod = h.get('/pods', 'wl', 'db-2')!;
    assert.equal(pod.spec.hostname, 'db-2');
    assert.equal(pod.spec.subdomain, 'db');
    assert.equal(pod.metadata.labels!['statefulset.kubernetes.io/pod-name'], 'db-2');
    assert.equal(pod.metadata.labels!['apps.kubernetes.io/pod-index'], '2');
    assert.equal(pod.metadata.labels!['controller-revision-hash'], sts.status.updateRevision);
    assert.equal(sts.status.currentRevision, sts.status.updateRevision);
    assert.equal(sts.status.updatedReplicas, 3);
    assert.ok(h.get('apps/controllerrevisions', 'wl', sts.status.updateRevision));
    h.registry.patch(h.registry.resolveKind('apps/v1', 'StatefulSet'), 'wl', 'db', 'merge', { spec: { replicas: 1 } });
    await waitFor(() => h.list('/pods', 'wl').filter((p) => p.metadata.name!.startsWith('db-')).length === 1, 'scaled down from the highest ordinal');
    assert.ok(h.get('/pods', 'wl', 'db-0'));
  });

  it('DaemonSet runs one pod on the node, pinned by node affinity', async () => {
    h.apply({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'wl' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }) } });
    const ds = await waitFor(() => {
      readyAll();
      const d = h.get('apps/daemonsets', 'wl', 'agent')!;
      return d.status?.numberReady === 1 && d;
    }, 'daemon pod ready');
    assert.equal(ds.status.desiredNumberScheduled, 1);
    assert.equal(ds.status.currentNumberScheduled, 1);
    assert.equal(ds.status.updatedNumberScheduled, 1);
    const pods = h.list('/pods', 'wl').filter((p) => p.metadata.labels?.app === 'agent');
    assert.equal(pods.length, 1);
    assert.match(pods[0].metadata.name!, /^agent-[a-z0-9]{5}$/);
    assert.equal(pods[0].spec.nodeName, 'istio-lab-control-plane');
    assert.deepEqual(pods[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values, ['istio-lab-control-plane']);
  });

  it('Job runs a pod and completes when it Succeeded', async () => {
    const job = h.apply({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'wl' }, spec: { template: template({}, { restartPolicy: 'Never' }) } });
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } });
    assert.equal(job.spec.template.metadata.labels['job-name'], 'once');
    assert.equal(job.spec.backoffLimit, 6);
    const pod = await waitFor(() => h.list('/pods', 'wl').find((p) => p.metadata.labels?.['job-name'] === 'once'), 'job pod');
    assert.match(pod.metadata.name!, /^once-[a-z0-9]{5}$/);
    assert.equal((await waitFor(() => h.get('batch/jobs', 'wl', 'once')!.status?.active, 'active')), 1);
    const podRt = h.registry.resolveKind('v1', 'Pod');
    const current = h.get('/pods', 'wl', pod.metadata.name!) as KubeObject;
    h.registry.update(podRt, 'wl', pod.metadata.name!, { ...current, status: { ...current.status, phase: 'Succeeded' } }, { subresource: 'status' });
    const done = await waitFor(() => {
      const j = h.get('batch/jobs', 'wl', 'once')!;
      return j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True') && j;
    }, 'Complete');
    assert.equal(done.status.succeeded, 1);
    assert.equal(done.status.active, undefined);
    assert.ok(done.status.completionTime);
    assert.equal(h.list('/pods', 'wl').filter((p) => p.metadata.labels?.['job-name'] === 'once').length, 1, 'no second pod');
  });

  it('Job rejects restartPolicy Always in its template', () => {
    assert.throws(
      () => h.apply({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bad', namespace: 'wl' }, spec: { template: template({}) } }),
      /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/,
    );
  });
});
