// Egress on the sandbox (§9, §13) through its public surfaces only: manifests applied through the
// Kubernetes API, curl exec'd in a meshed pod and in a pod without a sidecar, Events listed back.
// The sandbox has no internet access: httpbin.org, edition.cnn.com and www.google.com are emulated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { connectCluster } from '../../../src/cluster/kube.js';
import type { Cluster, KubeObject } from '../../../src/cluster/types.js';
import { readOutboundPolicy } from '../../../src/sandbox/mesh/mesh-config.js';

const meshConfig = (mode: string) => `accessLogFile: /dev/stdout\ndefaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\nrootNamespace: istio-system\ntrustDomain: cluster.local\noutboundTrafficPolicy:\n  mode: ${mode}\n`;
const istioConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', name: 'istio', namespace: 'istio-system' };

describe('§9/§14 meshConfig.outboundTrafficPolicy from the istio ConfigMap', () => {
  const cm = (mesh: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh } });
  it('reads the mode istioctl writes', () => {
    assert.equal(readOutboundPolicy(cm(meshConfig('REGISTRY_ONLY'))), 'REGISTRY_ONLY');
    assert.equal(readOutboundPolicy(cm(meshConfig('ALLOW_ANY')), '1.0'), 'ALLOW_ANY');
  });
  it('defaults to ALLOW_ANY since 1.1 and to REGISTRY_ONLY before, when the mode is unset or the mesh config is unreadable', () => {
    assert.equal(readOutboundPolicy(cm('rootNamespace: istio-system\n')), 'ALLOW_ANY');
    assert.equal(readOutboundPolicy(undefined, '1.1'), 'ALLOW_ANY');
    assert.equal(readOutboundPolicy(cm('rootNamespace: istio-system\n'), '1.0'), 'REGISTRY_ONLY');
    assert.equal(readOutboundPolicy(cm('outboundTrafficPolicy: [unclosed'), '0.8'), 'REGISTRY_ONLY');
  });
});

