// §8 PeerAuthentication and the inbound side; §10 local rate limit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/sandbox/types.js';
import { bodyOf, dr, ef, harness, headersOf, pa, pod, reply, service, snapshot, statusOf } from './harness.js';

function mtlsWorld(extra: KubeObject[]) {
  const legacy = pod('sleep-legacy', 'legacy', { app: 'sleep' }, { sidecar: false });
  const meshClient = pod('sleep', 'foo', { app: 'sleep' });
  const httpbin = pod('httpbin-1', 'foo', { app: 'httpbin' }, { sa: 'httpbin' });
  const h = harness(snapshot([legacy, meshClient, httpbin, service('httpbin', 'foo', [{ port: 8000, targetPort: 8080 }]), ...extra]), { app: (_p, _port, req) => reply(200, JSON.stringify(req.headers)) });
  // A client without a sidecar reaches the pod's inbound side directly, in plaintext (as the glue does).
  const plaintext = () => h.engine.inbound(httpbin, 8080, { method: 'GET', path: '/ip', authority: 'httpbin.foo:8000', headers: {} }, { mtls: false, source: legacy }, async (req) => reply(200, JSON.stringify(req.headers)));
  return { h, legacy, meshClient, httpbin, plaintext, fromMesh: () => h.send(meshClient, 'httpbin.foo:8000', '/ip') };
}

