// Server-side apply: managedFields shapes, ownership, pruning and conflicts as kube-apiserver 1.30 does them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../../../src/sandbox/api/patch/errors.js';
import { applyServerSide, computeFieldSet, type ApplyOptions } from '../../../src/sandbox/api/patch/server-side-apply.js';
import type { KubeObject } from '../../../src/sandbox/types.js';

const T0 = '2024-06-01T10:00:00Z';
const T1 = '2024-06-01T10:05:00Z';

/** Apply options for a core/v1 ConfigMap. */
function buildCmOptions(manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions {
  return { manager, force: false, apiVersion: 'v1', now: T0, group: '', kind: 'ConfigMap', hasStatusSubresource: false, ...extra };
}

/** A ConfigMap configuration as a user would write it. */
function makeConfigMap(data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', ...(labels ? { labels } : {}) }, data };
}

/** Expects a 409 apply conflict and returns it. */
function expectConflict(fn: () => unknown): PatchError {
  let caught: unknown;
  assert.throws(fn, (err: unknown) => {
    caught = err;
    return err instanceof PatchError && err.code === 409 && err.reason === 'Conflict';
  });
  return caught as PatchError;
}

describe('applyServerSide: managedFields shape', () => {
  it('creates a ConfigMap with the entry a real server records', () => {
    const out = applyServerSide(undefined, makeConfigMap({ key: 'some value' }, { 'test-label': 'test' }), buildCmOptions('kubectl'));
    assert.deepEqual(out.data, { key: 'some value' });
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:test-label': {} } } },
      },
    ]);
  });

  it('creates a Deployment: atomic selector, keyed containers with ".", ports keyed with defaulted protocol', () => {
    const applied: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
        },
      },
      status: { replicas: 7 },
    };
    const out = applyServerSide(undefined, applied, {
      manager: 'kubectl', force: false, apiVersion: 'apps/v1', now: T0, group: 'apps', kind: 'Deployment', hasStatusSubresource: true,
    });
    assert.equal(out.status, undefined, 'status is not applied through the main resource');
    assert.deepEqual(out.metadata.managedFields?.[0].fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('computeFieldSet encodes set items as v: and atomic ownerReferences items as leaves', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', uid: 'u', finalizers: ['a.io/x'], ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '123' }] },
    };
    assert.deepEqual(computeFieldSet(obj, '', 'Secret'), {
      'f:metadata': { 'f:finalizers': { 'v:"a.io/x"': {} }, 'f:ownerReferences': { 'k:{"uid":"123"}': {} } },
    });
  });

  it('computeFieldSet owns a Service selector atomically and keys ports by port+protocol', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    };
    assert.deepEqual(computeFieldSet(svc, '', 'Service'), {
      'f:spec': {
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:targetPort': {} } },
        'f:selector': {},
      },
    });
  });

  it('computeFieldSet owns imagePullSecrets items whole (LocalObjectReference is atomic)', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { imagePullSecrets: [{ name: 'regcred' }] } };
    assert.deepEqual(computeFieldSet(pod, '', 'Pod'), { 'f:spec': { 'f:imagePullSecrets': { 'k:{"name":"regcred"}': {} } } });
  });
});

