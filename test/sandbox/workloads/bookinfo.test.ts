// Bookinfo end to end on the sandbox (§11.2): the sample and Istio's Bookinfo networking files applied
// through the Kubernetes API into an istio-injection namespace, then real HTTP to the ingress gateway's
// NodePort — the canonical outcomes of the request-routing, fault-injection and request-timeouts tasks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { connectCluster } from '../../../src/cluster/kube.js';
import type { Cluster } from '../../../src/cluster/types.js';

const NS = 'bookinfo';
const NET = 'manifests/samples/bookinfo-networking';

interface Answer {
  status: number;
  headers: Record<string, any>;
  body: string;
  ms: number;
}

const stars = (html: string) => html.split('<svg id="glyphicon glyphicon-star"').length - 1;
const servedBy = (html: string) => [...html.matchAll(/Reviews served by: \n\s+(\S+)\n/g)].map((m) => m[1]);

describe('sandbox workloads: Bookinfo through the ingress gateway (§11.2)', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  let port: number;

  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: 'bookinfo.example.com', ...headers }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - start }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const applyFile = async (file: string) => {
    for (const d of yaml.loadAll(readFileSync(file, 'utf8')).filter(Boolean) as any[]) {
      if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = file.includes('/istio/') ? 'default' : NS;
      await eventually(() => cluster.apply(d, { fieldManager: 'test', force: true }), 10000);
    }
  };
  /** Waits past the mesh's config propagation delay (100–400 ms) after a change. */
  const settle = () => new Promise((r) => setTimeout(r, 500));
  let jasonCookie = '';

  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
    for (const f of ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml']) await applyFile(f);
    await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'istio-injection': 'enabled' } } }, { fieldManager: 'test', force: true });
    for (const f of ['manifests/samples/bookinfo.yaml', 'manifests/samples/curl.yaml', `${NET}/bookinfo-gateway.yaml`, `${NET}/destination-rule-all.yaml`]) await applyFile(f);
    const core = sb.kc.makeApiClient(k8s.CoreV1Api);
    port = (await core.readNamespacedService({ name: 'istio-ingressgateway', namespace: 'istio-system' })).spec!.ports!.find((p) => p.name === 'http2')!.nodePort!;
    await eventually(async () => {
      const pods = (await core.listNamespacedPod({ namespace: NS })).items;
      return pods.length === 7 && pods.every((p) => p.spec!.containers.some((c) => c.name === 'istio-proxy') && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    }, 15000);
  });
  after(async () => {
    cluster.close();
    await sb.dispose();
  });

  it('§11.2 /productpage answers 200 with the title, the details table and "Reviews served by" every reviews version', async () => {
    const first = await eventually(async () => {
      const r = await send('GET', '/productpage');
      return r.status === 200 ? r : undefined;
    }, 5000);
    assert.match(first.body, /<title>Simple Bookstore App<\/title>/);
    assert.match(first.body, /<h4 class="text-3xl font-semibold">Book Details<\/h4>/);
    assert.match(first.body, />PublisherA<\/td>/);
    const pods = new Set<string>();
    for (let i = 0; i < 15; i++) for (const p of servedBy((await send('GET', '/productpage')).body)) pods.add(p.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''));
    assert.deepEqual([...pods].sort(), ['reviews-v1', 'reviews-v2', 'reviews-v3']);
  });

  it('§11.2 the Bookinfo docs\' check: curl productpage:9080/productpage from the ratings container shows the title', async () => {
    const core = sb.kc.makeApiClient(k8s.CoreV1Api);
    const ratingsPod = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=ratings' })).items[0].metadata!.name!;
    const r = await cluster.exec(NS, ratingsPod, 'ratings', ['sh', '-c', 'curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"']);
    assert.equal(r.stdout, '<title>Simple Bookstore App</title>\n', r.stderr);
  });

  it('§11.2 a path the Bookinfo VirtualService does not match is a 404 from the gateway, not productpage', async () => {
    for (const path of ['/health', '/productpage/', '/']) {
      const r = await send('GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body, '');
      assert.equal(r.headers.server, 'istio-envoy');
    }
  });

  it('§11.2 /api/v1/products and /api/v1/products/0[/reviews] answer productpage JSON', async () => {
    const list = await send('GET', '/api/v1/products');
    assert.equal(list.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(list.body).map((p: any) => [p.id, p.title]), [[0, 'The Comedy of Errors']]);
    const details = await send('GET', '/api/v1/products/0');
    assert.match(details.body, /^\{"id": 0, "author": "William Shakespeare", "year": 1595, "type": "paperback", "pages": 200, "publisher": "PublisherA", "language": "English", "ISBN-10": "1234567890", "ISBN-13": "123-1234567890"\}$/);
    const reviews = JSON.parse((await send('GET', '/api/v1/products/0/reviews')).body);
    assert.equal(reviews.clustername, 'null');
    assert.match(reviews.podname, /^reviews-v[123]-/);
    assert.deepEqual(reviews.reviews.map((r: any) => r.reviewer), ['Reviewer1', 'Reviewer2']);
  });

  it('§11.2 virtual-service-all-v1: every page comes from reviews v1, without stars', async () => {
    await applyFile(`${NET}/virtual-service-all-v1.yaml`);
    await eventually(async () => {
      for (let i = 0; i < 8; i++) if (servedBy((await send('GET', '/productpage')).body).some((p) => !p.startsWith('reviews-v1-'))) return false;
      return true;
    }, 5000);
    const page = (await send('GET', '/productpage')).body;
    assert.equal(stars(page), 0);
    assert.doesNotMatch(page, /text-(black|red)-500|Ratings service/);
  });

  it('§11.2 reviews-test-v2: after POST /login username=jason, his pages show black stars; anonymous pages none', async () => {
    await applyFile(`${NET}/virtual-service-reviews-test-v2.yaml`);
    const login = await send('POST', '/login', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'username=jason');
    assert.equal(login.status, 302);
    assert.equal(login.headers.location, 'None', '⚠ §15.8: no Referer → redirect(None)');
    const cookie = String(login.headers['set-cookie']?.[0] ?? '');
    assert.match(cookie, /^session=eyJ1c2VyIjoiamFzb24ifQ\.[\w-]+\.[\w-]+; HttpOnly; Path=\/$/);
    jasonCookie = cookie.split(';')[0];
    // Once the VirtualService has propagated, every page of jason's comes from v2 (9 black stars: 5 + 4).
    const v2Page = (html: string) => stars(html) === 9 && html.split('text-black-500').length === 3 && servedBy(html).every((p) => p.startsWith('reviews-v2-'));
    await eventually(async () => {
      for (let i = 0; i < 6; i++) if (!v2Page((await send('GET', '/productpage', { Cookie: jasonCookie })).body)) return false;
      return true;
    }, 5000);
    const page = (await send('GET', '/productpage', { Cookie: jasonCookie })).body;
    assert.match(page, /<p class="text-base font-medium text-gray-50">jason<\/p>/);
    for (let i = 0; i < 6; i++) assert.equal(stars((await send('GET', '/productpage')).body), 0, 'anonymous pages come from v1');
  });

  it('§11.2 the same from inside the mesh: login with curl -D -, then curl -b; or end-user straight to reviews', async () => {
    const core = sb.kc.makeApiClient(k8s.CoreV1Api);
    const curlPod = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=curl' })).items[0].metadata!.name!;
    const script = [
      'C=$(curl -s -o /dev/null -D - -d username=jason http://productpage:9080/login | grep -i "^set-cookie:" | cut -d" " -f2 | cut -d";" -f1)',
      'curl -s -b "$C" http://productpage:9080/productpage | grep -c "glyphicon glyphicon-star"',
    ].join('; ');
    const r = await cluster.exec(NS, curlPod, 'curl', ['sh', '-c', script]);
    assert.equal(r.stdout.trim(), '9', r.stderr);
    // Without productpage: the curl pod's own sidecar evaluates the reviews VirtualService on end-user.
    const direct = await cluster.exec(NS, curlPod, 'curl', ['curl', '-s', '-H', 'end-user: jason', 'http://reviews:9080/reviews/0']);
    assert.equal(JSON.parse(direct.stdout).reviews[0].rating.color, 'black');
  });

  it('§3 ratings-test-abort: jason\'s page loads at once with "Ratings service is currently unavailable"', async () => {
    await applyFile(`${NET}/virtual-service-ratings-test-abort.yaml`);
    const r = await eventually(async () => {
      const a = await send('GET', '/productpage', { Cookie: jasonCookie });
      return /Ratings service is currently unavailable/.test(a.body) ? a : undefined;
    }, 5000);
    assert.equal(r.status, 200);
    assert.ok(r.ms < 1000, `took ${r.ms} ms`);
    assert.equal(stars(r.body), 0);
    assert.equal(stars((await send('GET', '/productpage')).body), 0, 'others still get v1');
  });

  it('§3 ratings-test-delay (7 s for jason): the page takes about 6 s (2 × 3 s) and shows the reviews error', async () => {
    await applyFile(`${NET}/virtual-service-ratings-test-delay.yaml`);
    await settle();
    const r = await send('GET', '/productpage', { Cookie: jasonCookie });
    assert.equal(r.status, 200);
    assert.ok(r.ms >= 5900 && r.ms < 7000, `took ${Math.round(r.ms)} ms`);
    assert.match(r.body, /<p class="text-2xl text-red-500">Error fetching product reviews<\/p>\n\s+\n\s+<p class="text-lg text-gray-600">Sorry, product reviews are currently unavailable for this book.<\/p>/);
    assert.match(r.body, /Book Details/, 'details still answered');
  });

  it('§4 request-timeouts task: reviews → v2 with timeout 0.5s and a 2 s ratings delay give a page in about 1 s', async () => {
    const vs = (name: string, route: object) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: NS }, spec: { hosts: [name], http: [route] } });
    await cluster.apply(vs('ratings', { fault: { delay: { percent: 100, fixedDelay: '2s' } }, route: [{ destination: { host: 'ratings', subset: 'v1' } }] }), { fieldManager: 'test', force: true });
    await cluster.apply(vs('reviews', { route: [{ destination: { host: 'reviews', subset: 'v2' } }], timeout: '0.5s' }), { fieldManager: 'test', force: true });
    await settle();
    const r = await send('GET', '/productpage');
    assert.ok(r.ms >= 950 && r.ms < 1800, `took ${Math.round(r.ms)} ms`);
    assert.match(r.body, /Sorry, product reviews are currently unavailable for this book\./);
  });
});
