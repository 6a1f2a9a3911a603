// fortio load / curl over a fake network: real concurrency (-c requests in flight), counts, pacing,
// the report fortio writes to stderr, and its statistics formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeshResult } from '../../../src/sandbox/mesh/types.js';
import { FortioHistogram, formatG, goDuration, parseGoDuration } from '../../../src/sandbox/workloads/tools/fortio-stats.js';
import { fakeNetwork, reply, runTool, toolContext, type SentRequest } from './harness.js';

const fortio = (argv: string[], answer: (req: SentRequest, i: number) => MeshResult = () => reply(200, 'ok'), hold = 0, image = 'fortio/fortio:latest_release') => {
  const net = fakeNetwork(answer, hold);
  return runTool(toolContext(net, { image }), ['fortio', ...argv]).then((r) => ({ ...r, net }));
};

test('-c N keeps exactly N requests in flight; -n makes exactly N calls', async () => {
  for (const c of [1, 3, 8]) {
    const r = await fortio(['load', '-c', String(c), '-qps', '0', '-n', '24', '-loglevel', 'Warning', 'http://httpbin:8000/get'], undefined, 15);
    assert.equal(r.code, 0);
    assert.equal(r.net.sent.length, 24);
    assert.equal(r.net.maxInFlight, c, `-c ${c}`);
    assert.match(r.stderr, /^Code 200 : 24 \(100\.0 %\)$/m);
  }
});

