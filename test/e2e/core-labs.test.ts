// Issue "istio-lab core" acceptance on the sandbox, through the built CLI as a user runs it:
// run --prove, verify, reset back to the exact pre-run objects; ownership and label restore.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

describe('core labs on the sandbox (run → verify → reset)', () => {
  const env = isolatedEnv();
  const fixtureEnv = { ...env, ISTIO_LAB_ROOT: join(process.cwd(), 'test/fixtures/e2e-repo') };
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let before0: Map<string, string>;

  before(async () => {
    const start = await runCli(['sandbox', 'start'], env);
    assert.equal(start.code, 0, start.stderr);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'visitor-notes' }, data: { owner: 'visitor' } } });
    await core.patchNamespace({ name: 'default', body: { metadata: { labels: { 'istio-injection': 'disabled' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    before0 = await snapshotCluster(kc);
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
  });

  it('runs ingress-gateway with its prerequisites under --prove, using the sandbox with no kubeconfig', async () => {
    const r = await runCli(['run', 'ingress-gateway', '--prove', '--reporter', 'plain'], env);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    for (const lab of ['core/install', 'core/sidecar-injection', 'core/ingress-gateway']) assert.match(r.stdout, new RegExp(lab));
    assert.match(r.stdout, /^6 passed, 0 failed, 0 skipped$/m);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=httpbin' });
    assert.ok(pods.items[0].spec!.containers.some((c) => c.name === 'istio-proxy'));
  });

  it('verifies a lab\'s end state, and every recorded lab when none is named', async () => {
    const one = await runCli(['verify', 'ingress-gateway', '--reporter', 'plain'], env);
    assert.equal(one.code, 0, one.stdout + one.stderr);
    assert.match(one.stdout, /^1 passed, 0 failed, 0 skipped$/m);
    const all = await runCli(['verify', '--reporter', 'plain'], env);
    assert.equal(all.code, 0, all.stdout + all.stderr);
    assert.match(all.stdout, /^3 passed, 0 failed, 0 skipped$/m);
  });

  it('resets to exactly the pre-run objects, keeps the unowned ConfigMap and restores the namespace label', async () => {
    const r = await runCli(['reset'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /deployment\.apps\/httpbin deleted/);
    assert.match(r.stdout, /namespace\/default istio-injection=disabled restored/);
    const diff = diffSnapshots(before0, await snapshotCluster(kc));
    assert.deepEqual(diff, []);
    const cm = await core.readNamespacedConfigMap({ namespace: 'default', name: 'visitor-notes' });
    assert.equal(cm.data?.owner, 'visitor');
    const again = await runCli(['reset'], env);
    assert.match(again.stdout, /Nothing to reset/);
  });

  it('verify fails with the hint when a lab\'s state is missing', async () => {
    const r = await runCli(['verify', 'sidecar-injection', '--timeout', '2s', '--reporter', 'plain'], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /rollout restart deployment httpbin curl/);
  });

  it('refuses to overwrite an object istio-lab did not create, and changes nothing', async () => {
    const r = await runCli(['run', 'conflict', '--reporter', 'plain'], fixtureEnv);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /configmap\/visitor-notes in namespace default already exists and was not created by istio-lab/);
    assert.match(r.stderr, /--adopt/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const cm = await core.readNamespacedConfigMap({ namespace: 'default', name: 'visitor-notes' });
    assert.equal(cm.data?.owner, 'visitor');
    assert.equal((await runCli(['reset'], fixtureEnv)).code, 0);
  });

  it('--prove fails a lab whose check cannot tell a solved step from an unsolved one', async () => {
    const r = await runCli(['run', 'undiscriminating', '--prove', '--reporter', 'plain'], fixtureEnv);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /passes before the step's solution is applied/);
    const plain = await runCli(['run', 'undiscriminating', '--reporter', 'plain'], fixtureEnv);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.equal((await runCli(['reset'], fixtureEnv)).code, 0);
  });
});
