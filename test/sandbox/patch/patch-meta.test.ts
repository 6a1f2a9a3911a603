// Patch metadata of built-in kinds matches the Kubernetes 1.30 struct tags and list markers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKnownStrategicKind, lookupListMeta, lookupMapMeta } from '../../../src/sandbox/api/patch/patch-meta.js';

describe('lookupListMeta', () => {
  it('knows the container lists of a Deployment pod template', () => {
    const base = ['spec', 'template', 'spec'];
    assert.deepEqual(lookupListMeta('apps', 'Deployment', [...base, 'containers']), {
      listType: 'map', mergeKey: 'name', mapKeys: ['name'], patchStrategy: 'merge',
    });
    assert.equal(lookupListMeta('apps', 'Deployment', [...base, 'containers', 'env'])?.mergeKey, 'name');
    assert.equal(lookupListMeta('apps', 'Deployment', [...base, 'containers', 'volumeMounts'])?.mergeKey, 'mountPath');
    assert.equal(lookupListMeta('apps', 'Deployment', [...base, 'containers', 'envFrom'])?.listType, 'atomic');
    assert.equal(lookupListMeta('apps', 'Deployment', [...base, 'tolerations'])?.listType, 'atomic');
    assert.equal(lookupListMeta('apps', 'Deployment', [...base, 'volumes'])?.retainKeys, true);
  });

  it('uses containerPort for strategic merge but containerPort+protocol for apply', () => {
    const meta = lookupListMeta('', 'Pod', ['spec', 'containers', 'ports']);
    assert.equal(meta?.mergeKey, 'containerPort');
    assert.deepEqual(meta?.mapKeys, ['containerPort', 'protocol']);
    assert.deepEqual(meta?.keyDefaults, { protocol: 'TCP' });
    const svc = lookupListMeta('', 'Service', ['spec', 'ports']);
    assert.equal(svc?.mergeKey, 'port');
    assert.deepEqual(svc?.mapKeys, ['port', 'protocol']);
  });

  it('finds pod specs under every workload template and ObjectMeta everywhere', () => {
    assert.equal(lookupListMeta('batch', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'initContainers'])?.mergeKey, 'name');
    assert.equal(lookupListMeta('apps', 'StatefulSet', ['spec', 'template', 'spec', 'hostAliases'])?.mergeKey, 'ip');
    assert.deepEqual(lookupListMeta('', 'ConfigMap', ['metadata', 'finalizers']), { listType: 'set', patchStrategy: 'merge' });
    assert.equal(lookupListMeta('apps', 'DaemonSet', ['spec', 'template', 'metadata', 'ownerReferences'])?.mergeKey, 'uid');
    assert.equal(lookupListMeta('', 'Pod', ['status', 'conditions'])?.mergeKey, 'type');
    assert.equal(lookupListMeta('', 'Endpoints', ['subsets'])?.listType, 'atomic');
  });

  it('returns nothing for unknown paths and for custom resources', () => {
    assert.equal(lookupListMeta('', 'Pod', ['spec', 'containers', 'command', 'nope']), undefined);
    assert.equal(lookupListMeta('networking.istio.io', 'VirtualService', ['spec', 'http']), undefined);
  });
});

describe('lookupMapMeta and isKnownStrategicKind', () => {
  it('marks label selectors and Service selectors atomic and Deployment strategy retainKeys', () => {
    assert.equal(lookupMapMeta('apps', 'Deployment', ['spec', 'selector'])?.mapType, 'atomic');
    assert.equal(lookupMapMeta('', 'Service', ['spec', 'selector'])?.mapType, 'atomic');
    assert.equal(lookupMapMeta('apps', 'Deployment', ['spec', 'strategy'])?.patchStrategy, 'retainKeys');
  });

  it('separates built-in groups from custom resource groups', () => {
    assert.equal(isKnownStrategicKind('', 'ConfigMap'), true);
    assert.equal(isKnownStrategicKind('apps', 'Deployment'), true);
    assert.equal(isKnownStrategicKind('networking.k8s.io', 'Ingress'), true);
    assert.equal(isKnownStrategicKind('gateway.networking.k8s.io', 'HTTPRoute'), false);
    assert.equal(isKnownStrategicKind('security.istio.io', 'AuthorizationPolicy'), false);
  });
});
