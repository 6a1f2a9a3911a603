// `reset <lab>` undoes exactly that lab: objects it created are deleted (with their pods, foreground),
// and objects of earlier labs it changed get their earlier content back. gke-workshop/versions
// rewrites the VirtualService that gke-workshop/ingress-gateway created.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

describe('reset of one lab', () => {
  const env = isolatedEnv();
  let kc: k8s.KubeConfig;
  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], env)).code, 0);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
  });

  it('restores an earlier lab\'s VirtualService that the reset lab changed, and leaves no pods behind', async () => {
    const pre = await runCli(['run', 'gke-workshop/ingress-gateway', '--reporter', 'plain'], env);
    assert.equal(pre.code, 0, pre.stdout + pre.stderr);
    const before = await snapshotCluster(kc);
    const run = await runCli(['run', 'gke-workshop/versions', '--reporter', 'plain'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const vs = before.get('/apis/networking.istio.io/v1/VirtualService gceme/frontend-vs');
    assert.ok(vs, 'ingress-gateway created frontend-vs');
    assert.notEqual((await snapshotCluster(kc)).get('/apis/networking.istio.io/v1/VirtualService gceme/frontend-vs'), vs, 'versions changed it');
    const reset = await runCli(['reset', 'gke-workshop/versions'], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /virtualservice\.networking\.istio\.io\/frontend-vs restored/);
    assert.deepEqual(diffSnapshots(before, await snapshotCluster(kc)), []);
    const verify = await runCli(['verify', 'gke-workshop/ingress-gateway', '--reporter', 'plain'], env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
});
