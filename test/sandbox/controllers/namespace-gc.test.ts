// Namespace deletion and the garbage collector's background, foreground and orphan propagation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sandbox/api/status.js';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { deployment, namespace, startHarness, waitFor, type Harness } from './harness.js';

describe('NamespaceController', () => {
  let h: Harness;
  before(() => (h = startHarness()));
  after(() => h.stop());

  it('defaults namespaces (phase Active, metadata.name label, kubernetes finalizer)', () => {
    const ns = h.apply(namespace('plain'));
    assert.equal(ns.status.phase, 'Active');
    assert.equal(ns.metadata.labels!['kubernetes.io/metadata.name'], 'plain');
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
  });

  it('deletes everything in a terminating namespace, then the namespace itself', async () => {
    h.apply(namespace('doomed'));
    h.apply(deployment('web', 'doomed', 2));
    h.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'doomed' }, data: { a: 'b' } });
    h.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'doomed' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await waitFor(() => h.list('/pods', 'doomed').filter((p) => p.status?.podIP).length === 2 && h.get('/serviceaccounts', 'doomed', 'default'), 'content ready');
    const rt = h.registry.resolveKind('v1', 'Namespace');
    const { object, removed } = h.registry.delete(rt, undefined, 'doomed');
    assert.equal(removed, false);
    assert.ok(object.metadata.deletionTimestamp);
    await waitFor(() => h.get('/namespaces', undefined, 'doomed')?.status?.phase === 'Terminating' || !h.get('/namespaces', undefined, 'doomed'), 'Terminating');
    assert.throws(
      () => h.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'doomed' } }),
      (e: unknown) => e instanceof ApiError && e.code === 403 && /being terminated/.test(e.message),
    );
    await waitFor(() => !h.get('/namespaces', undefined, 'doomed'), 'namespace removed');
    for (const key of ['/pods', 'apps/deployments', 'apps/replicasets', '/configmaps', '/services', '/endpoints', '/serviceaccounts']) {
      assert.deepEqual(h.list(key, 'doomed'), [], key);
    }
  });

  it('refuses to delete the default namespace', () => {
    assert.throws(() => h.registry.delete(h.registry.resolveKind('v1', 'Namespace'), undefined, 'default'), (e: unknown) => e instanceof ApiError && e.code === 403 && e.message === 'namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('GarbageCollector', () => {
  let h: Harness;
  before(() => {
    h = startHarness({ finishDeletes: false });
    h.apply(namespace('gc'));
  });
  after(() => h.stop());

  const cm = (name: string, owner?: KubeObject, block = false): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'gc',
      ...(owner ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) }] } : {}),
    },
  });
  const cmRt = () => h.registry.resolveKind('v1', 'ConfigMap');

  it('background: deletes dependents after their owner is gone', async () => {
    const owner = h.apply(cm('owner'));
    h.apply(cm('child', owner));
    const grandchild = h.apply(cm('grandchild', h.get('/configmaps', 'gc', 'child')));
    assert.ok(grandchild);
    h.registry.delete(cmRt(), 'gc', 'owner');
    await waitFor(() => !h.get('/configmaps', 'gc', 'child') && !h.get('/configmaps', 'gc', 'grandchild'), 'cascade');
  });

  it('background: a dependent created with a dangling owner reference is collected', async () => {
    const ghost = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ghost', uid: '00000000-0000-4000-a000-000000000000' } } as KubeObject;
    h.apply(cm('orphaned', ghost));
    await waitFor(() => !h.get('/configmaps', 'gc', 'orphaned'), 'dangling dependent collected');
  });

  it('foreground: the owner stays (foregroundDeletion) until blocking dependents are gone', async () => {
    const owner = h.apply(cm('fg-owner'));
    h.apply(cm('fg-child', owner, true));
    h.registry.delete(cmRt(), 'gc', 'fg-owner', { propagationPolicy: 'Foreground' });
    await waitFor(() => !h.get('/configmaps', 'gc', 'fg-child'), 'child deleted first');
    await waitFor(() => !h.get('/configmaps', 'gc', 'fg-owner'), 'owner removed after');
  });

  it('foreground: a Deployment waits for its ReplicaSet and pods (which terminate gracefully)', async () => {
    h.apply(deployment('fg', 'gc', 2));
    await waitFor(() => h.list('/pods', 'gc').filter((p) => p.status?.podIP).length === 2, 'pods up');
    h.registry.delete(h.registry.resolveKind('apps/v1', 'Deployment'), 'gc', 'fg', { propagationPolicy: 'Foreground' });
    const terminating = await waitFor(() => {
      const pods = h.list('/pods', 'gc');
      return pods.length === 2 && pods.every((p) => p.metadata.deletionTimestamp) && pods;
    }, 'pods terminating');
    const d = h.get('apps/deployments', 'gc', 'fg')!;
    assert.deepEqual(d.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(h.list('apps/replicasets', 'gc')[0].metadata.deletionTimestamp);
    const podRt = h.registry.resolveKind('v1', 'Pod');
    for (const p of terminating) h.registry.finalize(podRt, 'gc', p.metadata.name!);
    await waitFor(() => !h.get('apps/deployments', 'gc', 'fg') && !h.list('apps/replicasets', 'gc').length, 'deployment and rs removed');
  });

  it('orphan: strips the owner reference from dependents, then removes the owner', async () => {
    h.apply(deployment('orph', 'gc', 1));
    const rs = await waitFor(() => h.list('apps/replicasets', 'gc').find((r) => r.metadata.name!.startsWith('orph-')), 'rs');
    h.registry.delete(h.registry.resolveKind('apps/v1', 'Deployment'), 'gc', 'orph', { propagationPolicy: 'Orphan' });
    await waitFor(() => !h.get('apps/deployments', 'gc', 'orph'), 'deployment removed');
    const left = await waitFor(() => h.get('apps/replicasets', 'gc', rs.metadata.name!), 'rs kept');
    assert.equal(left.metadata.ownerReferences, undefined);
    assert.ok(!left.metadata.deletionTimestamp);
  });
});
