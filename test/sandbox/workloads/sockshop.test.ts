// The sock shop on the sandbox mesh (manifests/samples/sock-shop, labs/sock-shop/deploy): front-end,
// catalogue and catalogue-db in an istio-injection namespace, reached through the ingress gateway and
// from a curl pod. Covers the models' endpoints and how failures travel: catalogue-db unreachable →
// catalogue's 500 / 404 JSON (and /health "err"); catalogue unreachable or faulted → the front-end's
// 200-with-the-upstream-body (helpers.simpleHttpRequest), or its 500 JSON when the call fails below HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { connectCluster } from '../../../src/cluster/kube.js';
import type { Cluster } from '../../../src/cluster/types.js';
import { catalogueModel } from '../../../src/sandbox/workloads/sockshop-catalogue.js';
import { fakeNetwork, httpGet, reply, startModel } from './harness.js';

const NS = 'sock-shop';
const APP = 'manifests/samples/sock-shop';
const LAB = 'labs/sock-shop';

interface Answer {
  status: number;
  headers: Record<string, any>;
  body: string;
  ms: number;
}

describe('sandbox workloads: the sock shop through the mesh', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  let port: number;
  let core: k8s.CoreV1Api;

  const send = (path: string, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const req = request({ host: '127.0.0.1', port, path, headers: { Host: 'sockshop.example.com', ...headers }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - start }));
      });
      req.on('error', reject);
      req.end();
    });
  const applyDocs = async (docs: any[]) => {
    for (const d of docs) {
      d.metadata.namespace ??= d.kind === 'Namespace' || d.kind === 'CustomResourceDefinition' ? undefined : NS;
      await eventually(() => cluster.apply(d, { fieldManager: 'test', force: true }), 10000);
    }
  };
  const applyFile = async (file: string, ns?: string) => applyDocs((yaml.loadAll(readFileSync(file, 'utf8')).filter(Boolean) as any[]).map((d) => (ns && !d.metadata.namespace ? { ...d, metadata: { ...d.metadata, namespace: ns } } : d)));
  const podOf = async (selector: string) => (await core.listNamespacedPod({ namespace: NS, labelSelector: selector })).items.find((p) => !p.metadata!.deletionTimestamp)!.metadata!.name!;
  /** curl from the curl pod: `-w` appends the status on its own line. */
  const curl = async (url: string, extra: string[] = []) => {
    const r = await cluster.exec(NS, await podOf('app=curl'), 'curl', ['curl', '-s', '-w', '\n%{http_code} %{content_type}', ...extra, url]);
    const lines = r.stdout.split('\n');
    const last = lines.pop()!;
    const cut = last.indexOf(' ');
    return { code: r.code, status: Number(last.slice(0, cut)), type: last.slice(cut + 1), body: lines.join('\n') };
  };
  const scale = async (name: string, replicas: number) => {
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: NS }, { spec: { replicas } }, 'merge');
    await eventually(async () => {
      const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: `name=${name}` })).items.filter((p) => !p.metadata!.deletionTimestamp);
      return pods.length === replicas && pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    }, 10000);
    await new Promise((r) => setTimeout(r, 500)); // the mesh's config propagation delay
  };
  const logsOf = async (selector: string, container: string) => cluster.logs(NS, await podOf(selector), container);

  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
    core = sb.kc.makeApiClient(k8s.CoreV1Api);
    for (const f of ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml']) await applyFile(f, 'default');
    await applyDocs([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'istio-injection': 'enabled' } } }]);
    for (const f of [`${APP}/catalogue-db.yaml`, `${APP}/catalogue.yaml`, `${APP}/front-end.yaml`, 'manifests/samples/curl.yaml', `${LAB}/deploy/catalogue-rules.yaml`, `${LAB}/deploy/front-end-rules.yaml`, `${LAB}/deploy/gateway.yaml`]) await applyFile(f, NS);
    port = (await core.readNamespacedService({ name: 'istio-ingressgateway', namespace: 'istio-system' })).spec!.ports!.find((p) => p.name === 'http2')!.nodePort!;
    await eventually(async () => {
      const pods = (await core.listNamespacedPod({ namespace: NS })).items;
      return pods.length === 4 && pods.every((p) => p.spec!.containers.some((c) => c.name === 'istio-proxy') && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    }, 15000);
  });
  after(async () => {
    cluster.close();
    await sb.dispose();
  });

  it('§6/§1.10 front-end serves the WeaveSocks page on / through the gateway (server: istio-envoy), with the route destination\'s x-version header', async () => {
    const r = await eventually(async () => {
      const a = await send('/');
      return a.status === 200 ? a : undefined;
    }, 5000);
    assert.match(r.body, /<title>\s+WeaveSocks\s+<\/title>/);
    assert.equal(r.headers['content-type'], 'text/html; charset=UTF-8');
    assert.equal(r.headers['x-version'], 'v1');
    assert.equal(r.headers['x-powered-by'], 'Express');
    assert.equal(r.headers.server, 'istio-envoy');
  });

  it('front-end /catalogue proxies catalogue\'s list: 10 socks by id, pages, tag filters, size, tags', async () => {
    const list = JSON.parse((await send('/catalogue')).body);
    assert.equal(list.length, 10);
    assert.deepEqual(list[0], {
      id: '03fef6ac-1896-4ce8-bd69-b798f85c6e0b',
      name: 'Holy',
      description: 'Socks fit for a Messiah. You too can experience walking in water with these special edition beauties. Each hole is lovingly proggled to leave smooth edges. The only sock approved by a higher power.',
      imageUrl: ['/catalogue/images/holy_1.jpeg', '/catalogue/images/holy_2.jpeg'],
      price: 99.99,
      count: 1,
      tag: ['action', 'magic'],
    });
    assert.deepEqual(JSON.parse((await send('/catalogue?page=2&size=3')).body).map((s: any) => s.name), ['Weave special', 'Crossed', 'Figueroa']);
    // WHERE tag.name=? filters the joined rows, so GROUP_CONCAT keeps only the matching tags.
    assert.deepEqual(JSON.parse((await send('/catalogue?tags=geek')).body).map((s: any) => [s.name, s.tag]), [['Weave special', ['geek']], ['YouTube.sock', ['geek']]]);
    assert.equal((await send('/catalogue?tags=none')).body, 'null\n', 'a nil slice from no rows encodes as null');
    assert.equal((await send('/catalogue/size?tags=formal')).body, '{"size":5,"err":null}\n');
    const tags = await send('/tags');
    assert.equal(tags.status, 200);
    assert.equal(tags.headers['content-type'], undefined, 'simpleHttpRequest sets no Content-Type');
    assert.deepEqual(JSON.parse(tags.body), { tags: ['brown', 'geek', 'formal', 'blue', 'skin', 'red', 'action', 'sport', 'black', 'magic', 'green'], err: null });
    assert.equal(JSON.parse((await send('/catalogue/zzz4f044-b040-410d-8ead-4de0446aec7e')).body).name, 'Classic');
  });

  it('catalogue\'s own answers from inside the mesh: JSON types, 404 JSON for an unknown sock (front-end turns it into a 200), /health', async () => {
    const size = await curl('http://catalogue/catalogue/size');
    assert.deepEqual([size.status, size.type, size.body], [200, 'application/json; charset=utf-8', '{"size":10,"err":null}\n']);
    const missing = await curl('http://catalogue/catalogue/nope');
    assert.deepEqual([missing.status, missing.type, missing.body], [404, 'text/plain; charset=utf-8', '{"error":"not found","status_code":404,"status_text":"Not Found"}\n']);
    const viaFrontEnd = await send('/catalogue/nope');
    assert.equal(viaFrontEnd.status, 200, 'helpers.simpleHttpRequest ignores the upstream status');
    assert.equal(viaFrontEnd.body, '{"error":"not found","status_code":404,"status_text":"Not Found"}\n');
    const health = JSON.parse((await curl('http://catalogue/health')).body);
    assert.deepEqual(health.health.map((h: any) => [h.service, h.status]), [['catalogue', 'OK'], ['catalogue-db', 'OK']]);
    assert.match(health.health[0].time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}$/);
    assert.equal((await curl('http://catalogue/nothing')).body, '404 page not found\n');
  });

  it('logs: morgan dev lines for the API routes only, go-kit logfmt per catalogue call; catalogue-db warns once that MySQL is not emulated', async () => {
    await send('/');
    await send('/catalogue?size=1');
    const frontEnd = await logsOf('name=front-end', 'front-end');
    assert.match(frontEnd, /App now running in production mode on port 8079/);
    const esc = String.fromCharCode(27);
    const line = frontEnd.split('\n').find((l) => l.includes('GET /catalogue?size=1 '));
    assert.ok(line?.startsWith(`${esc}[0mGET /catalogue?size=1 ${esc}[32m200 ${esc}[0m`) && line.endsWith(` ms - -${esc}[0m`), JSON.stringify(line));
    assert.doesNotMatch(frontEnd, /GET \/ /, 'index.html is served by express.static before morgan');
    const catalogue = await logsOf('name=catalogue', 'catalogue');
    assert.match(catalogue, /ts=\S+Z caller=logging\.go:\d+ method=List tags= order=id pageNum=1 pageSize=1 result=1 err=null took=\S+/);
    assert.match(catalogue, /caller=main\.go:\d+ transport=HTTP port=80/);
    const events = (await core.listNamespacedEvent({ namespace: NS })).items.filter((e) => e.reason === 'EmulatedMySQL');
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'Warning');
    assert.match(events[0].message!, /MySQL protocol is not emulated/);
  });

  it('§13 a client that does not speak MySQL has its connection to catalogue-db:3306 closed (the curl pod\'s sidecar reports a 503 UC)', async () => {
    const r = await cluster.exec(NS, await podOf('app=curl'), 'curl', ['curl', '-sS', '-w', ' %{http_code}', 'http://catalogue-db:3306/']);
    assert.equal(r.stdout, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination 503');
    assert.match(await logsOf('name=catalogue-db', 'catalogue-db'), /Got packets out of order/);
  });

  it('§3 catalogue faulted: the front-end waits out a delay, and answers 200 with "fault filter abort" for an abort', async () => {
    const vs = (fault: object) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'catalogue', namespace: NS }, spec: { hosts: ['catalogue'], http: [{ fault, route: [{ destination: { host: 'catalogue', subset: 'v1' } }] }] } });
    await applyDocs([vs({ delay: { fixedDelay: '1s', percentage: { value: 100 } } })]);
    const slow = await eventually(async () => {
      const a = await send('/catalogue/size');
      return a.ms >= 1000 ? a : undefined;
    }, 5000);
    assert.equal(slow.body, '{"size":10,"err":null}\n');
    await applyDocs([vs({ abort: { httpStatus: 500, percentage: { value: 100 } } })]);
    const aborted = await eventually(async () => {
      const a = await send('/catalogue');
      return a.body === 'fault filter abort' ? a : undefined;
    }, 5000);
    assert.equal(aborted.status, 200);
    await applyFile(`${LAB}/deploy/catalogue-rules.yaml`, NS);
    await eventually(async () => (await send('/catalogue/size')).body.startsWith('{"size":10'), 5000);
  });

  it('§1.8 catalogue down: with no ready pod the front-end\'s sidecar answers 503 "no healthy upstream" and the front-end passes that body on with 200', async () => {
    await scale('catalogue', 0);
    const r = await send('/catalogue');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'no healthy upstream');
    await scale('catalogue', 1);
    await eventually(async () => (await send('/catalogue/size')).body.startsWith('{"size":10'), 5000);
  });

  it('§9 catalogue Service gone: the pod\'s lookup fails below HTTP and helpers.errorHandler answers 500 JSON', async () => {
    await cluster.delete({ apiVersion: 'v1', kind: 'Service', name: 'catalogue', namespace: NS });
    const r = await eventually(async () => {
      const a = await send('/tags');
      return a.status === 500 ? a : undefined;
    }, 5000);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(r.body), { message: 'getaddrinfo ENOTFOUND catalogue catalogue:80', error: { code: 'ENOTFOUND', errno: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'catalogue', host: 'catalogue', port: 80 } });
    assert.ok((await logsOf('name=front-end', 'front-end')).includes(`GET /tags ${String.fromCharCode(27)}[31m500 `), 'morgan colours a 500 red');
    await applyFile(`${APP}/catalogue.yaml`, NS);
    await eventually(async () => (await send('/tags')).status === 200 && (await send('/tags')).body.startsWith('{"tags"'), 5000);
  });

  it('catalogue-db down: catalogue answers 500 "database connection error" (404 "not found" for one sock), /health says err, and gobreaker opens after 6 failures', async () => {
    await scale('catalogue-db', 0);
    const list = await curl('http://catalogue/catalogue');
    assert.deepEqual([list.status, list.type, list.body], [500, 'text/plain; charset=utf-8', '{"error":"database connection error","status_code":500,"status_text":"Internal Server Error"}\n']);
    const one = await curl('http://catalogue/catalogue/03fef6ac-1896-4ce8-bd69-b798f85c6e0b');
    assert.deepEqual([one.status, one.body], [404, '{"error":"not found","status_code":404,"status_text":"Not Found"}\n']);
    const health = JSON.parse((await curl('http://catalogue/health')).body);
    assert.deepEqual(health.health.map((h: any) => h.status), ['OK', 'err']);
    const viaFrontEnd = await send('/catalogue/size');
    assert.deepEqual([viaFrontEnd.status, viaFrontEnd.body], [200, '{"error":"database connection error","status_code":500,"status_text":"Internal Server Error"}\n']);
    const logs = await logsOf('name=catalogue', 'catalogue');
    assert.match(logs, /method=List tags= order=id pageNum=1 pageSize=10 result=0 err="database connection error"/);
    assert.match(logs, /databaseerror="driver: bad connection"/);
    assert.match(logs, /\[mysql\] \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d packets\.go:33: unexpected EOF/);
    // Six consecutive Tags failures trip its breaker (more than 5); the seventh call finds it open.
    for (let i = 0; i < 6; i++) assert.match((await curl('http://catalogue/tags')).body, /database connection error/);
    assert.equal((await curl('http://catalogue/tags')).body, '{"error":"circuit breaker is open","status_code":500,"status_text":"Internal Server Error"}\n');
    await scale('catalogue-db', 1);
    assert.equal((await curl('http://catalogue/catalogue/size')).status, 200, 'the Count breaker never tripped');
  });
});

