// Redaction of credentials: registered kubeconfig secrets and credential-shaped text vanish from
// text and event data; the REST client's errors carry no Authorization header; CLI errors for a
// refused credential say so, exit 3, and are redacted even with --debug.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type OutgoingHttpHeaders, type RequestOptions, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { REDACTED, clearSecrets, redactDeep, redactText, registerSecrets } from '../../src/report/redact.js';
import { listKubeconfigSecrets } from '../../src/cluster/kubeconfig-secrets.js';
import { KubeApiError, RestClient } from '../../src/cluster/rest.js';
import { exitCodeOf, formatError, UserError } from '../../src/cli/errors.js';

const token = 'istio-lab-canary-token-5f2b9c0e7d41';
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('redact', () => {
  afterEach(clearSecrets);

  it('replaces every registered kubeconfig secret, raw, JSON-escaped and line by line', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\nBBBB"q\n-----END PRIVATE KEY-----\n`;
    registerSecrets(listKubeconfigSecrets([{ token }, { password: 'hunter2-correct-horse' }, { keyData: Buffer.from(pem).toString('base64') }, { authProvider: { config: { 'id-token': 'eyJhbGciOi.payload.sig' } } }]));
    assert.equal(redactText(`t=${token}; p=hunter2-correct-horse; id=eyJhbGciOi.payload.sig`), `t=${REDACTED}; p=${REDACTED}; id=${REDACTED}`);
    assert.equal(redactText(`tail:\n${'A'.repeat(64)}\n`), `tail:\n${REDACTED}\n`);
    assert.equal(redactText(JSON.stringify({ key: pem })), JSON.stringify({ key: `${REDACTED}\n` }));
    assert.equal(redactText(Buffer.from(pem).toString('base64')), REDACTED);
  });

  it('leaves short values and ordinary text alone', () => {
    registerSecrets(['admin', undefined, '', 'x']);
    assert.equal(redactText('the admin reviewed x'), 'the admin reviewed x');
    assert.equal(redactText('tokens: 3 buckets, password policy: strict'), 'tokens: 3 buckets, password policy: strict');
  });

  it('redacts credential-shaped text it was never told about', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def.ghi', `Authorization: Bearer ${REDACTED}`],
      ['{"Authorization":"Basic YWRtaW46cGFzcw=="}', `{"Authorization":"Basic ${REDACTED}"}`],
      ['curl -H "authorization: bearer sometoken123"', `curl -H "authorization: bearer ${REDACTED}"`],
      ['users:\n- name: u\n  user:\n    token: sha256~LongTokenValue\n    client-key-data: LS0tLS1CRUdJTi\n', `users:\n- name: u\n  user:\n    token: ${REDACTED}\n    client-key-data: ${REDACTED}\n`],
      ['{"password":"p@ss w0rd!"}', `{"password":"${REDACTED}"}`],
      ["password: 'two words'", `password: '${REDACTED}'`],
      ['server: https://admin:s3cret@10.0.0.1:6443', `server: https://admin:${REDACTED}@10.0.0.1:6443`],
    ];
    for (const [text, expected] of cases) assert.equal(redactText(text), expected);
    assert.equal(redactText(`token: ${REDACTED}`), `token: ${REDACTED}`);
  });

  it('redacts strings inside event data and keeps the rest as it is', () => {
    registerSecrets([token]);
    const event = { type: 'check-end', attempts: 2, ok: true, observed: [`a ${token}`, { nested: token, n: null }] };
    assert.deepEqual(redactDeep(event), { type: 'check-end', attempts: 2, ok: true, observed: [`a ${REDACTED}`, { nested: REDACTED, n: null }] });
    assert.equal(event.observed[0], `a ${token}`, 'the original is not modified');
    const cyclic: Record<string, unknown> = { error: new Error(`401 for ${token}`), tags: new Set([token]), byName: new Map([['k', token]]) };
    cyclic.self = cyclic;
    const safe = redactDeep(cyclic);
    assert.equal(safe.self, safe);
    assert.equal((safe.error as Error).message, `401 for ${REDACTED}`);
    assert.deepEqual([...(safe.tags as Set<string>)], [REDACTED]);
    assert.equal((safe.byName as Map<string, string>).get('k'), REDACTED);
  });

  it('finds client keys in their files', () => {
    const file = new URL('../../package.json', import.meta.url).pathname;
    assert.ok(listKubeconfigSecrets([{ keyFile: file }])[0].includes('"name": "istio-lab"'));
    assert.deepEqual(listKubeconfigSecrets([{ keyFile: '/nonexistent/key.pem' }]), []);
    assert.deepEqual(listKubeconfigSecrets([{ keyData: Buffer.from(key).toString('base64') }])[1], key);
  });
});

describe('errors never carry credentials', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', message: 'Unauthorized', code: 401 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(clearSecrets);

  it('the REST client keeps no request options in its errors (401 and transport failures)', async () => {
    const auth = async (o: RequestOptions) => void Object.assign(o.headers as OutgoingHttpHeaders, { Authorization: `Bearer ${token}` });
    const refused = await new RestClient(url, auth).send({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    assert.ok(refused instanceof KubeApiError && refused.status === 401);
    const unreachable = await new RestClient('http://127.0.0.1:1', auth).send({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    for (const err of [refused, unreachable]) assert.doesNotMatch(inspect(err, { showHidden: true, depth: 8 }), new RegExp(`${token}|Authorization`, 'i'));
  });

  it('a refused credential part-way through exits 3 with a fix; error text is redacted, with --debug too', () => {
    registerSecrets([token]);
    const refused = new KubeApiError(401, 'Unauthorized', 'Unauthorized', {});
    assert.equal(exitCodeOf(refused), 3);
    assert.match(formatError(refused, false), /^the cluster refused istio-lab's credentials part-way through \(HTTP 401: Unauthorized\)\.\n {2}fix: refresh your login/);
    assert.equal(exitCodeOf(new Error('boom')), 2);
    assert.equal(exitCodeOf(new UserError('x', 3)), 3);
    const leaky = new UserError(`could not use token ${token}`);
    for (const debug of [false, true]) assert.ok(!formatError(leaky, debug).includes(token) && !formatError(new Error(token), debug).includes(token));
  });
});
