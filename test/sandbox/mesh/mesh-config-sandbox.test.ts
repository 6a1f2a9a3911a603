// meshConfig and Telemetry end to end on a sandbox, through its public surfaces only: the `istio`
// ConfigMap and Telemetry objects through the Kubernetes API, curl exec'd in meshed pods, `kubectl
// logs -c istio-proxy`, Events. Sources: istio.io "Envoy Access Logs" and "Telemetry API" tasks;
// behaviour doc §4 (meshConfig.defaultHttpRetryPolicy) and §8 (auto mTLS).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/cluster/types.js';
import { eventually } from '../../helpers/sandbox.js';
import { startMeshSandbox, type MeshSandbox } from '../../helpers/mesh-sandbox.js';

/** The mesh config text of the sandbox install (the demo profile's). */
const installMesh = (yaml.loadAll(readFileSync('manifests/istio/sandbox-install.yaml', 'utf8')) as KubeObject[]).find((d) => d?.kind === 'ConfigMap' && d.metadata.name === 'istio')!.data.mesh as string;
const telemetry = (name: string, namespace: string, spec: any): KubeObject => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace }, spec });
const envoyOn = { accessLogging: [{ providers: [{ name: 'envoy' }] }] };

describe('sandbox: meshConfig and Telemetry end to end', () => {
  let m: MeshSandbox;
  const pods: Record<string, string> = {};
  const istioConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', name: 'istio', namespace: 'istio-system' };
  /** Replace data.mesh with the install's mesh config plus `over` (null removes a key). */
  const setMesh = async (over: Record<string, unknown>) => {
    const doc: Record<string, unknown> = { ...(yaml.load(installMesh) as object), ...over };
    for (const [k, v] of Object.entries(doc)) if (v === null) delete doc[k];
    await m.cluster.patch(istioConfigMap, { data: { mesh: yaml.dump(doc) } }, 'merge');
    await settle();
  };
  /** Waits past the mesh's config propagation delay (100–400 ms). */
  const settle = () => new Promise((r) => setTimeout(r, 600));
  const curl = (ns: string, ...args: string[]) => m.cluster.exec(ns, pods[ns], 'curl', ['curl', ...args], { timeoutMs: 20000 });
  const get = async (ns: string, path: string) => (await curl(ns, '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://httpbin.default:8000${path}`)).stdout;
  const proxyLog = (ns: string, pod: string) => m.cluster.logs(ns, pod, 'istio-proxy');
  const linesWith = async (ns: string, pod: string, tag: string) => (await proxyLog(ns, pod)).split('\n').filter((l) => l.includes(tag));
  const warnings = async (ns: string, reason: string) => (await m.cluster.list('v1', 'Event', { namespace: ns })).items.filter((e: KubeObject) => e.reason === reason);
  const apply = (o: KubeObject) => eventually(() => m.cluster.apply(o, { fieldManager: 'test', force: true }), 10000);
  const remove = (o: KubeObject) => m.cluster.delete({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, namespace: o.metadata.namespace }).catch(() => undefined);

  before(async () => {
    m = await startMeshSandbox({ other: true });
    await m.apply('manifests/samples/httpbin.yaml');
    for (const ns of ['default', 'other']) await m.apply('manifests/samples/curl.yaml', ns);
    pods.httpbin = (await m.ready('default', 'app=httpbin'))[0];
    pods.default = (await m.ready('default', 'app=curl'))[0];
    pods.other = (await m.ready('other', 'app=curl'))[0];
  });
  after(() => m.dispose());

  it('istio.io Envoy Access Logs: accessLogFile unset (default profile) → no istio-proxy access lines; /dev/stdout (demo) → client and server lines', async () => {
    await setMesh({ accessLogFile: null });
    assert.equal(await get('default', '/anything/off'), '200');
    assert.deepEqual(await linesWith('default', pods.default, '/anything/off'), []);
    assert.deepEqual(await linesWith('default', pods.httpbin, '/anything/off'), []);
    await setMesh({});
    assert.equal(await get('default', '/anything/on'), '200');
    assert.match((await linesWith('default', pods.default, '/anything/on'))[0], /"GET \/anything\/on HTTP\/1\.1" 200 - via_upstream .* outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local /);
    assert.match((await linesWith('default', pods.httpbin, '/anything/on'))[0], / inbound\|8080\|\| /);
  });

  it('istio.io Telemetry API: a namespace-wide Telemetry enabling envoy turns access logs on in that namespace only', async () => {
    await setMesh({ accessLogFile: null });
    const t = telemetry('logs', 'other', envoyOn);
    await apply(t);
    await settle();
    assert.equal(await get('other', '/anything/ns-other'), '200');
    assert.equal((await linesWith('other', pods.other, '/anything/ns-other')).length, 1);
    assert.deepEqual(await linesWith('default', pods.httpbin, '/anything/ns-other'), [], 'httpbin is in default, where no Telemetry applies');
    assert.equal(await get('default', '/anything/ns-default'), '200');
    assert.deepEqual(await linesWith('default', pods.default, '/anything/ns-default'), []);
    await remove(t);
  });

  it('istio.io Telemetry API: disabled: true on a workload selector wins over the mesh-wide Telemetry in istio-system', async () => {
    const meshWide = telemetry('mesh-default', 'istio-system', envoyOn);
    const off = telemetry('httpbin-off', 'default', { selector: { matchLabels: { app: 'httpbin' } }, accessLogging: [{ providers: [{ name: 'envoy' }], disabled: true }] });
    await apply(meshWide);
    await apply(off);
    await settle();
    assert.equal(await get('default', '/anything/wl-off'), '200');
    assert.equal((await linesWith('default', pods.default, '/anything/wl-off')).length, 1, 'curl inherits the mesh-wide Telemetry');
    assert.deepEqual(await linesWith('default', pods.httpbin, '/anything/wl-off'), []);
    await remove(meshWide);
    await remove(off);
    await setMesh({});
  });

  it('istio.io Envoy Access Logs: accessLogEncoding JSON keeps the TEXT lines, with one Warning event per pod saying so', async () => {
    await setMesh({ accessLogEncoding: 'JSON' });
    for (const i of [1, 2]) assert.equal(await get('default', `/anything/json-${i}`), '200');
    assert.match((await linesWith('default', pods.default, '/anything/json-2'))[0], /^\[\d{4}-\d\d-\d\dT[^\]]+\] "GET \/anything\/json-2 HTTP\/1\.1" 200 /);
    const events = await eventually(async () => {
      const list = (await warnings('default', 'AccessLogFormatNotEmulated')).filter((e: KubeObject) => e.involvedObject.name === pods.default);
      return list.length ? list : undefined;
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].count, 1);
    assert.match(events[0].message, /accessLogEncoding: JSON.*default TEXT format only/);
    await setMesh({});
  });

  it('istio.io Envoy Access Logs: a file path other than /dev/stdout shows nothing in kubectl logs, and a Warning says the file is not emulated', async () => {
    await setMesh({ accessLogFile: '/var/log/envoy.log' });
    assert.equal(await get('default', '/anything/file'), '200');
    assert.deepEqual(await linesWith('default', pods.default, '/anything/file'), []);
    const [event] = await eventually(async () => {
      const list = await warnings('default', 'AccessLogFileNotEmulated');
      return list.length ? list : undefined;
    });
    assert.match(event.message, /\/var\/log\/envoy\.log, a file inside the istio-proxy container/);
    await setMesh({});
  });

  it('a malformed mesh config does not crash the sandbox: one Warning event on the ConfigMap names the YAML error; proxies keep the last valid config', async () => {
    await m.cluster.patch(istioConfigMap, { data: { mesh: 'accessLogFile: [unclosed\n' } }, 'merge');
    const [event] = await eventually(async () => {
      const list = await warnings('istio-system', 'InvalidMeshConfig');
      return list.length ? list : undefined;
    });
    assert.equal(event.involvedObject.kind, 'ConfigMap');
    assert.match(event.message, /failed to read mesh config .*: unexpected end of the stream|flow collection/);
    assert.match(event.message, /keep the last valid mesh config/);
    await settle();
    assert.equal(await get('default', '/anything/kept'), '200');
    assert.equal((await linesWith('default', pods.default, '/anything/kept')).length, 1, 'accessLogFile /dev/stdout from the last valid config');
    await setMesh({});
    assert.equal((await warnings('istio-system', 'InvalidMeshConfig')).length, 1);
  });

  it('§8 enableAutoMtls: false + STRICT PeerAuthentication: the sidecar client sends plaintext and gets 503; a DestinationRule ISTIO_MUTUAL restores it', async () => {
    const strict: KubeObject = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'default' }, spec: { mtls: { mode: 'STRICT' } } };
    const mutual: KubeObject = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'httpbin', namespace: 'default' }, spec: { host: 'httpbin', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } };
    await apply(strict);
    await settle();
    assert.equal(await get('default', '/get'), '200', 'auto mTLS on: the sidecar client speaks mTLS');
    await setMesh({ enableAutoMtls: false });
    assert.equal(await get('default', '/get'), '503');
    assert.match(await proxyLog('default', pods.httpbin), /"- - -" 0 NR filter_chain_not_found/, 'the server side reset the plaintext connection');
    await apply(mutual);
    await settle();
    assert.equal(await get('default', '/get'), '200');
    await remove(strict);
    await remove(mutual);
    await setMesh({});
  });

  it('§4 meshConfig.defaultHttpRetryPolicy changes the retries of a route without retries; attempts: 0 turns them off', async () => {
    const attemptsAt = async (tag: string) => (await linesWith('default', pods.httpbin, `/status/500?t=${tag}`)).length;
    assert.equal(await get('default', '/status/500?t=builtin'), '500');
    assert.equal(await attemptsAt('builtin'), 1, 'the built-in default does not retry a 500');
    await setMesh({ defaultHttpRetryPolicy: { attempts: 3, retryOn: '5xx' } });
    assert.equal(await get('default', '/status/500?t=mesh'), '500');
    assert.equal(await attemptsAt('mesh'), 4);
    await setMesh({ defaultHttpRetryPolicy: { attempts: 0, retryOn: '5xx' } });
    assert.equal(await get('default', '/status/500?t=zero'), '500');
    assert.equal(await attemptsAt('zero'), 1);
    await setMesh({});
  });
});
