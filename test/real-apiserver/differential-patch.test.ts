// Differential: merge, JSON and strategic-merge patches, and server-side apply (field managers,
// conflicts, force, removal of fields a manager stops applying), against the real kube-apiserver
// and the sandbox.
import { after, before, describe, it } from 'node:test';
import { assertAgreement, configMap, createNamespace, openBackends, pickPaths, runDifferential, type AllowedDifference, type Backend } from './helpers/differential.js';

/** Known differences, each with its reason (also listed in docs/real-apiserver.md). */
const allowed: Record<string, AllowedDifference[]> = {
  patch: [
    { step: 'patch unsupported content type', path: 'body.message', reason: "wording: 1.20's router says `415: Unsupported Media Type`, the sandbox lists the accepted patch types; same 415" },
    { step: 'merge patch malformed body', path: '', reason: '1.20 answers a syntactically broken merge patch with 500 `Invalid JSON Patch`; the sandbox answers 400 BadRequest' },
  ],
  strategic: [
    { step: 'strategic replace directive in labels', path: '', reason: '1.20 does not honour `$patch: replace` inside metadata.labels (it keeps `$patch` as a label key and fails validation with 422); the sandbox applies the directive' },
  ],
  apply: [
    { step: 'apply malformed YAML', path: 'body.message', reason: "wording of the YAML parser's error; same 400 BadRequest" },
    { step: 'apply without apiVersion', path: 'body.message', reason: '1.20 vs 1.30 wording: `Incorrect version specified in apply patch` vs `invalid object type: /, Kind=ConfigMap`; same 400 BadRequest' },
    { step: 'apply service without protocol', path: '', reason: '1.20 limit: server-side apply of a Service port without `protocol` fails (associative-list key without a default), fixed in 1.21; the sandbox behaves like 1.21+' },
  ],
};

const merge = 'application/merge-patch+json';
const json = 'application/json-patch+json';
const strategic = 'application/strategic-merge-patch+json';
const apply = 'application/apply-patch+yaml';

const deployment = (name: string, containers: any[], replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
});
const containersOf = pickPaths('spec.template.spec.containers', 'spec.replicas', 'metadata.labels');

