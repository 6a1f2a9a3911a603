// The prom/prometheus model over a fake API view and pod network: it loads the addon's own ConfigMap
// (manifests/addons/prometheus.yaml, scrape_interval shortened), discovers annotated pods through the
// kubernetes-pods relabelling, scrapes them, and answers the HTTP API and UI paths.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/sandbox/types.js';
import type { ContainerCluster, ContainerContext, ContainerWorkload } from '../../../src/sandbox/workloads/model.js';
import { createSeededRandom, systemClock } from '../../../src/sandbox/runtime/determinism.js';
import { prometheusModel } from '../../../src/sandbox/workloads/prometheus/model.js';
import { eventually, fakeNetwork, httpGet, reply, type SentRequest } from './harness.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const addon = (yaml.loadAll(readFileSync('manifests/addons/prometheus.yaml', 'utf8')) as KubeObject[]).filter(Boolean);
const deployment = addon.find((o) => o.kind === 'Deployment')!;
const addonConfigMap = addon.find((o) => o.kind === 'ConfigMap')!;

/** The addon's ConfigMap with scrape_interval shortened for tests. */
function configMap(interval = '50ms', extra = ''): KubeObject {
  const text = addonConfigMap.data['prometheus.yml'].replace('scrape_interval: 15s', `scrape_interval: ${interval}`) + extra;
  return { ...addonConfigMap, data: { ...addonConfigMap.data, 'prometheus.yml': text } };
}

/** A meshed pod as the injector leaves it (two container ports, the prometheus.io annotations). */
function meshedPod(name: string, ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, labels: { app: 'httpbin', version: 'v1' }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus' } },
    spec: { nodeName: 'istio-lab-control-plane', containers: [{ name: 'httpbin', image: 'mccutchen/go-httpbin', ports: [{ containerPort: 8080 }] }, { name: 'istio-proxy', image: 'istio/proxyv2', ports: [{ containerPort: 15090, name: 'http-envoy-prom' }] }] },
    status: { phase: 'Running', podIP: ip },
  };
}

interface Harness {
  pods: KubeObject[];
  configMaps: Map<string, KubeObject>;
  warnings: string[];
  sent: SentRequest[];
  logs: string[];
  workload: ContainerWorkload;
  exit: unknown;
  url: string;
  stop(): void;
}

const running: Harness[] = [];
after(() => running.forEach((h) => h.stop()));

/** Starts the model on the addon's prometheus-server container; `answer` plays the scraped pods. */
async function start(cm: KubeObject | undefined, answer: (url: URL) => string | number): Promise<Harness> {
  const pods: KubeObject[] = [];
  const configMaps = new Map<string, KubeObject>(cm ? [[cm.metadata.name!, cm]] : []);
  const warnings: string[] = [];
  const cluster: ContainerCluster = {
    list: (resource, ns) => (resource === 'pods' ? pods.filter((p) => !ns || p.metadata.namespace === ns) : []),
    get: (resource, _ns, name) => (resource === 'configmaps' ? configMaps.get(name) : undefined),
    warn: (reason, message) => warnings.push(`${reason}: ${message}`),
  };
  const network = fakeNetwork((req) => {
    const a = answer(req.url);
    return typeof a === 'number' ? reply(a, 'unavailable') : reply(200, a);
  });
  const abort = new AbortController();
  const pod: KubeObject = { ...deployment.spec.template, apiVersion: 'v1', kind: 'Pod', metadata: { ...deployment.spec.template.metadata, name: 'prometheus-0', namespace: 'istio-system' }, status: { podIP: '10.244.0.50' } };
  const container = deployment.spec.template.spec.containers.find((c: any) => c.name === 'prometheus-server');
  const logs: string[] = [];
  const ctx: ContainerContext = { pod, container, init: false, env: {}, clock: systemClock, random: createSeededRandom(1), log: (l) => logs.push(l), signal: abort.signal, network, cluster };
  const workload = prometheusModel.create(ctx);
  const exit = workload.start?.();
  const server: Server = createServer(workload.httpHandler!(9090)!);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const h: Harness = {
    pods,
    configMaps,
    warnings,
    sent: network.sent,
    logs,
    workload,
    exit,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop() {
      abort.abort();
      workload.stop?.();
      server.close();
    },
  };
  running.push(h);
  return h;
}

async function query(h: Harness, q: string): Promise<any> {
  const res = await httpGet(`${h.url}/api/v1/query?query=${encodeURIComponent(q)}`);
  return { http: res.status, ...JSON.parse(res.body) };
}

