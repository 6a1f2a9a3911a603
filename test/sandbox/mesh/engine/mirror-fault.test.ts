// §2 mirroring and §3 fault injection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf, delay, harness, headersOf, pod, reply, service, snapshot, statusOf, vs } from './harness.js';

function mirrorWorld(rule: any, version = '1.30', app?: (name: string) => Promise<any> | any) {
  const client = pod('sleep', 'default', { app: 'sleep' });
  const v1 = pod('httpbin-v1', 'default', { app: 'httpbin', version: 'v1' });
  const v2 = pod('httpbin-v2', 'default', { app: 'httpbin', version: 'v2' });
  const d = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'httpbin', namespace: 'default' }, spec: { host: 'httpbin', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } };
  const v = vs('httpbin', 'default', { hosts: ['httpbin'], http: [{ route: [{ destination: { host: 'httpbin', subset: 'v1' } }], ...rule }] });
  const h = harness(snapshot([client, v1, v2, d, v, service('httpbin', 'default', [{ port: 8000, targetPort: 8080 }])], { istioVersion: version }), {
    app: (p, _port, req) => (app ? app(p.metadata.name!) : reply(200, `${p.metadata.name} ${req.authority}`)),
  });
  return { h, send: (path = '/headers') => h.send(client, 'httpbin:8000', path) };
}

const toV2 = { host: 'httpbin', subset: 'v2' };

describe('§2 mirroring', () => {
  it('§2 mirror without mirrorPercentage mirrors 100 %, and the mirror host has no -shadow suffix from 1.28', async () => {
    const { h, send } = mirrorWorld({ mirror: toV2 });
    assert.equal(bodyOf(await send()), 'httpbin-v1 httpbin:8000');
    await delay(5);
    const shadow = h.deliveries.find((d) => d.pod === 'httpbin-v2');
    assert.ok(shadow);
    assert.equal(shadow.request.authority, 'httpbin:8000');
  });

  it('§2/§14 up to Istio 1.27 the mirror host gets the -shadow suffix', async () => {
    const { h, send } = mirrorWorld({ mirror: toV2 }, '1.27');
    await send();
    await delay(5);
    assert.equal(h.deliveries.find((d) => d.pod === 'httpbin-v2')?.request.authority, 'httpbin-shadow:8000');
  });

  it('§2 mirrorPercentage.value 0 disables mirroring', async () => {
    const { h, send } = mirrorWorld({ mirror: toV2, mirrorPercentage: { value: 0 } });
    for (let i = 0; i < 20; i++) await send();
    await delay(5);
    assert.equal(h.deliveries.filter((d) => d.pod === 'httpbin-v2').length, 0);
  });

  it('§2 mirrorPercentage 50 mirrors about half; legacy mirrorPercent is N/100', async () => {
    const half = mirrorWorld({ mirror: toV2, mirrorPercentage: { value: 50 } });
    for (let i = 0; i < 400; i++) await half.send();
    await delay(5);
    const n = half.h.deliveries.filter((d) => d.pod === 'httpbin-v2').length;
    assert.ok(n > 160 && n < 240, String(n));
    const legacy = mirrorWorld({ mirror: toV2, mirrorPercent: 0 });
    for (let i = 0; i < 10; i++) await legacy.send();
    await delay(5);
    assert.equal(legacy.h.deliveries.filter((d) => d.pod === 'httpbin-v2').length, 0);
  });

  it('§2 mirrors[] sends to several targets; percentage defaults to 100 %', async () => {
    const { h, send } = mirrorWorld({ mirrors: [{ destination: toV2 }, { destination: { host: 'httpbin', subset: 'v1' }, percentage: { value: 100 } }] });
    await send();
    await delay(5);
    assert.equal(h.deliveries.length, 3);
  });

  it('§2 fire and forget: the response does not wait for a slow mirror, whose answer is discarded', async () => {
    const { h, send } = mirrorWorld({ mirror: toV2 }, '1.30', async (name) => (name === 'httpbin-v2' ? (await delay(200), reply(500, 'mirror')) : reply(200, 'primary')));
    const t0 = Date.now();
    const r = await send();
    assert.ok(Date.now() - t0 < 150);
    assert.equal(bodyOf(r), 'primary');
    assert.equal(h.deliveries.length, 2);
  });

  it('§2 requests aborted by the fault filter are not mirrored', async () => {
    const { h, send } = mirrorWorld({ mirror: toV2, fault: { abort: { httpStatus: 500, percentage: { value: 100 } } } });
    assert.equal(statusOf(await send()), 500);
    await delay(5);
    assert.equal(h.deliveries.length, 0);
  });
});

