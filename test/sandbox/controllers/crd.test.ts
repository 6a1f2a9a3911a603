// CustomResourceDefinitions: validation, Established status, serving, and cleanup on deletion.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sandbox/api/status.js';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { namespace, startHarness, waitFor, type Harness } from './harness.js';

function widgetCrd(overrides: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      ...overrides,
    },
  };
}

describe('CrdController', () => {
  let h: Harness;
  before(() => {
    h = startHarness();
    h.apply(namespace('crd'));
  });
  after(() => h.stop());

  it('rejects a CRD without exactly one storage version (422 with causes)', () => {
    const bad = widgetCrd({ versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }] });
    assert.throws(
      () => h.apply(bad),
      (e: unknown) => e instanceof ApiError && e.code === 422 && e.details?.causes?.some((c) => c.field === 'spec.versions' && /exactly one version marked as storage version/.test(c.message)) === true,
    );
    const misnamed = widgetCrd();
    misnamed.metadata.name = 'gadgets.example.com';
    assert.throws(() => h.apply(misnamed), /metadata\.name: Invalid value: "gadgets\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/);
    assert.throws(() => h.apply(widgetCrd({ scope: 'Galaxy' })), /spec\.scope: Unsupported value: "Galaxy": supported values: "Cluster", "Namespaced"/);
  });

  it('establishes a CRD and serves its type', async () => {
    h.apply(widgetCrd());
    const crd = await waitFor(() => {
      const c = h.get('apiextensions.k8s.io/customresourcedefinitions', undefined, 'widgets.example.com');
      return c?.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True') && c;
    }, 'Established');
    const names = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c.reason]));
    assert.deepEqual(names, { NamesAccepted: 'NoConflicts', Established: 'InitialNamesAccepted' });
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    assert.deepEqual(crd.status.acceptedNames, { plural: 'widgets', singular: 'widget', shortNames: ['wd'], kind: 'Widget', listKind: 'WidgetList' });
    const rt = h.registry.types.byResource('example.com', 'v1', 'widgets');
    assert.ok(rt);
    assert.equal(rt.namespaced, true);
    const w = h.registry.create(rt, 'crd', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } });
    assert.equal(w.spec.size, 3);
  });

  it('deletes custom resources before the CRD and stops serving the type', async () => {
    const rt = h.registry.resolveKind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    const { removed } = h.registry.delete(rt, undefined, 'widgets.example.com');
    assert.equal(removed, false);
    await waitFor(() => !h.get('apiextensions.k8s.io/customresourcedefinitions', undefined, 'widgets.example.com'), 'CRD removed');
    assert.equal(h.registry.types.byResource('example.com', 'v1', 'widgets'), undefined);
    assert.deepEqual(h.store.list('example.com/widgets'), []);
  });
});
