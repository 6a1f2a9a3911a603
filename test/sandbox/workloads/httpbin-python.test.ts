// The Python httpbin in kennethreitz/httpbin and kong/httpbin: string header values, sorted keys, HTML
// errors, gunicorn's port and logs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pythonHttpbinModel } from '../../../src/sandbox/workloads/httpbin-model.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { eventually, httpGet, startModel, type RunningModel } from './harness.js';

let m: RunningModel;
let base: string;

before(async () => {
  m = startModel(pythonHttpbinModel, { name: 'httpbin', image: 'docker.io/kennethreitz/httpbin', command: ['gunicorn', '--access-logfile', '-', '-b', '0.0.0.0:80', 'httpbin:app'] });
  base = (await m.serve(80)).url;
});
after(() => m.stop.abort());

test('kennethreitz/httpbin and kong/httpbin share the Python model', () => {
  assert.equal(resolveWorkloadModel('docker.io/kennethreitz/httpbin').model, pythonHttpbinModel);
  assert.equal(resolveWorkloadModel('docker.io/kong/httpbin:0.1.0').model, pythonHttpbinModel);
  assert.match(m.logs[0], /^\[2025-07-16 17:17:09 \+0000\] \[1\] \[INFO\] Starting gunicorn 19\.9\.0$/);
  assert.match(m.logs[1], /Listening at: http:\/\/0\.0\.0\.0:80 \(1\)$/);
});

test('/headers has string values and /get has no method key', async () => {
  const h = JSON.parse((await httpGet(`${base}/headers`, { headers: { 'User-Agent': 'curl/7.35.0', 'X-B3-Sampled': '1' } })).body);
  assert.equal(h.headers['User-Agent'], 'curl/7.35.0');
  assert.equal(h.headers['X-B3-Sampled'], '1');
  const g = JSON.parse((await httpGet(`${base}/get?a=1`, { headers: { 'X-Forwarded-For': '10.1.1.1, 10.2.2.2' } })).body);
  assert.deepEqual(Object.keys(g), ['args', 'headers', 'origin', 'url']);
  assert.deepEqual(g.args, { a: '1' });
  assert.equal(g.origin, '10.1.1.1, 10.2.2.2');
});

test('/status/418 is the teapot; unknown paths get werkzeug HTML; Server is gunicorn', async () => {
  const t = await httpGet(`${base}/status/418`);
  assert.equal(t.status, 418);
  assert.match(t.body, /-=\[ teapot \]=-/);
  const nf = await httpGet(`${base}/nope`);
  assert.equal(nf.status, 404);
  assert.match(nf.body, /<title>404 Not Found<\/title>/);
  assert.equal(nf.headers.server, 'gunicorn/19.9.0');
});

test('/delay caps at 10 s instead of refusing, and /anything sorts its keys', async () => {
  const a = JSON.parse((await httpGet(`${base}/anything`, { method: 'POST', body: 'x=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).body);
  assert.deepEqual(Object.keys(a), ['args', 'data', 'files', 'form', 'headers', 'json', 'method', 'origin', 'url']);
  assert.deepEqual(a.form, { x: '1' });
  const d = JSON.parse((await httpGet(`${base}/delay/0.05`)).body);
  assert.deepEqual(Object.keys(d), ['args', 'data', 'files', 'form', 'headers', 'origin', 'url']);
});

test('access lines appear with --access-logfile - only, in gunicorn format', async () => {
  const before = m.logs.length;
  await httpGet(`${base}/headers`, { headers: { 'User-Agent': 'curl/7.35.0' } });
  await eventually(() => m.logs.length > before);
  assert.match(m.logs[m.logs.length - 1], /^127\.0\.0\.1 - - \[16\/Jul\/2025:17:17:09 \+0000\] "GET \/headers HTTP\/1\.1" 200 \d+ "-" "curl\/7\.35\.0"$/);
  const quiet = startModel(pythonHttpbinModel, { name: 'h', image: 'kong/httpbin', command: ['gunicorn', '-b', '0.0.0.0:8080', 'httpbin:app', '-k', 'gevent'] });
  const url = (await quiet.serve(8080)).url;
  await httpGet(`${url}/get`);
  assert.equal(quiet.logs.length, 4);
  assert.equal(quiet.workload.httpHandler?.(80), undefined);
  quiet.stop.abort();
});
