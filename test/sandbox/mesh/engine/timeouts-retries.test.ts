// §4 timeouts and retries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/sandbox/types.js';
import type { MeshResult } from '../../../../src/sandbox/mesh/types.js';
import { bodyOf, delay, harness, headersOf, pod, reply, service, snapshot, statusOf, vs } from './harness.js';
import { backoffDelayMs, defaultRetryPolicy, retryPolicyFrom } from '../../../../src/sandbox/mesh/proxy/retry-policy.js';
import { createSeededRandom } from '../../../../src/sandbox/runtime/determinism.js';
import { versionGate } from '../../../../src/sandbox/mesh/proxy/versions.js';

/** httpbin with two pods; `rule` (if any) is the single VS rule; `app` answers per call. */
function setup(rule: any | undefined, app: (p: KubeObject, n: number, req: any, signal?: AbortSignal) => MeshResult | Promise<MeshResult>, opts: { version?: string; pods?: number; sidecar?: boolean } = {}) {
  const client = pod('sleep', 'default', { app: 'sleep' });
  const pods = Array.from({ length: opts.pods ?? 1 }, (_, i) => pod(`httpbin-${i + 1}`, 'default', { app: 'httpbin' }, { sidecar: opts.sidecar }));
  const objs: KubeObject[] = [client, ...pods, service('httpbin', 'default', [{ port: 8000, targetPort: 8080 }])];
  if (rule) objs.push(vs('httpbin', 'default', { hosts: ['httpbin'], http: [{ route: [{ destination: { host: 'httpbin' } }], ...rule }] }));
  let calls = 0;
  const h = harness(snapshot(objs, { istioVersion: opts.version ?? '1.30' }), { app: (p, _port, req, signal) => app(p, ++calls, req, signal) });
  return { h, send: (headers: Record<string, string> = {}) => h.send(client, 'httpbin:8000', '/get', headers), calls: () => calls, client };
}

