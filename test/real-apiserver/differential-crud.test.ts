// Differential: create, get, list (selectors, paging), update (optimistic concurrency) and their
// errors, against the real kube-apiserver and the sandbox.
import { after, before, describe, it } from 'node:test';
import { assertAgreement, configMap, createNamespace, names, openBackends, pickPaths, runDifferential, type AllowedDifference, type Backend } from './helpers/differential.js';

/** Known differences, each with its reason (also listed in docs/real-apiserver.md). */
const allowed: Record<string, AllowedDifference[]> = {
  create: [
    { step: 'new namespace contents', path: 'configmaps', reason: 'sandbox gap: kube-controller-manager publishes ConfigMap kube-root-ca.crt in every namespace (1.20 and later); the sandbox has no root-CA publisher yet' },
    { step: 'create malformed JSON', path: 'body.message', reason: 'wording: the real server quotes its Go JSON decoder; same 400 BadRequest' },
    { step: 'create kind mismatch', path: 'body.message', reason: 'wording: the real server reports the failed scheme conversion, the sandbox names the expected kind; same 400 BadRequest' },
    { step: 'create apiVersion mismatch', path: 'body.message', reason: 'wording: the real server reports the scheme lookup, the sandbox names the expected apiVersion; same 400 BadRequest' },
    { step: 'get unserved group', path: '', reason: "for a group it does not serve at all the real server's mux answers plain-text `404 page not found`; the sandbox answers a JSON Status NotFound (clients only look at the 404)" },
  ],
  list: [
    { step: 'list invalid label selector', path: 'body.message', reason: "wording of the label-selector parser's error; same 400 BadRequest" },
    { step: 'list unsupported field selector', path: 'body.message', reason: 'wording: for ConfigMaps the real server lists the supported fields; the sandbox says `field label not supported` (the wording for kinds with extra field labels); same 400 BadRequest' },
    { step: 'list bad continue token', path: 'body.message', reason: "wording: the real server quotes its token decoder's error; same 400 BadRequest" },
  ],
  update: [
    { step: 'update unparseable resourceVersion', path: '', reason: '1.20 answers a non-numeric resourceVersion on update with 500 (the strconv error leaks); the sandbox treats it as stale: 409 Conflict' },
    { step: 'update namespace status ignored', path: 'body.metadata.labels.kubernetes.io/metadata.name', reason: '1.20 vs 1.30: namespaces carry the kubernetes.io/metadata.name label since 1.21' },
  ],
};