describe('§3 fault injection', () => {
  it('§3 abort 100 % → configured status, body "fault filter abort", flag FI, no upstream call', async () => {
    const { h, send } = mirrorWorld({ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } } });
    const r = await send();
    assert.equal(statusOf(r), 503);
    assert.equal(bodyOf(r), 'fault filter abort');
    assert.equal(headersOf(r)['content-length'], '18');
    assert.equal(headersOf(r)['x-envoy-upstream-service-time'], undefined);
    assert.equal(h.deliveries.length, 0);
    assert.match(h.logs[0].line, /" 503 FI fault_filter_abort /);
  });

  it('§3 no percentage means nothing is injected (abort and delay)', async () => {
    const { send } = mirrorWorld({ fault: { abort: { httpStatus: 500 }, delay: { fixedDelay: '5s' } } });
    const t0 = Date.now();
    assert.equal(statusOf(await send()), 200);
    assert.ok(Date.now() - t0 < 100);
  });

  it('§3 legacy abort.percent is ignored (removed in 1.5)', async () => {
    const { send } = mirrorWorld({ fault: { abort: { httpStatus: 500, percent: 100 } } });
    assert.equal(statusOf(await send()), 200);
  });

  it('§3 delay 100 % holds the request for fixedDelay and logs DI with the upstream status', async () => {
    const { h, send } = mirrorWorld({ fault: { delay: { fixedDelay: '0.06s', percentage: { value: 100 } } } });
    const t0 = Date.now();
    assert.equal(statusOf(await send()), 200);
    assert.ok(Date.now() - t0 >= 55);
    assert.match(h.logs.find((l) => l.pod === 'sleep')!.line, /" 200 DI via_upstream /);
  });

  it('§3 legacy delay.percent is honoured when percentage is absent', async () => {
    const { send } = mirrorWorld({ fault: { delay: { fixedDelay: '0.05s', percent: 100 } } });
    const t0 = Date.now();
    await send();
    assert.ok(Date.now() - t0 >= 45);
  });

  it('§3 delay and abort are drawn independently; the abort after a delay carries DI,FI', async () => {
    const { h, send } = mirrorWorld({ fault: { delay: { fixedDelay: '0.01s', percentage: { value: 100 } }, abort: { httpStatus: 500, percentage: { value: 100 } } } });
    assert.equal(statusOf(await send()), 500);
    assert.match(h.logs[0].line, /" 500 DI,FI fault_filter_abort /);
  });

  it('§3 abort percentage 25 aborts about a quarter of requests', async () => {
    const { send } = mirrorWorld({ fault: { abort: { httpStatus: 500, percentage: { value: 25 } } } });
    let aborted = 0;
    for (let i = 0; i < 400; i++) if (statusOf(await send()) === 500) aborted++;
    assert.ok(aborted > 70 && aborted < 130, String(aborted));
  });

  it('§3 an abort is never retried, even with a retry policy for its status', async () => {
    const { h, send } = mirrorWorld({ retries: { attempts: 3, retryOn: '5xx' }, fault: { abort: { httpStatus: 503, percentage: { value: 100 } } } });
    assert.equal(statusOf(await send()), 503);
    assert.equal(h.deliveries.length, 0);
  });

  it('§3 an injected delay does not count against the route timeout', async () => {
    const { send } = mirrorWorld({ timeout: '0.05s', fault: { delay: { fixedDelay: '0.1s', percentage: { value: 100 } } } });
    assert.equal(statusOf(await send()), 200);
  });

  it('§3 grpcStatus aborts answer HTTP 200 with grpc-status', async () => {
    const { send } = mirrorWorld({ fault: { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } } });
    const r = await send();
    assert.equal(statusOf(r), 200);
    assert.equal(headersOf(r)['grpc-status'], '14');
  });
});
