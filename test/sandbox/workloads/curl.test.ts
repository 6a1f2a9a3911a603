// curl over a fake pod network: output options, request shaping, redirects, and the exit codes and
// messages of each transport failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeshResult } from '../../../src/sandbox/mesh/types.js';
import { fakeNetwork, reply, runTool, toolContext, type SentRequest } from './harness.js';

const httpbin = (req: SentRequest): MeshResult => {
  const path = req.url.pathname;
  if (path.startsWith('/status/')) return reply(Number(path.slice(8)), '', { 'content-length': '0' });
  if (path === '/redirect') return reply(302, '', { location: '/get?from=redirect' });
  return reply(200, `{"path":"${path}${req.url.search}"}\n`, { 'content-type': 'application/json' });
};
const curl = (argv: string[], answer: (req: SentRequest) => MeshResult | Promise<MeshResult> = httpbin, opts: { image?: string; files?: Record<string, string>; tty?: boolean; hold?: number } = {}) => {
  const net = fakeNetwork(answer, opts.hold);
  const ctx = toolContext(net, { image: opts.image, files: opts.files });
  return runTool(ctx, ['curl', ...argv], { tty: opts.tty }).then((r) => ({ ...r, net, ctx }));
};

test('body goes to stdout; the progress meter to stderr unless -s (or a terminal)', async () => {
  const r = await curl(['http://httpbin:8000/get']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '{"path":"/get"}\n');
  assert.ok(r.stderr.startsWith('  % Total    % Received % Xferd  Average Speed'));
  assert.ok(r.stderr.includes('\r100    16  100    16 '));
  assert.equal((await curl(['-s', 'http://httpbin:8000/get'])).stderr, '');
  assert.equal((await curl(['http://httpbin:8000/get'], httpbin, { tty: true })).stderr, '');
});

test('a URL without a scheme is http; the request carries curl\'s default headers and the image\'s version', async () => {
  const r = await curl(['-s', 'httpbin:8000/headers?x=1']);
  const sent = r.net.sent[0];
  assert.equal(sent.url.href, 'http://httpbin:8000/headers?x=1');
  assert.equal(sent.method, 'GET');
  assert.deepEqual(sent.headers, { host: 'httpbin:8000', 'user-agent': 'curl/8.16.0', accept: '*/*' });
  assert.equal((await curl(['-s', 'httpbin'], httpbin, { image: 'tutum/curl' })).net.sent[0].headers['user-agent'], 'curl/7.35.0');
  assert.equal((await curl(['-s', 'httpbin'], httpbin, { image: 'curlimages/curl:8.5.0' })).net.sent[0].headers['user-agent'], 'curl/8.5.0');
});

test('-o FILE / -o /dev/null and -w with %{http_code} %{time_total} %{time_starttransfer} %{size_download} \\n', async () => {
  const r = await curl(['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{time_total} %{time_starttransfer}\\n', 'http://httpbin:8000/get']);
  assert.match(r.stdout, /^200 16 \d+\.\d{6} \d+\.\d{6}\n$/);
  const f = await curl(['-sSo', '/tmp/out.json', 'http://httpbin:8000/get']);
  assert.equal(f.stdout, '');
  assert.equal(f.ctx.files['/tmp/out.json'], '{"path":"/get"}\n');
  assert.equal((await curl(['-s', '-o/dev/null', '-w', '%{http_code}', 'httpbin:8000/status/418'])).stdout, '418');
  const unknown = await curl(['-s', '-o', '/dev/null', '-w', '%{nope}%{method}%%', 'httpbin']);
  assert.equal(unknown.stdout, 'GET%');
  assert.equal(unknown.stderr, "curl: unknown --write-out variable: 'nope'\n");
});

