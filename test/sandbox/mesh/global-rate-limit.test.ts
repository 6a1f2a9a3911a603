// §10 global rate limit, end to end through the sandbox's public surfaces: Istio's ratelimit sample
// (redis + envoyproxy/ratelimit reading its ConfigMap volume), the task's two gateway EnvoyFilters,
// requests to the ingress gateway's NodePort, stats and logs read back through the API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { connectCluster } from '../../../src/cluster/kube.js';
import type { Cluster, KubeObject } from '../../../src/cluster/types.js';

interface Reply {
  status: number;
  headers: Record<string, any>;
  body: string;
}

function get(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: 'httpbin.example.com' }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const docs = (file: string) => yaml.loadAll(readFileSync(file, 'utf8')).filter(Boolean) as KubeObject[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until at least `marginMs` remain in the current window of `unitMs` (fixed windows are aligned to the unit). */
async function awayFromBoundary(unitMs: number, marginMs: number): Promise<void> {
  const left = unitMs - (Date.now() % unitMs);
  if (left < marginMs) await sleep(left + 20);
}

const config = `domain: ratelimit
descriptors:
  - key: PATH
    value: "/status/200"
    rate_limit: { unit: minute, requests_per_unit: 1 }
  - key: PATH
    value: "/status/201"
    rate_limit: { unit: second, requests_per_unit: 1 }
  - key: PATH
    rate_limit: { unit: minute, requests_per_unit: 3 }
  - key: generic_key
    value: inbound
    rate_limit: { unit: minute, requests_per_unit: 1 }
`;

describe('§10 global rate limit: gateway → ratelimit service → redis', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  let port: number;
  const byName: Record<string, KubeObject> = {};
  const apply = (obj: KubeObject) => eventually(() => cluster.apply(obj, { fieldManager: 'test', force: true }), 10000);
  const pods = async (app: string, ns = 'default') => (await cluster.list('v1', 'Pod', { namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  const ready = async (app: string) => (await pods(app)).some((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  const scale = (name: string, replicas: number) => apply({ ...byName[name], spec: { ...byName[name].spec, replicas } });
  const untilStatus = (path: string, status: number) => eventually(async () => {
    const r = await get(port, path);
    return r.status === status ? r : undefined;
  }, 10000);
  const gatewayStats = async () => {
    const [gw] = await pods('istio-ingressgateway', 'istio-system');
    return (await cluster.exec('istio-system', gw.metadata.name!, 'istio-proxy', ['pilot-agent', 'request', 'GET', 'stats'])).stdout;
  };
  const filter = () => byName['filter-ratelimit'];

  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
    const files = ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml', 'manifests/samples/httpbin.yaml', 'manifests/samples/curl.yaml', 'labs/core/ingress-gateway/gateway.yaml', 'labs/core/ingress-gateway/virtual-service.yaml', 'manifests/samples/ratelimit.yaml', 'labs/core/rate-limiting/global-ratelimit.yaml'];
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } });
    for (const f of files) {
      for (const d of docs(f)) {
        if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = 'default';
        // The gateway keeps its ratelimit stats (Istio trims cluster stats without a proxyStatsMatcher).
        if (d.kind === 'Deployment' && d.metadata.name === 'istio-ingressgateway') d.spec.template.metadata.annotations = { 'proxy.istio.io/config': 'proxyStatsMatcher:\n  inclusionRegexps: [".*ratelimit.*"]\n' };
        if (d.kind === 'ConfigMap' && d.metadata.name === 'ratelimit-config') d.data = { 'config.yaml': config };
        byName[d.metadata.name!] = d;
        await apply(d);
      }
    }
    const svc = (await cluster.get({ apiVersion: 'v1', kind: 'Service', namespace: 'istio-system', name: 'istio-ingressgateway' }))!;
    port = svc.spec.ports.find((p: any) => p.name === 'http2').nodePort;
    for (const app of ['httpbin', 'curl', 'redis', 'ratelimit']) await eventually(() => ready(app), 15000);
    // Config propagation: wait until the gateway's filter answers (its x-ratelimit headers appear).
    await eventually(async () => (await get(port, '/status/202')).headers['x-ratelimit-limit'], 10000);
  });
  after(async () => {
    cluster.close();
    await sb.dispose();
  });

  it('§10 per descriptor: /status/200 at 1 per minute answers 200, then 429 with x-envoy-ratelimited, an empty body and flag RL', async () => {
    await awayFromBoundary(60_000, 3000);
    const first = await get(port, '/status/200');
    const second = await get(port, '/status/200');
    assert.equal(first.status, 200);
    assert.equal(second.status, 429);
    assert.equal(second.headers['x-envoy-ratelimited'], 'true');
    assert.equal(second.body, '');
    assert.equal(second.headers.server, 'istio-envoy');
    // DRAFT_VERSION_03 headers: the limit and its window, nothing left.
    assert.equal(second.headers['x-ratelimit-limit'], '1, 1;w=60');
    assert.equal(second.headers['x-ratelimit-remaining'], '0');
    const [gw] = await pods('istio-ingressgateway', 'istio-system');
    const log = await cluster.logs('istio-system', gw.metadata.name!, 'istio-proxy');
    assert.match(log, /"GET \/status\/200 HTTP\/1\.1" 429 RL request_rate_limited /);
  });

  it('§10 default (key only): every other path gets 3 per minute of its own', async () => {
    await awayFromBoundary(60_000, 3000);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await get(port, '/status/204')).status);
    assert.deepEqual(codes, [204, 204, 204, 429]);
    const other = await get(port, '/status/205');
    assert.equal(other.status, 205);
    assert.equal(other.headers['x-ratelimit-limit'], '3, 3;w=60');
    assert.equal(other.headers['x-ratelimit-remaining'], '2');
  });

  it('§10 fixed windows aligned to the unit: /status/201 at 1 per second is refused, then allowed in the next second', async () => {
    await awayFromBoundary(1000, 700);
    assert.equal((await get(port, '/status/201')).status, 201);
    const refused = await get(port, '/status/201');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['x-ratelimit-reset'], '1');
    await sleep(1000 - (Date.now() % 1000) + 30);
    assert.equal((await get(port, '/status/201')).status, 201);
  });

  it('§10 stats: cluster.<route cluster>.ratelimit.ok and .over_limit on the gateway', async () => {
    const stats = await gatewayStats();
    const value = (name: string) => Number(new RegExp(`^cluster\\.outbound\\|8000\\|\\|httpbin\\.default\\.svc\\.cluster\\.local\\.ratelimit\\.${name}: (\\d+)$`, 'm').exec(stats)?.[1] ?? -1);
    assert.ok(value('ok') >= 5, stats);
    assert.ok(value('over_limit') >= 3, stats);
  });

  it('§10 the service reloads its ConfigMap volume: raising /status/200 to 100 per minute lets it through again', async () => {
    await awayFromBoundary(60_000, 5000);
    await get(port, '/status/200');
    assert.equal((await get(port, '/status/200')).status, 429);
    const cm = byName['ratelimit-config'];
    await apply({ ...cm, data: { 'config.yaml': config.replace('rate_limit: { unit: minute, requests_per_unit: 1 }', 'rate_limit: { unit: minute, requests_per_unit: 100 }') } });
    const r = await untilStatus('/status/200', 200);
    assert.equal(r.headers['x-ratelimit-limit'], '100, 100;w=60');
    const [client] = await pods('curl');
    const rlconfig = await cluster.exec('default', client.metadata.name!, 'curl', ['curl', '-s', 'http://ratelimit:6070/rlconfig']);
    assert.match(rlconfig.stdout, /^ratelimit\.PATH_\/status\/200: unit=MINUTE requests_per_unit=100, shadow_mode: false$/m);
  });

  it('§10 a broken config is rejected and the previous one kept (error logged)', async () => {
    const cm = byName['ratelimit-config'];
    await apply({ ...cm, data: { 'config.yaml': `${config}  - key: PATH\n    value: "/x"\n    rate_limit: { unit: fortnight, requests_per_unit: 1 }\n` } });
    try {
      const [rl] = await pods('ratelimit');
      await eventually(async () => {
        await get(port, '/status/206');
        return /level=error msg="error loading new configuration from runtime: config\.config: invalid rate limit unit 'fortnight'"/.test(await cluster.logs('default', rl.metadata.name!, 'ratelimit'));
      }, 10000);
      assert.equal((await get(port, '/status/206')).headers['x-ratelimit-limit'], '3, 3;w=60');
    } finally {
      await apply(cm);
    }
  });

  it('§10 failure_mode_deny: with the ratelimit pod gone the gateway answers 500 (RLSE); with failure_mode_deny false requests pass', async () => {
    await scale('ratelimit', 0);
    const denied = await untilStatus('/status/207', 500);
    assert.equal(denied.body, '');
    const [gw] = await pods('istio-ingressgateway', 'istio-system');
    assert.match(await cluster.logs('istio-system', gw.metadata.name!, 'istio-proxy'), /"GET \/status\/207 HTTP\/1\.1" 500 RLSE rate_limiter_error /);
    assert.match(await gatewayStats(), /^cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.ratelimit\.error: [1-9]\d*$/m);
    const allow = structuredClone(filter());
    allow.spec.configPatches[0].patch.value.typed_config.failure_mode_deny = false;
    await apply(allow);
    await untilStatus('/status/207', 207);
    assert.match(await gatewayStats(), /^cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.ratelimit\.failure_mode_allowed: [1-9]\d*$/m);
    await apply(filter());
    await scale('ratelimit', 1);
    await eventually(() => ready('ratelimit'), 15000);
    await untilStatus('/status/208', 208);
  });

  it('§10 redis not reachable: the service errors, so the gateway answers 500; a new redis starts with empty counters', async () => {
    await awayFromBoundary(60_000, 10_000);
    await get(port, '/status/209');
    await scale('redis', 0);
    await untilStatus('/status/209', 500);
    await scale('redis', 1);
    await eventually(() => ready('redis'), 15000);
    const back = await untilStatus('/status/209', 209);
    assert.equal(back.headers['x-ratelimit-remaining'], '2');
  });

  it('§10 SIDECAR_INBOUND: the same filter on the httpbin sidecar limits mesh traffic (generic_key descriptor)', async () => {
    const inbound = structuredClone(filter());
    inbound.metadata = { name: 'httpbin-ratelimit', namespace: 'default' };
    inbound.spec.workloadSelector.labels = { app: 'httpbin' };
    inbound.spec.configPatches[0].match = { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } };
    inbound.spec.configPatches.push({ applyTo: 'VIRTUAL_HOST', match: { context: 'SIDECAR_INBOUND', routeConfiguration: { vhost: { name: '' } } }, patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ generic_key: { descriptor_value: 'inbound' } }] }] } } });
    const [client] = await pods('curl');
    const code = async () => (await cluster.exec('default', client.metadata.name!, 'curl', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/status/210'])).stdout;
    await awayFromBoundary(60_000, 5000);
    await apply(inbound);
    try {
      await eventually(async () => (await code()) === '429', 10000);
      assert.equal(await code(), '429');
    } finally {
      await cluster.delete({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', namespace: 'default', name: 'httpbin-ratelimit' });
    }
    await eventually(async () => (await code()) === '210', 10000);
  });
});
