import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildLoginSpec, cookieHeader, openSession, parseSetCookies, withCookies } from '../../src/traffic/session.js';
import type { ObservedResponse } from '../../src/traffic/response.js';
import { CheckSchema } from '../../src/lab/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const answer = (status: number, headers: Record<string, string> = {}, body = ''): ObservedResponse => ({ status, headers, body, latencyMs: 3 });

describe('session cookies (RFC 6265 Set-Cookie)', () => {
  it('splits repeated Set-Cookie headers joined with ", " without breaking an Expires date', () => {
    const joined = 'session=eyJ1c2VyIjoiamFzb24ifQ.aQ.sig; HttpOnly; Path=/, theme=dark; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Path=/static';
    const cookies = parseSetCookies(joined, '/login', NOW);
    assert.deepEqual(
      cookies.map((c) => [c.name, c.value, c.path, c.expired]),
      [
        ['session', 'eyJ1c2VyIjoiamFzb24ifQ.aQ.sig', '/', false],
        ['theme', 'dark', '/static', false],
      ],
    );
  });

  it('treats Max-Age=0 and a past Expires as deletions, and Max-Age wins over Expires', () => {
    const cookies = parseSetCookies('session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/, a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT, b=2; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT', '/logout', NOW);
    assert.deepEqual(cookies.map((c) => [c.name, c.expired]), [['session', true], ['a', true], ['b', false]]);
    assert.equal(cookieHeader(cookies, '/productpage'), 'b=2');
  });

  it('defaults Path to the login path\'s directory and only sends a cookie where its path matches', () => {
    const [c] = parseSetCookies('sid=42', '/account/login', NOW);
    assert.equal(c.path, '/account');
    assert.equal(cookieHeader([c], '/account/orders'), 'sid=42');
    assert.equal(cookieHeader([c], '/account'), 'sid=42');
    assert.equal(cookieHeader([c], '/accounts'), undefined, '"/accounts" does not path-match "/account"');
    assert.equal(cookieHeader([c], '/productpage'), undefined);
  });

  it('does not send Secure cookies over plain http', () => {
    assert.equal(cookieHeader(parseSetCookies('sid=42; Secure; Path=/', '/login', NOW), '/'), undefined);
  });

  it('adds the session cookies after a Cookie header the check sets itself', () => {
    const cookies = parseSetCookies('session=abc; Path=/', '/login', NOW);
    const spec = withCookies({ method: 'GET', path: '/productpage', headers: { cookie: 'user=jason' } }, cookies);
    assert.deepEqual(spec.headers, { cookie: 'user=jason; session=abc' });
    assert.deepEqual(withCookies({ method: 'GET', path: '/p' }, cookies).headers, { Cookie: 'session=abc' });
  });

  it('builds the login: form fields urlencoded with their Content-Type, the check\'s host unless the session names one', () => {
    const login = buildLoginSpec({ path: '/login', method: 'POST', form: { username: 'jason', note: 'a b&c' } }, 'bookinfo.example.com');
    assert.deepEqual(login, { method: 'POST', path: '/login', host: 'bookinfo.example.com', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=jason&note=a+b%26c' });
    assert.equal(buildLoginSpec({ path: '/login', method: 'POST', host: 'productpage:9080', body: 'x' }, 'reviews:9080').host, 'productpage:9080');
  });
});

describe('openSession', () => {
  const login = { method: 'POST', path: '/signin', host: 'bookinfo.example.com' };

  it('returns the cookies of a 302 without following it', async () => {
    let sent = 0;
    const cookies = await openSession({ ...login, path: '/login' }, async () => (sent++, answer(302, { location: 'None', 'set-cookie': 'session=abc; HttpOnly; Path=/' })), 'ingress', NOW);
    assert.equal(sent, 1);
    assert.deepEqual(cookies.map((c) => `${c.name}=${c.value}`), ['session=abc']);
  });

  it('fails with the status, the login and how to fix it when the login path is wrong (404)', async () => {
    await assert.rejects(
      openSession(login, async () => answer(404), 'ingress 127.0.0.1:30080 (NodePort)', NOW),
      /^Error: the session's login \(POST bookinfo\.example\.com\/signin from ingress 127\.0\.0\.1:30080 \(NodePort\)\) answered 404, so no one is signed in; check session\.path and method: .*path: \/login/,
    );
  });

  it('fails when the login answers but sets no cookie, or only deletes one', async () => {
    await assert.rejects(openSession(login, async () => answer(200, {}, 'ok'), 'pod x', NOW), /answered 200 but set no cookie;/);
    await assert.rejects(openSession(login, async () => answer(302, { 'set-cookie': 'session=; Max-Age=0; Path=/' }), 'pod x', NOW), /set no cookie \(it only deleted session\)/);
  });

  it('fails on a transport error with curl\'s reason', async () => {
    await assert.rejects(openSession(login, async () => ({ ...answer(0), error: 'could not resolve host (curl 6)' }), 'pod x', NOW), /got no HTTP response \(could not resolve host \(curl 6\)\)/);
  });
});

describe('session in the lab schema', () => {
  const http = (session: unknown) => CheckSchema.safeParse({ kind: 'http', path: '/productpage', session });

  it('defaults the method to POST and is accepted on http, traffic and latency checks, not on load', () => {
    const r = http({ path: '/login', form: { username: 'jason' } });
    assert.ok(r.success);
    assert.deepEqual((r.data as { session?: unknown }).session, { path: '/login', method: 'POST', form: { username: 'jason' } });
    for (const kind of ['traffic', 'latency']) {
      const extra = kind === 'traffic' ? { classify: { by: 'status' }, expect: { split: { '200': 100 } } } : { expect: { fasterThan: '1s' } };
      assert.ok(CheckSchema.safeParse({ kind, path: '/', session: { path: '/login' }, ...extra }).success, kind);
    }
    const load = CheckSchema.safeParse({ kind: 'load', path: '/', requests: 5, session: { path: '/login' }, expect: { status: { '200': { min: 100 } } } });
    assert.equal(load.success, false, 'load checks send concurrently from fortio or curl loops; a session is not supported there');
  });

  it('refuses a relative path, both form and body, and unknown fields', () => {
    assert.match(JSON.stringify(http({ path: 'login' }).error?.issues), /must start with \\"\/\\"/);
    assert.match(JSON.stringify(http({ path: '/login', form: { username: 'jason' }, body: 'x' }).error?.issues), /give `form` or `body`, not both/);
    assert.equal(http({ path: '/login', cookie: 'x' }).success, false);
  });
});
