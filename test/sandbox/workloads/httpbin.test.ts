// go-httpbin (mccutchen/go-httpbin, Istio's httpbin sample): each endpoint over a real HTTP server,
// its access log and its port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { goHttpbinModel } from '../../../src/sandbox/workloads/httpbin-model.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { eventually, httpGet, startModel, type RunningModel } from './harness.js';

let m: RunningModel;
let base: string;

before(async () => {
  m = startModel(goHttpbinModel, { name: 'httpbin', image: 'docker.io/mccutchen/go-httpbin:v2.15.0', ports: [{ containerPort: 8080 }] });
  base = (await m.serve(8080)).url;
});
after(() => m.stop.abort());

test('the image is modelled and logs the startup line go-httpbin prints; only 8080 listens', () => {
  assert.equal(resolveWorkloadModel('docker.io/mccutchen/go-httpbin:v2.15.0').model, goHttpbinModel);
  assert.equal(m.logs[0], 'go-httpbin listening on http://0.0.0.0:8080');
  assert.equal(m.workload.httpHandler?.(8000), undefined);
  assert.equal(m.workload.httpHandler?.(15090), undefined);
});

test('/get echoes args, headers (JSON arrays), method, origin and url', async () => {
  const r = await httpGet(`${base}/get?a=1&a=2&b=x`, { headers: { 'User-Agent': 'curl/8.16.0', 'X-B3-TraceId': 'abc', 'X-Forwarded-Proto': 'http' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  const body = JSON.parse(r.body);
  assert.deepEqual(Object.keys(body), ['args', 'headers', 'method', 'origin', 'url']);
  assert.deepEqual(body.args, { a: ['1', '2'], b: ['x'] });
  assert.deepEqual(body.headers['User-Agent'], ['curl/8.16.0']);
  assert.deepEqual(body.headers['X-B3-Traceid'], ['abc']);
  assert.match(body.headers.Host[0], /^127\.0\.0\.1:\d+$/);
  assert.equal(body.method, 'GET');
  assert.equal(body.origin, '127.0.0.1');
  assert.match(body.url, /^http:\/\/127\.0\.0\.1:\d+\/get\?a=1&a=2&b=x$/);
  assert.ok(r.body.endsWith('}\n') && r.body.includes('\n  "args": {'), 'two-space indented JSON with a trailing newline');
  assert.equal((await httpGet(`${base}/get`, { method: 'POST' })).status, 405);
});

test('/headers lists header values as arrays, sorted by canonical name', async () => {
  const r = await httpGet(`${base}/headers`, { headers: { 'x-request-id': 'r1', accept: '*/*' } });
  const body = JSON.parse(r.body);
  assert.deepEqual(body.headers['X-Request-Id'], ['r1']);
  assert.deepEqual(body.headers.Accept, ['*/*']);
  const names = Object.keys(body.headers);
  assert.deepEqual(names, [...names].sort());
});

test('/ip takes the first X-Forwarded-For entry, else the peer address', async () => {
  assert.deepEqual(JSON.parse((await httpGet(`${base}/ip`, { headers: { 'X-Forwarded-For': '10.1.2.3, 10.0.0.1' } })).body), { origin: '10.1.2.3' });
  assert.deepEqual(JSON.parse((await httpGet(`${base}/ip`)).body), { origin: '127.0.0.1' });
});

test('/status/{code}: plain codes, special cases, weighted lists and bad input', async () => {
  const s = await httpGet(`${base}/status/503`);
  assert.equal(s.status, 503);
  assert.equal(s.body, '');
  assert.equal(s.headers['content-type'], 'text/plain; charset=utf-8');
  const teapot = await httpGet(`${base}/status/418`);
  assert.equal(teapot.body, "I'm a teapot!");
  assert.equal(teapot.headers['x-more-info'], 'http://tools.ietf.org/html/rfc2324');
  assert.equal((await httpGet(`${base}/status/302`)).headers.location, '/redirect/1');
  const seen = new Map<number, number>();
  for (let i = 0; i < 60; i++) {
    const code = (await httpGet(`${base}/status/200,503`)).status;
    seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), [200, 503]);
  for (let i = 0; i < 20; i++) assert.equal((await httpGet(`${base}/status/200:0,503:1`)).status, 503);
  const bad = await httpGet(`${base}/status/600`);
  assert.equal(bad.status, 400);
  assert.deepEqual(JSON.parse(bad.body), { status_code: 400, error: 'Bad Request', detail: 'invalid status code: 600 not in range [100, 599]' });
});

test('/delay/{n} waits, echoes with Server-Timing, refuses more than 10 s', async () => {
  const t0 = Date.now();
  const r = await httpGet(`${base}/delay/0.2?x=1`);
  assert.ok(Date.now() - t0 >= 190);
  assert.equal(r.status, 200);
  assert.equal(r.headers['server-timing'], 'initial_delay;dur=200.00;desc="initial delay"');
  assert.deepEqual(JSON.parse(r.body).args, { x: ['1'] });
  assert.equal((await httpGet(`${base}/delay/100ms`)).status, 200);
  const tooLong = await httpGet(`${base}/delay/11`);
  assert.equal(tooLong.status, 400);
  assert.equal(JSON.parse(tooLong.body).detail, 'invalid duration: duration 11s longer than 10s');
});

test('/delay logs 499 when the client goes away before the delay ends', async () => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(httpGet(`${base}/delay/5`, { signal: abort.signal }));
  await eventually(() => m.logs.some((l) => l.includes('status=499') && l.includes('uri="/delay/5"')));
});

test('/anything[/*] echoes method, body, form and JSON', async () => {
  const j = JSON.parse((await httpGet(`${base}/anything/a/b?q=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"k":[1,2]}' })).body);
  assert.deepEqual(Object.keys(j), ['args', 'headers', 'method', 'origin', 'url', 'data', 'files', 'form', 'json']);
  assert.equal(j.method, 'POST');
  assert.equal(j.data, '{"k":[1,2]}');
  assert.deepEqual(j.json, { k: [1, 2] });
  const f = JSON.parse((await httpGet(`${base}/anything`, { method: 'PUT', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' })).body);
  assert.deepEqual(f.form, { a: ['1'], b: ['2'] });
  const bin = JSON.parse((await httpGet(`${base}/anything`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: 'hi' })).body);
  assert.equal(bin.data, 'data:application/octet-stream;base64,aGk=');
  assert.equal((await httpGet(`${base}/anything`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{bad' })).status, 400);
});

test('/html, /json, /uuid, /user-agent and /response-headers', async () => {
  const html = await httpGet(`${base}/html`);
  assert.match(html.body, /<h1>Herman Melville - Moby-Dick<\/h1>/);
  assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(JSON.parse((await httpGet(`${base}/json`)).body).slideshow.title, 'Sample Slide Show');
  const uuid = JSON.parse((await httpGet(`${base}/uuid`)).body).uuid;
  assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(JSON.parse((await httpGet(`${base}/user-agent`, { headers: { 'User-Agent': 'fortio.org/fortio-1.69.5' } })).body), { 'user-agent': 'fortio.org/fortio-1.69.5' });
  const rh = await httpGet(`${base}/response-headers?X-Test=one&X-Test=two&Foo=bar`);
  assert.equal(rh.headers.foo, 'bar');
  assert.equal(rh.headers['x-test'], 'one, two');
  assert.deepEqual(JSON.parse(rh.body), { 'Content-Type': ['application/json; charset=utf-8'], Foo: ['bar'], 'X-Test': ['one', 'two'] });
});

test('redirects, unknown paths and CORS headers', async () => {
  const r = await httpGet(`${base}/redirect/2`);
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, '/relative-redirect/1');
  assert.equal((await httpGet(`${base}/relative-redirect/1`)).headers.location, '/get');
  const missing = await httpGet(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body), { status_code: 404, error: 'Not Found' });
  assert.equal(missing.headers['access-control-allow-origin'], '*');
  assert.equal((await httpGet(`${base}/get`, { method: 'HEAD' })).body, '');
});

test('one go-httpbin record per request: time, status, method, uri, size, duration, agent, client', async () => {
  const before = m.logs.length;
  await httpGet(`${base}/headers?z=1`, { headers: { 'User-Agent': 'curl/8.16.0', 'X-Forwarded-For': '10.244.0.7' } });
  await eventually(() => m.logs.length > before);
  assert.match(m.logs[before], /^time="2025-07-16T17:17:09\.847" status=200 method="GET" uri="\/headers\?z=1" size_bytes=\d+ duration_ms=\d+\.\d\d user_agent="curl\/8\.16\.0" client_ip=10\.244\.0\.7$/);
});

test('the port follows $PORT or -port', async () => {
  const byEnv = startModel(goHttpbinModel, { name: 'h', image: 'mccutchen/go-httpbin' }, { env: { PORT: '9090' } });
  const byFlag = startModel(goHttpbinModel, { name: 'h', image: 'mccutchen/go-httpbin', args: ['-port', '7070'] });
  assert.ok(byEnv.workload.httpHandler?.(9090));
  assert.equal(byEnv.workload.httpHandler?.(8080), undefined);
  assert.ok(byFlag.workload.httpHandler?.(7070));
  assert.equal(byFlag.logs[0], 'go-httpbin listening on http://0.0.0.0:7070');
});
