// RetryingCluster over a scripted flaky cluster: which failures are retried, how long it waits,
// when it gives up, and how writes whose unanswered first attempt landed are reconciled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RetryingCluster } from '../../src/cluster/retrying.js';
import type { RetryPolicy } from '../../src/cluster/retry-policy.js';
import type { KubeObject } from '../../src/cluster/types.js';
import { createSeededRandom } from '../../src/sandbox/runtime/determinism.js';
import { errors, ScriptedCluster } from './scripted-cluster.js';

/** A retrying cluster over a fake, with a fake clock that the recorded backoffs advance. */
function setup(policy: Partial<RetryPolicy> = {}) {
  const fake = new ScriptedCluster();
  const delays: number[] = [];
  let clock = 0;
  const cluster = new RetryingCluster(fake, { random: createSeededRandom(7), sleep: async (ms) => void (delays.push(ms), (clock += ms)), now: () => clock, ...policy });
  return { fake, cluster, delays };
}

const cm = (name: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { owner: 'istio-lab' } }, data });
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'default' });

describe('RetryingCluster: which failures are retried', () => {
  const transient: [string, unknown][] = [
    ['500 InternalError', errors.status(500, 'InternalError')],
    ['503 ServiceUnavailable', errors.status(503, 'ServiceUnavailable')],
    ['504 Timeout', errors.status(504, 'Timeout')],
    ['429 TooManyRequests', errors.status(429, 'TooManyRequests', 1)],
    ['connection reset', errors.transport('ECONNRESET')],
    ['connection refused', errors.transport('ECONNREFUSED')],
    ['timeout', errors.transport('ETIMEDOUT')],
    ['reset seen by fetch (watch)', errors.fetch('ECONNRESET')],
    ['503 seen by client-node Watch', errors.watchStatus(503)],
  ];
  for (const [name, err] of transient) {
    it(`retries a read after ${name}`, async () => {
      const { fake, cluster } = setup();
      fake.put(cm('a'));
      fake.faults.get = [{ before: err }];
      assert.equal((await cluster.get(ref('a')))?.metadata.name, 'a');
      assert.deepEqual(fake.calls, ['get', 'get']);
      assert.equal(cluster.retries, 1);
    });
  }

  for (const code of [400, 401, 403, 404, 409, 422]) {
    it(`surfaces ${code} unchanged after one attempt`, async () => {
      const { fake, cluster } = setup();
      const err = errors.status(code, 'Nope');
      fake.faults.apply = [{ before: err }];
      await assert.rejects(cluster.apply(cm('a'), { fieldManager: 'istio-lab' }), (e) => e === err);
      assert.deepEqual(fake.calls, ['apply']);
      assert.equal(cluster.retries, 0);
    });
  }

  it('does not retry TLS failures or errors that are not the API\'s', async () => {
    const { fake, cluster } = setup();
    const tls = errors.transport('DEPTH_ZERO_SELF_SIGNED_CERT');
    fake.faults.version = [{ before: tls }, { before: new Error('boom') }];
    await assert.rejects(cluster.version(), (e) => e === tls);
    await assert.rejects(cluster.version(), /boom/);
    assert.equal(cluster.retries, 0);
  });

  it('retries discovery, lists, logs and exec connections that failed to open, but not an exec refused with 404', async () => {
    const { fake, cluster } = setup();
    Object.assign(fake.faults, { resource: [{ before: errors.status(503, 'x') }], list: [{ before: errors.transport('ECONNRESET') }], logs: [{ before: errors.status(500, 'x') }], exec: [{ before: errors.wsOpen(503) }] });
    await cluster.resource('v1', 'Pod');
    await cluster.list('v1', 'ConfigMap');
    assert.equal(await cluster.logs('default', 'p'), 'log line');
    assert.equal((await cluster.exec('default', 'p', undefined, ['true'])).code, 0);
    fake.faults.exec = [{ before: errors.wsOpen(404) }];
    await assert.rejects(cluster.exec('default', 'p', undefined, ['true']), /object Object/);
    assert.equal(cluster.retries, 4);
  });
});

