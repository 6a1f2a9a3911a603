// §1.4 match semantics and §1.5 ordering, exercised through the sidecar.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf, harness, pod, service, snapshot, statusOf, vs } from './harness.js';
import { compileFullMatch } from '../../../../src/sandbox/mesh/routing/match.js';

/** A world with services a and b; `http` routes for host a send to a or b. */
function setup(http: any[]) {
  const client = pod('client', 'default', { app: 'client', env: 'test' });
  const a = pod('a-1', 'default', { app: 'a' });
  const b = pod('b-1', 'default', { app: 'b' });
  const objs = [client, a, b, service('a', 'default', [{ port: 80 }]), service('b', 'default', [{ port: 80 }]), vs('a', 'default', { hosts: ['a'], http })];
  const h = harness(snapshot(objs));
  const send = async (path: string, headers: Record<string, string> = {}, method = 'GET', authority = 'a') => {
    const r = await h.send(client, authority, path, headers, method);
    return statusOf(r) === 200 ? bodyOf(r) : statusOf(r);
  };
  return { send, h };
}

const toB = (match: any) => [{ match: [match], route: [{ destination: { host: 'b' } }] }, { route: [{ destination: { host: 'a' } }] }];

describe('§1.4 match', () => {
  it('§1.4 uri.exact matches the whole path ignoring the query string', async () => {
    const { send } = setup(toB({ uri: { exact: '/status' } }));
    assert.equal(await send('/status?x=1'), 'b-1');
    assert.equal(await send('/status/200'), 'a-1');
  });

  it('§1.4 uri.prefix is a plain string prefix: /status also matches /statusx', async () => {
    const { send } = setup(toB({ uri: { prefix: '/status' } }));
    assert.equal(await send('/statusx'), 'b-1');
    assert.equal(await send('/stat'), 'a-1');
  });

  it('§1.4 uri.regex must match the entire path (RE2 full match), query ignored', async () => {
    const { send } = setup(toB({ uri: { regex: '/status/[0-9]+' } }));
    assert.equal(await send('/status/418?a=b'), 'b-1');
    assert.equal(await send('/status/418/x'), 'a-1');
    assert.equal(await send('/x/status/418'), 'a-1');
  });

  it('§1.4 ignoreUriCase affects exact and prefix only, not regex', async () => {
    const { send } = setup([
      { match: [{ uri: { prefix: '/API' }, ignoreUriCase: true }], route: [{ destination: { host: 'b' } }] },
      { match: [{ uri: { regex: '/ONLY' }, ignoreUriCase: true }], route: [{ destination: { host: 'b' } }] },
      { route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/api/v1'), 'b-1');
    assert.equal(await send('/only'), 'a-1');
  });

  it('§1.4 headers exact/prefix/regex are case-sensitive on values', async () => {
    const { send } = setup([
      { match: [{ headers: { 'end-user': { exact: 'jason' } }, uri: { prefix: '/e' } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ headers: { 'x-p': { prefix: 'ab' } } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ headers: { 'x-r': { regex: 'v[0-9]' } } }], route: [{ destination: { host: 'b' } }] },
      { route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/e', { 'end-user': 'jason' }), 'b-1');
    assert.equal(await send('/e', { 'end-user': 'Jason' }), 'a-1');
    assert.equal(await send('/', { 'x-p': 'abc' }), 'b-1');
    assert.equal(await send('/', { 'x-r': 'v1' }), 'b-1');
    assert.equal(await send('/', { 'x-r': 'v10' }), 'a-1');
  });

  it('§1.4 an empty header match {} or regex "*" is a presence check', async () => {
    const { send } = setup([
      { match: [{ headers: { 'x-a': {} } }, { headers: { 'x-b': { regex: '*' } } }], route: [{ destination: { host: 'b' } }] },
      { route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/', { 'x-a': '' }), 'b-1');
    assert.equal(await send('/', { 'x-b': 'anything' }), 'b-1');
    assert.equal(await send('/'), 'a-1');
  });

  it('§1.4 withoutHeaders exact matches when the header is absent or different', async () => {
    const { send } = setup(toB({ withoutHeaders: { 'end-user': { exact: 'jason' } } }));
    assert.equal(await send('/'), 'b-1');
    assert.equal(await send('/', { 'end-user': 'bob' }), 'b-1');
    assert.equal(await send('/', { 'end-user': 'jason' }), 'a-1');
  });

  it('§1.4 withoutHeaders {} matches only when the header is absent', async () => {
    const { send } = setup(toB({ withoutHeaders: { 'x-debug': {} } }));
    assert.equal(await send('/'), 'b-1');
    assert.equal(await send('/', { 'x-debug': '1' }), 'a-1');
  });

  it('§1.4 queryParams exact, exact "" for a bare ?key, and presence', async () => {
    const { send } = setup([
      { match: [{ queryParams: { v: { exact: '2' } } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ queryParams: { flag: { exact: '' } } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ queryParams: { p: {} } }], route: [{ destination: { host: 'b' } }] },
      { route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/x?v=2'), 'b-1');
    assert.equal(await send('/x?v=22'), 'a-1');
    assert.equal(await send('/x?flag'), 'b-1');
    assert.equal(await send('/x?p=anything'), 'b-1');
    assert.equal(await send('/x'), 'a-1');
  });

  it('§1.4 method, authority and scheme match :method, :authority and :scheme', async () => {
    const { send } = setup([
      { match: [{ method: { exact: 'POST' } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ authority: { prefix: 'a.default' } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ scheme: { exact: 'https' } }], route: [{ destination: { host: 'b' } }] },
      { route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/', {}, 'POST'), 'b-1');
    assert.equal(await send('/', {}, 'GET', 'a.default:80'), 'b-1');
    assert.equal(await send('/'), 'a-1');
  });

  it('§1.4 keys uri/method/authority/scheme inside headers are ignored', async () => {
    const { send } = setup(toB({ headers: { method: { exact: 'DELETE' } } }));
    assert.equal(await send('/'), 'b-1');
  });

  it('§1.4 conditions in one block are ANDed, blocks are ORed', async () => {
    const { send } = setup(toB([{ uri: { prefix: '/x' }, headers: { k: { exact: 'v' } } }, { uri: { exact: '/y' } }][0]));
    assert.equal(await send('/x', { k: 'v' }), 'b-1');
    assert.equal(await send('/x'), 'a-1');
    const or = setup([{ match: [{ uri: { prefix: '/x' }, headers: { k: { exact: 'v' } } }, { uri: { exact: '/y' } }], route: [{ destination: { host: 'b' } }] }, { route: [{ destination: { host: 'a' } }] }]);
    assert.equal(await or.send('/y'), 'b-1');
  });

  it('§1.4 match.port: the route exists only on the listener with that port', async () => {
    const { send } = setup(toB({ port: 8080 }));
    assert.equal(await send('/'), 'a-1');
  });

  it('§1.4 sourceLabels and sourceNamespace select which client proxies get the route', async () => {
    const { send } = setup([
      { match: [{ sourceLabels: { env: 'prod' } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ sourceLabels: { env: 'test' }, sourceNamespace: 'other' }], route: [{ destination: { host: 'b' } }] },
      { match: [{ sourceLabels: { env: 'test' }, uri: { prefix: '/t' } }], route: [{ destination: { host: 'b' } }] },
      { route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/'), 'a-1');
    assert.equal(await send('/t'), 'b-1');
  });

  it('§1.4 RE2 inline (?i) becomes a case-insensitive full match', () => {
    assert.ok(compileFullMatch('(?i)/abc')!.test('/ABC'));
    assert.ok(!compileFullMatch('/ab')!.test('/abc'));
  });
});

describe('§1.5 ordering', () => {
  it('§1.5 first match wins', async () => {
    const { send } = setup([
      { match: [{ uri: { prefix: '/a' } }], route: [{ destination: { host: 'b' } }] },
      { match: [{ uri: { prefix: '/ab' } }], route: [{ destination: { host: 'a' } }] },
    ]);
    assert.equal(await send('/abc'), 'b-1');
  });

  it('§1.5 a catch-all rule ends generation: later rules are unreachable (IST0130)', async () => {
    const { send } = setup([
      { match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'a' } }] },
      { match: [{ uri: { prefix: '/b' } }], route: [{ destination: { host: 'b' } }] },
    ]);
    assert.equal(await send('/b'), 'a-1');
  });

  it('§1.5 a prefix "/" with a header matcher is not a catch-all', async () => {
    const { send } = setup([
      { match: [{ uri: { prefix: '/' }, headers: { k: { exact: 'v' } } }], route: [{ destination: { host: 'a' } }] },
      { route: [{ destination: { host: 'b' } }] },
    ]);
    assert.equal(await send('/b'), 'b-1');
  });
});
