// Ownership recorded for create/update/patch, and how it interacts with later server-side applies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../../../src/sandbox/api/patch/errors.js';
import { applyStrategicMergePatch } from '../../../src/sandbox/api/patch/strategic-merge.js';
import { applyServerSide, recordUpdate, type ApplyOptions, type RecordUpdateOptions } from '../../../src/sandbox/api/patch/server-side-apply.js';
import type { KubeObject } from '../../../src/sandbox/types.js';

const T0 = '2024-06-01T10:00:00Z';
const T1 = '2024-06-01T10:05:00Z';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const buildDeployOptions = (manager: string, extra: Partial<RecordUpdateOptions> = {}): RecordUpdateOptions => ({
  manager, apiVersion: 'apps/v1', now: T0, group: 'apps', kind: 'Deployment', hasStatusSubresource: true, ...extra,
});
const buildCmOptions = (manager: string, extra: Partial<RecordUpdateOptions> = {}): RecordUpdateOptions => ({
  manager, apiVersion: 'v1', now: T0, group: '', kind: 'ConfigMap', ...extra,
});
const buildApplyOptions = (manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  manager, force: false, apiVersion: 'apps/v1', now: T1, group: 'apps', kind: 'Deployment', hasStatusSubresource: true, ...extra,
});

/** The manifest a user keeps in git (no replicas: the server defaults it). */
function makeManifest(image = 'nginx:1.25', replicas?: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

/** What `kubectl apply` (client-side) creates: the manifest plus annotation, defaulted by the server. */
function createByClientSideApply(): KubeObject {
  const m = makeManifest();
  const stored: KubeObject = {
    ...m,
    metadata: { ...m.metadata, uid: 'u-1', resourceVersion: '1', annotations: { [LAST_APPLIED]: `${JSON.stringify(m)}\n` } },
    spec: { ...m.spec, replicas: 1 },
  };
  stored.metadata.managedFields = recordUpdate(undefined, stored, buildDeployOptions('kubectl-client-side-apply'));
  return stored;
}

describe('recordUpdate: create', () => {
  it('records a ConfigMap create with "." on maps the empty object lacked', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd', labels: { app: 'x' } }, data: { a: '1' } };
    assert.deepEqual(recordUpdate(undefined, cm, buildCmOptions('kubectl-create')), [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ]);
  });

  it('records a client-side-applied Deployment like a real server (no "." on spec/template/containers)', () => {
    assert.deepEqual(createByClientSideApply().metadata.managedFields?.[0].fieldsV1, {
      'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST_APPLIED}`]: {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
  });

  it('marks a custom resource spec with "." since it starts from an empty object', () => {
    const vs: KubeObject = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r' }, spec: { hosts: ['a'] } };
    const mf = recordUpdate(undefined, vs, { manager: 'kubectl-create', apiVersion: 'networking.istio.io/v1', now: T0, group: 'networking.istio.io', kind: 'VirtualService' });
    assert.deepEqual(mf[0].fieldsV1, { 'f:spec': { '.': {}, 'f:hosts': {} } });
  });
});

describe('recordUpdate: updates', () => {
  /** A ConfigMap created by kubectl-create. */
  function createConfigMapByKubectl(): KubeObject {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u' }, data: { a: '1', b: '2' } };
    cm.metadata.managedFields = recordUpdate(undefined, cm, buildCmOptions('kubectl-create'));
    return cm;
  }

  it('gives a label change to its writer only', () => {
    const before = createConfigMapByKubectl();
    const after = structuredClone(before);
    after.metadata.labels = { tier: 'db' };
    const mf = recordUpdate(before, after, buildCmOptions('kubectl-label', { now: T1 }));
    assert.deepEqual(mf.map((e) => [e.manager, e.time, e.fieldsV1]), [
      ['kubectl-create', T0, { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } }],
      ['kubectl-label', T1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } } }],
    ]);
  });

  it('moves a changed field to the writer and removes a deleted one from everybody', () => {
    const before = createConfigMapByKubectl();
    const after = structuredClone(before);
    after.data = { a: 'changed' };
    const mf = recordUpdate(before, after, buildCmOptions('kubectl-edit', { now: T1 }));
    assert.deepEqual(mf.map((e) => [e.manager, e.fieldsV1]), [
      ['kubectl-create', { 'f:data': {} }],
      ['kubectl-edit', { 'f:data': { 'f:a': {} } }],
    ]);
  });

  it('merges repeated writes of one manager and apiVersion into one entry', () => {
    let obj = createConfigMapByKubectl();
    for (const [key, now] of [['x', T1], ['y', '2024-06-01T11:00:00Z']]) {
      const next = structuredClone(obj);
      next.data = { ...next.data, [key]: 'v' };
      next.metadata.managedFields = recordUpdate(obj, next, buildCmOptions('kubectl-edit', { now }));
      obj = next;
    }
    const edits = obj.metadata.managedFields?.filter((e) => e.manager === 'kubectl-edit');
    assert.deepEqual(edits?.map((e) => [e.time, e.fieldsV1]), [['2024-06-01T11:00:00Z', { 'f:data': { 'f:x': {}, 'f:y': {} } }]]);
  });

  it('does not start tracking an existing object that has no managedFields', () => {
    const before: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u' }, data: { a: '1' } };
    const after = { ...before, data: { a: '2' } };
    assert.deepEqual(recordUpdate(before, after, buildCmOptions('kubectl-edit')), []);
  });

  it('records status writes under the status subresource and ignores status on the main resource', () => {
    const before = createByClientSideApply();
    const withStatus = structuredClone(before);
    withStatus.status = { replicas: 1, readyReplicas: 1 };
    const mf = recordUpdate(before, withStatus, buildDeployOptions('kube-controller-manager', { subresource: 'status', now: T1 }));
    const controller = mf.find((e) => e.manager === 'kube-controller-manager');
    assert.equal(controller?.subresource, 'status');
    assert.deepEqual(controller?.fieldsV1, { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } });
    const mainWrite = recordUpdate(before, withStatus, buildDeployOptions('sneaky', { now: T1 }));
    assert.equal(mainWrite.some((e) => e.manager === 'sneaky'), false);
  });
});

