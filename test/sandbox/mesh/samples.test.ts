// The sample workloads of §11.2–§11.4 through the sandbox's public surfaces only: the project's sample
// manifests applied through the Kubernetes API into the injected `default` namespace, HTTP to the ingress
// gateway's NodePort, curl and fortio exec'd in their pods (client-node exec, and kubectl when installed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startMeshSandbox, type MeshSandbox } from '../../helpers/mesh-sandbox.js';
import { eventually, hasKubectl } from '../../helpers/sandbox.js';

interface Answer {
  status: number;
  headers: Record<string, any>;
  body: string;
}

const DETAILS = { id: 0, author: 'William Shakespeare', year: 1595, type: 'paperback', pages: 200, publisher: 'PublisherA', language: 'English', 'ISBN-10': '1234567890', 'ISBN-13': '123-1234567890' };
const RATINGS = '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}';
const FORTIO_LOAD = ['/usr/bin/fortio', 'load', '-c', '2', '-qps', '0', '-n', '20', '-loglevel', 'Warning'];

describe('§11 sample workloads on the sandbox: Bookinfo, the curl client and fortio', () => {
  let m: MeshSandbox;
  let port: number;
  let curlPod: string;
  let fortioPod: string;
  let httpbinPod: string;

  const send = (method: string, path: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: 'bookinfo.example.com' }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const curl = (...args: string[]) => m.cluster.exec('default', curlPod, 'curl', ['curl', ...args], { timeoutMs: 15000 });
  const fortio = (...args: string[]) => m.cluster.exec('default', fortioPod, 'fortio', args, { timeoutMs: 20000 });
  /** Lines of httpbin's sidecar access log for requests whose path contains `tag`. */
  const httpbinHits = async (tag: string) => (await m.cluster.logs('default', httpbinPod, 'istio-proxy')).split('\n').filter((l) => l.includes(tag)).length;

  before(async () => {
    m = await startMeshSandbox();
    for (const f of ['bookinfo.yaml', 'bookinfo-networking/bookinfo-gateway.yaml', 'httpbin.yaml', 'curl.yaml', 'fortio.yaml']) await m.apply(`manifests/samples/${f}`);
    const svc = await m.cluster.get({ apiVersion: 'v1', kind: 'Service', name: 'istio-ingressgateway', namespace: 'istio-system' });
    port = svc!.spec.ports.find((p: any) => p.name === 'http2').nodePort;
    for (const app of ['productpage', 'details', 'ratings']) await m.ready('default', `app=${app}`);
    await m.ready('default', 'app=reviews', 3);
    [httpbinPod] = await m.ready('default', 'app=httpbin');
    [curlPod] = await m.ready('default', 'app=curl');
    [fortioPod] = await m.ready('default', 'app=fortio');
    await eventually(async () => (await send('GET', '/productpage')).status === 200, 10000);
  });
  after(() => m?.dispose());

  it('§11.2 the Bookinfo gateway VirtualService sends exact /productpage, /login, /logout and prefixes /static, /api/v1/products to productpage; every other path is 404', async () => {
    // A response from productpage went upstream (x-envoy-upstream-service-time); the gateway's own 404 did not.
    const routed = ['/productpage', '/static/tailwind/tailwind.css', '/static/nothing-here', '/api/v1/products', '/api/v1/products/0/reviews', '/logout'];
    for (const path of routed) assert.ok((await send('GET', path)).headers['x-envoy-upstream-service-time'], `${path} reaches productpage`);
    assert.ok((await send('POST', '/login')).headers['x-envoy-upstream-service-time'], 'POST /login reaches productpage');
    // `/` and `/health` exist on productpage, but the VirtualService does not match them.
    for (const path of ['/', '/health', '/metrics', '/productpage/x', '/loginx', '/logout/', '/api/v1/product', '/reviews/0', '/ratings/0']) {
      const r = await send('GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body, '', `${path}: the gateway's own 404 has an empty body`);
      assert.equal(r.headers['x-envoy-upstream-service-time'], undefined, `${path} never reached productpage`);
    }
  });

  it('§11.2 /productpage answers 200 with the Simple Bookstore App title', async () => {
    const r = await send('GET', '/productpage');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/html/);
    assert.match(r.body, /<title>Simple Bookstore App<\/title>/);
    assert.match(r.body, /William Shakespeare/, 'the page shows the details');
  });

  it('§11.2 ratings gives {"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}} through productpage and directly', async () => {
    const viaIngress = await send('GET', '/api/v1/products/0/ratings');
    assert.equal(viaIngress.status, 200);
    assert.deepEqual(JSON.parse(viaIngress.body), JSON.parse(RATINGS));
    const direct = await curl('-sS', 'http://ratings:9080/ratings/0');
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(direct.stdout, RATINGS);
  });

  it('§11.2 details v1 gives the static book JSON', async () => {
    const direct = await curl('-sS', 'http://details:9080/details/0');
    assert.equal(direct.code, 0, direct.stderr);
    assert.deepEqual(JSON.parse(direct.stdout), DETAILS);
    const viaIngress = await send('GET', '/api/v1/products/0');
    assert.equal(viaIngress.status, 200);
    assert.deepEqual(JSON.parse(viaIngress.body), DETAILS);
  });

  it('§11.3 the curl sample: Deployment, ServiceAccount and Service curl (port 80), container curl running curlimages/curl:8.16.0 with /bin/sleep infinity', async () => {
    for (const kind of ['ServiceAccount', 'Service']) assert.ok(await m.cluster.get({ apiVersion: 'v1', kind, name: 'curl', namespace: 'default' }), kind);
    const svc = await m.cluster.get({ apiVersion: 'v1', kind: 'Service', name: 'curl', namespace: 'default' });
    assert.deepEqual(svc!.spec.ports.map((p: any) => p.port), [80]);
    const deploy = await m.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'curl', namespace: 'default' });
    assert.equal(deploy!.status.readyReplicas, 1);
    const pod = await m.cluster.get({ apiVersion: 'v1', kind: 'Pod', name: curlPod, namespace: 'default' });
    assert.equal(pod!.metadata.labels?.app, 'curl');
    assert.equal(pod!.spec.serviceAccountName, 'curl');
    const container = pod!.spec.containers.find((c: any) => c.name === 'curl');
    assert.equal(container.image, 'curlimages/curl:8.16.0');
    assert.deepEqual(container.command, ['/bin/sleep', 'infinity']);
    assert.ok(pod!.spec.containers.some((c: any) => c.name === 'istio-proxy') || pod!.spec.initContainers?.some((c: any) => c.name === 'istio-proxy'), 'injected');
  });

  it('§11.3 curl -o /dev/null -w "%{http_code}" prints the status; a transport error prints 000 and exits with curl\'s own code', async () => {
    const ok = await curl('-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/status/418');
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, '418', '']);
    const unresolved = await curl('-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://no-such-service:8000/');
    assert.deepEqual([unresolved.code, unresolved.stdout], [6, '000']);
    assert.match(unresolved.stderr, /^curl: \(6\) Could not resolve host: no-such-service\n$/);
    const timedOut = await curl('-sS', '-m', '1', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/delay/3');
    assert.deepEqual([timedOut.code, timedOut.stdout], [28, '000']);
    assert.match(timedOut.stderr, /^curl: \(28\) Operation timed out after 1\d{3} milliseconds with 0 bytes received\n$/);
  });

  it('§11.3 kubectl exec deploy/curl -c curl prints 418, and on a transport error 000 then "command terminated with exit code 6"', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    const exec = (url: string) => m.sb.kubectl(['exec', 'deploy/curl', '-c', 'curl', '--', 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', url]);
    const ok = await exec('http://httpbin:8000/status/418');
    assert.deepEqual([ok.code, ok.stdout], [0, '418'], ok.stderr);
    const failed = await exec('http://no-such-service:8000/');
    assert.deepEqual([failed.code, failed.stdout], [6, '000']);
    assert.match(failed.stderr, /curl: \(6\) Could not resolve host: no-such-service\n/);
    assert.match(failed.stderr, /^command terminated with exit code 6$/m);
  });

  it('§11.4 fortio load -c 2 -qps 0 -n 20 writes its report to stderr, not stdout, in the documented order', async () => {
    const r = await fortio(...FORTIO_LOAD, 'http://httpbin:8000/get');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing on stdout');
    const order = [/^Fortio \S+ running at 0 queries per second, \d+->\d+ procs, for 20 calls: http:\/\/httpbin:8000\/get$/m, /^Starting at max qps with 2 thread\(s\) \[gomax \d+\] for exactly 20 calls \(10 per thread \+ 0\)$/m, /^Ended after \S+ : 20 calls\. qps=\S+$/m, /^Aggregated Function Time : count 20 avg /m, /^Sockets used: \d+ \(for perfect keepalive, would be 2\)$/m, /^Code 200 : 20 \(100\.0 %\)$/m, /^All done 20 calls \(plus 0 warmup\) [\d.]+ ms avg, [\d.]+ qps$/m];
    const at = order.map((re) => r.stderr.search(re));
    assert.ok(at.every((i) => i >= 0), `every line present: ${at}\n${r.stderr}`);
    assert.deepEqual(at, [...at].sort((a, b) => a - b), 'lines in the documented order');
  });

  it('§11.4 fortio -n makes exactly that many calls, each seen by httpbin, whatever -c', async () => {
    const r = await fortio('/usr/bin/fortio', 'load', '-c', '3', '-qps', '0', '-n', '7', '-loglevel', 'Warning', 'http://httpbin:8000/get?run=exact7');
    assert.match(r.stderr, /^Code 200 : 7 \(100\.0 %\)$/m);
    assert.match(r.stderr, /^All done 7 calls /m);
    assert.equal(await eventually(async () => (await httpbinHits('run=exact7')) >= 7 && httpbinHits('run=exact7'), 5000), 7);
  });

  it('§11.4 a target answering 503 gives a "Code 503 :" line', async () => {
    const r = await fortio(...FORTIO_LOAD, 'http://httpbin:8000/status/503');
    assert.match(r.stderr, /^Code 503 : 20 \(100\.0 %\)$/m);
    assert.doesNotMatch(r.stderr, /^Code 200 /m);
  });

  it('§11.4 fortio curl -quiet URL makes a single request and prints its body', async () => {
    const r = await fortio('/usr/bin/fortio', 'curl', '-quiet', 'http://httpbin:8000/get?run=single');
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.url, 'http://httpbin:8000/get?run=single');
    assert.equal(body.method, 'GET');
    assert.equal(await eventually(async () => (await httpbinHits('run=single')) >= 1 && httpbinHits('run=single'), 5000), 1);
  });
});
