import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { buildCurlArgs, buildCurlLoop, parseCurlOutput, quoteShell } from '../../src/traffic/index.js';

describe('curl in a pod', () => {
  it('parses several responses: headers, bodies with and without a final newline, transport errors', () => {
    const out = [
      'HTTP/1.1 200 OK\r\nserver: istio-envoy\r\nx-version: v1\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n\r\n{"ok":true}',
      '\n@@istio-lab@@ 200 0.012345 0\n',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nx-envoy-overloaded: true\r\n\r\nupstream connect error or disconnect/reset before headers. reset reason: overflow\n',
      '\n@@istio-lab@@ 503 0.002000 0\n',
      '\n@@istio-lab@@ 000 0.001000 7\n',
    ].join('');
    const [a, b, c] = parseCurlOutput(out);
    assert.equal(a.status, 200);
    assert.equal(a.headers['x-version'], 'v1');
    assert.equal(a.headers['set-cookie'], 'a=1, b=2');
    assert.equal(a.body, '{"ok":true}');
    assert.equal(a.latencyMs, 12.345);
    assert.equal(b.status, 503);
    assert.equal(b.headers['x-envoy-overloaded'], 'true');
    assert.match(b.body, /reset reason: overflow\n$/);
    assert.equal(c.status, 0);
    assert.match(c.error!, /connection refused \(curl 7\)/);
  });

  it('tolerates a curl without %{exitcode}', () => {
    const [r] = parseCurlOutput('\n@@istio-lab@@ 000 0.5 \n');
    assert.equal(r.status, 0);
    assert.equal(r.error, 'no HTTP response');
  });

  it('builds argument lists for methods, headers and bodies', () => {
    const args = buildCurlArgs('http://httpbin:8000/post', { method: 'POST', path: '/post', headers: { 'x-user': 'jason' }, body: '{"a":1}' });
    assert.deepEqual(args.slice(-7), ['-X', 'POST', '-H', 'x-user: jason', '--data-raw', '{"a":1}', 'http://httpbin:8000/post']);
    assert.ok(buildCurlArgs('http://h/', { method: 'HEAD', path: '/' }).includes('-I'));
  });

  it('quotes words so a POSIX shell passes them through unchanged', () => {
    const words = ["it's", 'a b', '$(id)', '`x`', '"q"', 'plain', '%{http_code}', '\\n'];
    const out = execFileSync('sh', ['-c', `printf '%s\\n' ${words.map(quoteShell).join(' ')}`], { encoding: 'utf8' });
    assert.deepEqual(out.trimEnd().split('\n'), words);
  });

  it('loops N requests in one exec', () => {
    const [sh, c, script] = buildCurlLoop('http://reviews:9080/', { method: 'GET', path: '/', headers: { 'end-user': "o'brien" } }, 25);
    assert.deepEqual([sh, c], ['sh', '-c']);
    assert.match(script, /^for i in \$\(seq 1 25\); do curl -s -i -w /);
    assert.match(script, /'end-user: o'\\''brien'/);
    assert.match(script, /; done$/);
  });
});
