// The tool tests itself: every lab in labs/ runs on the sandbox with `run --prove` (every check must
// fail before its step and pass after), then `verify`, then `reset`, which must return the sandbox
// to exactly the objects it had before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { discoverLabs } from '../../src/lab/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

const catalog = await discoverLabs(process.cwd());

describe('every lab on the sandbox: run --prove, verify, reset', () => {
  const env = isolatedEnv();
  let kc: k8s.KubeConfig;
  let pristine: Map<string, string>;
  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], env)).code, 0);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
    pristine = await snapshotCluster(kc);
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
  });

  it('finds labs to run', () => {
    assert.ok(catalog.entries.length >= 4, `only ${catalog.entries.length} labs`);
  });

  for (const entry of catalog.entries) {
    it(`${entry.ref}`, async () => {
      const run = await runCli(['run', entry.ref, '--prove', '--reporter', 'plain'], env, 240_000);
      assert.equal(run.code, 0, `run --prove failed:\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /^\d+ passed, 0 failed, 0 skipped$/m);
      const verify = await runCli(['verify', entry.ref, '--reporter', 'plain'], env, 240_000);
      assert.equal(verify.code, 0, `verify failed:\n${verify.stdout}\n${verify.stderr}`);
      const reset = await runCli(['reset'], env);
      assert.equal(reset.code, 0, reset.stderr);
      assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), [], 'reset did not return the sandbox to its starting objects');
    });
  }
});
