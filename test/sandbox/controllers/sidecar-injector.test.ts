// Sidecar injection per istio-behaviour.md §7: which pods get istio-proxy, and what is injected.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { deployment, namespace, startHarness, waitFor, type Harness } from './harness.js';

function pod(name: string, ns: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels, annotations }, spec: { containers: [{ name: 'app', image: 'docker.io/kennethreitz/httpbin', ports: [{ name: 'http', containerPort: 80 }] }] } };
}

const containers = (p: KubeObject) => p.spec.containers.map((c: any) => c.name);
const injected = (p: KubeObject) => containers(p).includes('istio-proxy');

function installIstiod(h: Harness, name = 'istiod', labels: Record<string, string> = {}): void {
  if (!h.get('/namespaces', undefined, 'istio-system')) h.apply(namespace('istio-system'));
  const d = deployment(name, 'istio-system', 1, { labels: { app: 'istiod', ...labels } });
  d.metadata.labels = labels;
  h.apply(d);
}

describe('SidecarInjector (§7)', () => {
  let h: Harness;
  before(() => {
    h = startHarness();
    h.apply(namespace('enabled', { 'istio-injection': 'enabled' }));
    h.apply(namespace('disabled', { 'istio-injection': 'disabled' }));
    h.apply(namespace('rev', { 'istio.io/rev': 'default' }));
    h.apply(namespace('canary-ns', { 'istio.io/rev': 'canary' }));
    h.apply(namespace('both', { 'istio-injection': 'disabled', 'istio.io/rev': 'default' }));
    h.apply(namespace('plain'));
  });
  after(() => h.stop());

  it('§7 no injection while no Istio control plane (istiod in istio-system) is installed', () => {
    assert.equal(injected(h.apply(pod('early', 'enabled'))), false);
  });

  it('§7 namespace label istio-injection=enabled injects istio-proxy', () => {
    installIstiod(h);
    const p = h.apply(pod('a', 'enabled'));
    assert.deepEqual(containers(p), ['app', 'istio-proxy']);
    assert.deepEqual(p.spec.initContainers.map((c: any) => c.name), ['istio-init']);
  });

  it('§7 pod label sidecar.istio.io/inject=false opts out in an istio-injection=enabled namespace', () => {
    assert.equal(injected(h.apply(pod('optout', 'enabled', { 'sidecar.istio.io/inject': 'false' }))), false);
    assert.equal(injected(h.apply(pod('optout-ann', 'enabled', {}, { 'sidecar.istio.io/inject': 'false' }))), false);
  });

  it('§7 namespace label istio.io/rev=default injects when istio-injection is absent', () => {
    const p = h.apply(pod('b', 'rev'));
    assert.equal(injected(p), true);
    assert.equal(p.metadata.annotations!['istio.io/rev'], 'default');
  });

  it('§7 istio.io/rev is ignored when istio-injection is present (istio-injection=disabled wins)', () => {
    assert.equal(injected(h.apply(pod('c', 'both'))), false);
    assert.equal(injected(h.apply(pod('c2', 'disabled', { 'sidecar.istio.io/inject': 'true' }))), false);
  });

  it('§7 istio.io/rev=<rev> injects only when that revision is installed', () => {
    assert.equal(injected(h.apply(pod('d', 'canary-ns'))), false);
    installIstiod(h, 'istiod-canary', { 'istio.io/rev': 'canary' });
    const p = h.apply(pod('d2', 'canary-ns'));
    assert.equal(injected(p), true);
    assert.equal(p.spec.containers[1].env.find((e: any) => e.name === 'CA_ADDR').value, 'istiod-canary.istio-system.svc:15012');
  });

  it('§7 unlabelled namespace: pod label sidecar.istio.io/inject=true injects, other pods do not', () => {
    assert.equal(injected(h.apply(pod('e', 'plain'))), false);
    assert.equal(injected(h.apply(pod('f', 'plain', { 'sidecar.istio.io/inject': 'true' }))), true);
  });

  it('§7 unlabelled namespace: the pod annotation sidecar.istio.io/inject=true is also honoured', () => {
    assert.equal(injected(h.apply(pod('g', 'plain', {}, { 'sidecar.istio.io/inject': 'true' }))), true);
  });

  it('§7 unlabelled namespace: a pod labelled istio.io/rev is injected with that revision', () => {
    const p = h.apply(pod('h', 'plain', { 'istio.io/rev': 'canary' }));
    assert.equal(injected(p), true);
    assert.equal(JSON.parse(p.metadata.annotations!['sidecar.istio.io/status']).revision, 'canary');
  });

  it('§7 injects istio-init and istio-proxy as the injection template does', () => {
    const p = h.apply(pod('tpl', 'enabled', { app: 'httpbin', version: 'v1' }));
    const init = p.spec.initContainers[0];
    const proxy = p.spec.containers.find((c: any) => c.name === 'istio-proxy');
    assert.equal(init.image, 'docker.io/istio/proxyv2:1.30.0');
    assert.deepEqual(init.args.slice(0, 8), ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m']);
    assert.equal(init.args[init.args.indexOf('-d') + 1], '15090,15021,15020');
    assert.equal(proxy.image, 'docker.io/istio/proxyv2:1.30.0');
    assert.deepEqual(proxy.args.slice(0, 2), ['proxy', 'sidecar']);
    assert.deepEqual(proxy.ports, [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }]);
    assert.deepEqual([proxy.readinessProbe.httpGet.path, proxy.readinessProbe.httpGet.port], ['/healthz/ready', 15021]);
    const env = Object.fromEntries(proxy.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    assert.equal(env.ISTIO_META_APP_CONTAINERS, 'app');
    assert.equal(env.ISTIO_META_WORKLOAD_NAME, 'tpl');
    assert.match(env.ISTIO_META_POD_PORTS, /"containerPort":80/);
    assert.equal(env.ISTIO_META_CLUSTER_ID, 'Kubernetes');
    const a = p.metadata.annotations!;
    assert.deepEqual(JSON.parse(a['sidecar.istio.io/status']).containers, ['istio-proxy']);
    assert.deepEqual([a['prometheus.io/scrape'], a['prometheus.io/port'], a['prometheus.io/path']], ['true', '15020', '/stats/prometheus']);
    assert.equal(a['kubectl.kubernetes.io/default-container'], 'app');
    const l = p.metadata.labels!;
    assert.deepEqual([l['security.istio.io/tlsMode'], l['service.istio.io/canonical-name'], l['service.istio.io/canonical-revision']], ['istio', 'httpbin', 'v1']);
    assert.equal(p.status.qosClass, 'Burstable');
  });

  it('§7 native sidecar mode stays off: istio-proxy is a regular container, not a restartable init container', () => {
    const p = h.get('/pods', 'enabled', 'tpl')!;
    assert.ok(!p.spec.initContainers.some((c: any) => c.name === 'istio-proxy' || c.restartPolicy === 'Always'));
  });

  it('§7 injection happens on CREATE only: existing pods keep their containers, restarted pods get the sidecar', async () => {
    h.apply(namespace('later'));
    h.apply(deployment('web', 'later', 1));
    const before = await waitFor(() => h.list('/pods', 'later')[0], 'pod');
    assert.equal(injected(before), false);
    const nsRt = h.registry.resolveKind('v1', 'Namespace');
    h.registry.patch(nsRt, undefined, 'later', 'merge', { metadata: { labels: { 'istio-injection': 'enabled' } } });
    h.registry.patch(h.registry.resolveKind('v1', 'Pod'), 'later', before.metadata.name!, 'merge', { metadata: { labels: { touched: 'yes' } } });
    assert.equal(injected(h.get('/pods', 'later', before.metadata.name!)!), false);
    const dRt = h.registry.resolveKind('apps/v1', 'Deployment');
    h.registry.patch(dRt, 'later', 'web', 'strategic', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } });
    const fresh = await waitFor(() => h.list('/pods', 'later').find((p) => p.metadata.uid !== before.metadata.uid && !p.metadata.deletionTimestamp), 'restarted pod');
    assert.equal(injected(fresh), true);
    const env = Object.fromEntries(fresh.spec.containers[1].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    assert.equal(env.ISTIO_META_WORKLOAD_NAME, 'web');
    assert.equal(env.ISTIO_META_OWNER, 'kubernetes://apis/apps/v1/namespaces/later/deployments/web');
  });
});
