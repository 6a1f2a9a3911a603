// §1.7 weights, §1.8 destinations, §1.9 rewrite/redirect/directResponse, §1.10 header manipulation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf, harness, headersOf, pod, reply, service, snapshot, statusOf, vs, world } from './harness.js';
import type { MeshRequest } from '../../../../src/sandbox/mesh/types.js';

const split = (w1: number, w2: number) => vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: w1 }, { destination: { host: 'reviews', subset: 'v2' }, weight: w2 }] }] });

async function sample(seed: number, n: number, w1 = 80, w2 = 20): Promise<string[]> {
  const w = world();
  const h = harness(snapshot([...w.base, w.reviewsDr, split(w1, w2)]), { seed });
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(bodyOf(await h.send(w.sleep, 'reviews:9080')));
  return out;
}

describe('§1.7 weights', () => {
  it('§1.7 an 80/20 split measured over 2000 requests lands within 3 points', async () => {
    const got = await sample(42, 2000);
    const share = (got.filter((b) => b === 'reviews-v1').length / got.length) * 100;
    assert.ok(Math.abs(share - 80) <= 3, `v1 share ${share}`);
  });

  it('§1.7 seeded reproducibility: the same seed gives the same sequence of routing decisions', async () => {
    assert.deepEqual(await sample(7, 200, 50, 50), await sample(7, 200, 50, 50));
    assert.notDeepEqual(await sample(7, 200, 50, 50), await sample(8, 200, 50, 50));
  });

  it('§1.7 weight 0 gets nothing; weights are relative (need not total 100, 1.13+)', async () => {
    assert.ok((await sample(3, 100, 1, 0)).every((b) => b === 'reviews-v1'));
    const got = await sample(3, 400, 1, 3);
    const share = got.filter((b) => b === 'reviews-v2').length / got.length;
    assert.ok(share > 0.65 && share < 0.85, String(share));
  });

  it('§1.7 a single destination takes all traffic whatever its weight', async () => {
    const w = world();
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' }, weight: 10 }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, v]));
    for (let i = 0; i < 10; i++) assert.equal(bodyOf(await h.send(w.sleep, 'reviews:9080')), 'reviews-v2');
  });
});

describe('§1.8 destinations', () => {
  it('§1.8 a subset no DestinationRule defines → 503 NC, empty body', async () => {
    const w = world();
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
    const h = harness(snapshot([...w.base, v]));
    const r = await h.send(w.sleep, 'reviews:9080');
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), '');
    assert.match(h.logsOf(w.sleep)[0], /" 503 NC cluster_not_found .* outbound\|9080\|v1\|reviews\.default\.svc\.cluster\.local /);
  });

  it('§1.8 a destination host outside the registry → 503 NC', async () => {
    const w = world();
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'nonexistent' } }] }] });
    const h = harness(snapshot([...w.base, v]));
    assert.equal(statusOf(await h.send(w.sleep, 'reviews:9080')), 503);
  });

  it('§1.8 a subset with no ready endpoints → 503 "no healthy upstream", UH', async () => {
    const w = world();
    const v3 = pod('reviews-v3', 'default', { app: 'reviews', version: 'v3' }, { ready: false });
    const d = { ...w.reviewsDr, spec: { ...w.reviewsDr.spec, subsets: [...w.reviewsDr.spec.subsets, { name: 'v3', labels: { version: 'v3' } }] } };
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v3' } }] }] });
    const h = harness(snapshot([...w.base, v3, d, v]));
    const r = await h.send(w.sleep, 'reviews:9080');
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), 'no healthy upstream');
    assert.match(h.logsOf(w.sleep)[0], /" 503 UH no_healthy_upstream /);
  });

  it('§1.8 cluster name outbound|<port>|<subset>|<fqdn>; port omitted → the service’s only port', async () => {
    const w = world();
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, v]));
    await h.send(w.sleep, 'reviews:9080');
    assert.match(h.logsOf(w.sleep).at(-1)!, / outbound\|9080\|v2\|reviews\.default\.svc\.cluster\.local /);
  });

  it('§1.8 a multi-port service without destination port uses the listener port', async () => {
    const client = pod('c', 'default', { app: 'c' });
    const p = pod('multi-1', 'default', { app: 'multi' });
    const v = vs('multi', 'default', { hosts: ['multi'], http: [{ route: [{ destination: { host: 'multi' } }] }] });
    const h = harness(snapshot([client, p, service('multi', 'default', [{ port: 80, targetPort: 8080, name: 'http' }, { port: 9090, name: 'http-admin' }]), v]));
    await h.send(client, 'multi:9090');
    assert.equal(h.deliveries[0].port, 9090);
  });
});

