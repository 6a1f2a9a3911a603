// fortio/fortio as a server: the echo server on 8080 (?status, ?delay, ?header, ?size, /debug), startup
// logs, and a client command run as the container's job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fortioModel } from '../../../src/sandbox/workloads/fortio-model.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { eventually, fakeNetwork, httpGet, reply, startModel, type RunningModel } from './harness.js';

let m: RunningModel;
let base: string;

before(async () => {
  m = startModel(fortioModel, { name: 'fortio', image: 'fortio/fortio:latest_release', ports: [{ containerPort: 8080 }, { containerPort: 8079 }] });
  base = (await m.serve(8080)).url;
});
after(() => m.stop.abort());

test('fortio/fortio serves echo on 8080 (8079 is not emulated) and logs JSON startup lines', async () => {
  assert.equal(resolveWorkloadModel('fortio/fortio:latest_release').model, fortioModel);
  assert.equal(m.workload.httpHandler?.(8079), undefined);
  await eventually(() => m.logs.length >= 6);
  assert.match(m.logs[0], /^\{"ts":\d+\.\d{6},"level":"info","r":1,"file":"scli\.go","line":122,"msg":"Starting","command":"Φορτίο"/);
  assert.ok(m.logs.some((l) => l.includes('http-echo server listening on tcp [::]:8080')));
});

test('echo returns the body and content type; ?status= and percentages; ?header=; ?size=', async () => {
  const e = await httpGet(`${base}/anything`, { method: 'POST', body: 'ping', headers: { 'Content-Type': 'text/x-test' } });
  assert.deepEqual([e.status, e.body, e.headers['content-type']], [200, 'ping', 'text/x-test']);
  assert.equal((await httpGet(`${base}/?status=503`)).status, 503);
  assert.equal((await httpGet(`${base}/?status=429:100`)).status, 429);
  const codes = new Set<number>();
  for (let i = 0; i < 40; i++) codes.add((await httpGet(`${base}/?status=503:50`)).status);
  assert.deepEqual([...codes].sort(), [200, 503]);
  assert.equal((await httpGet(`${base}/?status=abc`)).status, 400);
  assert.equal((await httpGet(`${base}/?header=X-Foo:bar`)).headers['x-foo'], 'bar');
  const sized = await httpGet(`${base}/?size=100`);
  assert.equal(sized.body.length, 100);
  assert.equal(sized.headers['content-type'], 'application/octet-stream');
});

test('?delay= waits (capped at 1.5 s); /debug describes the request', async () => {
  const t0 = Date.now();
  assert.equal((await httpGet(`${base}/?delay=150ms`)).status, 200);
  assert.ok(Date.now() - t0 >= 140);
  const d = await httpGet(`${base}/debug?x=1`, { headers: { 'X-Zed': 'z' } });
  assert.match(d.body, /^Φορτίο version 1\.69\.5 echo debug server up for [\d.]+s on server-7d9f8b6c5-x2x4z - request from 127\.0\.0\.1:\d+\n\nGET \/debug\?x=1 HTTP\/1\.1\n\nheaders:\n\nHost: 127\.0\.0\.1:\d+\n/);
  assert.match(d.body, /\nX-Zed: z\n/);
});

test('with a load command the container runs fortio once and exits, the report in its log', async () => {
  const net = fakeNetwork(() => reply(200, 'ok'));
  const job = startModel(fortioModel, { name: 'fortio', image: 'fortio/fortio:1.60.3', args: ['load', '-c', '2', '-qps', '0', '-n', '6', 'http://httpbin:8000/get'] }, { network: net });
  assert.equal(await job.exit, 0);
  assert.equal(net.sent.length, 6);
  await eventually(() => job.logs.some((l) => l.startsWith('All done 6 calls')));
  assert.ok(job.logs.includes('Fortio 1.60.3 running at 0 queries per second, 2->2 procs, for 6 calls: http://httpbin:8000/get'));
});
