// What a fresh cluster holds, idempotently across restarts over persisted state; events with counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from '../../../src/sandbox/store/object-store.js';
import { namespace, startHarness, waitFor } from './harness.js';

describe('BootstrapController and ServiceAccountController', () => {
  it('creates system namespaces, the kind-like node and the kubernetes Service, once', async () => {
    const store = new ObjectStore();
    const h = startHarness({ store });
    try {
      const names = h.list('/namespaces').map((n) => n.metadata.name);
      for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(n), n);
      assert.equal(h.get('/namespaces', undefined, 'kube-system')!.metadata.labels!['kubernetes.io/metadata.name'], 'kube-system');
      const node = h.get('/nodes', undefined, 'istio-lab-control-plane')!;
      assert.equal(node.metadata.labels!['node-role.kubernetes.io/control-plane'], '');
      assert.equal(node.metadata.labels!['kubernetes.io/hostname'], 'istio-lab-control-plane');
      assert.deepEqual(node.status.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'istio-lab-control-plane' }]);
      assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.30.0');
      assert.equal(node.status.conditions.find((c: any) => c.type === 'Ready').status, 'True');
      assert.equal(node.status.capacity.pods, '110');
      const svc = h.get('/services', 'default', 'kubernetes')!;
      assert.equal(svc.spec.clusterIP, '10.96.0.1');
      assert.deepEqual(svc.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
      assert.ok(h.get('/endpoints', 'default', 'kubernetes'));
      await waitFor(() => h.get('/serviceaccounts', 'kube-system', 'default'), 'default SA');
    } finally {
      h.stop();
    }
    const rv = store.resourceVersion;
    const again = startHarness({ store });
    try {
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(again.list('/namespaces').filter((n) => n.metadata.name === 'default').length, 1);
      assert.equal(store.resourceVersion, rv, 'a restart over the same state writes nothing');
    } finally {
      again.stop();
    }
  });

  it('creates a default ServiceAccount in new namespaces and recreates it when deleted', async () => {
    const h = startHarness();
    try {
      h.apply(namespace('team'));
      await waitFor(() => h.get('/serviceaccounts', 'team', 'default'), 'default SA');
      h.registry.delete(h.registry.resolveKind('v1', 'ServiceAccount'), 'team', 'default');
      await waitFor(() => h.get('/serviceaccounts', 'team', 'default'), 'default SA recreated');
    } finally {
      h.stop();
    }
  });
});

describe('EventRecorder', () => {
  it('writes core/v1 Events and bumps count on identical repeats', () => {
    const h = startHarness();
    try {
      const ns = h.get('/namespaces', undefined, 'default')!;
      const cm = h.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' } });
      h.ctx.events.record(cm, 'Warning', 'Broken', 'it broke', 'test-controller');
      h.ctx.events.record(cm, 'Warning', 'Broken', 'it broke', 'test-controller');
      h.ctx.events.record(ns, 'Normal', 'Other', 'cluster-scoped objects log to default', 'test-controller');
      const events = h.list('/events', 'default').filter((e) => e.source.component === 'test-controller');
      assert.equal(events.length, 2);
      const broken = events.find((e) => e.reason === 'Broken')!;
      assert.equal(broken.count, 2);
      assert.equal(broken.type, 'Warning');
      assert.match(broken.metadata.name!, /^cfg\.[0-9a-f]{16}$/);
      assert.deepEqual(broken.involvedObject, { kind: 'ConfigMap', namespace: 'default', name: 'cfg', uid: cm.metadata.uid, apiVersion: 'v1', resourceVersion: cm.metadata.resourceVersion });
      assert.equal(broken.reportingComponent, 'test-controller');
      assert.ok(broken.firstTimestamp && broken.lastTimestamp);
    } finally {
      h.stop();
    }
  });
});
