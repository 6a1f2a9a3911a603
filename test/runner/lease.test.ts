// ClusterLease against a sandbox, in process: acquire, refuse, wait, renew, lose, take over, and
// leave istio-lab-system exactly as it was when istio-lab did not create it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { connectCluster } from '../../src/cluster/kube.js';
import type { Cluster } from '../../src/cluster/types.js';
import { ClusterLease, LeaseHeldError, leaseRef, microTime } from '../../src/runner/lease.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: 'istio-lab-system' };

describe('ClusterLease (Lease istio-lab in istio-lab-system)', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
  });
  after(async () => {
    cluster.close();
    await sb.dispose();
  });

  it('refuses a second holder at once, naming the first; release removes the Lease and the namespace it created', async () => {
    const first = await ClusterLease.acquire(cluster, { command: 'run' });
    const live = await cluster.get(leaseRef);
    assert.equal(live?.spec.holderIdentity, first.holder.identity);
    assert.match(live?.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'MicroTime, as the API server writes it');
    await assert.rejects(ClusterLease.acquire(cluster, { command: 'reset' }), (err: Error) => {
      assert.ok(err instanceof LeaseHeldError);
      assert.match(err.message, new RegExp(`pid ${process.pid} on host ${hostname()} \\(istio-lab run\\), holding it since .* UTC \\(\\d+s ago\\), last renewed \\d+s ago`));
      assert.equal(err.exitCode, 2);
      return true;
    });
    await first.release();
    assert.equal(await cluster.get(leaseRef), undefined);
    assert.equal(await cluster.get(nsRef), undefined, 'istio-lab-system was created for the lease, so it goes with it');
  });

  it('a waiting holder gets the lease as soon as the first releases it (watch, not a poll)', async () => {
    const first = await ClusterLease.acquire(cluster, { command: 'run' });
    const notices: string[] = [];
    const waiting = ClusterLease.acquire(cluster, { command: 'run', waitMs: 20_000, notice: (l) => notices.push(l) });
    await new Promise((r) => setTimeout(r, 300));
    const releasedAt = Date.now();
    await first.release();
    const second = await waiting;
    assert.ok(Date.now() - releasedAt < 1000, `took ${Date.now() - releasedAt} ms after the release`);
    assert.match(notices.join('\n'), /Waiting up to 20s for another istio-lab to release the lease: pid \d+/);
    await second.release();
  });

  it('renews renewTime in the background and notices when another istio-lab takes the lease over', async () => {
    const lost: unknown[] = [];
    const held = await ClusterLease.acquire(cluster, { command: 'run', durationSeconds: 1, onLost: (by) => lost.push(by) });
    const firstRenew = Date.parse((await cluster.get(leaseRef))!.spec.renewTime);
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(Date.parse((await cluster.get(leaseRef))!.spec.renewTime) > firstRenew, 'renewed');
    const thief = await ClusterLease.acquire(cluster, { command: 'reset', force: true });
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(lost.length, 1, 'the first holder noticed it lost the lease');
    assert.equal(held.lost, true);
    await held.release(); // must not delete the thief's lease
    assert.equal((await cluster.get(leaseRef))?.spec.holderIdentity, thief.holder.identity);
    await thief.release();
    assert.equal(await cluster.get(leaseRef), undefined);
  });

  it('takes over an expired lease with a conditional replace, counting the transition', async () => {
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-lab-system', labels: { 'app.kubernetes.io/managed-by': 'istio-lab' } } });
    const old = Date.now() - 120_000;
    await cluster.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'istio-lab', namespace: 'istio-lab-system' }, spec: { holderIdentity: 'gone/4242/dead', leaseDurationSeconds: 30, acquireTime: microTime(old), renewTime: microTime(old), leaseTransitions: 3 } });
    const notices: string[] = [];
    const held = await ClusterLease.acquire(cluster, { command: 'run', notice: (l) => notices.push(l) });
    const live = await cluster.get(leaseRef);
    assert.equal(live?.spec.holderIdentity, held.holder.identity);
    assert.equal(live?.spec.leaseTransitions, 4);
    assert.match(notices.join('\n'), /Taking over the istio-lab lease from "gone\/4242\/dead".*: its lease expired/);
    await held.release();
    assert.equal(await cluster.get(nsRef), undefined);
  });

  it('never deletes an istio-lab-system namespace that istio-lab did not create', async () => {
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-lab-system', labels: { team: 'platform' } } });
    const held = await ClusterLease.acquire(cluster, { command: 'reset' });
    await held.release();
    assert.equal(await cluster.get(leaseRef), undefined);
    assert.deepEqual((await cluster.get(nsRef))?.metadata.labels?.team, 'platform');
    await cluster.delete(nsRef);
  });
});
