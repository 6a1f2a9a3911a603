// meshConfig fields the proxy engine honours: §5/§8 enableAutoMtls and §4 defaultHttpRetryPolicy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/sandbox/types.js';
import type { MeshConfig } from '../../../../src/sandbox/mesh/mesh-config.js';
import { bodyOf, dr, harness, pa, pod, reply, service, snapshot, statusOf, vs } from './harness.js';

/** A meshed client and a meshed httpbin in `foo`; `extra` config; the app records each attempt's headers and answers `status`. */
function world(mesh: Partial<MeshConfig>, extra: KubeObject[] = [], opts: { status?: number; version?: string } = {}) {
  const client = pod('sleep', 'foo', { app: 'sleep' });
  const httpbin = pod('httpbin-1', 'foo', { app: 'httpbin' });
  const attempts: Record<string, string>[] = [];
  const h = harness(snapshot([client, httpbin, service('httpbin', 'foo', [{ port: 8000, targetPort: 8080 }]), ...extra], { mesh, istioVersion: opts.version }), {
    app: (_p, _port, req) => (attempts.push(req.headers), reply(opts.status ?? 200, JSON.stringify(req.headers))),
  });
  return { h, attempts, send: (path = '/get') => h.send(client, 'httpbin.foo:8000', path) };
}

describe('§5/§8 meshConfig.enableAutoMtls', () => {
  const strict = pa('default', 'foo', { mtls: { mode: 'STRICT' } });

  it('§8 on (the default): a sidecar client uses Istio mTLS towards a sidecar, so STRICT accepts it', async () => {
    const w = world({}, [strict]);
    assert.equal(statusOf(await w.send()), 200);
    assert.deepEqual(w.h.deliveries.map((d) => d.mtls), [true]);
  });

  it('§8 enableAutoMtls: false and no DestinationRule tls: plaintext, which STRICT resets → 503 connection termination at the client', async () => {
    const w = world({ enableAutoMtls: false }, [strict]);
    const r = await w.send();
    assert.equal(statusOf(r), 503);
    assert.match(bodyOf(r), /reset reason: connection termination/);
    assert.equal(w.attempts.length, 0, 'the app never saw the request');
    assert.ok(w.h.deliveries.every((d) => !d.mtls));
    assert.match(w.h.logsOf(pod('httpbin-1', 'foo', {}))[0], /"- - -" 0 NR filter_chain_not_found/);
  });

  it('§5 enableAutoMtls: false, PERMISSIVE server: plaintext is accepted (no X-Forwarded-Client-Cert)', async () => {
    const w = world({ enableAutoMtls: false });
    assert.equal(statusOf(await w.send()), 200);
    assert.equal(w.attempts[0]['x-forwarded-client-cert'], undefined);
  });

  it('§5 enableAutoMtls: false: an explicit DestinationRule tls ISTIO_MUTUAL still gives mTLS', async () => {
    const w = world({ enableAutoMtls: false }, [strict, dr('httpbin', 'foo', { host: 'httpbin', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } })]);
    assert.equal(statusOf(await w.send()), 200);
    assert.ok(w.attempts[0]['x-forwarded-client-cert']);
  });

  it('§14 Istio 1.4 has no auto mTLS whatever the mesh says', async () => {
    const w = world({ enableAutoMtls: true }, [strict], { version: '1.4' });
    assert.equal(statusOf(await w.send()), 503);
  });
});

describe('§4 meshConfig.defaultHttpRetryPolicy', () => {
  const routeWith = (rule: any) => vs('httpbin', 'foo', { hosts: ['httpbin'], http: [{ route: [{ destination: { host: 'httpbin' } }], ...rule }] });

  it('§4 unset: the built-in default (2 retries, no 5xx) leaves an upstream 500 alone', async () => {
    const w = world({}, [], { status: 500 });
    assert.equal(statusOf(await w.send()), 500);
    assert.equal(w.attempts.length, 1);
  });

  it('§4 {attempts: 3, retryOn: 5xx} retries a route without retries — also the default route (no VirtualService) — and counts x-envoy-attempt-count', async () => {
    for (const extra of [[], [routeWith({})]]) {
      const w = world({ defaultHttpRetryPolicy: { attempts: 3, retryOn: '5xx' } }, extra, { status: 500 });
      assert.equal(statusOf(await w.send()), 500);
      assert.deepEqual(w.attempts.map((h) => h['x-envoy-attempt-count']), ['1', '2', '3', '4']);
    }
  });

  it('§4 a retryOn list with a status code makes it retriable (retriable-status-codes added)', async () => {
    const w = world({ defaultHttpRetryPolicy: { attempts: 1, retryOn: '503' } }, [], { status: 503 });
    await w.send();
    assert.equal(w.attempts.length, 2);
  });

  it('§4 attempts: 0 turns retries off mesh-wide: a connect failure is not retried', async () => {
    const down = { failure: 'connect-refused' as const, message: 'refused' };
    const client = pod('sleep', 'foo', { app: 'sleep' });
    const objs = [client, pod('httpbin-1', 'foo', { app: 'httpbin' }, { sidecar: false }), service('httpbin', 'foo', [{ port: 8000, targetPort: 8080 }])];
    let calls = 0;
    const on = harness(snapshot(objs), { app: () => (calls++, down) });
    await on.send(client, 'httpbin.foo:8000', '/get');
    assert.equal(calls, 3, 'built-in default: 1 + 2 retries');
    calls = 0;
    const off = harness(snapshot(objs, { mesh: { defaultHttpRetryPolicy: { attempts: 0 } } }), { app: () => (calls++, down) });
    const r = await off.send(client, 'httpbin.foo:8000', '/get');
    assert.equal(statusOf(r), 503);
    assert.equal(calls, 1);
  });

  it('§4 a route with retries replaces the mesh default whole (no field-by-field merge): its retryOn falls back to the built-in one, not the mesh 5xx', async () => {
    const w = world({ defaultHttpRetryPolicy: { attempts: 3, retryOn: '5xx' } }, [routeWith({ retries: { attempts: 4 } })], { status: 500 });
    await w.send();
    assert.equal(w.attempts.length, 1, 'built-in retryOn does not cover a 500');
    const both = world({ defaultHttpRetryPolicy: { attempts: 3, retryOn: '5xx' } }, [routeWith({ retries: { attempts: 1, retryOn: '5xx' } })], { status: 500 });
    await both.send();
    assert.equal(both.attempts.length, 2, "the route's attempts, not the mesh's");
  });
});
