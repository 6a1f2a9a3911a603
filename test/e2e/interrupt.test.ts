// Ctrl-C during `run`: the process stops after the current action, exits 130 with a partial report,
// and a following `reset` returns the sandbox to exactly its pre-run objects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

describe('interrupting a run', () => {
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

  it('SIGINT mid-run exits 130 within 2 s with a partial report; reset restores the snapshot; a new run succeeds', async () => {
    const pristine = await snapshotCluster(kc);
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/istio-lab.js'), 'run', 'traffic-shifting', '--reporter', 'plain'], { env });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stdout.includes('core/sidecar-injection ›')) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    const sentAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.ok(Date.now() - sentAt < 2000, `took ${Date.now() - sentAt} ms to exit`);
    assert.equal(code, 130, stdout);
    assert.match(stdout, /\[run\] .*interrupted|interrupted/i);
    assert.match(stdout, /\d+ passed, \d+ failed, \d+ skipped/);
    const reset = await runCli(['reset'], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), []);
    const again = await runCli(['run', 'traffic-shifting', '--reporter', 'plain'], env, 240_000);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal((await runCli(['reset'], env)).code, 0);
  });
});