describe('§1.9 rewrite, redirect, directResponse', () => {
  const setup = (http: any[], app?: (req: MeshRequest) => any) => {
    const w = world();
    const h = harness(snapshot([...w.base, vs('httpbin', 'default', { hosts: ['httpbin'], http })]), { app: app ? (_p, _port, req) => app(req) : (_p, _port, req) => reply(200, JSON.stringify({ path: req.path, authority: req.authority, headers: req.headers })) });
    return { send: (path: string, headers: Record<string, string> = {}) => h.send(w.sleep, 'httpbin:8000', path, headers), h, w };
  };
  const route = [{ destination: { host: 'httpbin' } }];

  it('§1.9 rewrite.uri replaces the matched prefix, keeps the query, records x-envoy-original-path', async () => {
    const { send } = setup([{ match: [{ uri: { prefix: '/v1/' } }], rewrite: { uri: '/' }, route }]);
    const body = JSON.parse(bodyOf(await send('/v1/status/418?x=1')));
    assert.equal(body.path, '/status/418?x=1');
    assert.equal(body.headers['x-envoy-original-path'], '/v1/status/418?x=1');
  });

  it('§1.9 rewrite.uri on an exact match replaces the whole path', async () => {
    const { send } = setup([{ match: [{ uri: { exact: '/old' } }], rewrite: { uri: '/new/place' }, route }]);
    assert.equal(JSON.parse(bodyOf(await send('/old'))).path, '/new/place');
  });

  it('§1.9 uriRegexRewrite substitutes RE2 capture groups; rewrite.authority replaces Host', async () => {
    const { send } = setup([{ match: [{ uri: { prefix: '/api' } }], rewrite: { uriRegexRewrite: { match: '^/api/v([0-9]+)/(.*)$', rewrite: '/v\\1/\\2' }, authority: 'internal.example' }, route }]);
    const body = JSON.parse(bodyOf(await send('/api/v2/items')));
    assert.equal(body.path, '/v2/items');
    assert.equal(body.authority, 'internal.example');
  });

  it('§1.9 redirect: default 301, uri replaces the path, authority and redirectCode honoured', async () => {
    const { send, h } = setup([
      { match: [{ uri: { exact: '/a' } }], redirect: { uri: '/b' } },
      { match: [{ uri: { exact: '/c' } }], redirect: { authority: 'example.org', redirectCode: 302 } },
    ]);
    const r = await send('/a?q=1');
    assert.equal(statusOf(r), 301);
    assert.equal(headersOf(r).location, 'http://httpbin:8000/b?q=1');
    const r2 = await send('/c');
    assert.equal(statusOf(r2), 302);
    assert.equal(headersOf(r2).location, 'http://example.org/c');
    assert.equal(h.deliveries.length, 0);
  });

  it('§1.9 directResponse answers with its status and body without reaching the upstream', async () => {
    const { send, h } = setup([{ directResponse: { status: 418, body: { string: "I'm a teapot" } } }]);
    const r = await send('/');
    assert.equal(statusOf(r), 418);
    assert.equal(bodyOf(r), "I'm a teapot");
    assert.equal(h.deliveries.length, 0);
  });
});

describe('§1.10 headers', () => {
  it('§1.10 request set/add/remove and response set/add/remove', async () => {
    const w = world();
    const v = vs('httpbin', 'default', {
      hosts: ['httpbin'],
      http: [{ headers: { request: { set: { 'x-set': 'v' }, add: { 'x-add': 'b' }, remove: ['x-gone'] }, response: { set: { 'x-resp': '1' }, add: { 'x-list': 'z' }, remove: ['x-secret'] } }, route: [{ destination: { host: 'httpbin' } }] }],
    });
    const h = harness(snapshot([...w.base, v]), { app: (_p, _port, req) => reply(200, JSON.stringify(req.headers), { 'x-secret': 's', 'x-list': 'y' }) });
    const r = await h.send(w.sleep, 'httpbin:8000', '/', { 'x-add': 'a', 'x-gone': '1', 'x-set': 'old' });
    const seen = JSON.parse(bodyOf(r));
    assert.equal(seen['x-set'], 'v');
    assert.equal(seen['x-add'], 'a,b');
    assert.equal(seen['x-gone'], undefined);
    assert.equal(headersOf(r)['x-resp'], '1');
    assert.equal(headersOf(r)['x-list'], 'y,z');
    assert.equal(headersOf(r)['x-secret'], undefined);
  });

  it('§1.10 destination-level operations apply after rule-level ones and win; set host rewrites the authority', async () => {
    const w = world();
    const v = vs('httpbin', 'default', {
      hosts: ['httpbin'],
      http: [{ headers: { request: { set: { 'x-who': 'rule' } } }, route: [{ destination: { host: 'httpbin' }, headers: { request: { set: { 'x-who': 'destination', host: 'rewritten.example' } } } }] }],
    });
    const h = harness(snapshot([...w.base, v]), { app: (_p, _port, req) => reply(200, JSON.stringify({ who: req.headers['x-who'], authority: req.authority })) });
    assert.deepEqual(JSON.parse(bodyOf(await h.send(w.sleep, 'httpbin:8000'))), { who: 'destination', authority: 'rewritten.example' });
  });
});