describe('§4 timeouts', () => {
  it('§4 the route timeout is off by default: a slow upstream still answers', async () => {
    const { send } = setup(undefined, async () => (await delay(80), reply(200, 'slow')));
    assert.equal(bodyOf(await send()), 'slow');
  });

  it('§4 timeout → 504 "upstream request timeout", flag UT', async () => {
    const { send, h } = setup({ timeout: '0.05s' }, async (_p, _n, _r, signal) => (await delay(500, signal), reply(200)));
    const t0 = Date.now();
    const r = await send();
    assert.ok(Date.now() - t0 < 300);
    assert.equal(statusOf(r), 504);
    assert.equal(bodyOf(r), 'upstream request timeout');
    assert.match(h.logs.find((l) => l.pod === 'sleep')!.line, /" 504 UT response_timeout /);
  });

  it('§4 x-envoy-upstream-rq-timeout-ms overrides the route timeout on a sidecar and is not forwarded', async () => {
    let seen: Record<string, string> = {};
    const { send } = setup(undefined, async (_p, _n, req, signal) => ((seen = req.headers), await delay(300, signal), reply(200)));
    const r = await send({ 'x-envoy-upstream-rq-timeout-ms': '40' });
    assert.equal(statusOf(r), 504);
    assert.equal(seen['x-envoy-upstream-rq-timeout-ms'], undefined);
    assert.equal(seen['x-envoy-expected-rq-timeout-ms'], '40');
  });

  it('§4 perTryTimeout gives each attempt its own timeout; all retries then answer 504 UT with URX', async () => {
    const { send, calls, h } = setup({ retries: { attempts: 2, perTryTimeout: '0.03s', retryOn: '5xx' } }, async (_p, _n, _r, signal) => (await delay(300, signal), reply(200)));
    const r = await send();
    assert.equal(statusOf(r), 504);
    assert.equal(calls(), 3);
    assert.match(h.logs.find((l) => l.pod === 'sleep')!.line, /" 504 UT,URX upstream_per_try_timeout /);
  });

  it('§4 the route timeout covers every attempt; a perTryTimeout ≥ timeout is ignored', async () => {
    const { send, calls } = setup({ timeout: '0.06s', retries: { attempts: 5, perTryTimeout: '1s', retryOn: '5xx' } }, async (_p, _n, _r, signal) => (await delay(500, signal), reply(200)));
    assert.equal(statusOf(await send()), 504);
    assert.equal(calls(), 1);
  });
});

describe('§4 retries', () => {
  it('§4 default policy (1.30): an upstream 503 is not retried', async () => {
    const { send, calls } = setup(undefined, () => reply(503, 'down'));
    const r = await send();
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), 'down');
    assert.equal(calls(), 1);
  });

  it('§4/§14 default policy up to 1.23: an upstream 503 is retried twice (3 requests at the server), then URX', async () => {
    const { send, calls, h } = setup(undefined, () => reply(503, 'down'), { version: '1.23' });
    assert.equal(statusOf(await send()), 503);
    assert.equal(calls(), 3);
    assert.match(h.logs.find((l) => l.pod === 'sleep')!.line, /" 503 URX via_upstream /);
  });

  it('§4 default policy retries connect failures and succeeds on a retry; x-envoy-attempt-count counts attempts', async () => {
    let attemptHeader = '';
    const { send, calls } = setup(undefined, (_p, n, req) => (n === 1 ? { failure: 'connect-refused', message: 'refused' } : ((attemptHeader = req.headers['x-envoy-attempt-count']), reply(200, 'ok'))), { sidecar: false });
    const r = await send();
    assert.equal(bodyOf(r), 'ok');
    assert.equal(calls(), 2);
    assert.equal(attemptHeader, '2');
  });

  it('§4 reset after retries are exhausted → 503 "… retried and the latest reset reason: connection failure", UF,URX', async () => {
    const { send, calls, h } = setup(undefined, () => ({ failure: 'connect-refused', message: 'refused' }), { sidecar: false });
    const r = await send();
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection failure');
    assert.equal(calls(), 3);
    assert.match(h.logs.find((l) => l.pod === 'sleep')!.line, /" 503 UF,URX upstream_reset_before_response_started\{connection_failure\} /);
  });

  it('§4 a reset with retries disabled (attempts: 0) → 503 without "retried", flag UC for connection termination', async () => {
    const { send, calls } = setup({ retries: { attempts: 0 } }, () => ({ failure: 'reset', message: 'reset' }), { sidecar: false });
    const r = await send();
    assert.equal(bodyOf(r), 'upstream connect error or disconnect/reset before headers. reset reason: connection termination');
    assert.equal(calls(), 1);
  });

  it('§4 integer tokens in retryOn become retriable status codes', async () => {
    const { send, calls } = setup({ retries: { attempts: 3, retryOn: '503' } }, (_p, n) => (n < 3 ? reply(503) : reply(200, 'third')));
    assert.equal(bodyOf(await send()), 'third');
    assert.equal(calls(), 3);
  });

  it('§4 retryOn 5xx retries any 5xx; gateway-error only 502/503/504', async () => {
    const five = setup({ retries: { attempts: 1, retryOn: '5xx' } }, (_p, n) => (n === 1 ? reply(500) : reply(200)));
    assert.equal(statusOf(await five.send()), 200);
    const gwErr = setup({ retries: { attempts: 1, retryOn: 'gateway-error' } }, () => reply(500));
    await gwErr.send();
    assert.equal(gwErr.calls(), 1);
  });

  it('§4/§8 an app refusing connections behind a sidecar: the server sidecar answers 503 UF, which 1.30 does not retry', async () => {
    const { send, calls, h } = setup(undefined, () => ({ failure: 'connect-refused', message: 'refused' }));
    const r = await send();
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), 'upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    assert.equal(calls(), 1);
    assert.match(h.logs.find((l) => l.pod === 'httpbin-1')!.line, /" 503 UF upstream_reset_before_response_started\{connection_failure\} .* inbound\|8080\|\| /);
  });

  it('§4 exhausted retries return the last upstream response with URX; stats count upstream_rq_retry', async () => {
    const { send, calls, h, client } = setup({ retries: { attempts: 2, retryOn: '5xx' } }, () => reply(500, 'boom'));
    const r = await send();
    assert.equal(bodyOf(r), 'boom');
    assert.equal(calls(), 3);
    const stats = h.engine.stats(client);
    assert.match(stats, /cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.upstream_rq_retry: 2\n/);
    assert.match(stats, /cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.upstream_rq_total: 3\n/);
  });

  it('§4 retries prefer a host not tried before (previous_hosts)', async () => {
    const hosts: string[] = [];
    const { send } = setup({ retries: { attempts: 1, retryOn: '5xx' } }, (p) => (hosts.push(p.metadata.name!), reply(hosts.length === 1 ? 500 : 200)), { pods: 2 });
    await send();
    assert.equal(hosts.length, 2);
    assert.notEqual(hosts[0], hosts[1]);
  });

  it('§4 proxied responses carry x-envoy-upstream-service-time; local replies do not', async () => {
    const ok = setup(undefined, () => reply(200));
    assert.ok(headersOf(await ok.send())['x-envoy-upstream-service-time'] !== undefined);
    const fail = setup({ retries: { attempts: 0 } }, () => ({ failure: 'connect-refused', message: '' }), { sidecar: false });
    assert.equal(headersOf(await fail.send())['x-envoy-upstream-service-time'], undefined);
  });

  it('§4 ConvertPolicy: absent → default; attempts 0 → none; retryOn codes add retriable-status-codes; backoff base', () => {
    const atMost = versionGate('1.30');
    assert.equal(retryPolicyFrom(undefined, atMost, false)?.numRetries, 2);
    assert.equal(retryPolicyFrom({ attempts: 0 }, atMost, false), undefined);
    const p = retryPolicyFrom({ attempts: 4, retryOn: 'gateway-error,409', backoff: '0.1s' }, atMost, false)!;
    assert.deepEqual([...p.retryOn].sort(), ['gateway-error', 'retriable-status-codes']);
    assert.deepEqual([...p.retriableStatusCodes], [409]);
    assert.equal(p.backoffBaseMs, 100);
    assert.deepEqual([...defaultRetryPolicy(versionGate('1.23'), false).retriableStatusCodes], [503]);
  });

  it('§4 jittered exponential back-off: 25 ms base, retry n in [0, 25·2ⁿ⁻¹), capped at 250 ms', () => {
    const p = defaultRetryPolicy(versionGate('1.30'), false);
    const r = createSeededRandom(5);
    for (let n = 1; n <= 6; n++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelayMs(p, n, r);
        assert.ok(d >= 0 && d < Math.min(25 * 2 ** (n - 1), 250), `${n}: ${d}`);
      }
    }
  });
});
