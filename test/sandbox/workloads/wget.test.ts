// wget: -qO- / -O - -q to stdout, GNU's exit codes (8 server error, 4 network failure) and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeshResult } from '../../../src/sandbox/mesh/types.js';
import { fakeNetwork, reply, runTool, toolContext } from './harness.js';

const wget = (argv: string[], answer: () => MeshResult = () => reply(200, 'hello\n')) => {
  const net = fakeNetwork(answer);
  const ctx = toolContext(net);
  return runTool(ctx, ['wget', ...argv]).then((r) => ({ ...r, net, ctx }));
};

test('-qO- and -O - -q print the body on stdout and nothing else', async () => {
  for (const args of [['-qO-'], ['-O', '-', '-q'], ['-q', '-O-']]) {
    const r = await wget([...args, 'http://httpbin:8000/get']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'hello\n', ''], args.join(' '));
    assert.equal(r.net.sent[0].headers['user-agent'], 'Wget/1.21.4');
  }
});

test('a server error exits 8; a network failure exits 4', async () => {
  assert.equal((await wget(['-qO-', 'http://httpbin:8000/status/503'], () => reply(503, 'no healthy upstream'))).code, 8);
  assert.equal((await wget(['-qO-', 'http://nosuch/'], () => ({ failure: 'dns', message: 'x' }))).code, 4);
  assert.equal((await wget(['-qO-', 'http://httpbin/'], () => ({ failure: 'connect-refused', message: 'x' }))).code, 4);
  assert.equal((await wget(['-qO-', 'http://httpbin/'], () => ({ failure: 'reset', message: 'x' }))).code, 4);
});

test('without -q it reports progress and errors on stderr, GNU style', async () => {
  const ok = await wget(['-O', '-', 'http://httpbin:8000/get']);
  assert.match(ok.stderr, /^--\d{4}-\d\d-\d\d \d\d:\d\d:\d\d-- {2}http:\/\/httpbin:8000\/get\nResolving httpbin \(httpbin\)\.\.\. httpbin\nConnecting to httpbin \(httpbin\)\|httpbin\|:8000\.\.\. connected\.\nHTTP request sent, awaiting response\.\.\. 200 OK\n/);
  const bad = await wget(['-O', '-', 'http://httpbin:8000/x'], () => reply(503, ''));
  assert.match(bad.stderr, /HTTP request sent, awaiting response\.\.\. 503 Service Unavailable\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR 503: Service Unavailable\.\n/);
  const dns = await wget(['http://nosuch/'], () => ({ failure: 'dns', message: 'x' }));
  assert.match(dns.stderr, /wget: unable to resolve host address 'nosuch'\n$/);
  const refused = await wget(['http://httpbin:8000/'], () => ({ failure: 'connect-refused', message: 'x' }));
  assert.match(refused.stderr, /failed: Connection refused\.\n$/);
});

test('-O FILE saves to the container, --header and -T are sent, bad options exit 2', async () => {
  const r = await wget(['-q', '-O', '/tmp/page', '--header', 'Host: example.com', '-T', '5', 'http://httpbin/get']);
  assert.equal(r.ctx.files['/tmp/page'], 'hello\n');
  assert.equal(r.net.sent[0].headers.host, 'example.com');
  assert.equal(r.net.sent[0].timeoutMs, 5000);
  assert.equal((await wget(['--nope', 'x'])).code, 2);
  assert.equal((await wget([])).code, 1);
});