describe('differential: patch and server-side apply', () => {
  let backends: { real: Backend; sandbox: Backend };
  let dispose: () => Promise<void>;
  before(async () => {
    ({ backends, dispose } = await openBackends());
  });
  after(() => dispose?.());

  it('merge and JSON patches, and their errors', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-patch';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      const created = (await s.send('POST', `${cms}?fieldManager=diff`, { body: configMap('p', { a: '1', b: '2' }, { keep: 'me' }) })).json();
      await s.call('merge patch', 'PATCH', `${cms}/p?fieldManager=patcher`, { body: { data: { a: null, c: '3' }, metadata: { labels: { added: 'yes' } } }, contentType: merge });
      await s.call('merge patch with stale resourceVersion', 'PATCH', `${cms}/p`, { body: { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { d: '4' } }, contentType: merge });
      await s.call('json patch', 'PATCH', `${cms}/p?fieldManager=patcher`, { body: [{ op: 'add', path: '/data/e', value: '5' }, { op: 'replace', path: '/data/b', value: 'two' }, { op: 'remove', path: '/metadata/labels/keep' }], contentType: json });
      await s.call('json patch test fails', 'PATCH', `${cms}/p`, { body: [{ op: 'test', path: '/data/b', value: 'nope' }], contentType: json });
      await s.call('json patch remove missing path', 'PATCH', `${cms}/p`, { body: [{ op: 'remove', path: '/data/missing' }], contentType: json });
      await s.call('json patch bad op', 'PATCH', `${cms}/p`, { body: [{ op: 'frobnicate', path: '/data/b' }], contentType: json });
      await s.call('json patch not a list', 'PATCH', `${cms}/p`, { body: { op: 'add' }, contentType: json });
      await s.call('merge patch makes object invalid', 'PATCH', `${cms}/p`, { body: { data: { 'bad key': 'x' } }, contentType: merge });
      await s.call('merge patch missing object', 'PATCH', `${cms}/ghost`, { body: { data: { a: '1' } }, contentType: merge });
      await s.call('patch unsupported content type', 'PATCH', `${cms}/p`, { body: { data: { a: '1' } }, contentType: 'text/plain' });
      await s.call('merge patch malformed body', 'PATCH', `${cms}/p`, { body: '{"data":', contentType: merge });
      await s.call('merge patch changes name', 'PATCH', `${cms}/p`, { body: { metadata: { name: 'other' } }, contentType: merge });
      await s.call('get after patches', 'GET', `${cms}/p`);
    }, allowed.patch);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('strategic merge patch on built-in kinds', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-strategic';
      await createNamespace(s, ns);
      const deps = `/apis/apps/v1/namespaces/${ns}/deployments`;
      await s.send('POST', `${deps}?fieldManager=diff`, { body: deployment('web', [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 'busybox' }]) });
      await s.call('strategic merge by name', 'PATCH', `${deps}/web?fieldManager=patcher`, { body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2', env: [{ name: 'B', value: '2' }] }] } } } }, contentType: strategic, pick: containersOf });
      await s.call('strategic delete directive', 'PATCH', `${deps}/web`, { body: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, contentType: strategic, pick: containersOf });
      await s.call('merge patch replaces lists', 'PATCH', `${deps}/web`, { body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:3' }] } } } }, contentType: merge, pick: containersOf });
      await s.call('strategic patch invalid result', 'PATCH', `${deps}/web`, { body: { spec: { replicas: -1 } }, contentType: strategic });
      await s.call('scale subresource get', 'GET', `${deps}/web/scale`, { pick: pickPaths('kind', 'apiVersion', 'spec', 'status.selector') });
      await s.call('scale subresource patch', 'PATCH', `${deps}/web/scale`, { body: { spec: { replicas: 3 } }, contentType: merge, pick: pickPaths('kind', 'spec') });
      await s.call('replicas after scale', 'GET', `${deps}/web`, { pick: pickPaths('spec.replicas') });
      await s.call('strategic replace directive in labels', 'PATCH', `${deps}/web`, { body: { metadata: { labels: { $patch: 'replace', only: 'this' } } }, contentType: strategic, pick: pickPaths('metadata.labels') });
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.diff.example.com' },
        spec: { group: 'diff.example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }] },
      };
      await s.send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
      await s.until('Gadget served', async () => (await s.send('GET', `/apis/diff.example.com/v1/namespaces/${ns}/gadgets`)).status === 200);
      await s.send('POST', `/apis/diff.example.com/v1/namespaces/${ns}/gadgets`, { body: { apiVersion: 'diff.example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { a: 1 } } });
      await s.call('strategic patch on a custom resource', 'PATCH', `/apis/diff.example.com/v1/namespaces/${ns}/gadgets/g`, { body: { spec: { b: 2 } }, contentType: strategic });
      await s.call('merge patch on a custom resource', 'PATCH', `/apis/diff.example.com/v1/namespaces/${ns}/gadgets/g`, { body: { spec: { b: 2 } }, contentType: merge, pick: pickPaths('spec') });
      await s.send('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.diff.example.com');
    }, allowed.strategic);
    assertAgreement(result, (m) => t.diagnostic(m));
  });

  it('server-side apply: managers, conflicts, force, removal', async (t) => {
    const result = await runDifferential(backends, async (s) => {
      const ns = 'diff-apply';
      await createNamespace(s, ns);
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      const cm = (data: Record<string, string>, labels?: Record<string, string>) => configMap('applied', data, labels);
      await s.call('apply creates', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: cm({ a: '1', b: '2' }, { owner: 'alice' }), contentType: apply });
      await s.call('apply unchanged', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: cm({ a: '1', b: '2' }, { owner: 'alice' }), contentType: apply });
      await s.call('apply conflict', 'PATCH', `${cms}/applied?fieldManager=bob`, { body: cm({ a: 'bob' }), contentType: apply });
      await s.call('apply shared value, no conflict', 'PATCH', `${cms}/applied?fieldManager=carol`, { body: cm({ b: '2' }), contentType: apply });
      await s.call('apply force', 'PATCH', `${cms}/applied?fieldManager=bob&force=true`, { body: cm({ a: 'bob' }), contentType: apply });
      await s.call('apply removes fields no longer applied', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: cm({}, { owner: 'alice' }), contentType: apply });
      await s.call('update by another manager', 'PATCH', `${cms}/applied?fieldManager=dave`, { body: { data: { d: '4' } }, contentType: merge });
      await s.call('apply conflicts with an update', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: cm({ d: 'alice' }, { owner: 'alice' }), contentType: apply });
      await s.call('apply without fieldManager', 'PATCH', `${cms}/applied`, { body: cm({ a: '1' }), contentType: apply });
      await s.call('apply name mismatch', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: configMap('other', {}), contentType: apply });
      await s.call('apply invalid', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: cm({ 'bad key': 'x' }), contentType: apply });
      await s.call('apply malformed YAML', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: 'data: [', contentType: apply });
      await s.call('apply without apiVersion', 'PATCH', `${cms}/applied?fieldManager=alice`, { body: { kind: 'ConfigMap', metadata: { name: 'applied' } }, contentType: apply });
      await s.call('apply dry run', 'PATCH', `${cms}/applied?fieldManager=erin&dryRun=All`, { body: cm({ e: '5' }), contentType: apply, pick: pickPaths('data') });
      await s.call('get after applies', 'GET', `${cms}/applied`);
      const deps = `/apis/apps/v1/namespaces/${ns}/deployments`;
      await s.call('apply deployment', 'PATCH', `${deps}/web?fieldManager=alice`, { body: deployment('web', [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }]), contentType: apply, pick: pickPaths('metadata.managedFields', 'spec.template.spec.containers') });
      await s.call('apply adds a container by name', 'PATCH', `${deps}/web?fieldManager=bob`, { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } }, contentType: apply, pick: pickPaths('metadata.managedFields', 'spec.template.spec.containers') });
      await s.call('apply conflict on replicas', 'PATCH', `${deps}/web?fieldManager=bob`, { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, contentType: apply });
      const svc = `/api/v1/namespaces/${ns}/services`;
      await s.call('apply service with protocol', 'PATCH', `${svc}/with-protocol?fieldManager=alice`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'with-protocol' }, spec: { selector: { app: 'x' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] } }, contentType: apply, pick: pickPaths('spec.ports', 'spec.type') });
      await s.call('apply service without protocol', 'PATCH', `${svc}/no-protocol?fieldManager=alice`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'no-protocol' }, spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }] } }, contentType: apply, pick: pickPaths('spec.ports', 'spec.type') });
    }, allowed.apply);
    assertAgreement(result, (m) => t.diagnostic(m));
  });
});
