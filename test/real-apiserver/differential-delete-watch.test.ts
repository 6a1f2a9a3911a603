// Differential: delete (preconditions, cascade Background/Foreground/Orphan through the garbage
// collector), watch from a resourceVersion (order, selectors, 410 Expired), namespace termination
// and discovery, against the real kube-apiserver and the sandbox.
import { after, before, describe, it } from 'node:test';
import { assertAgreement, configMap, createNamespace, normalizeStatus, openBackends, pickPaths, runDifferential, type AllowedDifference, type Backend, type Session } from './helpers/differential.js';

/** Known differences, each with its reason (also listed in docs/real-apiserver.md). */
const allowed: Record<string, AllowedDifference[]> = {
  delete: [],
  cascade: [],
  watch: [
    { step: 'watch with unparseable resourceVersion', path: '', reason: '1.20 answers a non-numeric resourceVersion with 500; the sandbox opens the watch and sends a 410 Expired ERROR event' },
  ],
  expire: [
    { step: 'watch from a compacted resourceVersion', path: 'events[0].message', reason: "the real server's wording depends on where the watch is served: from etcd (secrets here bypass the watch cache) `The resourceVersion for the provided watch is too old.`, from the watch cache `too old resource version: X (Y)`, which the sandbox uses; same 410 Expired ERROR event" },
    { step: 'continue after compaction', path: 'body.message', reason: 'the real server also offers an inconsistent-continue token and says so; the sandbox offers none; same 410 Expired' },
  ],
  namespace: [],
  discovery: [
    ...['bindings', 'pods/binding', 'pods/proxy', 'podtemplates', 'componentstatuses'].map((r) => ({ step: 'core v1 resources', path: `body.resources.${r}`, reason: 'not emulated: the sandbox serves only the kinds labs and their tools use' })),
    { step: 'core v1 resources', path: 'body.resources.pods/ephemeralcontainers', reason: '1.20 vs 1.30: pods/ephemeralcontainers is served from 1.23 (GA in 1.25)' },
    { step: 'core v1 resources', path: 'body.resources.services.verbs', reason: '1.20 serves Services without deletecollection; the sandbox offers it on every built-in kind but namespaces' },
    { step: 'version', path: 'body.gitVersion', reason: 'by design: the sandbox reports v1.30.0-istio-lab, this server is 1.20' },
    { step: 'version', path: 'body.minor', reason: 'by design: the sandbox emulates 1.30, this server is 1.20' },
  ],
};

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});

async function count(s: Session, path: string): Promise<number> {
  const r = await s.send('GET', path);
  return r.status === 200 ? r.json().items.length : -1;
}