describe('sandbox mesh: egress to emulated public hosts (§9)', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  const pods: Record<string, string> = {};
  const apply = (obj: any) => eventually(() => cluster.apply(obj, { fieldManager: 'test', force: true }), 10000);
  /** curl in the curl container of namespace `ns`'s curl pod. */
  const curl = (ns: string, ...args: string[]) => cluster.exec(ns, pods[ns], 'curl', ['curl', ...args], { timeoutMs: 20000 });
  const status = async (ns: string, url: string) => (await curl(ns, '-s', '-o', '/dev/null', '-w', '%{http_code}', url)).stdout;
  const setMode = (mode: string) => cluster.patch(istioConfigMap, { data: { mesh: meshConfig(mode) } }, 'merge');
  const events = async (reason: string) => (await cluster.list('v1', 'Event', { namespace: 'egress' })).items.filter((e: KubeObject) => e.reason === reason);

  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
    for (const f of ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml']) {
      for (const d of yaml.loadAll(readFileSync(f, 'utf8')).filter(Boolean) as any[]) {
        if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = 'default';
        await apply(d);
      }
    }
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'egress', labels: { 'istio-injection': 'enabled' } } });
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'plain' } });
    await eventually(async () => (await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'istiod', namespace: 'istio-system' }))?.status?.readyReplicas === 1, 10000);
    for (const ns of ['egress', 'plain']) {
      for (const d of yaml.loadAll(readFileSync('manifests/samples/curl.yaml', 'utf8')).filter(Boolean) as any[]) await apply({ ...d, metadata: { ...d.metadata, namespace: ns } });
      const pod = await eventually(async () => (await cluster.list('v1', 'Pod', { namespace: ns, labelSelector: 'app=curl' })).items.find((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')), 15000);
      pods[ns] = pod.metadata.name!;
    }
    const meshed = await cluster.get({ apiVersion: 'v1', kind: 'Pod', name: pods.egress, namespace: 'egress' });
    assert.ok(meshed?.spec.containers.some((c: any) => c.name === 'istio-proxy'), 'the egress namespace injects a sidecar');
  });
  after(async () => {
    cluster.close();
    await sb.dispose();
  });

  it('§9 ALLOW_ANY (the default): the sidecar passes http://httpbin.org through (PassthroughCluster) to the emulated httpbin', async () => {
    const r = await curl('egress', '-sS', 'http://httpbin.org/headers');
    assert.equal(r.code, 0, r.stderr);
    const headers = JSON.parse(r.stdout).headers;
    assert.equal(headers.Host, 'httpbin.org');
    assert.equal(headers['X-Envoy-Decorator-Operation'], undefined, 'no ServiceEntry yet, so no decorator');
    assert.match(headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.match(await cluster.logs('egress', pods.egress, 'istio-proxy'), /"GET \/headers HTTP\/1\.1" 200 .* PassthroughCluster /);
  });

  it('§9 a Warning event (EgressEmulated) names the host and says no traffic left the machine, once per pod and host', async () => {
    for (let i = 0; i < 3; i++) assert.equal(await status('egress', 'http://httpbin.org/get'), '200');
    const found = await eventually(async () => {
      const list = await events('EgressEmulated');
      return list.length ? list : undefined;
    });
    assert.equal(found.length, 1);
    assert.equal(found[0].type, 'Warning');
    assert.equal(found[0].count, 1);
    assert.equal(found[0].involvedObject.name, pods.egress);
    assert.match(found[0].message, /httpbin\.org.*no traffic left this machine/);
  });

  it('§9 a public host the sandbox does not emulate fails like an unresolvable name (curl exit 6), with a Warning event', async () => {
    const r = await curl('egress', '-sS', 'http://example.com/');
    assert.equal(r.code, 6);
    assert.match(r.stderr, /curl: \(6\) Could not resolve host: example\.com/);
    const [event] = await eventually(async () => {
      const list = await events('EgressUnavailable');
      return list.length ? list : undefined;
    });
    assert.match(event.message, /example\.com does not resolve: the istio-lab sandbox has no internet access/);
  });

  it('§9 ALLOW_ANY: https://httpbin.org/get from the meshed pod succeeds (TLS passed through to the host)', async () => {
    const r = await curl('egress', '-sS', 'https://httpbin.org/get');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).url, 'https://httpbin.org/get');
    assert.equal(await status('egress', 'http://edition.cnn.com/politics'), '301');
  });

  it('§9/§13 REGISTRY_ONLY via the istio ConfigMap, after propagation: http gets a direct 502 with an empty body, https exit 35', async () => {
    const started = Date.now();
    await setMode('REGISTRY_ONLY');
    // istiod-like propagation: proxies switch within the sandbox's push delay (at most 400 ms after the edit), not on the next pod start.
    await eventually(async () => (await status('egress', 'http://httpbin.org/headers')) === '502', 5000, 10);
    assert.ok(Date.now() - started < 2000, `switched after ${Date.now() - started} ms`);
    const http = await curl('egress', '-sS', '-i', 'http://httpbin.org/headers');
    assert.match(http.stdout, /^HTTP\/1\.1 502 /);
    assert.match(http.stdout, /content-length: 0\r\n/);
    const https = await curl('egress', '-sS', 'https://httpbin.org/get');
    assert.equal(https.code, 35);
    assert.match(https.stderr, /curl: \(35\)/);
    assert.equal((await curl('egress', '-sS', 'http://example.com/')).code, 6, 'DNS fails before the sidecar sees anything');
  });

  it('§9 a pod without a sidecar ignores REGISTRY_ONLY and reaches the emulated hosts directly', async () => {
    const r = await curl('plain', '-sS', 'http://httpbin.org/headers');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).headers['X-Envoy-Attempt-Count'], undefined, 'no proxy on the way');
    assert.equal((await curl('plain', '-sS', '-o', '/dev/null', 'https://www.google.com/')).code, 0);
  });

  it('§9 a ServiceEntry for httpbin.org:80 (HTTP, DNS, MESH_EXTERNAL) restores http; the decorator names the route', async () => {
    await apply({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'httpbin-ext', namespace: 'egress' }, spec: { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' } });
    const body = await eventually(async () => {
      const r = await curl('egress', '-sS', 'http://httpbin.org/headers');
      return r.code === 0 && r.stdout.startsWith('{') ? r.stdout : undefined;
    });
    assert.equal(JSON.parse(body).headers['X-Envoy-Decorator-Operation'], 'httpbin.org:80/*');
    assert.match(await cluster.logs('egress', pods.egress, 'istio-proxy'), /outbound\|80\|\|httpbin\.org/);
    assert.equal((await curl('egress', '-sS', 'https://httpbin.org/get')).code, 35, 'the entry covers port 80 only');
  });

  it('§9 a ServiceEntry with port 443 protocol TLS lets https through under REGISTRY_ONLY', async () => {
    await apply({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'google', namespace: 'egress' }, spec: { hosts: ['www.google.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' } });
    const head = await eventually(async () => {
      const r = await curl('egress', '-sSI', 'https://www.google.com/');
      return r.code === 0 ? r.stdout : undefined;
    });
    assert.match(head, /^HTTP\/1\.1 200 /);
  });

  it('§9/§4 a VirtualService timeout of 3s on httpbin.org turns /delay/5 into a 504 after about 3 s', async () => {
    await apply({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'httpbin-ext', namespace: 'egress' }, spec: { hosts: ['httpbin.org'], http: [{ timeout: '3s', route: [{ destination: { host: 'httpbin.org' }, weight: 100 }] }] } });
    await new Promise((r) => setTimeout(r, 600)); // longer than the sandbox's longest config propagation (400 ms)
    const r = await curl('egress', '-sS', '-w', '\n%{http_code} %{time_total}', 'http://httpbin.org/delay/5');
    const [code, seconds] = r.stdout.trim().split('\n').pop()!.split(' ');
    assert.equal(code, '504');
    assert.match(r.stdout, /upstream request timeout/);
    assert.ok(Number(seconds) >= 2.9 && Number(seconds) < 4.5, `took ${seconds}s`);
  });

  it('§9 a Sidecar resource with outboundTrafficPolicy overrides the mesh for its namespace; deleting it restores the mesh mode', async () => {
    await setMode('ALLOW_ANY');
    await eventually(async () => (await status('egress', 'http://edition.cnn.com/')) === '301', 5000);
    const sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', name: 'default', namespace: 'egress' };
    await apply({ apiVersion: sidecar.apiVersion, kind: 'Sidecar', metadata: { name: 'default', namespace: 'egress' }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } });
    await eventually(async () => (await status('egress', 'http://edition.cnn.com/')) === '502', 5000);
    assert.equal(await status('plain', 'http://edition.cnn.com/'), '301', 'other namespaces keep the mesh mode');
    await cluster.delete(sidecar);
    await eventually(async () => (await status('egress', 'http://edition.cnn.com/')) === '301', 5000);
  });

  it('a Sidecar that sets fields the sandbox does not model (egress) gets a Warning event saying they are ignored', async () => {
    await apply({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'scoped', namespace: 'plain' }, spec: { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'ALLOW_ANY' } } });
    const [event] = await eventually(async () => {
      const list = (await cluster.list('v1', 'Event', { namespace: 'plain' })).items.filter((e: KubeObject) => e.reason === 'SidecarFieldsNotEmulated');
      return list.length ? list : undefined;
    });
    assert.equal(event.involvedObject.name, 'scoped');
    assert.match(event.message, /spec\.egress is ignored/);
  });

  it('TLS to an in-cluster service is not emulated: the handshake fails (exit 35) and a Warning event says why', async () => {
    const r = await curl('plain', '-sS', 'https://curl.egress/');
    assert.equal(r.code, 35);
    const [event] = await eventually(async () => {
      const list = (await cluster.list('v1', 'Event', { namespace: 'plain' })).items.filter((e: KubeObject) => e.reason === 'TLSNotEmulated');
      return list.length ? list : undefined;
    });
    assert.match(event.message, /TLS to curl\.egress:443 is not emulated/);
  });
});