test('the report: header, start line, histogram with percentiles, codes, sockets, all done', async () => {
  const r = await fortio(['load', '-c', '2', '-qps', '0', '-n', '20', '-loglevel', 'Warning', 'http://httpbin:8000/get'], (_req, i) => (i % 5 === 4 ? reply(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow') : reply(200, '{}')), 2);
  const err = r.stderr;
  assert.equal(r.stdout, '');
  const lines = err.split('\n');
  assert.match(lines[0], /^\{"ts":\d+\.\d{6},"level":"info","r":1,"file":"logger\.go","line":254,"msg":"Log level is now 3 Warning \(was 2 Info\)"\}$/);
  assert.equal(lines[1], 'Fortio 1.69.5 running at 0 queries per second, 2->2 procs, for 20 calls: http://httpbin:8000/get');
  assert.equal(lines[2], 'Starting at max qps with 2 thread(s) [gomax 2] for exactly 20 calls (10 per thread + 0)');
  assert.equal(lines.filter((l) => /"level":"warn".*"msg":"Non ok http code","code":503,"status":"HTTP\/1\.1 503","thread":[01],"run":0\}$/.test(l)).length, 4);
  assert.match(err, /^Ended after [\d.]+(ms|s) : 20 calls\. qps=[\d.e+]+$/m);
  assert.match(err, /^Aggregated Function Time : count 20 avg [\d.e-]+ \+\/- [\d.e-]+ min [\d.e-]+ max [\d.e-]+ sum [\d.e-]+\n# range, mid point, percentile, count\n>= /m);
  for (const p of ['50', '75', '90', '99', '99.9']) assert.match(err, new RegExp(`^# target ${p.replace('.', '\\.')}% [\\d.e-]+$`, 'm'));
  assert.match(err, /^Error cases : count 4 /m);
  assert.match(err, /^Sockets used: \d+ \(for perfect keepalive, would be 2\)$/m);
  assert.match(err, /^Uniform: false, Jitter: false, Catchup allowed: true\nIP addresses distribution:\nhttpbin:8000: \d+$/m);
  assert.match(err, /^Code 200 : 16 \(80\.0 %\)\nCode 503 : 4 \(20\.0 %\)\n/m);
  assert.match(err, /^Response Header Sizes : count 20 avg /m);
  assert.match(err, /^All done 20 calls \(plus 0 warmup\) [\d.]+ ms avg, [\d.]+ qps\n$/m);
});

test('transport errors are code -1; -H, -payload and -timeout shape the requests', async () => {
  const r = await fortio(['load', '-c', '1', '-qps', '0', '-n', '4', '-H', 'Host: httpbin.example.com', '-payload', 'hi', '-timeout', '250ms', 'httpbin:8000/post'], (_req, i) => (i < 2 ? { failure: 'connect-refused', message: 'x' } : reply(200)));
  assert.ok(r.stderr.includes('\nCode  -1 : 2 (50.0 %)\nCode 200 : 2 (50.0 %)\n'));
  assert.match(r.stderr, /"level":"err".*"msg":"Unable to connect","dest":"httpbin:8000","err":"dial tcp httpbin:8000: connect: connection refused"/);
  const sent = r.net.sent[0];
  assert.equal(sent.url.href, 'http://httpbin:8000/post');
  assert.equal(sent.method, 'POST');
  assert.equal(sent.headers.host, 'httpbin.example.com');
  assert.equal(sent.headers['user-agent'], 'fortio.org/fortio-1.69.5');
  assert.equal(sent.body?.toString(), 'hi');
  assert.equal(sent.timeoutMs, 250);
});

test('-qps paces the calls; -t bounds a run; warmup calls run first without -n', async () => {
  const t0 = Date.now();
  const paced = await fortio(['load', '-c', '2', '-qps', '40', '-n', '8', 'http://h/']);
  assert.ok(Date.now() - t0 >= 130, 'eight calls at 40 qps take ~150 ms');
  assert.match(paced.stderr, /^Starting at 40 qps with 2 thread\(s\) \[gomax 2\] : exactly 8, 4 calls each \(total 8 \+ 0\)$/m);
  assert.match(paced.stderr, /^Sleep times : count \d+ /m);
  const timed = await fortio(['load', '-c', '2', '-qps', '0', '-t', '120ms', 'http://h/'], undefined, 10);
  assert.match(timed.stderr, /^Fortio 1\.69\.5 running at 0 queries per second, 2->2 procs, for 120ms: http:\/\/h\/$/m);
  assert.match(timed.stderr, /\(plus 2 warmup\)/);
  const calls = Number(/All done (\d+) calls/.exec(timed.stderr)![1]);
  assert.ok(calls >= 4 && timed.net.sent.length === calls + 2, `${calls} calls after 2 warmups`);
  const aborted = await fortio(['load', '-t', '1s', 'http://h/'], () => reply(503));
  assert.equal(aborted.code, 1);
  assert.match(aborted.stderr, /^Aborting because of error 503 for http:\/\/h\/: "HTTP\/1\.1 503 Service Unavailable\\r\\n/m);
});

test('fortio curl: head to stderr, body to stdout, exit 1 unless 200; version; bad usage', async () => {
  const ok = await fortio(['curl', '-quiet', 'http://httpbin:8000/get'], () => reply(200, '{"a":1}\n'));
  assert.deepEqual([ok.code, ok.stdout], [0, '{"a":1}\n']);
  assert.equal(ok.stderr, 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nserver: envoy\r\n\r\n');
  const bad = await fortio(['curl', 'http://httpbin:8000/status/503'], () => reply(503));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /\[E\] Error status 503\n$/);
  assert.equal((await fortio(['curl', 'http://x/'], () => ({ failure: 'dns', message: 'x' }))).code, 1);
  assert.equal((await fortio(['version', '-s'], undefined, 0, 'fortio/fortio:1.60.3')).stdout, '1.60.3\n');
  assert.match((await fortio(['load', '-nope', 'http://x/'])).stderr, /^flag provided but not defined: -nope\n/);
  assert.equal((await fortio(['load'])).code, 1);
});

test('statistics print the way Go and fortio do', () => {
  assert.deepEqual([formatG(0.0063910061, 8), formatG(0.5, 8), formatG(100, 8), formatG(1.2345e-5), formatG(305.99, 5), formatG(1234567), formatG(0)], ['0.0063910061', '0.5', '100', '1.2345e-05', '305.99', '1.234567e+06', '0']);
  assert.deepEqual([goDuration(65.360704), goDuration(5000), goDuration(60000), goDuration(1500), goDuration(0.85)], ['65.360704ms', '5s', '1m0s', '1.5s', '850µs']);
  assert.deepEqual([parseGoDuration('1m30s'), parseGoDuration('250ms'), parseGoDuration('5'), parseGoDuration('0')], [90000, 250, undefined, 0]);
  const h = new FortioHistogram();
  for (const v of [0.0004, 0.0008, 0.0009, 0.0035, 0.0036, 0.0045, 0.0046, 0.0065, 0.0066, 0.0067, 0.0068, 0.0075, 0.0085, 0.0095, 0.0096, 0.0115, 0.0125, 0.013, 0.0135, 0.0135446]) h.record(v);
  const printed = h.print('Aggregated Function Time', [50, 90]);
  assert.match(printed, /^Aggregated Function Time : count 20 avg /);
  assert.match(printed, /\n>= 0\.0004 <= 0\.001 , 0\.0007 , 15\.00, 3\n> 0\.003 <= 0\.004 , 0\.0035 , 25\.00, 2\n/);
  assert.match(printed, /\n> 0\.012 <= 0\.0135446 , 0\.0127723 , 100\.00, 4\n# target 50% 0\.00675\n# target 90% 0\.0127723\n$/);
  assert.equal(new FortioHistogram().print('Error cases', [50]), 'Error cases : no data\n');
});
