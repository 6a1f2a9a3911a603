// The tool tests itself: every lab in labs/ runs on the sandbox with `run --prove` (every check must
// fail before its step and pass after), then `verify`, then `reset`, which must return the sandbox
// to exactly the objects it had before. One test file per track (or part of a track), each on its own
// sandbox, so the runner can run tracks side by side; labs.test.ts checks every track has a file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { discoverLabs } from '../../../src/lab/index.js';
import { isolatedEnv, runCli } from '../../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../../helpers/snapshot.js';

/** Run the labs of `track` (the `part`-th of `parts` equal slices, in name order) on one sandbox. */
export async function labSuite(track: string, part = 0, parts = 1): Promise<void> {
  const all = (await discoverLabs(process.cwd())).entries.filter((e) => e.track === track).sort((a, b) => a.ref.localeCompare(b.ref));
  const size = Math.ceil(all.length / parts);
  const entries = all.slice(part * size, (part + 1) * size);

  describe(`${track} labs${parts > 1 ? ` (part ${part + 1} of ${parts})` : ''} on the sandbox: run --prove, verify, reset`, () => {
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
      assert.ok(entries.length >= 1, `no labs in track ${track}`);
    });

    for (const entry of entries) {
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
}

/** How each track is split across test files. */
export const trackFiles: Record<string, number> = { core: 2, 'gke-workshop': 1, 'eks-workshop': 1, 'sock-shop': 1, 'traffic-management': 1, 'openshift-bookinfo': 1 };
