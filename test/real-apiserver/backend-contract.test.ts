// The Kubernetes backend (connectCluster → KubeCluster) and the runner against a real
// kube-apiserver 1.20: server-side apply with istio-lab's field manager, CRDs before custom
// resources, CRD schemas kept intact, ownership marks, conflicts, reset, watches and errors.
// Waits that need running pods are exercised on the sandbox only (there is no kubelet here).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectCluster } from '../../src/cluster/kube.js';
import { NoKindMatchError } from '../../src/cluster/discovery.js';
import { KubeApiError } from '../../src/cluster/rest.js';
import type { Cluster, ClusterWatchEvent, KubeObject } from '../../src/cluster/types.js';
import { loadLab } from '../../src/lab/index.js';
import { runLabs } from '../../src/runner/run-labs.js';
import { resetLabs } from '../../src/runner/reset.js';
import type { RunEvent } from '../../src/runner/events.js';
import { labAnnotation, managedByLabel, stepAnnotation } from '../../src/runner/ownership.js';
import { stateName, stateNamespace } from '../../src/runner/state.js';
import { realKubeconfigPath } from './helpers/real.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

const cm = (name: string, namespace: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  data,
});

describe('Kubernetes backend against a real kube-apiserver', () => {
  let cluster: Cluster;
  let labRepo: string;
  before(async () => {
    cluster = await connectCluster({ kubeconfig: realKubeconfigPath() });
    labRepo = mkdtempSync(join(tmpdir(), 'istio-lab-contract-'));
    mkdirSync(join(labRepo, 'labs', 'core'), { recursive: true });
    mkdirSync(join(labRepo, 'manifests', 'istio'), { recursive: true });
    cpSync(join(here, 'fixtures', 'contract-lab.yaml'), join(labRepo, 'labs', 'core', 'contract.yaml'));
    cpSync(join(here, 'fixtures', 'contract-objects.yaml'), join(labRepo, 'manifests', 'contract.yaml'));
    cpSync(join(repoRoot, 'manifests', 'istio', 'crds.yaml'), join(labRepo, 'manifests', 'istio', 'crds.yaml'));
    for (const ns of ['contract-backend', 'contract-preexisting']) {
      await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: 'test-setup' });
    }
  });
  after(() => {
    cluster?.close();
    if (labRepo) rmSync(labRepo, { recursive: true, force: true });
  });

  it('reports the server version and is not taken for the sandbox', async () => {
    assert.match(await cluster.version(), /^v1\.20\./);
    assert.equal(cluster.target.sandbox, false);
    assert.equal(cluster.target.context, 'istio-lab-real-apiserver');
  });

  it('applies with server-side apply under its field manager, and reads back every key', async () => {
    const applied = await cluster.apply(cm('ssa', 'contract-backend', { a: '1' }, { tier: 'x' }), { fieldManager: 'istio-lab' });
    assert.deepEqual(applied.data, { a: '1' });
    const fields = applied.metadata.managedFields as any[];
    assert.deepEqual(fields.map((f) => [f.manager, f.operation]), [['istio-lab', 'Apply']]);
    assert.ok(fields[0].fieldsV1['f:data']['f:a'], 'istio-lab owns data.a');
    const again = await cluster.apply(cm('ssa', 'contract-backend', { a: '1' }, { tier: 'x' }), { fieldManager: 'istio-lab' });
    assert.equal(again.metadata.resourceVersion, applied.metadata.resourceVersion, 'an identical apply changes nothing');
    const dry = await cluster.apply(cm('ssa', 'contract-backend', { a: '2' }), { fieldManager: 'istio-lab', dryRun: true });
    assert.equal(dry.data.a, '2');
    assert.equal((await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ssa', namespace: 'contract-backend' }))!.data.a, '1', 'dry run stored nothing');
  });

  it('takes over fields from another manager only with force (409 Conflict without)', async () => {
    await cluster.apply(cm('contested', 'contract-backend', { owner: 'someone' }), { fieldManager: 'someone-else' });
    await assert.rejects(cluster.apply(cm('contested', 'contract-backend', { owner: 'lab' }), { fieldManager: 'istio-lab' }), (err: unknown) => {
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.status, 409);
      assert.equal(err.reason, 'Conflict');
      assert.match(err.message, /conflict with "someone-else"/);
      assert.match(err.message, /\.data\.owner/);
      return true;
    });
    const forced = await cluster.apply(cm('contested', 'contract-backend', { owner: 'lab' }), { fieldManager: 'istio-lab', force: true });
    assert.equal(forced.data.owner, 'lab');
    const byManager = Object.fromEntries((forced.metadata.managedFields as any[]).map((f) => [f.manager, f]));
    assert.ok(byManager['istio-lab'].fieldsV1['f:data']['f:owner']);
    assert.equal(byManager['someone-else']?.fieldsV1?.['f:data']?.['f:owner'], undefined, 'the other manager lost the field');
  });

  it('patches (merge, json, strategic) and deletes', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'patched', namespace: 'contract-backend' };
    await cluster.apply(cm('patched', 'contract-backend', { a: '1' }), { fieldManager: 'istio-lab' });
    assert.deepEqual((await cluster.patch(ref, { data: { b: '2' } }, 'merge', { fieldManager: 'istio-lab' })).data, { a: '1', b: '2' });
    assert.deepEqual((await cluster.patch(ref, [{ op: 'remove', path: '/data/a' }], 'json')).data, { b: '2' });
    assert.deepEqual((await cluster.patch(ref, { data: { c: '3' } }, 'strategic')).data, { b: '2', c: '3' });
    assert.equal(await cluster.delete(ref), true);
    assert.equal(await cluster.get(ref), undefined);
    assert.equal(await cluster.delete(ref), false, 'deleting a missing object reports false');
  });

  it('names unknown kinds with NoKindMatchError and surfaces 422 for invalid objects', async () => {
    await assert.rejects(cluster.resource('example.com/v1', 'Widget'), (err: unknown) => {
      assert.ok(err instanceof NoKindMatchError);
      assert.equal(err.message, 'no matches for kind "Widget" in version "example.com/v1"');
      return true;
    });
    await assert.rejects(cluster.apply({ apiVersion: 'v1', kind: 'Nope', metadata: { name: 'x', namespace: 'default' } }, { fieldManager: 'istio-lab' }), /no matches for kind "Nope" in version "v1"/);
    await assert.rejects(cluster.apply(cm('bad', 'contract-backend', { 'not a key': 'x' }), { fieldManager: 'istio-lab' }), (err: unknown) => {
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.status, 422);
      assert.equal(err.reason, 'Invalid');
      assert.match(err.message, /^ConfigMap "bad" is invalid: data\[not a key\]/);
      return true;
    });
    await assert.rejects(cluster.apply(cm('x', 'contract-no-such-namespace', {}), { fieldManager: 'istio-lab' }), (err: unknown) => err instanceof KubeApiError && err.status === 404 && /namespaces "contract-no-such-namespace" not found/.test(err.message));
  });

  it('watches: events arrive in order and resume from a resourceVersion', async () => {
    const ns = 'contract-backend';
    const first = await cluster.apply(cm('watched', ns, { v: '0' }, { watched: 'yes' }), { fieldManager: 'istio-lab' });
    const from = first.metadata.resourceVersion!;
    for (const v of ['1', '2', '3']) await cluster.apply(cm('watched', ns, { v }, { watched: 'yes' }), { fieldManager: 'istio-lab' });
    const collect = async (resourceVersion: string, want: number) => {
      const events: ClusterWatchEvent[] = [];
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), 10_000);
      await cluster.watch('v1', 'ConfigMap', { namespace: ns, labelSelector: 'watched=yes', resourceVersion }, (e) => {
        if (e.type === 'BOOKMARK') return;
        events.push(e);
        if (events.length >= want) ac.abort();
      }, ac.signal);
      clearTimeout(timer);
      return events;
    };
    const seen = await collect(from, 3);
    assert.deepEqual(seen.map((e) => [e.type, e.object.data.v]), [['MODIFIED', '1'], ['MODIFIED', '2'], ['MODIFIED', '3']]);
    const resumeAt = seen[1].object.metadata.resourceVersion!;
    await cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'watched', namespace: ns });
    const resumed = await collect(resumeAt, 2);
    assert.deepEqual(resumed.map((e) => [e.type, e.object.data.v]), [['MODIFIED', '3'], ['DELETED', '3']]);
    const { items, resourceVersion } = await cluster.list('v1', 'ConfigMap', { namespace: ns, labelSelector: 'watched=yes' });
    assert.equal(items.length, 0);
    assert.match(resourceVersion, /^\d+$/);
  });

  it('runs a lab: CRDs before custom resources, schemas kept, ownership marked; reset removes only what it owns', async () => {
    await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'contract-preexisting', labels: { team: 'original' } } }, { fieldManager: 'test-setup' });
    await cluster.apply(cm('bystander', 'contract-preexisting', { owner: 'someone' }), { fieldManager: 'test-setup' });
    const loaded = await loadLab(join(labRepo, 'labs', 'core', 'contract.yaml'), { repoRoot: labRepo });
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors.map(String)));
    const events: RunEvent[] = [];
    const ac = new AbortController();
    const run = await runLabs(cluster, [{ loaded: loaded.loaded, target: true }], { mode: 'run', prove: false, adopt: false, timeoutMs: 60_000, emit: (e) => events.push(e), signal: ac.signal });
    const checks = events.filter((e) => e.type === 'check').map((e: any) => `${e.outcome.name}: ${e.outcome.status} ${e.outcome.message}`);
    assert.equal(run.status, 'passed', checks.join('\n'));
    assert.deepEqual(run.summary, { passed: 1, failed: 0, skipped: 0 });

    // The CRD went through our raw-JSON path: x-kubernetes-preserve-unknown-fields survived, so
    // the real server kept every field of the VirtualService.
    const crd = await cluster.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'virtualservices.networking.istio.io' });
    const schema = crd!.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema;
    assert.equal(schema.properties.spec['x-kubernetes-preserve-unknown-fields'], true);
    assert.ok(crd!.status.conditions.some((c: any) => c.type === 'Established' && c.status === 'True'));
    const vs = await cluster.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'reviews', namespace: 'contract' });
    assert.deepEqual(vs!.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight]), [['v1', 90], ['v2', 10]]);
    assert.deepEqual(vs!.spec.http[0].match, [{ headers: { 'end-user': { exact: 'jason' } } }]);
    assert.equal(vs!.spec.http[1].retries.perTryTimeout, '2s');
    for (const kind of ['VirtualService', 'DestinationRule', 'Gateway']) {
      const name = kind === 'Gateway' ? 'web-gateway' : 'reviews';
      const obj = await cluster.get({ apiVersion: 'networking.istio.io/v1', kind, name, namespace: 'contract' });
      assert.ok(obj, `${kind} exists`);
      assert.equal(obj.metadata.labels?.[managedByLabel], 'istio-lab');
      assert.equal(obj.metadata.annotations?.[labAnnotation], 'core/contract');
      assert.equal(obj.metadata.annotations?.[stepAnnotation], 'apply');
      assert.ok((obj.metadata.managedFields as any[]).some((f) => f.manager === 'istio-lab' && f.operation === 'Apply'), `${kind} applied by istio-lab`);
    }
    // The v1beta1 view of the same object (conversion None) is served too.
    assert.ok(await cluster.get({ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', name: 'reviews', namespace: 'contract' }));
    const pre = await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: 'contract-preexisting' });
    assert.deepEqual([pre!.metadata.labels?.team, pre!.metadata.labels?.['istio-injection']], ['lab', 'enabled']);
    assert.ok(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: stateName, namespace: stateNamespace }), 'state recorded in the cluster');

    // A second lab object of the same name that istio-lab did not create is a conflict.
    await cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'lab-owned', namespace: 'contract-preexisting' });
    await cluster.apply(cm('lab-owned', 'contract-preexisting', { owner: 'someone' }), { fieldManager: 'someone-else' });
    await assert.rejects(runLabs(cluster, [{ loaded: loaded.loaded, target: true }], { mode: 'run', prove: false, adopt: false, timeoutMs: 60_000, emit: () => undefined, signal: ac.signal }), /configmap\/lab-owned in namespace contract-preexisting already exists and was not created by istio-lab/);

    const reset = await resetLabs(cluster, ['core/contract'], () => undefined, ac.signal, 120_000);
    const removed = reset.removed.map((c) => c.ref).sort();
    assert.ok(removed.includes('virtualservice.networking.istio.io/reviews'), removed.join(', '));
    assert.ok(removed.includes('namespace/contract'), removed.join(', '));
    assert.ok(removed.includes('customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io'), removed.join(', '));
    assert.ok(!removed.includes('configmap/lab-owned'), 'the look-alike istio-lab did not create is left alone');
    assert.deepEqual(reset.skipped.map((c) => c.ref), ['configmap/lab-owned']);
    assert.equal(await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: 'contract' }), undefined);
    assert.equal(await cluster.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'virtualservices.networking.istio.io' }), undefined);
    assert.equal((await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'bystander', namespace: 'contract-preexisting' }))?.data.owner, 'someone');
    assert.equal((await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'lab-owned', namespace: 'contract-preexisting' }))?.data.owner, 'someone');
    const restored = await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: 'contract-preexisting' });
    assert.equal(restored!.metadata.labels?.team, 'original', 'the pre-existing label is restored');
    assert.equal(restored!.metadata.labels?.['istio-injection'], undefined, 'a label that did not exist is removed');
    assert.equal(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: stateName, namespace: stateNamespace }), undefined, 'state removed once empty');
    const again = await resetLabs(cluster, [], () => undefined, ac.signal, 60_000);
    assert.deepEqual([again.removed.length, again.restored.length], [0, 0], 'reset is idempotent');
  });
});
