// The text tools the shell's pipelines use: grep, head, tail, wc, cut, tr, sort, uniq, seq, test, printf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeNetwork, runTool, toolContext } from './harness.js';

const ctx = toolContext(fakeNetwork(() => ({ failure: 'dns', message: 'x' })), { files: { '/etc/data': 'alpha\nbeta\nGamma\n' } });
const run = (argv: string[], stdin?: string) => runTool(ctx, argv, { stdin });
const LINES = 'HTTP/1.1 200 OK\nserver: envoy\nx-envoy-upstream-service-time: 3\nHTTP/1.1 503 Service Unavailable\n';

test('grep: -c -o -i -E -v -q -n -w -x, BRE vs ERE, files, exit codes', async () => {
  assert.deepEqual(await run(['grep', 'HTTP'], LINES), { code: 0, stdout: 'HTTP/1.1 200 OK\nHTTP/1.1 503 Service Unavailable\n', stderr: '' });
  assert.equal((await run(['grep', '-c', 'HTTP'], LINES)).stdout, '2\n');
  assert.equal((await run(['grep', '-o', '[0-9]\\{3\\}'], LINES)).stdout, '200\n503\n');
  assert.equal((await run(['grep', '-oE', '(200|503)'], LINES)).stdout, '200\n503\n');
  assert.equal((await run(['egrep', '^server|OK$'], LINES)).stdout, 'HTTP/1.1 200 OK\nserver: envoy\n');
  assert.equal((await run(['grep', 'a|b'], 'a|b\nab\n')).stdout, 'a|b\n', 'BRE: | is literal');
  assert.equal((await run(['grep', '-i', 'SERVER'], LINES)).stdout, 'server: envoy\n');
  assert.equal((await run(['grep', '-v', 'HTTP'], LINES)).stdout, 'server: envoy\nx-envoy-upstream-service-time: 3\n');
  assert.equal((await run(['grep', '-n', 'envoy'], LINES)).stdout, '2:server: envoy\n3:x-envoy-upstream-service-time: 3\n');
  assert.equal((await run(['grep', '-w', 'envoy'], 'envoy\nenvoys\n')).stdout, 'envoy\n');
  assert.equal((await run(['grep', '-x', 'beta', '/etc/data'])).stdout, 'beta\n');
  assert.deepEqual(await run(['grep', '-q', '503'], LINES), { code: 0, stdout: '', stderr: '' });
  assert.equal((await run(['grep', 'nothing'], LINES)).code, 1);
  assert.equal((await run(['grep', 'x', '/nope'])).code, 2);
  assert.equal((await run(['grep', '-e', 'alpha', '-e', 'beta', '/etc/data'])).stdout, 'alpha\nbeta\n');
  assert.equal((await run(['grep', 'a', '/etc/data', '-'], 'a-line\n')).stdout, '/etc/data:alpha\n/etc/data:beta\n/etc/data:Gamma\n(standard input):a-line\n');
});

test('head -n / -N, tail -n / -n +N, wc -l -w -c', async () => {
  const ten = Array.from({ length: 12 }, (_, i) => `${i + 1}\n`).join('');
  assert.equal((await run(['head', '-n', '2'], ten)).stdout, '1\n2\n');
  assert.equal((await run(['head', '-3'], ten)).stdout, '1\n2\n3\n');
  assert.equal((await run(['head'], ten)).stdout.split('\n').length, 11);
  assert.equal((await run(['tail', '-n', '2'], ten)).stdout, '11\n12\n');
  assert.equal((await run(['tail', '-1'], ten)).stdout, '12\n');
  assert.equal((await run(['tail', '-n', '+11'], ten)).stdout, '11\n12\n');
  assert.equal((await run(['wc', '-l'], ten)).stdout, '12\n');
  assert.equal((await run(['wc', '-w'], 'a b\nc\n')).stdout, '3\n');
  assert.equal((await run(['wc', '-l', '/etc/data'])).stdout, '3 /etc/data\n');
  assert.equal((await run(['wc'], 'a b\n')).stdout, '      1       2       4\n');
});

