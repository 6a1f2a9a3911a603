// The install lab on a real cluster (issue "lab catalog"): `istioctl install` through src/process,
// skipped when a compatible Istio is there, a clear stop when istioctl is missing or too old, and
// `reset` uninstalling only what istio-lab installed. The "real cluster" is the sandbox reached
// through a kubeconfig whose context is named like kind's, so istio-lab treats it as any cluster;
// the istioctl is a logging stand-in (test/fixtures/istioctl) that installs with kubectl.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

const context = 'kind-istioctl-test';
const fake = join(process.cwd(), 'test/fixtures/istioctl/istioctl');
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('install lab on a real cluster via istioctl', { skip: hasKubectl ? false : 'kubectl is not installed (the istioctl stand-in uses it)' }, () => {
  const sandboxEnv = isolatedEnv();
  const dir = mkdtempSync(join(tmpdir(), 'istio-lab-istioctl-'));
  const log = join(dir, 'istioctl.log');
  const kubeconfig = join(dir, 'kubeconfig');
  // No istioctl on PATH: only the directories of node and kubectl.
  const env = { ...sandboxEnv, KUBECONFIG: kubeconfig, FAKE_ISTIOCTL_LOG: log, FAKE_ISTIOCTL_REPO: process.cwd(), PATH: '/usr/local/bin:/usr/bin:/bin' };
  let kc: k8s.KubeConfig;
  let pristine: Map<string, string>;

  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], sandboxEnv)).code, 0);
    const doc = yaml.load(readFileSync(join(sandboxEnv.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'), 'utf8')) as any;
    doc.contexts[0].name = context;
    doc['current-context'] = context;
    writeFileSync(kubeconfig, yaml.dump(doc), { mode: 0o600 });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    pristine = await snapshotCluster(kc);
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], sandboxEnv);
  });
  beforeEach(() => writeFileSync(log, ''));

  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  it('stops with how to get istioctl when it is missing, and installs nothing', async () => {
    const r = await runCli(['run', 'install', '--reporter', 'plain'], env);
    assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /istioctl is not installed/);
    assert.match(r.stderr, /--istioctl <path>/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace without --debug');
    assert.equal((await runCli(['reset'], env)).code, 0);
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), []);
  });

  it('refuses an istioctl older than the lab supports', async () => {
    const r = await runCli(['run', 'install', '--istioctl', fake, '--reporter', 'plain'], { ...env, FAKE_ISTIOCTL_VERSION: '1.20.4' });
    assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /istioctl at .* is version 1\.20\.4; .*needs 1\.22 or newer/);
    assert.ok(!calls().some((c) => c.startsWith('args=install')), 'install must not run');
    assert.equal((await runCli(['reset'], env)).code, 0);
  });

  it('installs with istioctl install --set profile=demo against the chosen context, and reset uninstalls it', async () => {
    const r = await runCli(['run', 'install', '--istioctl', fake, '--reporter', 'plain'], env);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /running istioctl install --set profile=demo --context kind-istioctl-test -y/);
    assert.deepEqual(calls(), [`args=version --remote=false --short kubeconfig=${kubeconfig}`, `args=install --set profile=demo --context ${context} -y kubeconfig=${kubeconfig}`]);
    const reset = await runCli(['reset', '--istioctl', fake], env);
    assert.equal(reset.code, 0, `${reset.stdout}\n${reset.stderr}`);
    assert.ok(calls().includes(`args=uninstall --purge -y --context ${context} kubeconfig=${kubeconfig}`), calls().join('\n'));
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), [], 'istio-system (created by istio-lab) and everything istioctl installed are gone');
  });

  it('leaves an Istio it did not install alone: no install, and reset does not uninstall it', async () => {
    for (const f of ['crds.yaml', 'sandbox-install.yaml']) execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', join('manifests/istio', f)], { stdio: 'ignore' });
    const r = await runCli(['run', 'install', '--istioctl', fake, '--reporter', 'plain'], env);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /istio 1\.30\.3 already installed; left as it is/);
    assert.deepEqual(calls(), [], 'istioctl is not even asked');
    assert.equal((await runCli(['reset', '--istioctl', fake], env)).code, 0);
    assert.deepEqual(calls(), []);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    assert.ok(await apps.readNamespacedDeployment({ name: 'istiod', namespace: 'istio-system' }), 'istiod is still there');
  });
});