describe('sandbox workloads: catalogue\'s gobreaker and flags, as a bare model', () => {
  it('an open breaker answers "circuit breaker is open" for 30 s, lets one trial through, and closes when it succeeds', async () => {
    let t = Date.parse('2025-07-16T17:17:09.847Z');
    let dbUp = false;
    const network = fakeNetwork((req) => (dbUp && req.url.host === 'catalogue-db:3306' ? reply(200, JSON.stringify([{ name: 'brown' }]), { 'content-type': 'application/json' }) : { failure: 'dns', message: 'no such host' }));
    const m = startModel(catalogueModel, { name: 'catalogue', image: 'weaveworksdemos/catalogue:0.3.5', command: ['/app'], args: ['-port=80'] }, { network, clock: { now: () => new Date(t) } });
    const server = await m.serve(80);
    const tags = async () => JSON.parse((await httpGet(`${server.url}/tags`)).body).error ?? 'ok';
    try {
      for (let i = 0; i < 6; i++) assert.equal(await tags(), 'database connection error');
      dbUp = true;
      assert.equal(await tags(), 'circuit breaker is open', 'open: the database is not even asked');
      const asked = network.sent.length;
      t += 29_999;
      assert.equal(await tags(), 'circuit breaker is open');
      assert.equal(network.sent.length, asked);
      t += 1;
      assert.equal(await tags(), 'ok', 'half-open after 30 s: the trial call succeeds and closes the breaker');
      assert.equal(await tags(), 'ok');
      assert.ok(m.logs.some((l) => l.includes('databaseerror="dial tcp: lookup catalogue-db on 10.96.0.10:53: no such host"')), m.logs.join('\n'));
    } finally {
      m.stop.abort();
    }
  });

  it('a -DSN without the database slash stops the process (exit 1), as sqlx.Open does', async () => {
    const m = startModel(catalogueModel, { name: 'catalogue', image: 'weaveworksdemos/catalogue:0.3.5', args: ['-DSN=catalogue-db:3306'] });
    assert.equal(await m.exit, 1);
    assert.match(m.logs.join('\n'), /err="invalid DSN: missing the slash separating the database name"/);
  });
});