describe('differential: create, get, list, update', () => {
  let backends: { real: Backend; sandbox: Backend };
  let dispose: () => Promise<void>;
  before(async () => {
    ({ backends, dispose } = await openBackends());
  });
  after(() => dispose?.());

  it('create and get, with 400/404/409/422 errors', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-create';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      // What a new namespace gets: the default ServiceAccount (waited for) and the root CA ConfigMap.
      await s.until('kube-root-ca.crt', async () => (await s.send('GET', `${cms}/kube-root-ca.crt`)).status === 200, 5000).catch(() => undefined);
      s.record('new namespace contents', {
        serviceaccounts: (await s.send('GET', `/api/v1/namespaces/${ns}/serviceaccounts`)).json().items.map((o: any) => o.metadata.name),
        configmaps: (await s.send('GET', cms)).json().items.map((o: any) => o.metadata.name),
      });
      await s.call('create', 'POST', `${cms}?fieldManager=diff`, { body: configMap('one', { a: '1' }, { tier: 'x' }) });
      await s.call('create without fieldManager', 'POST', cms, { body: configMap('two', { b: '2' }), pick: pickPaths('metadata.name', 'data') });
      await s.call('create duplicate', 'POST', `${cms}?fieldManager=diff`, { body: configMap('one') });
      await s.call('get', 'GET', `${cms}/one`);
      await s.call('get missing', 'GET', `${cms}/nope`);
      await s.call('create invalid name', 'POST', cms, { body: configMap('Bad_Name') });
      await s.call('create invalid data key', 'POST', cms, { body: configMap('bad-key', { 'bad key': 'x' }) });
      await s.call('create without name', 'POST', cms, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } });
      await s.call('create with generateName', 'POST', cms, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } }, pick: (o) => ({ prefix: o.metadata.name.slice(0, 4), length: o.metadata.name.length, generateName: o.metadata.generateName }) });
      await s.call('create malformed JSON', 'POST', cms, { body: '{"metadata": {' });
      await s.call('create kind mismatch', 'POST', cms, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } } });
      await s.call('create apiVersion mismatch', 'POST', cms, { body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'k' } } });
      await s.call('create namespace mismatch', 'POST', cms, { body: { ...configMap('m'), metadata: { name: 'm', namespace: 'elsewhere' } } });
      await s.call('create in missing namespace', 'POST', '/api/v1/namespaces/diff-no-such-ns/configmaps', { body: configMap('x') });
      await s.call('get unknown resource', 'GET', `/api/v1/namespaces/${ns}/widgets/x`);
      await s.call('get unserved group', 'GET', '/apis/example.com/v1/widgets');
      await s.call('create pod without containers', 'POST', `/api/v1/namespaces/${ns}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } } });
      await s.call('create service with bad port', 'POST', `/api/v1/namespaces/${ns}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 70000 }] } } });
      await s.call('create deployment with mismatched selector', 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
        body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
      });
      await s.call('create cluster-scoped via namespaced path', 'POST', `/api/v1/namespaces/${ns}/namespaces`, { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } } });
      await s.call('delete collection not allowed on namespaces', 'DELETE', '/api/v1/namespaces');
    }, allowed.create);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('list with label and field selectors, limit and continue', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-list';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      const tiers = ['a', 'b', 'a', 'b', 'a'];
      for (const [i, tier] of tiers.entries()) await s.send('POST', cms, { body: configMap(`c${i}`, { i: String(i) }, { app: 'list', tier }) });
      await s.send('POST', cms, { body: configMap('untiered', {}, { app: 'list' }) });
      const q = (query: string) => `${cms}?${query}`;
      await s.call('list by label', 'GET', q('labelSelector=app%3Dlist'), { pick: names });
      await s.call('list by equality', 'GET', q('labelSelector=tier%3Da'), { pick: names });
      await s.call('list by inequality', 'GET', q('labelSelector=app%3Dlist,tier!%3Da'), { pick: names });
      await s.call('list by set', 'GET', q('labelSelector=tier+in+(a,b)'), { pick: names });
      await s.call('list by notin', 'GET', q('labelSelector=app%3Dlist,tier+notin+(a)'), { pick: names });
      await s.call('list by absence', 'GET', q('labelSelector=app%3Dlist,!tier'), { pick: names });
      await s.call('list by existence', 'GET', q('labelSelector=tier'), { pick: names });
      await s.call('list by field', 'GET', q('fieldSelector=metadata.name%3Dc2'), { pick: names });
      await s.call('list by field inequality', 'GET', q('labelSelector=app%3Dlist&fieldSelector=metadata.name!%3Dc2'), { pick: names });
      await s.call('list by namespace field across namespaces', 'GET', `/api/v1/configmaps?labelSelector=app%3Dlist&fieldSelector=metadata.namespace%3D${ns}`, { pick: (o) => `${o.metadata.namespace}/${o.metadata.name}` });
      await s.call('list invalid label selector', 'GET', q('labelSelector=tier+in+(a'));
      await s.call('list unsupported field selector', 'GET', q('fieldSelector=data.i%3D1'));
      const page1 = await s.call('list page 1', 'GET', q('labelSelector=app%3Dlist&limit=2'), { pick: names });
      const page2 = await s.call('list page 2', 'GET', q(`labelSelector=app%3Dlist&limit=2&continue=${encodeURIComponent(page1.json().metadata?.continue ?? '')}`), { pick: names });
      await s.call('list page 3', 'GET', q(`labelSelector=app%3Dlist&limit=2&continue=${encodeURIComponent(page2.json().metadata?.continue ?? '')}`), { pick: names });
      await s.call('list bad continue token', 'GET', q('limit=2&continue=not-a-token'));
      // Unfiltered paging reports how many items remain.
      const svc = `/api/v1/namespaces/${ns}/services`;
      for (const i of [1, 2, 3]) await s.send('POST', svc, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` }, spec: { ports: [{ port: 80 + i, protocol: 'TCP' }] } } });
      await s.call('list unfiltered page', 'GET', `${svc}?limit=1`, { pick: names });
    }, allowed.list);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('update with current, stale and missing resourceVersion', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-update';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      const created = (await s.send('POST', `${cms}?fieldManager=diff`, { body: configMap('occ', { v: '1' }) })).json();
      const stale = created.metadata.resourceVersion;
      await s.call('update current', 'PUT', `${cms}/occ?fieldManager=diff`, { body: { ...created, data: { v: '2' } } });
      await s.call('update stale', 'PUT', `${cms}/occ?fieldManager=diff`, { body: { ...created, data: { v: '3' } } });
      await s.call('update stale rv is rejected whatever changed', 'PUT', `${cms}/occ?fieldManager=diff`, { body: { ...created, metadata: { ...created.metadata, resourceVersion: stale }, data: { v: '2' } } });
      const { resourceVersion: _rv, ...noRv } = created.metadata;
      await s.call('update without resourceVersion', 'PUT', `${cms}/occ?fieldManager=other`, { body: { ...created, metadata: noRv, data: { v: '4' } } });
      await s.call('update name mismatch', 'PUT', `${cms}/occ`, { body: { ...created, metadata: { ...noRv, name: 'other' } } });
      await s.call('update missing object', 'PUT', `${cms}/ghost`, { body: configMap('ghost') });
      await s.call('update invalid', 'PUT', `${cms}/occ`, { body: { ...created, metadata: noRv, data: { 'bad key': 'x' } } });
      await s.call('update unparseable resourceVersion', 'PUT', `${cms}/occ`, { body: { ...created, metadata: { ...noRv, resourceVersion: 'abc' } } });
      await s.call('get after updates', 'GET', `${cms}/occ`);
      // Namespace spec.finalizers and status are not writable through a plain update.
      await s.call('update namespace status ignored', 'PUT', `/api/v1/namespaces/${ns}`, { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { x: 'y' } }, status: { phase: 'Terminating' } }, pick: pickPaths('metadata.labels', 'status') });
    }, allowed.update);
    assertAgreement(result, (m) => t.diagnostic(m));
  });
});
