// RetryingCluster.watch over a scripted flaky cluster: dropped streams resume from the last
// resourceVersion (no event lost or repeated), 410 Gone ends the watch so the caller relists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RetryingCluster } from '../../src/cluster/retrying.js';
import type { ClusterWatchEvent, KubeObject } from '../../src/cluster/types.js';
import { waitForList } from '../../src/waits/watch.js';
import { errors, ScriptedCluster } from './scripted-cluster.js';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } });
const podRef = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', name, namespace: 'default' });

function setup() {
  const fake = new ScriptedCluster();
  const cluster = new RetryingCluster(fake, { sleep: async () => undefined });
  return { fake, cluster };
}

/** Watch until `until` holds for the events seen, then stop; resolves with the events. */
async function collect(cluster: RetryingCluster, from: string | undefined, until: (seen: ClusterWatchEvent[]) => boolean): Promise<ClusterWatchEvent[]> {
  const seen: ClusterWatchEvent[] = [];
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 3000);
  await cluster.watch('v1', 'Pod', { namespace: 'default', resourceVersion: from }, (e) => {
    seen.push(e);
    if (until(seen)) stop.abort();
  }, stop.signal);
  clearTimeout(timer);
  return seen;
}

describe('RetryingCluster.watch', () => {
  it('resumes dropped streams from the last resourceVersion: every event once, in order', async () => {
    const { fake, cluster } = setup();
    for (const n of ['a', 'b', 'c', 'd', 'e']) fake.put(pod(n));
    // a, b then a reset; c then a clean end the caller did not ask for; then d, e on a healthy stream.
    fake.watches.push({ events: 2, end: errors.fetch('ECONNRESET') }, { events: 1, end: 'clean' }, {});
    const seen = await collect(cluster, '10', (s) => s.length >= 5);
    assert.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED a', 'ADDED b', 'ADDED c', 'ADDED d', 'ADDED e']);
    assert.deepEqual(fake.watchFrom, ['10', '12', '13']);
    assert.equal(cluster.retries, 2);
  });

  it('does not lose events that happen while the stream is down', async () => {
    const { fake, cluster } = setup();
    fake.put(pod('a'));
    fake.watches.push({ events: 1, end: errors.transport('ECONNRESET'), beforeEnd: () => (fake.remove(podRef('a')), fake.put(pod('b'))) }, {});
    const seen = await collect(cluster, '10', (s) => s.length >= 3);
    assert.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED a', 'DELETED a', 'ADDED b']);
  });

  it('ends (without forwarding anything stale) on 410 Gone at open, or as an ERROR event', async () => {
    for (const goneAsEvent of [false, true]) {
      const { fake, cluster } = setup();
      fake.put(pod('a'));
      fake.compactedBelow = 100;
      fake.watches.push({ goneAsEvent });
      const seen = await collect(cluster, '10', () => false);
      assert.deepEqual(seen, [], `goneAsEvent=${goneAsEvent}`);
      assert.equal(cluster.retries, 0);
    }
  });

  it('relists through the caller after 410: a wait ends with the true state, not a stale one', async () => {
    const { fake, cluster } = setup();
    fake.put(pod('a'));
    // The stream drops; while it is down a is deleted, b created, and history compacted past the
    // last resourceVersion seen, so the reopen gets 410 and waitForList must relist.
    fake.watches.push({ events: 0, end: errors.fetch('ECONNRESET'), beforeEnd: () => (fake.remove(podRef('a')), fake.put(pod('b')), (fake.compactedBelow = fake.rv + 1)) });
    const ctx = { cluster, signal: new AbortController().signal };
    const items = await waitForList(ctx, { apiVersion: 'v1', kind: 'Pod' }, { namespace: 'default' }, (pods) => pods.some((p) => p.metadata.name === 'b'), 3000, 'pod b');
    assert.deepEqual(items.map((p) => p.metadata.name), ['b']);
    assert.deepEqual(fake.watchFrom, ['11', '11'], 'resumed once from the listed resourceVersion, then 410');
    assert.equal(fake.calls.filter((c) => c === 'list').length, 2, 'relisted after 410');
  });

  it('surfaces a non-retryable failure at open unchanged', async () => {
    const { fake, cluster } = setup();
    const forbidden = errors.watchStatus(403);
    fake.watches.push({ open: forbidden });
    await assert.rejects(cluster.watch('v1', 'Pod', { resourceVersion: '10' }, () => undefined, new AbortController().signal), (e) => e === forbidden);
  });

  it('rejects with the drop when there is no resourceVersion to resume from', async () => {
    const { fake, cluster } = setup();
    const reset = errors.fetch('ECONNRESET');
    fake.watches.push({ events: 0, end: reset });
    fake.rv = 0;
    await assert.rejects(cluster.watch('v1', 'Pod', {}, () => undefined, new AbortController().signal), (e) => e === reset);
  });

  it('gives up with the last error after maxAttempts drops in a row without progress', async () => {
    const { fake, cluster } = setup();
    const drops = Array.from({ length: 6 }, () => errors.fetch('ECONNRESET'));
    fake.watches.push(...drops.map((end) => ({ events: 0, end })));
    await assert.rejects(cluster.watch('v1', 'Pod', { resourceVersion: '10' }, () => undefined, new AbortController().signal), (e) => e === drops[5]);
    assert.equal(fake.watchFrom.length, 6);
  });
});