test('cut -d -f and -c, tr (ranges, -d, -s, classes)', async () => {
  assert.equal((await run(['cut', '-d', ':', '-f', '1'], LINES)).stdout, 'HTTP/1.1 200 OK\nserver\nx-envoy-upstream-service-time\nHTTP/1.1 503 Service Unavailable\n');
  assert.equal((await run(['cut', '-d', ' ', '-f2'], 'HTTP/1.1 200 OK\n')).stdout, '200\n');
  assert.equal((await run(['cut', "-d'", '-f', '2-3'], "a'b'c'd\n")).stdout, "b'c\n");
  assert.equal((await run(['cut', '-c', '1-4'], 'abcdef\n')).stdout, 'abcd\n');
  assert.equal((await run(['tr', 'a-z', 'A-Z'], 'hi\n')).stdout, 'HI\n');
  assert.equal((await run(['tr', '-d', '\\n'], 'a\nb\n')).stdout, 'ab');
  assert.equal((await run(['tr', '-s', ' '], 'a    b\n')).stdout, 'a b\n');
  assert.equal((await run(['tr', '[:lower:]', '[:upper:]'], 'x1\n')).stdout, 'X1\n');
});

test('sort (-n, -r, -u, -k, -t) and uniq (-c, -d, -u)', async () => {
  assert.equal((await run(['sort'], 'b\na\nc\n')).stdout, 'a\nb\nc\n');
  assert.equal((await run(['sort', '-n'], '10\n9\n100\n')).stdout, '9\n10\n100\n');
  assert.equal((await run(['sort', '-rn'], '10\n9\n100\n')).stdout, '100\n10\n9\n');
  assert.equal((await run(['sort', '-u'], 'b\na\nb\n')).stdout, 'a\nb\n');
  assert.equal((await run(['sort', '-t', ',', '-k', '2', '-n'], 'x,3\ny,1\nz,2\n')).stdout, 'y,1\nz,2\nx,3\n');
  assert.equal((await run(['uniq', '-c'], '200\n200\n503\n200\n')).stdout, '      2 200\n      1 503\n      1 200\n');
  assert.equal((await run(['uniq', '-d'], 'a\na\nb\n')).stdout, 'a\n');
  assert.equal((await run(['uniq', '-u'], 'a\na\nb\n')).stdout, 'b\n');
});

test('seq, test / [ and printf', async () => {
  assert.equal((await run(['seq', '3'])).stdout, '1\n2\n3\n');
  assert.equal((await run(['seq', '2', '4'])).stdout, '2\n3\n4\n');
  assert.equal((await run(['seq', '10', '-5', '1'])).stdout, '10\n5\n');
  assert.equal((await run(['seq', '-s', ',', '3'])).stdout, '1,2,3\n');
  assert.equal((await run(['seq', '-w', '9', '10'])).stdout, '09\n10\n');
  assert.equal((await run(['seq', 'x'])).code, 1);
  assert.equal((await run(['[', '1', '-lt', '2', ']'])).code, 0);
  assert.equal((await run(['[', 'a', '=', 'b', ']'])).code, 1);
  assert.equal((await run(['test', '-z', ''])).code, 0);
  assert.equal((await run(['test', '-f', '/etc/data', '-a', '!', '-f', '/nope'])).code, 0);
  assert.deepEqual(await run(['[', '1', '-eq', 'x', ']']), { code: 2, stdout: '', stderr: 'sh: [: x: bad number\n' });
  assert.equal((await run(['[', '1'])).code, 2);
  assert.equal((await run(['printf', '%s=%d%%\\n', 'a', '5', 'b', '7'])).stdout, 'a=5%\nb=7%\n');
  assert.equal((await run(['printf', '%5.2f|%-3s|%03d\\n', '3.14159', 'x', '7'])).stdout, ' 3.14|x  |007\n');
});
