// 20 client-node workers creating, replacing, patching and deleting ConfigMaps (their own, plus one
// counter they all increment with conditional replaces) for a bounded time, while watches follow:
// no acknowledged write is lost, resourceVersions only grow (per object and in every watch stream),
// and every watcher sees exactly the events of its selector, in commit order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { createRandom } from '../../src/stats/random.js';
import { eventually, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const workerCount = 20;
const objectsPerWorker = 4;
const durationMs = Number(process.env.ISTIO_LAB_CONCURRENCY_MS ?? 10_000);
const seed = Number(process.env.ISTIO_LAB_CONCURRENCY_SEED ?? 20);
const ns = 'concurrency';
const suiteLabel = 'istio-lab.test/concurrency';

/** An acknowledged write (the API answered 2xx), or an event a watcher saw. */
interface Change {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  name: string;
  value: string;
  rv: number;
}

const show = (c: Change) => `${c.type} ${c.name}=${c.value}`;
const isConflict = (err: unknown) => (err as { code?: number }).code === 409;
let conflicts = 0;

describe(`sandbox under ${workerCount} concurrent client-node workers (CRUD + watch, ${durationMs / 1000}s, seed ${seed})`, () => {
  let sb: TestSandbox;
  let core: k8s.CoreV1Api;
  const acks = new Map<string, Change[]>(); // by worker label value ('w3', or 'shared')
  const seen = new Map<string, Change[]>(); // by watcher ('w3', or 'all')
  const watchErrors: unknown[] = [];
  const aborts: AbortController[] = [];

  async function writeAs(worker: string, random: () => number, deadline: number): Promise<void> {
    const log = acks.get(worker)!;
    const live = new Map<string, { rv: string; value: string }>();
    let seq = 0;
    const record = (type: Change['type'], name: string, value: string, obj: k8s.V1ConfigMap | undefined) => {
      log.push({ type, name, value, rv: Number(obj?.metadata?.resourceVersion ?? NaN) });
      if (type === 'DELETED') live.delete(name);
      else live.set(name, { rv: obj!.metadata!.resourceVersion!, value });
    };
    while (Date.now() < deadline) {
      if (random() < 0.05) {
        await incrementShared();
        continue;
      }
      const name = `${worker}-${Math.floor(random() * objectsPerWorker)}`;
      const value = `${worker}#${++seq}`;
      const current = live.get(name);
      const labels = { [suiteLabel]: 'yes', worker };
      const r = random();
      if (!current) record('ADDED', name, value, await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels }, data: { v: value } } }));
      else if (r < 0.4) record('MODIFIED', name, value, await core.replaceNamespacedConfigMap({ name, namespace: ns, body: { metadata: { name, labels, resourceVersion: current.rv }, data: { v: value } } }));
      else if (r < 0.75) record('MODIFIED', name, value, await core.patchNamespacedConfigMap({ name, namespace: ns, body: { data: { v: value } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch)));
      else {
        await core.deleteNamespacedConfigMap({ name, namespace: ns });
        record('DELETED', name, current.value, undefined);
      }
    }
  }

  /** Read-modify-write of the shared counter, retried on 409 Conflict until one write is acknowledged. */
  async function incrementShared(): Promise<void> {
    while (true) {
      const cm = await core.readNamespacedConfigMap({ name: 'shared', namespace: ns });
      const value = String(Number(cm.data!.n) + 1);
      try {
        const saved = await core.replaceNamespacedConfigMap({ name: 'shared', namespace: ns, body: { ...cm, data: { n: value } } });
        acks.get('shared')!.push({ type: 'MODIFIED', name: 'shared', value, rv: Number(saved.metadata!.resourceVersion) });
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
        conflicts++;
      }
    }
  }

  async function follow(watcher: string, labelSelector: string, resourceVersion: string): Promise<void> {
    const events: Change[] = [];
    seen.set(watcher, events);
    const req = await new k8s.Watch(sb.kc).watch(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector, resourceVersion }, (type, obj: k8s.V1ConfigMap) => {
      if (type === 'BOOKMARK') return;
      events.push({ type: type as Change['type'], name: obj.metadata!.name!, value: obj.data?.v ?? obj.data?.n ?? '', rv: Number(obj.metadata!.resourceVersion) });
    }, (err) => {
      if (err && (err as Error).name !== 'AbortError') watchErrors.push(err);
    });
    aborts.push(req);
  }

  before(async () => {
    sb = await startTestSandbox();
    core = sb.kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const shared = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'shared', labels: { [suiteLabel]: 'yes', worker: 'shared' } }, data: { n: '0' } } });
    const from = shared.metadata!.resourceVersion!;
    for (let w = 0; w < workerCount; w++) await follow(`w${w}`, `worker=w${w}`, from);
    await follow('all', `${suiteLabel}=yes`, from);
    const workers = ['shared', ...Array.from({ length: workerCount }, (_, w) => `w${w}`)];
    for (const w of workers) acks.set(w, []);
    const deadline = Date.now() + durationMs;
    await Promise.all(workers.slice(1).map((w, i) => writeAs(w, createRandom(seed * 1000 + i), deadline)));
    // Let the watchers catch up with the last acknowledged write (the assertions show what is missing).
    const total = [...acks.values()].flat().length;
    const caughtUp = () => seen.get('all')!.length >= total && workers.slice(1).every((w) => seen.get(w)!.length >= acks.get(w)!.length);
    await eventually(caughtUp, 15_000).catch(() => undefined);
  });
  after(async () => {
    for (const a of aborts) a.abort();
    await sb.dispose();
  });

  it('did real concurrent work', (t) => {
    const total = [...acks.values()].flat().length;
    const deletes = [...acks.values()].flat().filter((c) => c.type === 'DELETED').length;
    t.diagnostic(`${total} acknowledged writes (${deletes} deletes, ${acks.get('shared')!.length} counter increments after ${conflicts} 409 conflicts); ${seen.get('all')!.length} events on the all-objects watch`);
    assert.ok(total > workerCount * 5, `only ${total} acknowledged writes`);
    assert.ok(acks.get('shared')!.length > workerCount, `only ${acks.get('shared')!.length} counter increments`);
    assert.deepEqual(watchErrors, [], 'every watch stayed open');
  });

  it('loses no acknowledged write: the final state is each object\'s last acknowledged write', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: `${suiteLabel}=yes` });
    const final = new Map(list.items.map((cm) => [cm.metadata!.name!, { value: cm.data?.v ?? cm.data?.n, rv: Number(cm.metadata!.resourceVersion) }]));
    const last = new Map<string, Change>();
    for (const [w, log] of acks) if (w !== 'shared') for (const c of log) last.set(c.name, c);
    const shared = acks.get('shared')!;
    assert.equal(final.get('shared')?.value, String(shared.length), 'every acknowledged increment of the shared counter counted once');
    assert.equal(final.get('shared')?.rv, Math.max(...shared.map((c) => c.rv)), 'the counter\'s last write is its newest');
    for (const [name, c] of last) {
      if (c.type === 'DELETED') assert.equal(final.has(name), false, `${name} was deleted last, yet exists`);
      else assert.deepEqual(final.get(name), { value: c.value, rv: c.rv }, `${name}: last acknowledged ${show(c)}@${c.rv}`);
    }
    assert.deepEqual([...final.keys()].filter((n) => !last.has(n) && n !== 'shared'), [], 'no object nobody wrote');
  });

  it('keeps resourceVersions strictly increasing per object and orders counter writes by resourceVersion', () => {
    for (const [w, log] of acks) {
      if (w === 'shared') {
        const byRv = [...log].sort((a, b) => a.rv - b.rv).map((c) => Number(c.value));
        assert.deepEqual(byRv, byRv.map((_, i) => i + 1), 'counter values follow resourceVersion order with no gaps or repeats');
        continue;
      }
      const perObject = new Map<string, number>();
      for (const c of log.filter((x) => x.type !== 'DELETED')) {
        assert.ok(c.rv > (perObject.get(c.name) ?? 0), `${c.name}: resourceVersion ${c.rv} after ${perObject.get(c.name)}`);
        perObject.set(c.name, c.rv);
      }
    }
  });

  it('every watch stream has strictly increasing resourceVersions', () => {
    for (const [watcher, events] of seen) {
      const bad = events.findIndex((e, i) => i > 0 && !(e.rv > events[i - 1].rv));
      assert.equal(bad, -1, `${watcher}: ${bad >= 0 ? `${show(events[bad])}@${events[bad].rv} after @${events[bad - 1].rv}` : ''}`);
    }
  });

  it('every watcher sees every event of its selector, in order', () => {
    for (const [w, log] of acks) {
      if (w === 'shared') continue;
      assert.deepEqual(seen.get(w)!.map(show), log.map(show), `watcher worker=${w}`);
      const acked = log.filter((c) => c.type !== 'DELETED').map((c) => c.rv);
      assert.deepEqual(seen.get(w)!.filter((c) => c.type !== 'DELETED').map((c) => c.rv), acked, `watcher worker=${w}: resourceVersions`);
    }
    const all = seen.get('all')!;
    for (const [w, log] of acks) {
      const mine = all.filter((e) => (w === 'shared' ? e.name === 'shared' : e.name.startsWith(`${w}-`)));
      if (w === 'shared') assert.deepEqual(mine.map((e) => e.rv), [...log].sort((a, b) => a.rv - b.rv).map((c) => c.rv), 'all-watcher: counter writes');
      else assert.deepEqual(mine.map(show), log.map(show), `all-watcher: worker ${w}'s writes`);
    }
    assert.equal(all.length, [...acks.values()].flat().length, 'all-watcher: nothing extra');
  });
});