describe('§8 PeerAuthentication', () => {
  it('§8 PERMISSIVE (default): plaintext and mTLS are both accepted', async () => {
    const w = mtlsWorld([]);
    assert.equal(statusOf(await w.plaintext()), 200);
    assert.equal(statusOf(await w.fromMesh()), 200);
  });

  it('§8 STRICT refuses plaintext with a reset (curl 56) and logs NR filter_chain_not_found; sidecar clients still get 200', async () => {
    const w = mtlsWorld([pa('default', 'foo', { mtls: { mode: 'STRICT' } })]);
    assert.equal(statusOf(await w.plaintext()), 'reset');
    assert.match(w.h.logsOf(w.httpbin)[0], /"- - -" 0 NR filter_chain_not_found/);
    assert.equal(statusOf(await w.fromMesh()), 200);
  });

  it('§8 a mesh-wide policy in istio-system applies; a namespace policy overrides it', async () => {
    const strictMesh = mtlsWorld([pa('default', 'istio-system', { mtls: { mode: 'STRICT' } })]);
    assert.equal(statusOf(await strictMesh.plaintext()), 'reset');
    const nsPermissive = mtlsWorld([pa('default', 'istio-system', { mtls: { mode: 'STRICT' } }), pa('default', 'foo', { mtls: { mode: 'PERMISSIVE' } })]);
    assert.equal(statusOf(await nsPermissive.plaintext()), 200);
  });

  it('§8 a workload selector policy wins; UNSET inherits; portLevelMtls overrides per port', async () => {
    const wl = mtlsWorld([pa('default', 'foo', { mtls: { mode: 'STRICT' } }), pa('httpbin', 'foo', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'PERMISSIVE' } })]);
    assert.equal(statusOf(await wl.plaintext()), 200);
    const unset = mtlsWorld([pa('default', 'foo', { mtls: { mode: 'STRICT' } }), pa('httpbin', 'foo', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'UNSET' } })]);
    assert.equal(statusOf(await unset.plaintext()), 'reset');
    const port = mtlsWorld([pa('httpbin', 'foo', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'PERMISSIVE' } } })]);
    assert.equal(statusOf(await port.plaintext()), 200);
  });

  it('§5/§8 DR tls DISABLE towards a STRICT server → 503 upstream connect error (connection termination ⚠)', async () => {
    const w = mtlsWorld([pa('default', 'foo', { mtls: { mode: 'STRICT' } }), dr('httpbin', 'foo', { host: 'httpbin', trafficPolicy: { tls: { mode: 'DISABLE' } } })]);
    const r = await w.fromMesh();
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), 'upstream connect error or disconnect/reset before headers. reset reason: connection termination');
  });

  it('§8/§11.1 mTLS requests reach the app with X-Forwarded-Client-Cert (SPIFFE URIs of both sides)', async () => {
    const w = mtlsWorld([]);
    const headers = JSON.parse(bodyOf(await w.fromMesh()));
    assert.match(headers['x-forwarded-client-cert'], /^By=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/httpbin;Hash=[0-9a-f]{64};Subject="";URI=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/sleep$/);
    assert.equal(headers['x-envoy-attempt-count'], '1');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.match(headers['x-request-id'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('§8/§13 the inbound access log names inbound|<port>||, the pod address and the SNI', async () => {
    const w = mtlsWorld([]);
    await w.fromMesh();
    const line = w.h.logsOf(w.httpbin)[0];
    assert.match(line, /^\[2026-01-01T00:00:00\.000Z\] "GET \/ip HTTP\/1\.1" 200 - via_upstream - "-" 0 \d+ 0 0 "-" "-" "[0-9a-f-]{36}" "httpbin\.foo:8000" "10\.244\.0\.\d+:8080" inbound\|8080\|\| 127\.0\.0\.6:\d+ 10\.244\.0\.\d+:8080 10\.244\.0\.\d+:\d+ outbound_\.8000_\._\.httpbin\.foo\.svc\.cluster\.local default$/);
  });
});

const localRateLimitFilter = (tokenBucket: any, extra: any = {}) =>
  ef('filter-local-ratelimit-svc', 'istio-system', {
    workloadSelector: { labels: { app: 'productpage' } },
    configPatches: [
      {
        applyTo: 'HTTP_FILTER',
        match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: 'envoy.filters.http.local_ratelimit',
            typed_config: {
              '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
              type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
              value: {
                stat_prefix: 'http_local_rate_limiter',
                ...(tokenBucket ? { token_bucket: tokenBucket } : {}),
                filter_enabled: { runtime_key: 'local_rate_limit_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } },
                filter_enforced: { runtime_key: 'local_rate_limit_enforced', default_value: { numerator: 100, denominator: 'HUNDRED' } },
                response_headers_to_add: [{ append: false, header: { key: 'x-local-rate-limit', value: 'true' } }],
                ...extra,
              },
            },
          },
        },
      },
    ],
  });

function rlWorld(filters: KubeObject[]) {
  const client = pod('sleep', 'default', { app: 'sleep' });
  const pp = pod('productpage-v1', 'default', { app: 'productpage' });
  const h = harness(snapshot([client, pp, service('productpage', 'default', [{ port: 9080, name: 'http' }]), ...filters]));
  return { h, client, pp, send: () => h.send(client, 'productpage:9080', '/productpage') };
}

describe('§10 local rate limit', () => {
  const bucket = { max_tokens: 4, tokens_per_fill: 4, fill_interval: '60s' };

  it('§10 the sample bucket (4 per 60 s): 5 calls 1 s apart give 200 200 200 200 429', async () => {
    const w = rlWorld([localRateLimitFilter(bucket)]);
    const codes: (number | string)[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(statusOf(await w.send()));
      w.h.advance(1000);
    }
    assert.deepEqual(codes, [200, 200, 200, 200, 429]);
  });

  it('§10/§13 the 429 has body local_rate_limited, x-envoy-ratelimited and the configured headers; flag RL; stats', async () => {
    const w = rlWorld([localRateLimitFilter(bucket)]);
    for (let i = 0; i < 4; i++) await w.send();
    const r = await w.send();
    assert.equal(bodyOf(r), 'local_rate_limited');
    assert.equal(headersOf(r)['x-envoy-ratelimited'], 'true');
    assert.equal(headersOf(r)['x-local-rate-limit'], 'true');
    assert.match(w.h.logsOf(w.pp).at(-1)!, /" 429 RL local_rate_limited /);
    const stats = w.h.engine.stats(w.pp);
    assert.match(stats, /^http_local_rate_limiter\.http_local_rate_limit\.rate_limited: 1$/m);
    assert.match(stats, /^http_local_rate_limiter\.http_local_rate_limit\.ok: 4$/m);
  });

  it('§10 the bucket refills tokens_per_fill every fill_interval', async () => {
    const w = rlWorld([localRateLimitFilter(bucket)]);
    for (let i = 0; i < 4; i++) await w.send();
    assert.equal(statusOf(await w.send()), 429);
    w.h.advance(60_000);
    assert.equal(statusOf(await w.send()), 200);
  });

  it('§10 per-route bucket via HTTP_ROUTE typed_per_filter_config on vhost inbound|http|9080', async () => {
    const f = localRateLimitFilter(undefined);
    f.spec.configPatches.push({
      applyTo: 'HTTP_ROUTE',
      match: { context: 'SIDECAR_INBOUND', routeConfiguration: { vhost: { name: 'inbound|http|9080', route: { action: 'ANY' } } } },
      patch: { operation: 'MERGE', value: { typed_per_filter_config: { 'envoy.filters.http.local_ratelimit': { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: 'x', value: { stat_prefix: 'http_local_rate_limiter', token_bucket: { max_tokens: 1, tokens_per_fill: 1, fill_interval: '60s' }, filter_enabled: { default_value: { numerator: 100, denominator: 'HUNDRED' } }, filter_enforced: { default_value: { numerator: 100, denominator: 'HUNDRED' } } } } } } },
    });
    const w = rlWorld([f]);
    assert.deepEqual([statusOf(await w.send()), statusOf(await w.send())], [200, 429]);
  });

  it('§10 filter_enabled unset means the filter is disabled (Envoy default 0 %)', async () => {
    const f = localRateLimitFilter({ max_tokens: 1, tokens_per_fill: 1, fill_interval: '60s' }, { filter_enabled: undefined });
    const w = rlWorld([f]);
    for (let i = 0; i < 3; i++) assert.equal(statusOf(await w.send()), 200);
  });

  it('§10 the workload selector limits the filter to matching pods', async () => {
    const f = localRateLimitFilter({ max_tokens: 1, tokens_per_fill: 1, fill_interval: '60s' });
    f.spec.workloadSelector.labels = { app: 'reviews' };
    const w = rlWorld([f]);
    for (let i = 0; i < 3; i++) assert.equal(statusOf(await w.send()), 200);
  });
});
