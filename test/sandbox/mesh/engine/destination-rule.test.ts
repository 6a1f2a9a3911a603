// §5 DestinationRule: subsets, load balancing, consistent hash, connection pools, outlier detection, TLS.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/sandbox/types.js';
import type { MeshResult } from '../../../../src/sandbox/mesh/types.js';
import { bodyOf, delay, dr, harness, headersOf, pod, reply, service, snapshot, statusOf, vs } from './harness.js';

/** Three httpbin pods (v1, v1, v2) and a DR with `trafficPolicy`. */
function setup(trafficPolicy: any, opts: { app?: (p: KubeObject, req: any, signal?: AbortSignal) => MeshResult | Promise<MeshResult>; pods?: number; sidecar?: boolean; version?: string; extra?: KubeObject[] } = {}) {
  const client = pod('fortio', 'default', { app: 'fortio' });
  const pods = Array.from({ length: opts.pods ?? 3 }, (_, i) => pod(`httpbin-${i + 1}`, 'default', { app: 'httpbin', version: i === 2 ? 'v2' : 'v1' }, { sidecar: opts.sidecar }));
  const rule = dr('httpbin', 'default', { host: 'httpbin', trafficPolicy, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } } }] });
  const h = harness(snapshot([client, ...pods, rule, service('httpbin', 'default', [{ port: 8000, targetPort: 8080 }]), ...(opts.extra ?? [])], { istioVersion: opts.version ?? '1.30' }), {
    app: (p, _port, req, signal) => (opts.app ? opts.app(p, req, signal) : reply(200, p.metadata.name!)),
  });
  const send = (headers: Record<string, string> = {}, path = '/get') => h.send(client, 'httpbin:8000', path, headers);
  return { h, send, client, pods };
}