describe('prom/prometheus model', () => {
  it('scrapes each annotated pod once on prometheus.io/port and path, with the addon relabelling (job, namespace, pod, pod labels)', async () => {
    let count = 0;
    const h = await start(configMap(), (url) => (url.port === '15020' ? `# TYPE istio_requests_total counter\nistio_requests_total{reporter="destination",response_code="200"} ${++count}\n` : 404));
    h.pods.push(meshedPod('httpbin-1', '10.244.0.9'), { ...meshedPod('plain', '10.244.0.10'), metadata: { name: 'plain', namespace: 'default', labels: { app: 'plain' } } });
    await eventually(() => count >= 3, 3000);
    assert.deepEqual([...new Set(h.sent.map((r) => r.url.toString()))], ['http://10.244.0.9:15020/stats/prometheus']);
    const up = await query(h, 'up{job="kubernetes-pods"}');
    assert.equal(up.http, 200);
    assert.equal(up.status, 'success');
    assert.deepEqual(up.data.result.map((r: any) => r.metric), [{ __name__: 'up', job: 'kubernetes-pods', instance: '10.244.0.9:15020', app: 'httpbin', version: 'v1', namespace: 'default', pod: 'httpbin-1', node: 'istio-lab-control-plane' }]);
    assert.equal(up.data.result[0].value[1], '1');
    const before = Number((await query(h, 'sum(istio_requests_total{app="httpbin",pod="httpbin-1"})')).data.result[0].value[1]);
    await eventually(() => count >= before + 2, 3000);
    const later = Number((await query(h, 'sum(istio_requests_total{app="httpbin"})')).data.result[0].value[1]);
    assert.ok(later > before, `${before} → ${later}`);
    const self = await query(h, 'prometheus_build_info{job="prometheus"}');
    assert.equal(self.data.result[0].metric.version, '3.7.3');
  });

  it('reports jobs it cannot discover once as a Warning event, and keeps a vanished pod out of instant queries', async () => {
    const h = await start(configMap(), () => '# nothing\n');
    h.pods.push(meshedPod('httpbin-2', '10.244.0.11'));
    await eventually(() => h.sent.length >= 2, 3000);
    assert.equal(h.warnings.length, 1);
    assert.match(h.warnings[0], /^UnsupportedScrapeConfig: .*kubernetes-apiservers \(kubernetes_sd role endpoints\); kubernetes-nodes \(kubernetes_sd role node\)/);
    assert.equal((await query(h, 'up{pod="httpbin-2"}')).data.result.length, 1);
    h.pods.length = 0;
    const sent = h.sent.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(h.sent.length, sent, 'the vanished pod is no longer scraped');
    assert.equal((await query(h, 'up{pod="httpbin-2"}')).data.result.length, 0);
  });

  it('a failing scrape sets up to 0 and shows the error in /api/v1/targets', async () => {
    const h = await start(configMap(), () => 503);
    h.pods.push(meshedPod('httpbin-3', '10.244.0.12'));
    await eventually(() => h.sent.length >= 1, 3000);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal((await query(h, 'up{pod="httpbin-3"}')).data.result[0].value[1], '0');
    const targets = JSON.parse((await httpGet(`${h.url}/api/v1/targets`)).body);
    const t = targets.data.activeTargets.find((x: any) => x.labels.pod === 'httpbin-3');
    assert.equal(t.health, 'down');
    assert.match(t.lastError, /server returned HTTP status 503/);
    assert.equal(t.scrapeUrl, 'http://10.244.0.12:15020/stats/prometheus');
  });

  it('answers the API with Prometheus error JSON, and serves /-/ready, /graph, / and query_range', async () => {
    const h = await start(configMap(), () => '');
    const bad = await query(h, 'sum(rate(x[5m]) offset 1h)');
    assert.equal(bad.http, 400);
    assert.equal(bad.status, 'error');
    assert.equal(bad.errorType, 'bad_data');
    assert.match(bad.error, /the "offset" modifier is not supported by the istio-lab sandbox's Prometheus/);
    const post = await httpGet(`${h.url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=vector(1)%20%2B%201' });
    assert.equal(JSON.parse(post.body).data.result[0].value[1], '2');
    assert.equal((await httpGet(`${h.url}/-/ready`)).status, 200);
    const graph = await httpGet(`${h.url}/graph`);
    assert.equal(graph.status, 200);
    assert.match(String(graph.headers['content-type']), /text\/html/);
    assert.equal((await httpGet(`${h.url}/`)).headers.location, '/query');
    const now = Date.now() / 1000;
    const range = JSON.parse((await httpGet(`${h.url}/api/v1/query_range?query=vector(5)&start=${now - 60}&end=${now}&step=15s`)).body);
    assert.equal(range.data.resultType, 'matrix');
    assert.equal(range.data.result[0].values.length, 5);
    const tooMany = await httpGet(`${h.url}/api/v1/query_range?query=vector(5)&start=0&end=${now}&step=1`);
    assert.equal(tooMany.status, 400);
  });

  it('picks up a changed ConfigMap on POST /-/reload, and exits 1 when --config.file is not mounted', async () => {
    const h = await start(configMap(), () => '');
    h.pods.push(meshedPod('httpbin-4', '10.244.0.13'));
    await eventually(() => h.sent.length >= 1, 3000);
    h.configMaps.set('prometheus', { ...addonConfigMap, data: { 'prometheus.yml': 'global:\n  scrape_interval: 50ms\nscrape_configs:\n- job_name: prometheus\n  static_configs:\n  - targets: [localhost:9090]\n' } });
    const reload = await httpGet(`${h.url}/-/reload`, { method: 'POST' });
    assert.equal(reload.status, 200);
    await new Promise((r) => setTimeout(r, 150));
    const targets = JSON.parse((await httpGet(`${h.url}/api/v1/targets`)).body).data.activeTargets;
    assert.deepEqual(targets.map((t: any) => t.scrapePool), ['prometheus']);
    const missing = await start(undefined, () => '');
    assert.equal(await missing.exit, 1);
    assert.match(missing.logs.join('\n'), /Error loading config \(--config.file=\/etc\/config\/prometheus.yml\)/);
  });
});
