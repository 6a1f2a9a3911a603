// §13 local replies and access logs; §14 version switches not covered elsewhere.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf, dr, harness, headersOf, reply, snapshot, statusOf, vs, world } from './harness.js';
import { formatFlags, upstreamResetReply } from '../../../../src/sandbox/mesh/proxy/local-reply.js';
import { formatAccessLog } from '../../../../src/sandbox/mesh/proxy/access-log.js';

describe('§13 local replies', () => {
  it('§13 flags print in Envoy order, joined by commas; none → "-"', () => {
    assert.equal(formatFlags(['URX', 'UF']), 'UF,URX');
    assert.equal(formatFlags(['FI', 'DI']), 'DI,FI');
    assert.equal(formatFlags([]), '-');
  });

  it('§13 overflow reply: 503, x-envoy-overloaded: true, reset reason overflow, UO', () => {
    const o = upstreamResetReply('overflow', false);
    assert.equal(o.response.status, 503);
    assert.equal(o.response.headers['x-envoy-overloaded'], 'true');
    assert.equal(o.response.body.toString(), 'upstream connect error or disconnect/reset before headers. reset reason: overflow');
    assert.deepEqual(o.flags, ['UO']);
  });

  it('§13 the client sidecar logs one line per request in Istio’s default TEXT format', async () => {
    const w = world();
    const h = harness(snapshot(w.base));
    await h.send(w.sleep, 'httpbin:8000', '/status/418', { 'user-agent': 'curl/8.16.0', 'x-request-id': 'abc' });
    const lines = h.logsOf(w.sleep);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^\[2026-01-01T00:00:00\.000Z\] "GET \/status\/418 HTTP\/1\.1" 200 - via_upstream - "-" 0 9 0 0 "-" "curl\/8\.16\.0" "abc" "httpbin:8000" "10\.244\.0\.\d+:8080" outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local 10\.244\.0\.\d+:\d+ 10\.96\.0\.\d+:8000 10\.244\.0\.\d+:\d+ - default$/);
  });

  it('§13 the access log shows the original path after a rewrite', () => {
    const line = formatAccessLog({ start: new Date(0), method: 'GET', path: '/new', status: 200, flags: [], details: 'via_upstream', bytesReceived: 0, bytesSent: 0, durationMs: 1, headers: { 'x-envoy-original-path': '/old' }, authority: 'a' });
    assert.match(line, /"GET \/old HTTP\/1\.1"/);
  });

  it('§13/§6 sidecar responses carry server: envoy and a date header', async () => {
    const w = world();
    const h = harness(snapshot(w.base), { app: () => reply(200, 'x', { server: 'gunicorn' }) });
    const r = await h.send(w.sleep, 'httpbin:8000');
    assert.equal(headersOf(r).server, 'envoy');
    assert.ok(headersOf(r).date);
  });

  it('§13 NR 404 has an empty body with content-length 0', async () => {
    const w = world();
    const v = vs('httpbin', 'default', { hosts: ['httpbin'], http: [{ match: [{ uri: { exact: '/only' } }], route: [{ destination: { host: 'httpbin' } }] }] });
    const h = harness(snapshot([...w.base, v]));
    const r = await h.send(w.sleep, 'httpbin:8000', '/other');
    assert.equal(statusOf(r), 404);
    assert.equal(headersOf(r)['content-length'], '0');
    assert.equal(bodyOf(r), '');
  });
});

describe('§14 versions', () => {
  it('§14 default load balancer: ROUND_ROBIN before 1.14 (strict rotation)', async () => {
    const w = world();
    const h = harness(snapshot([...w.base, w.reviewsDr], { istioVersion: '1.13' }));
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(bodyOf(await h.send(w.sleep, 'reviews:9080')));
    for (let i = 1; i < got.length; i++) assert.notEqual(got[i], got[i - 1]);
  });

  it('§14 legacy consecutiveErrors is ignored from 1.7 (Envoy default consecutive 5xx = 5 applies)', async () => {
    const w = world();
    const rule = dr('httpbin', 'default', { host: 'httpbin', trafficPolicy: { outlierDetection: { consecutiveErrors: 1, maxEjectionPercent: 100 } } });
    const h = harness(snapshot([...w.base, rule]), { app: () => reply(502) });
    for (let i = 0; i < 4; i++) assert.equal(bodyOf(await h.send(w.sleep, 'httpbin:8000')), '');
    await h.send(w.sleep, 'httpbin:8000');
    assert.equal(bodyOf(await h.send(w.sleep, 'httpbin:8000')), 'no healthy upstream');
    const old = harness(snapshot([...w.base, rule], { istioVersion: '1.6' }), { app: () => reply(502) });
    await old.send(w.sleep, 'httpbin:8000');
    assert.equal(bodyOf(await old.send(w.sleep, 'httpbin:8000')), 'no healthy upstream');
  });
});