describe('differential: delete, watch, namespaces, discovery', () => {
  let backends: { real: Backend; sandbox: Backend };
  let dispose: () => Promise<void>;
  before(async () => {
    ({ backends, dispose } = await openBackends());
  });
  after(() => dispose?.());

  it('delete with preconditions, dry run, and 404', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-delete';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      const created = (await s.send('POST', cms, { body: configMap('gone', { a: '1' }) })).json();
      await s.call('delete with wrong uid precondition', 'DELETE', `${cms}/gone`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } } });
      await s.call('delete with stale resourceVersion precondition', 'DELETE', `${cms}/gone`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } } });
      await s.call('delete dry run', 'DELETE', `${cms}/gone?dryRun=All`, { pick: pickPaths('kind', 'metadata.name', 'data') });
      await s.call('still there after dry run', 'GET', `${cms}/gone`, { pick: pickPaths('metadata.name') });
      await s.call('delete', 'DELETE', `${cms}/gone`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: created.metadata.uid } } });
      await s.call('delete again', 'DELETE', `${cms}/gone`);
      await s.call('get deleted', 'GET', `${cms}/gone`);
      for (const i of [1, 2, 3]) await s.send('POST', cms, { body: configMap(`col${i}`, {}, { batch: i < 3 ? 'x' : 'y' }) });
      await s.call('delete collection by label', 'DELETE', `${cms}?labelSelector=batch%3Dx`, { pick: pickPaths('metadata.name') });
      await s.call('left after delete collection', 'GET', `${cms}?labelSelector=batch`, { pick: pickPaths('metadata.name') });
      await s.call('delete with finalizer', 'POST', cms, { body: { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } }, pick: pickPaths('metadata.finalizers') });
      await s.call('delete held object', 'DELETE', `${cms}/held`, { pick: pickPaths('metadata.name', 'metadata.finalizers', 'metadata.deletionTimestamp', 'metadata.deletionGracePeriodSeconds') });
      await s.call('add finalizer while terminating', 'PATCH', `${cms}/held`, { body: { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } }, contentType: 'application/merge-patch+json' });
      await s.call('remove finalizer releases it', 'PATCH', `${cms}/held`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json', pick: pickPaths('metadata.name', 'metadata.finalizers') });
      await s.call('held object gone', 'GET', `${cms}/held`);
    }, allowed.delete);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('cascading delete: Background, Foreground and Orphan', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-cascade';
      await createNamespace(s, ns);
      const deps = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const rss = `/apis/apps/v1/namespaces/${ns}/replicasets`;
      const pods = `/api/v1/namespaces/${ns}/pods`;
      for (const name of ['bg', 'fg', 'orphan']) {
        await s.send('POST', deps, { body: deployment(name, 2) });
        await s.until(`${name} pods`, async () => (await count(s, `${pods}?labelSelector=app%3D${name}`)) === 2);
      }
      const rsOf = async (name: string) => (await s.send('GET', `${rss}?labelSelector=app%3D${name}`)).json().items;
      s.record('replicaset owner', (await rsOf('bg')).map((r: any) => ({ owner: r.metadata.ownerReferences?.map((o: any) => ({ kind: o.kind, name: o.name, controller: o.controller, blockOwnerDeletion: o.blockOwnerDeletion })), replicas: r.spec.replicas })));
      const podList = (await s.send('GET', `${pods}?labelSelector=app%3Dbg`)).json().items;
      s.record('pod owner', podList.map((p: any) => p.metadata.ownerReferences?.map((o: any) => ({ kind: o.kind, controller: o.controller, blockOwnerDeletion: o.blockOwnerDeletion }))));
      s.record('pod template hash label', podList.every((p: any) => /^[a-z0-9]+$/.test(p.metadata.labels['pod-template-hash'] ?? '')));

      await s.call('delete background', 'DELETE', `${deps}/bg`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
      await s.until('bg replicasets gone', async () => (await count(s, `${rss}?labelSelector=app%3Dbg`)) === 0);
      await s.until('bg pods gone', async () => (await count(s, `${pods}?labelSelector=app%3Dbg`)) === 0);
      s.record('background: dependents removed', true);

      await s.call('delete foreground', 'DELETE', `${deps}/fg`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' }, pick: pickPaths('metadata.name', 'metadata.finalizers', 'metadata.deletionTimestamp') });
      await s.until('fg deployment gone', async () => (await s.send('GET', `${deps}/fg`)).status === 404);
      s.record('foreground: dependents removed first', { rs: await count(s, `${rss}?labelSelector=app%3Dfg`), pods: await count(s, `${pods}?labelSelector=app%3Dfg`) });

      await s.call('delete orphan', 'DELETE', `${deps}/orphan`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' }, pick: pickPaths('metadata.name', 'metadata.finalizers') });
      await s.until('orphan deployment gone', async () => (await s.send('GET', `${deps}/orphan`)).status === 404);
      await s.until('orphaned replicaset released', async () => (await rsOf('orphan')).every((r: any) => !r.metadata.ownerReferences?.length));
      s.record('orphan: dependents kept', { rs: (await rsOf('orphan')).length, pods: await count(s, `${pods}?labelSelector=app%3Dorphan`) });
    }, allowed.cascade);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('watch from a resourceVersion: order, selectors, 410', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-watch';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      const start = (await s.send('POST', cms, { body: configMap('w1', { v: '1' }, { watch: 'yes' }) })).json().metadata.resourceVersion;
      await s.send('PUT', `${cms}/w1`, { body: configMap('w1', { v: '2' }, { watch: 'yes' }) });
      await s.send('POST', cms, { body: configMap('w2', { v: '1' }, { watch: 'no' }) });
      await s.send('PATCH', `${cms}/w1`, { body: { metadata: { labels: { watch: 'no' } } }, contentType: 'application/merge-patch+json' });
      await s.send('DELETE', `${cms}/w2`);
      await s.send('DELETE', `${cms}/w1`);
      const ev = (e: { type: string; object: any }) => ({ type: e.type, name: e.object.metadata?.name, v: e.object.data?.v, watch: e.object.metadata?.labels?.watch, kind: e.object.kind, code: e.object.code, reason: e.object.reason });
      // Every object of this script carries the label `watch`; kube-root-ca.crt (real side only) does not.
      const w = await s.watch(`${cms}?watch=1&resourceVersion=${start}&timeoutSeconds=2&labelSelector=watch`);
      s.record('watch from resourceVersion', { status: w.status, events: w.events.map(ev) });
      const sel = await s.watch(`${cms}?watch=1&resourceVersion=${start}&timeoutSeconds=2&labelSelector=watch%3Dyes`);
      s.record('watch with label selector', { status: sel.status, events: sel.events.map(ev) });
      const one = await s.watch(`${cms}?watch=1&resourceVersion=${start}&timeoutSeconds=2&fieldSelector=metadata.name%3Dw2`);
      s.record('watch with field selector', { status: one.status, events: one.events.map(ev) });
      await s.send('POST', cms, { body: configMap('w3', { v: '1' }, { watch: 'fresh' }) });
      const fresh = await s.watch(`${cms}?watch=1&timeoutSeconds=1&labelSelector=watch`);
      s.record('watch without resourceVersion starts with ADDED', { status: fresh.status, events: fresh.events.map(ev) });
      await s.call('watch with unparseable resourceVersion', 'GET', `${cms}?watch=1&resourceVersion=abc&timeoutSeconds=1`);
    }, allowed.watch);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('410 Expired for a continue token and a watch older than the compacted history', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-expire';
      await createNamespace(s, ns);
      const secrets = `/api/v1/namespaces/${ns}/secrets`;
      for (const i of [1, 2, 3]) await s.send('POST', secrets, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}`, labels: { batch: 'x' } }, stringData: { i: String(i) } } });
      const page = await s.call('list first page', 'GET', `${secrets}?labelSelector=batch%3Dx&limit=1`, { pick: (o) => o.metadata.name });
      const { continue: token, resourceVersion } = page.json().metadata;
      // Two writes after the list, so the compaction revision lies beyond the first event a watch would need.
      for (const name of ['s1', 's2']) await s.send('PATCH', `${secrets}/${name}`, { body: { metadata: { labels: { touched: 'yes' } } }, contentType: 'application/merge-patch+json' });
      await s.expireHistory();
      await s.call('continue after compaction', 'GET', `${secrets}?labelSelector=batch%3Dx&limit=1&continue=${encodeURIComponent(token)}`, { pick: (o) => o.metadata.name });
      const w = await s.watch(`${secrets}?watch=1&resourceVersion=${resourceVersion}&timeoutSeconds=2`);
      s.record('watch from a compacted resourceVersion', { status: w.status, events: w.events.map((e) => ({ type: e.type, ...(normalizeStatus(e.object) as object) })) });
      await s.call('list after compaction still works', 'GET', `${secrets}?labelSelector=batch%3Dx`, { pick: (o) => o.metadata.name });
    }, allowed.expire);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('namespace deletion and creating in a terminating namespace', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-terminate';
      await createNamespace(s, ns);
      await s.send('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
      await s.call('delete namespace', 'DELETE', `/api/v1/namespaces/${ns}`, { pick: pickPaths('metadata.name', 'metadata.deletionTimestamp', 'spec', 'status.phase') });
      await s.call('create in terminating namespace', 'POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('late') });
      await s.until('namespace content deletion', async () => (await s.send('GET', `/api/v1/namespaces/${ns}/configmaps/held`)).json().metadata?.deletionTimestamp !== undefined);
      await s.call('namespace still terminating', 'GET', `/api/v1/namespaces/${ns}`, { pick: pickPaths('status.phase') });
      await s.send('PATCH', `/api/v1/namespaces/${ns}/configmaps/held`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
      await s.until('namespace gone', async () => (await s.send('GET', `/api/v1/namespaces/${ns}`)).status === 404);
      s.record('namespace removed once its content is gone', true);
    }, allowed.namespace);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('discovery of core and apps resources', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const resources = (r: any) => Object.fromEntries((r.resources ?? []).map((x: any) => [x.name, { kind: x.kind, namespaced: x.namespaced, verbs: [...(x.verbs ?? [])].sort().join(','), shortNames: (x.shortNames ?? []).join(',') || undefined }]));
      await s.call('core v1 resources', 'GET', '/api/v1', { pick: (o) => ({ kind: o.kind, groupVersion: o.groupVersion, resources: resources(o) }) });
      await s.call('apps v1 resources', 'GET', '/apis/apps/v1', { pick: (o) => ({ kind: o.kind, groupVersion: o.groupVersion, resources: resources(o) }) });
      await s.call('api versions', 'GET', '/api', { pick: (o) => ({ kind: o.kind, versions: o.versions }) });
      await s.call('apps group', 'GET', '/apis', { pick: (o) => ({ kind: o.kind, apps: o.groups.find((g: any) => g.name === 'apps') && { versions: o.groups.find((g: any) => g.name === 'apps').versions.map((v: any) => v.groupVersion), preferred: o.groups.find((g: any) => g.name === 'apps').preferredVersion.groupVersion } }) });
      await s.call('unserved group version', 'GET', '/apis/apps/v1beta1');
      await s.call('version', 'GET', '/version', { pick: (o) => ({ keys: Object.keys(o).sort(), major: o.major, minor: o.minor, gitVersion: o.gitVersion }) });
    }, allowed.discovery);
    assertAgreement(result, (m) => t.diagnostic(m));
  });
});