describe('recordUpdate after a strategic merge patch', () => {
  it('folds a second client-side apply into the same kubectl-client-side-apply entry', () => {
    const live = createByClientSideApply();
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ env: [{ name: 'NEW', value: '1' }], image: 'nginx:1.26', name: 'web' }],
          },
        },
      },
    };
    const patched = applyStrategicMergePatch(live, patch, 'apps', 'Deployment') as KubeObject;
    const mf = recordUpdate(live, patched, buildDeployOptions('kubectl-client-side-apply', { now: T1 }));
    assert.equal(mf.length, 1);
    assert.equal(mf[0].time, T1);
    const container = (mf[0].fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
    assert.deepEqual(container, {
      '.': {},
      'f:env': { '.': {}, 'k:{"name":"NEW"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
      'f:image': {},
      'f:name': {},
    });
  });
});

describe('update-then-apply interplay', () => {
  it('conflicts with the client-side-apply owner for a different applier', () => {
    const live = createByClientSideApply();
    assert.throws(() => applyServerSide(live, makeManifest('nginx:1.25', 3), buildApplyOptions('istio-lab')), (err: unknown) => {
      assert.ok(err instanceof PatchError);
      assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
      assert.deepEqual(err.causes, [
        { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
      ]);
      return true;
    });
  });

  it('still conflicts for "kubectl" on a field the last-applied annotation never had', () => {
    const live = createByClientSideApply();
    assert.throws(() => applyServerSide(live, makeManifest('nginx:1.25', 3), buildApplyOptions('kubectl')), {
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    });
  });

  it('lets "kubectl" take over fields that still hold their last-applied value, and syncs the annotation', () => {
    const live = createByClientSideApply();
    const out = applyServerSide(live, makeManifest('nginx:1.26'), buildApplyOptions('kubectl'));
    assert.equal(out.spec.template.spec.containers[0].image, 'nginx:1.26');
    // Re-encoded the way the server's Go JSON encoder does it: keys sorted, trailing newline.
    assert.equal(
      out.metadata.annotations?.[LAST_APPLIED],
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"web"}},'
        + '"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.26","name":"web"}]}}}}\n',
    );
    const csa = out.metadata.managedFields?.find((e) => e.manager === 'kubectl-client-side-apply');
    const container = (csa?.fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
    assert.equal('f:image' in container, false, 'image moved to the applier');
    assert.equal('f:name' in container, true, 'unchanged fields stay shared');
    assert.equal(out.metadata.managedFields?.[0].manager, 'kubectl');
    assert.equal(out.metadata.managedFields?.[0].operation, 'Apply');
  });

  it('names a subresource owner in conflicts (kubectl scale, then apply)', () => {
    const live = createByClientSideApply();
    const scaled = structuredClone(live);
    scaled.spec.replicas = 5;
    scaled.metadata.managedFields = recordUpdate(live, scaled, buildDeployOptions('kubectl', { subresource: 'scale', now: T1 }));
    assert.throws(() => applyServerSide(scaled, makeManifest('nginx:1.25', 2), buildApplyOptions('ci')), {
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    });
    const forced = applyServerSide(scaled, makeManifest('nginx:1.25', 2), buildApplyOptions('ci', { force: true }));
    assert.equal(forced.spec.replicas, 2);
    assert.equal(forced.metadata.managedFields?.some((e) => e.subresource === 'scale'), false);
  });

  it('lists every conflict grouped by manager when several fields clash', () => {
    const live = createByClientSideApply();
    assert.throws(() => applyServerSide(live, makeManifest('other:1', 4), buildApplyOptions('ci')), {
      code: 409,
      message:
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    });
  });
});