describe('applyServerSide: ownership', () => {
  it('reports a conflict when another applier owns the field with a different value', () => {
    const live = applyServerSide(undefined, makeConfigMap({ key: 'one' }), buildCmOptions('alice'));
    const err = expectConflict(() => applyServerSide(live, makeConfigMap({ key: 'two' }), buildCmOptions('bob', { now: T1 })));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .data.key');
    assert.deepEqual(err.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.key' }]);
  });

  it('shares ownership when two appliers set the same value', () => {
    const live = applyServerSide(undefined, makeConfigMap({ key: 'one' }), buildCmOptions('alice'));
    const out = applyServerSide(live, makeConfigMap({ key: 'one' }), buildCmOptions('bob', { now: T1 }));
    const owners = out.metadata.managedFields?.map((e) => [e.manager, e.fieldsV1]);
    assert.deepEqual(owners, [['alice', { 'f:data': { 'f:key': {} } }], ['bob', { 'f:data': { 'f:key': {} } }]]);
  });

  it('force takes ownership away from the other manager', () => {
    const live = applyServerSide(undefined, makeConfigMap({ key: 'one', other: 'o' }), buildCmOptions('alice'));
    const out = applyServerSide(live, makeConfigMap({ key: 'two' }), buildCmOptions('bob', { force: true, now: T1 }));
    assert.deepEqual(out.data, { key: 'two', other: 'o' });
    assert.deepEqual(out.metadata.managedFields?.map((e) => [e.manager, e.fieldsV1]), [
      ['alice', { 'f:data': { 'f:other': {} } }],
      ['bob', { 'f:data': { 'f:key': {} } }],
    ]);
  });

  it('removes a field the applier stopped sending', () => {
    const live = applyServerSide(undefined, makeConfigMap({ a: '1', b: '2' }, { app: 'x' }), buildCmOptions('alice'));
    const out = applyServerSide(live, makeConfigMap({ a: '1' }), buildCmOptions('alice', { now: T1 }));
    assert.deepEqual(out.data, { a: '1' });
    assert.equal(out.metadata.labels, undefined);
    assert.equal(out.metadata.name, 'cfg', 'identity metadata is never pruned');
    assert.deepEqual(out.metadata.managedFields?.[0].fieldsV1, { 'f:data': { 'f:a': {} } });
  });

  it('keeps a dropped field that another manager co-owns', () => {
    let live = applyServerSide(undefined, makeConfigMap({ a: '1', b: '2' }), buildCmOptions('alice'));
    live = applyServerSide(live, makeConfigMap({ b: '2' }), buildCmOptions('bob'));
    const out = applyServerSide(live, makeConfigMap({ a: '1' }), buildCmOptions('alice', { now: T1 }));
    assert.deepEqual(out.data, { a: '1', b: '2' });
    // The object did not change, so alice keeps her old timestamp and entries sort by name.
    assert.deepEqual(out.metadata.managedFields?.map((e) => [e.manager, e.time, e.fieldsV1]), [
      ['alice', T0, { 'f:data': { 'f:a': {} } }],
      ['bob', T0, { 'f:data': { 'f:b': {} } }],
    ]);
  });

  it('treats a null in the configuration as unspecified, pruning the previously applied value', () => {
    const live = applyServerSide(undefined, makeConfigMap({ a: '1', b: '2' }), buildCmOptions('alice'));
    const cfg = makeConfigMap({ a: '1' });
    (cfg.data as Record<string, unknown>).b = null;
    const out = applyServerSide(live, cfg, buildCmOptions('alice', { now: T1 }));
    assert.deepEqual(out.data, { a: '1' });
  });

  it('keeps the previous time when re-applying an identical configuration', () => {
    const live = applyServerSide(undefined, makeConfigMap({ a: '1' }), buildCmOptions('alice'));
    const out = applyServerSide(live, makeConfigMap({ a: '1' }), buildCmOptions('alice', { now: T1 }));
    assert.equal(out.metadata.managedFields?.[0].time, T0);
  });
});

describe('applyServerSide: lists', () => {
  const opts: ApplyOptions = { manager: 'kubectl', force: false, apiVersion: 'v1', now: T0, group: '', kind: 'Pod', hasStatusSubresource: true };

  /** A Pod configuration with the given containers. */
  function makePod(containers: unknown[]): KubeObject {
    return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } };
  }

  it('merges keyed lists by key and keeps items other managers own', () => {
    let live = applyServerSide(undefined, makePod([{ name: 'app', image: 'a:1' }]), opts);
    live = applyServerSide(live, makePod([{ name: 'istio-proxy', image: 'proxy:1' }]), { ...opts, manager: 'istio-sidecar' });
    const out = applyServerSide(live, makePod([{ name: 'app', image: 'a:2' }]), { ...opts, now: T1 });
    assert.deepEqual(out.spec.containers, [{ name: 'app', image: 'a:2' }, { name: 'istio-proxy', image: 'proxy:1' }]);
  });

  it('drops a list item the applier no longer lists', () => {
    const live = applyServerSide(undefined, makePod([{ name: 'app', image: 'a' }, { name: 'debug', image: 'busybox' }]), opts);
    const out = applyServerSide(live, makePod([{ name: 'app', image: 'a' }]), { ...opts, now: T1 });
    assert.deepEqual(out.spec.containers, [{ name: 'app', image: 'a' }]);
  });

  it('treats custom resource lists as atomic unless the CRD schema says otherwise', () => {
    const vs: KubeObject = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r' }, spec: { hosts: ['a'], http: [{ name: 'x' }] } };
    const base = { manager: 'kubectl', force: false, apiVersion: 'networking.istio.io/v1', now: T0, group: 'networking.istio.io', kind: 'VirtualService', hasStatusSubresource: true };
    assert.deepEqual(applyServerSide(undefined, vs, base).metadata.managedFields?.[0].fieldsV1, { 'f:spec': { 'f:hosts': {}, 'f:http': {} } });
    const keyed = applyServerSide(undefined, vs, {
      ...base,
      listMeta: (path) => (path.join('.') === 'spec.http' ? { listType: 'map', mapKeys: ['name'] } : undefined),
    });
    assert.deepEqual(keyed.metadata.managedFields?.[0].fieldsV1, { 'f:spec': { 'f:hosts': {}, 'f:http': { 'k:{"name":"x"}': { '.': {}, 'f:name': {} } } } });
  });
});

describe('applyServerSide: request validation', () => {
  it('requires a field manager (422 like PatchOptions validation)', () => {
    assert.throws(() => applyServerSide(undefined, makeConfigMap({}), buildCmOptions('')), {
      code: 422,
      reason: 'Invalid',
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
  });

  it('rejects managedFields in the body and a mismatched kind with 400', () => {
    const withMf = makeConfigMap({});
    withMf.metadata.managedFields = [];
    assert.throws(() => applyServerSide(undefined, withMf, buildCmOptions('a')), { code: 400, message: 'metadata.managedFields must be nil' });
    const secret = { ...makeConfigMap({}), kind: 'Secret' };
    assert.throws(() => applyServerSide(undefined, secret, buildCmOptions('a')), { code: 400, message: 'invalid object type: /v1, Kind=Secret' });
  });

  it('rejects keyed list items without their key', () => {
    const bad: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ image: 'x' }] } };
    assert.throws(() => applyServerSide(undefined, bad, { ...buildCmOptions('a'), kind: 'Pod' }), {
      code: 422,
      message: 'failed to create typed patch object (/v1, Kind=Pod): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    });
  });
});