test('-H adds, replaces and removes headers; -X sets the method; -d / --data-raw POST a body', async () => {
  const r = await curl(['-s', '-H', 'Host: httpbin.example.com', '-HX-Custom: 1', '-H', 'Accept:', '-H', 'X-Empty;', 'http://10.0.0.1/status/200']);
  assert.deepEqual(r.net.sent[0].headers, { host: 'httpbin.example.com', 'user-agent': 'curl/8.16.0', 'x-custom': '1', 'x-empty': '' });
  assert.equal((await curl(['-s', '-X', 'DELETE', 'httpbin/anything'])).net.sent[0].method, 'DELETE');
  const post = await curl(['-s', '-d', 'a=1', '--data', 'b=2', 'httpbin/post']);
  assert.equal(post.net.sent[0].method, 'POST');
  assert.equal(post.net.sent[0].body?.toString(), 'a=1&b=2');
  assert.equal(post.net.sent[0].headers['content-type'], 'application/x-www-form-urlencoded');
  const raw = await curl(['-s', '--data-raw', '@not-a-file', '-H', 'Content-Type: application/json', 'httpbin/post']);
  assert.equal(raw.net.sent[0].body?.toString(), '@not-a-file');
  assert.equal(raw.net.sent[0].headers['content-type'], 'application/json');
  const fromFile = await curl(['-s', '-d', '@/tmp/body', 'httpbin/post'], httpbin, { files: { '/tmp/body': 'x=1\n' } });
  assert.equal(fromFile.net.sent[0].body?.toString(), 'x=1');
});

