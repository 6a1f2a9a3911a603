// Two istio-lab processes against one cluster are serialised by the Lease istio-lab: a second run
// is refused naming the holder (or waits with --wait-lock), verify never waits, a dead holder's
// lease is taken over, a live one only with reset --force-unlock, and Ctrl-C releases it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { spawnCli } from '../helpers/cli-process.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

describe('one istio-lab at a time per cluster (Lease istio-lab in istio-lab-system)', () => {
  const env = isolatedEnv({ ISTIO_LAB_ROOT: join(process.cwd(), 'test/fixtures/e2e-repo') });
  let kc: k8s.KubeConfig;
  let leases: k8s.CoordinationV1Api;
  let core: k8s.CoreV1Api;
  let pristine: Map<string, string>;
  const readLease = () => leases.readNamespacedLease({ name: 'istio-lab', namespace: 'istio-lab-system' }).catch(() => undefined);
  /** A lease held by someone else, in a namespace as an earlier istio-lab would have created it. */
  async function plantLease(holder: { host: string; pid: number }, renewedMsAgo: number): Promise<void> {
    await core.createNamespace({ body: { metadata: { name: 'istio-lab-system', labels: { 'app.kubernetes.io/managed-by': 'istio-lab' } } } });
    const at = micro(Date.now() - renewedMsAgo);
    await leases.createNamespacedLease({
      namespace: 'istio-lab-system',
      body: {
        metadata: { name: 'istio-lab', annotations: { 'istio-lab.dev/holder-host': holder.host, 'istio-lab.dev/holder-pid': String(holder.pid), 'istio-lab.dev/holder-command': 'run' } },
        // MicroTime strings as the API server writes them (client-node types them as Date).
        spec: { holderIdentity: `${holder.host}/${holder.pid}/0badcafe`, leaseDurationSeconds: 30, acquireTime: at as never, renewTime: at as never },
      },
    });
  }
  async function resetToPristine(): Promise<void> {
    const r = await runCli(['reset'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), [], 'not back to the pre-run snapshot');
  }
  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], env)).code, 0);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
    leases = kc.makeApiClient(k8s.CoordinationV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
    pristine = await snapshotCluster(kc);
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
  });

  it('while a run holds the lease: another run is refused naming it, verify still runs, --wait-lock waits and then succeeds', async () => {
    assert.equal((await runCli(['run', 'interruptible', '--reporter', 'plain'], env)).code, 0);
    const holder = spawnCli(['run', 'slow', '--reporter', 'plain'], env);
    await holder.waitForLine(/^\[run\] target /);
    assert.equal((await readLease())?.metadata?.annotations?.['istio-lab.dev/holder-pid'], String(holder.child.pid));
    const [refused, verify, waiter] = await Promise.all([
      runCli(['run', 'interruptible', '--reporter', 'plain'], env),
      runCli(['verify', 'interruptible', '--reporter', 'plain'], env),
      runCli(['run', 'interruptible', '--reporter', 'plain', '--wait-lock', '60s'], env),
    ]);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, new RegExp(`another istio-lab holds the lease on context "istio-lab-sandbox" .*: pid ${holder.child.pid} on host ${hostname()} \\(istio-lab run\\), holding it since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`));
    assert.match(refused.stderr, /fix: wait for it to finish, or pass --wait-lock 2m .*`istio-lab reset --force-unlock` takes it over now/);
    assert.doesNotMatch(refused.stdout, /\[step\]/, 'the refused run changed nothing');
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, new RegExp(`another istio-lab is changing this cluster right now \\(pid ${holder.child.pid} `));
    const first = await holder.result();
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(waiter.code, 0, waiter.stdout + waiter.stderr);
    assert.match(waiter.stderr, new RegExp(`Waiting up to 60s for another istio-lab to release the lease: pid ${holder.child.pid} `));
    assert.equal(await readLease(), undefined, 'no lease is left after the commands completed');
    await resetToPristine();
  });

  it('takes over the expired lease of a dead holder', async () => {
    await plantLease({ host: 'ci-runner-7', pid: 4242 }, 120_000);
    const run = await runCli(['run', 'interruptible', '--reporter', 'plain'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /Taking over the istio-lab lease from pid 4242 on host ci-runner-7 \(istio-lab run\).*: its lease expired/);
    assert.equal(await readLease(), undefined);
    await resetToPristine();
  });

  it('a live holder on another host blocks run and reset; reset --force-unlock takes the lease over and cleans up', async () => {
    await plantLease({ host: 'laptop-of-someone-else', pid: 77 }, 0);
    const run = await runCli(['run', 'interruptible'], env);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /pid 77 on host laptop-of-someone-else/);
    const reset = await runCli(['reset'], env);
    assert.equal(reset.code, 2, reset.stderr);
    assert.equal((await readLease())?.spec?.holderIdentity, 'laptop-of-someone-else/77/0badcafe', 'reset left the live holder\'s lease alone');
    const forced = await runCli(['reset', '--force-unlock'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /Taking over the istio-lab lease from pid 77 on host laptop-of-someone-else .*forced with --force-unlock/);
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), []);
  });

  it('Ctrl-C releases the lease; kill -9 leaves it, and the next command takes it over from the dead process', async () => {
    const interrupted = spawnCli(['run', 'slow', '--reporter', 'plain'], env);
    await interrupted.waitForLine(/^\[apply\] deployment\.apps\/sleeper /);
    assert.ok(await readLease(), 'held while running');
    interrupted.child.kill('SIGINT');
    assert.equal((await interrupted.exited).code, 130);
    assert.equal(await readLease(), undefined, 'released on SIGINT');
    const killed = spawnCli(['run', 'slow', '--reporter', 'plain'], env);
    await killed.waitForLine(/^\[apply\] deployment\.apps\/sleeper /);
    killed.child.kill('SIGKILL');
    await killed.exited;
    assert.equal((await readLease())?.metadata?.annotations?.['istio-lab.dev/holder-pid'], String(killed.child.pid), 'a killed process cannot release');
    const reset = await runCli(['reset'], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stderr, new RegExp(`Taking over the istio-lab lease from pid ${killed.child.pid} .*: process ${killed.child.pid} on this host is gone`));
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), []);
  });
});