const stat = (text: string, name: string) => Number(new RegExp(`^${name.replace(/[|.]/g, (c) => `\\${c}`)}: (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
const C = 'cluster.outbound|8000||httpbin.default.svc.cluster.local';

describe('§5 subsets and load balancing', () => {
  it('§5 subsets select endpoints by pod labels', async () => {
    const v = vs('httpbin', 'default', { hosts: ['httpbin'], http: [{ route: [{ destination: { host: 'httpbin', subset: 'v1' } }] }] });
    const { send } = setup(undefined, { extra: [v] });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(bodyOf(await send()));
    assert.deepEqual([...seen].sort(), ['httpbin-1', 'httpbin-2']);
  });

  it('§5 ROUND_ROBIN cycles through the endpoints in order', async () => {
    const { send } = setup({ loadBalancer: { simple: 'ROUND_ROBIN' } });
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(bodyOf(await send()));
    assert.deepEqual(got.slice(3), got.slice(0, 3));
    assert.equal(new Set(got).size, 3);
  });

  it('§5 RANDOM spreads requests over every endpoint', async () => {
    const { send } = setup({ loadBalancer: { simple: 'RANDOM' } });
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const b = bodyOf(await send());
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    assert.equal(counts.size, 3);
    assert.ok([...counts.values()].every((n) => n > 70), JSON.stringify([...counts]));
  });

  it('§5 LEAST_REQUEST (the default) avoids a host busy with in-flight requests', async () => {
    let warm = true;
    const { send } = setup(undefined, { app: async (p) => (warm && p.metadata.name === 'httpbin-1' ? (await delay(150), reply(200, 'slow')) : reply(200, p.metadata.name!)) });
    const inflight = Array.from({ length: 12 }, () => send());
    await delay(5);
    warm = false;
    const counts = new Map<string, number>();
    for (let i = 0; i < 90; i++) {
      const b = bodyOf(await send());
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    assert.ok((await Promise.all(inflight)).some((r) => bodyOf(r) === 'slow'));
    // P2C picks the busy host only when both samples land on it (≈ 1/9), RANDOM would give ≈ 1/3.
    assert.ok((counts.get('httpbin-1') ?? 0) < 20, JSON.stringify([...counts]));
  });

  it('§5 consistentHash on a header: the same key sticks to one pod', async () => {
    const { send } = setup({ loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } });
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      const seen = new Set<string>();
      for (let i = 0; i < 10; i++) seen.add(bodyOf(await send({ 'x-user': user })));
      assert.equal(seen.size, 1, user);
    }
    const spread = new Set<string>();
    for (let i = 0; i < 40; i++) spread.add(bodyOf(await send({ 'x-user': `user-${i}` })));
    assert.ok(spread.size >= 2);
  });

  it('§5 consistentHash on a query parameter and on the source IP', async () => {
    const q = setup({ loadBalancer: { consistentHash: { httpQueryParameterName: 'id' } } });
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add(bodyOf(await q.send({}, '/get?id=42')));
    assert.equal(seen.size, 1);
    const ip = setup({ loadBalancer: { consistentHash: { useSourceIp: true } } });
    const seen2 = new Set<string>();
    for (let i = 0; i < 10; i++) seen2.add(bodyOf(await ip.send()));
    assert.equal(seen2.size, 1);
  });

  it('§5 consistentHash httpCookie with ttl: a missing cookie is generated (Set-Cookie) and then sticks', async () => {
    const { send } = setup({ loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '60s', path: '/' } } } });
    const first = await send();
    const cookie = headersOf(first)['set-cookie'];
    assert.match(cookie, /^user="[0-9a-f]+"; Max-Age=60; Path=\/; HttpOnly$/);
    const value = /"(.*)"/.exec(cookie)![1];
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) seen.add(bodyOf(await send({ cookie: `user=${value}` })));
    assert.deepEqual([...seen], [bodyOf(first)]);
  });

  it('§5 a subset trafficPolicy overrides the top-level fields it sets when the route targets that subset', async () => {
    const pool = { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } };
    const toSubset = (subset: string) => vs('httpbin', 'default', { hosts: ['httpbin'], http: [{ route: [{ destination: { host: 'httpbin', subset } }] }] });
    const slow = async (p: KubeObject) => (await delay(30), reply(200, p.metadata.name!));
    const v2 = setup(pool, { extra: [toSubset('v2')], app: slow });
    assert.ok((await Promise.all([v2.send(), v2.send(), v2.send()])).every((r) => statusOf(r) === 200));
    const v1 = setup({ ...pool, loadBalancer: { simple: 'ROUND_ROBIN' } }, { extra: [toSubset('v1')], app: slow });
    assert.ok((await Promise.all([v1.send(), v1.send(), v1.send(), v1.send()])).some((r) => statusOf(r) === 503));
  });
});

describe('§5 connection pool (circuit breaking)', () => {
  const breaker = { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } } };

  it('§5 maxConnections 1 / http1MaxPendingRequests 1 under 3 concurrent in-flight requests → UO 503s', async () => {
    const { send, h, client } = setup(breaker, { pods: 1, app: async () => (await delay(40), reply(200, 'ok')) });
    const results = await Promise.all([send(), send(), send()]);
    const statuses = results.map(statusOf);
    assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses));
    const overflow = results.filter((r) => statusOf(r) === 503);
    assert.equal(overflow.length, 2);
    for (const r of overflow) {
      assert.equal(headersOf(r)['x-envoy-overloaded'], 'true');
      assert.equal(bodyOf(r), 'upstream connect error or disconnect/reset before headers. reset reason: overflow');
    }
    assert.match(h.logsOf(client).join('\n'), /" 503 UO upstream_reset_before_response_started\{overflow\} /);
    assert.equal(stat(h.engine.stats(client), `${C}.upstream_rq_pending_overflow`), 2);
  });

  it('§5 requests queue in the pending slot while the single connection is busy', async () => {
    const { send } = setup(breaker, { pods: 1, app: async () => (await delay(30), reply(200, 'ok')) });
    const first = send();
    await delay(5);
    const second = send();
    await delay(5);
    const third = send();
    const r = await Promise.all([first, second, third]);
    assert.deepEqual(r.map(statusOf), [200, 200, 503]);
  });

  it('§5 sequential requests never overflow', async () => {
    const { send, h, client } = setup(breaker, { pods: 1 });
    for (let i = 0; i < 10; i++) assert.equal(statusOf(await send()), 200);
    assert.equal(stat(h.engine.stats(client), `${C}.upstream_rq_pending_overflow`), 0);
    assert.equal(stat(h.engine.stats(client), `${C}.upstream_cx_total`), 10);
  });

  it('§5 keep-alive: without maxRequestsPerConnection one connection carries sequential requests', async () => {
    const { send, h, client } = setup({ connectionPool: { tcp: { maxConnections: 1 } } }, { pods: 1 });
    for (let i = 0; i < 5; i++) await send();
    assert.equal(stat(h.engine.stats(client), `${C}.upstream_cx_total`), 1);
  });

  it('§5 http2MaxRequests caps concurrent requests (overflow counted as upstream_rq_pending_overflow)', async () => {
    const { send, h, client } = setup({ connectionPool: { http: { http2MaxRequests: 1 } } }, { pods: 1, app: async () => (await delay(30), reply(200)) });
    const r = await Promise.all([send(), send()]);
    assert.deepEqual(r.map(statusOf).sort(), [200, 503]);
    assert.equal(stat(h.engine.stats(client), `${C}.upstream_rq_pending_overflow`), 1);
  });

  it('§5 limits are per client proxy: another client has its own pool', async () => {
    const { send, h } = setup(breaker, { pods: 1, app: async () => (await delay(30), reply(200)) });
    const other = pod('other', 'default', { app: 'other' });
    const a = send();
    const b = h.send(other, 'httpbin:8000');
    assert.deepEqual([statusOf(await a), statusOf(await b)], [200, 200]);
  });

  it('§5 stats text: circuit_breakers gauges and pending stats in `name: value` form; remaining_* only up to 1.28', async () => {
    const now = setup(breaker, { pods: 1 });
    await now.send();
    const text = now.h.engine.stats(now.client);
    assert.match(text, /^cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.circuit_breakers\.default\.rq_pending_open: 0$/m);
    assert.match(text, /^cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.upstream_rq_pending_total: 1$/m);
    assert.doesNotMatch(text, /remaining_pending/);
    const old = setup(breaker, { pods: 1, version: '1.28' });
    await old.send();
    assert.match(old.h.engine.stats(old.client), /circuit_breakers\.default\.remaining_pending: 1\n/);
  });
});

describe('§5 outlier detection', () => {
  const od = (extra: any = {}) => ({ outlierDetection: { consecutive5xxErrors: 3, interval: '1s', baseEjectionTime: '30s', maxEjectionPercent: 100, ...extra }, loadBalancer: { simple: 'ROUND_ROBIN' } });

  it('§5 a host is ejected after N consecutive 5xx and returns after baseEjectionTime', async () => {
    const { send, h, client } = setup(od(), { pods: 2, app: (p) => reply(p.metadata.name === 'httpbin-1' ? 503 : 200, p.metadata.name!) });
    for (let i = 0; i < 6; i++) await send();
    assert.equal(stat(h.engine.stats(client), `${C}.outlier_detection.ejections_enforced_total`), 1);
    for (let i = 0; i < 10; i++) assert.equal(bodyOf(await send()), 'httpbin-2');
    h.advance(29_000);
    assert.equal(bodyOf(await send()), 'httpbin-2');
    h.advance(2_000);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add(bodyOf(await send()));
    assert.ok(seen.has('httpbin-1'));
  });

  it('§5 the ejection time grows with the number of ejections (baseEjectionTime × n)', async () => {
    const { send, h } = setup(od({ consecutive5xxErrors: 1 }), { pods: 2, app: (p) => reply(p.metadata.name === 'httpbin-1' ? 500 : 200, p.metadata.name!) });
    const hitBad = async () => {
      for (let i = 0; i < 4; i++) if (bodyOf(await send()) === 'httpbin-1') return true;
      return false;
    };
    assert.ok(await hitBad());
    h.advance(31_000);
    assert.ok(await hitBad());
    h.advance(31_000);
    assert.equal(await hitBad(), false, 'second ejection lasts 60 s');
    h.advance(30_000);
    assert.ok(await hitBad());
  });

  it('§5 a success resets the consecutive counter', async () => {
    let n = 0;
    const { send, h, client } = setup(od(), { pods: 1, app: () => reply(++n % 3 === 0 ? 200 : 503) });
    for (let i = 0; i < 9; i++) await send();
    assert.equal(stat(h.engine.stats(client), `${C}.outlier_detection.ejections_enforced_total`), 0);
  });

  it('§5 minHealthPercent 0: with every host ejected the cluster answers "no healthy upstream"', async () => {
    const { send } = setup(od(), { pods: 1, app: () => reply(503) });
    for (let i = 0; i < 3; i++) assert.equal(statusOf(await send()), 503);
    const r = await send();
    assert.equal(bodyOf(r), 'no healthy upstream');
  });

  it('§5 maxEjectionPercent is checked against the share already ejected, before this ejection', async () => {
    const { send, h, client } = setup(od({ maxEjectionPercent: 10 }), { pods: 2, app: () => reply(503) });
    for (let i = 0; i < 12; i++) await send();
    const text = h.engine.stats(client);
    assert.equal(stat(text, `${C}.outlier_detection.ejections_enforced_total`), 1);
    assert.ok(stat(text, `${C}.outlier_detection.ejections_overflow`) >= 1);
    assert.equal(stat(text, `${C}.outlier_detection.ejections_active`), 1);
  });

  it('§5 consecutiveGatewayErrors counts 502/503/504 only', async () => {
    const { send, h, client } = setup({ outlierDetection: { consecutiveGatewayErrors: 2, consecutive5xxErrors: 0, maxEjectionPercent: 100 } }, { pods: 1, app: () => reply(500) });
    for (let i = 0; i < 5; i++) await send();
    assert.equal(stat(h.engine.stats(client), `${C}.outlier_detection.ejections_enforced_total`), 0);
    const gwErr = setup({ outlierDetection: { consecutiveGatewayErrors: 2, consecutive5xxErrors: 0, maxEjectionPercent: 100 } }, { pods: 1, app: () => reply(502) });
    for (let i = 0; i < 2; i++) await gwErr.send();
    assert.equal(stat(gwErr.h.engine.stats(gwErr.client), `${C}.outlier_detection.ejections_enforced_consecutive_gateway_failure`), 1);
  });

  it('§5 without outlierDetection in the DR nothing is ejected', async () => {
    const { send } = setup(undefined, { pods: 1, app: () => reply(503) });
    for (let i = 0; i < 10; i++) assert.equal(bodyOf(await send()), '');
  });
});

describe('§5/§8 upstream TLS', () => {
  it('§8 auto mTLS: the client uses mTLS towards a pod with a sidecar, plaintext otherwise', async () => {
    const withSidecar = setup(undefined, { pods: 1 });
    await withSidecar.send();
    assert.equal(withSidecar.h.deliveries[0].mtls, true);
    const without = setup(undefined, { pods: 1, sidecar: false });
    await without.send();
    assert.equal(without.h.deliveries[0].mtls, false);
  });

  it('§5 tls.mode DISABLE sends plaintext even to a sidecar', async () => {
    const { send, h } = setup({ tls: { mode: 'DISABLE' } }, { pods: 1 });
    await send();
    assert.equal(h.deliveries[0].mtls, false);
  });

  it('§5 ISTIO_MUTUAL towards a pod without a sidecar fails the TLS handshake → 503 UF', async () => {
    const { send, h, client } = setup({ tls: { mode: 'ISTIO_MUTUAL' } }, { pods: 1, sidecar: false });
    const r = await send();
    assert.equal(statusOf(r), 503);
    assert.match(bodyOf(r), /reset reason: connection failure, transport failure reason: TLS_error/);
    assert.equal(h.deliveries.length, 0);
    assert.match(h.logsOf(client)[0], /" 503 UF,URX /);
  });
});