test('-I sends HEAD and prints the head; -D - dumps it; -i prints head and body', async () => {
  const head = await curl(['-sI', 'http://httpbin:8000/status/200']);
  assert.equal(head.net.sent[0].method, 'HEAD');
  assert.equal(head.stdout, 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nserver: envoy\r\ncontent-length: 0\r\n\r\n');
  const dumped = await curl(['-s', '-D', '-', '-o', '/dev/null', 'http://httpbin:8000/status/200']);
  assert.equal(dumped.stdout, head.stdout, '-D - dumps the head to stdout');
  const inc = await curl(['-s', '-i', 'http://httpbin:8000/get']);
  assert.match(inc.stdout, /^HTTP\/1\.1 200 OK\r\ncontent-type: application\/json\r\nserver: envoy\r\n\r\n\{"path":"\/get"\}\n$/);
});

test('-v writes the request and response trace to stderr', async () => {
  const r = await curl(['-sv', 'http://httpbin:8000/get']);
  const lines = r.stderr.split('\n');
  for (const expected of ['*   Trying httpbin:8000...', '> GET /get HTTP/1.1', '> Host: httpbin:8000', '> User-Agent: curl/8.16.0', '> Accept: */*', '> ', '< HTTP/1.1 200 OK', '< content-type: application/json', '< ', '{ [16 bytes data]', '* Connection #0 to host httpbin left intact']) {
    assert.ok(lines.includes(expected), `missing ${JSON.stringify(expected)} in\n${r.stderr}`);
  }
  assert.equal(r.stdout, '{"path":"/get"}\n');
});

test('-L follows redirects (-w reports the last code); without -L the 302 is the answer', async () => {
  const r = await curl(['-sL', '-w', '%{http_code} %{num_redirects} %{url_effective}', 'http://httpbin:8000/redirect']);
  assert.equal(r.stdout, '{"path":"/get?from=redirect"}\n200 1 http://httpbin:8000/get?from=redirect');
  assert.equal(r.net.sent.length, 2);
  assert.equal((await curl(['-s', '-w', '%{http_code}', 'http://httpbin:8000/redirect'])).stdout, '302');
  const loop = await curl(['-sSL', '--max-redirs', '2', 'http://x/redirect'], () => reply(302, '', { location: '/redirect' }));
  assert.deepEqual([loop.code, loop.stderr], [47, 'curl: (47) Maximum (2) redirects followed\n']);
});

test('-f exits 22 on >= 400 without printing the body', async () => {
  const r = await curl(['-sS', '-f', '-w', '%{http_code}', 'http://httpbin:8000/status/503'], () => reply(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow'));
  assert.equal(r.code, 22);
  assert.equal(r.stdout, '503');
  assert.equal(r.stderr, 'curl: (22) The requested URL returned error: 503\n');
  assert.equal((await curl(['-s', '--fail', 'httpbin/status/404'])).stderr, '');
  assert.equal((await curl(['-sf', 'httpbin/status/200'])).code, 0);
});

test('transport failures: exit codes 6, 7, 35, 52, 56 with curl\'s messages, and 000 from -w', async () => {
  const cases: [string, number, string][] = [
    ['dns', 6, 'curl: (6) Could not resolve host: nosuch\n'],
    ['connect-refused', 7, /^curl: \(7\) Failed to connect to nosuch port 8000 after \d+ ms: Couldn't connect to server\n$/.source],
    ['tls', 35, 'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to nosuch:8000 \n'],
    ['empty-reply', 52, 'curl: (52) Empty reply from server\n'],
    ['reset', 56, 'curl: (56) Recv failure: Connection reset by peer\n'],
  ];
  for (const [failure, code, message] of cases) {
    const r = await curl(['-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://nosuch:8000/'], () => ({ failure, message: 'x' }) as MeshResult);
    assert.equal(r.code, code, failure);
    assert.equal(r.stdout, '000');
    if (message.startsWith('^')) assert.match(r.stderr, new RegExp(message));
    else assert.equal(r.stderr, message);
    assert.equal((await curl(['-s', 'http://nosuch:8000/'], () => ({ failure, message: 'x' }) as MeshResult)).stderr, '', '-s alone hides the error');
  }
});

test('-m / --max-time: exit 28 after the budget, even if the network never answers', async () => {
  const t0 = Date.now();
  const r = await curl(['-sS', '-m', '0.1', '-w', '%{http_code}', 'http://slow/'], () => reply(200, 'late'), { hold: 5000 });
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(r.code, 28);
  assert.equal(r.stdout, '000');
  assert.match(r.stderr, /^curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received\n$/);
  assert.equal(r.net.sent[0].timeoutMs, 100);
  const net28 = await curl(['-sS', '--connect-timeout', '1', 'http://slow/'], () => ({ failure: 'timeout', message: 'x' }));
  assert.equal(net28.code, 28);
  assert.match(net28.stderr, /^curl: \(28\) Connection timed out after \d+ milliseconds\n$/);
});

test('--resolve sends to the given address with the original Host; -k is accepted', async () => {
  const r = await curl(['-sk', '--resolve', 'httpbin.example.com:80:10.96.0.50', 'http://httpbin.example.com/status/200']);
  assert.equal(r.net.sent[0].url.href, 'http://10.96.0.50/status/200');
  assert.equal(r.net.sent[0].headers.host, 'httpbin.example.com');
});

test('several URLs run in turn; the exit code is the last failure', async () => {
  const r = await curl(['-s', '-w', '%{http_code}\\n', '-o', '/dev/null', 'http://a/status/200', 'http://b/status/404'], (req) => (req.url.hostname === 'b' ? { failure: 'dns', message: 'x' } : httpbin(req)));
  assert.equal(r.code, 6);
  assert.equal(r.stdout, '200\n000\n');
});

test('command-line errors exit 2', async () => {
  assert.deepEqual(await curl(['--bogus', 'x']).then((r) => [r.code, r.stderr]), [2, "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"]);
  assert.deepEqual(await curl(['-s']).then((r) => [r.code, r.stderr]), [2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n"]);
  assert.deepEqual(await curl(['-m', 'soon', 'x']).then((r) => [r.code, r.stderr.split('\n')[0]]), [2, 'curl: option -m: expected a proper numerical parameter']);
  assert.equal((await curl(['-o'])).stderr.split('\n')[0], 'curl: option -o: requires parameter');
});