describe('RetryingCluster: backoff and budget', () => {
  it('backs off exponentially with full jitter, reproducibly under a seed, capped at maxDelayMs', async () => {
    const run = async () => {
      const { fake, cluster, delays } = setup({ maxAttempts: 9, random: createSeededRandom(42) });
      fake.put(cm('a'));
      fake.faults.get = Array.from({ length: 8 }, () => ({ before: errors.status(503, 'x') }));
      await cluster.get(ref('a'));
      return delays;
    };
    const delays = await run();
    assert.deepEqual(await run(), delays, 'same seed, same delays');
    assert.equal(delays.length, 8);
    delays.forEach((d, i) => assert.ok(d >= 0 && d < Math.min(2000, 100 * 2 ** i), `retry ${i + 1} waited ${d}ms`));
    assert.ok(new Set(delays).size > 4, 'jittered, not constant');
    const { fake, cluster, delays: top } = setup({ maxAttempts: 9, random: () => 0.999 });
    fake.faults.version = Array.from({ length: 8 }, () => ({ before: errors.transport('ECONNRESET') }));
    await cluster.version();
    assert.deepEqual(top, [99, 199, 399, 799, 1598, 1998, 1998, 1998]);
  });

  it('honours Retry-After, capped at maxRetryAfterMs', async () => {
    const { fake, cluster, delays } = setup();
    fake.faults.version = [{ before: errors.status(429, 'TooManyRequests', 3) }, { before: errors.status(429, 'TooManyRequests', 60) }];
    await cluster.version();
    assert.deepEqual(delays, [3000, 5000]);
  });

  it('gives up after maxAttempts with the last error, unchanged', async () => {
    const { fake, cluster } = setup();
    const errs = Array.from({ length: 6 }, (_, i) => errors.status(503, `attempt ${i + 1}`));
    fake.faults.list = errs.map((e) => ({ before: e }));
    await assert.rejects(cluster.list('v1', 'ConfigMap'), (e) => e === errs[5]);
    assert.equal(fake.calls.length, 6);
  });

  it('gives up when the next backoff would end past the time budget', async () => {
    const { fake, cluster } = setup({ budgetMs: 2500 });
    fake.faults.version = Array.from({ length: 5 }, () => ({ before: errors.status(429, 'TooManyRequests', 1) }));
    await assert.rejects(cluster.version(), /TooManyRequests/);
    assert.equal(fake.calls.length, 3, 'retries at t=1s and t=2s; a third would end at 3s > 2.5s');
  });

  it('Ctrl-C during a backoff ends it at once with the last error', async () => {
    const controller = new AbortController();
    const fake = new ScriptedCluster();
    const cluster = new RetryingCluster(fake, { signal: controller.signal, maxRetryAfterMs: 10_000 });
    const err = errors.status(429, 'TooManyRequests', 10);
    fake.faults.version = [{ before: err }];
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(cluster.version(), (e) => e === err);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started}ms`);
    assert.equal(fake.calls.length, 1);
    fake.faults.version = [{ before: errors.status(503, 'x') }];
    await assert.rejects(cluster.version(), /503/, 'no retries once interrupted');
    assert.equal(fake.calls.length, 2);
  });
});

describe('RetryingCluster: writes whose first attempt may have landed', () => {
  it('create: a reset after the object was created, then 409 on the retry, returns that object (one copy)', async () => {
    const { fake, cluster } = setup();
    fake.faults.create = [{ after: errors.transport('ECONNRESET') }];
    const created = await cluster.create(cm('a'));
    assert.equal(created.metadata.name, 'a');
    assert.deepEqual(fake.calls, ['create', 'create', 'get']);
    assert.equal(fake.objects.size, 1);
  });

  it('create: 409 for someone else\'s object after a retry surfaces the 409', async () => {
    const { fake, cluster } = setup();
    fake.put(cm('a', { k: 'theirs' }));
    fake.faults.create = [{ before: errors.transport('ECONNRESET') }];
    await assert.rejects(cluster.create(cm('a')), (e: any) => e.status === 409);
    assert.equal(fake.objects.get('ConfigMap/default/a')?.data.k, 'theirs');
  });

  it('create: 409 on the first attempt surfaces without a read-back', async () => {
    const { fake, cluster } = setup();
    fake.put(cm('a'));
    await assert.rejects(cluster.create(cm('a')), (e: any) => e.status === 409);
    assert.deepEqual(fake.calls, ['create']);
  });

  it('delete: 404 after a retry whose first attempt deleted the object is success', async () => {
    const { fake, cluster } = setup();
    fake.put(cm('a'));
    fake.faults.delete = [{ after: errors.transport('ECONNRESET') }];
    assert.equal(await cluster.delete(ref('a')), true);
    assert.equal(fake.objects.size, 0);
    fake.faults.delete = [{ before: errors.status(503, 'x') }];
    assert.equal(await cluster.delete(ref('a')), false, 'a 503 proves nothing was deleted: still "already gone"');
  });

  it('replace with a resourceVersion: 409 after a landed attempt is success when the object holds what was sent', async () => {
    const { fake, cluster } = setup();
    const v1 = fake.put(cm('a'));
    fake.faults.replace = [{ after: errors.transport('ECONNRESET') }];
    const replaced = await cluster.replace({ ...v1, data: { k: 'v2' } });
    assert.equal(replaced.data.k, 'v2');
    assert.deepEqual(fake.calls, ['replace', 'replace', 'get']);
  });

  it('replace with a stale resourceVersion still fails with 409 when the object is not what was sent', async () => {
    const { fake, cluster } = setup();
    const v1 = fake.put(cm('a'));
    fake.faults.replace = [{ before: errors.transport('ECONNRESET') }];
    fake.put(cm('a', { k: 'theirs' }));
    await assert.rejects(cluster.replace({ ...v1, data: { k: 'mine' } }), (e: any) => e.status === 409);
  });

  it('JSON patches that are not idempotent are retried only when the failure proves they were not applied', async () => {
    const { fake, cluster } = setup();
    fake.put(cm('a'));
    const add = [{ op: 'add', path: '/metadata/labels/x', value: '1' }];
    fake.faults.patch = [{ after: errors.transport('ECONNRESET') }];
    await assert.rejects(cluster.patch(ref('a'), add, 'json'), /ECONNRESET/);
    fake.faults.patch = [{ before: errors.status(503, 'x') }];
    await cluster.patch(ref('a'), add, 'json');
    fake.faults.patch = [{ after: errors.transport('ECONNRESET') }];
    await cluster.patch(ref('a'), { metadata: { labels: { y: '1' } } }, 'merge');
    assert.deepEqual(fake.calls, ['patch', 'patch', 'patch', 'patch', 'patch']);
    assert.equal(fake.objects.get('ConfigMap/default/a')?.metadata.labels?.n, '2', 'each json patch landed once: the unanswered one was not sent again');
  });
});
