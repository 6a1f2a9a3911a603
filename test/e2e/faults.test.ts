// Labs under a flaky API: sandboxes injecting 5 % seeded faults run run → verify → reset of a
// representative set of labs through the CLI. One injects every kind (500/503/429, resets before
// and after writes, slow answers, dropped watches); one only the dangerous kinds (resets, half of
// them after a write was applied, and dropped watches). Everything passes, the objects afterwards
// are exactly those of a fault-free run (none duplicated or missing), reset restores each
// sandbox's pre-run snapshot, the report counts the retries and the sandbox counts the faults.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';
import { rawRequest } from '../helpers/raw-http.js';

const seed = Number(process.env.ISTIO_LAB_FAULTS_SEED ?? 5);
const specs = { 'every kind': `rate=0.05,seed=${seed}`, 'resets and dropped watches': `rate=0.05,seed=${seed},kinds=reset|drop-watch` };
const labs = ['traffic-shifting', 'circuit-breaking'];

function kubeconfigOf(env: NodeJS.ProcessEnv): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
  return kc;
}

/** Set fault injection on or off (snapshots are taken with it paused: they are the test's eyes, not the client under test). */
async function setPaused(kc: k8s.KubeConfig, paused: boolean): Promise<void> {
  const r = await rawRequest(kc, 'POST', '/istio-lab/v1/faults', { body: JSON.stringify({ paused }), contentType: 'application/json' });
  assert.equal(r.status, 200, r.body);
}

async function snapshotPaused(kc: k8s.KubeConfig): Promise<Map<string, string>> {
  await setPaused(kc, true);
  try {
    return await snapshotCluster(kc);
  } finally {
    await setPaused(kc, false);
  }
}

/**
 * Objects istio-lab owns, normalised for what legitimately differs between two runs: addresses
 * the server allocates (clusterIP, nodePort), timestamps, and the order in which the state record
 * lists objects (CRDs are applied in no fixed order).
 */
function owned(snapshot: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of snapshot) {
    if (!v.includes('"app.kubernetes.io/managed-by":"istio-lab"')) continue;
    const obj = JSON.parse(v.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>'), (key, value) => (['clusterIP', 'clusterIPs', 'nodePort'].includes(key) ? undefined : value));
    const state = obj.data?.['state.json'];
    if (state) {
      const parsed = JSON.parse(state);
      for (const list of ['objects', 'labels']) parsed[list] = parsed[list]?.map((o: unknown) => JSON.stringify(o)).sort();
      obj.data['state.json'] = parsed;
    }
    out.set(k, JSON.stringify(obj));
  }
  return out;
}

/** A sandbox with faults on, as the CLI and the test see it. */
interface Faulty {
  name: string;
  env: NodeJS.ProcessEnv;
  kc: k8s.KubeConfig;
  pristine: Map<string, string>;
  report: string;
}

describe('labs under 5 % injected API faults', { timeout: 120_000 }, () => {
  const faulty: Faulty[] = Object.entries(specs).map(([name, spec]) => ({ name, env: isolatedEnv({ ISTIO_LAB_SANDBOX_FAULTS: spec }), kc: new k8s.KubeConfig(), pristine: new Map(), report: join(mkdtempSync(join(tmpdir(), 'istio-lab-faults-')), 'report.json') }));
  const clean = isolatedEnv();
  const envs = [...faulty.map((f) => f.env), clean];
  before(async () => {
    for (const started of await Promise.all(envs.map((env) => runCli(['sandbox', 'start'], env)))) assert.equal(started.code, 0, started.stderr);
    for (const f of faulty) {
      f.kc = kubeconfigOf(f.env);
      f.pristine = await snapshotPaused(f.kc);
    }
  });
  after(async () => {
    await Promise.all(envs.map((env) => runCli(['sandbox', 'stop'], env)));
  });

  it('runs, verifies and resets the labs with retries, leaving exactly the objects of a fault-free run', async () => {
    // The fault-free run on its own sandbox is the expectation; all run at once to save time.
    const [cleanRun, ...runs] = await Promise.all([runCli(['run', ...labs, '--keep', '--reporter', 'plain'], clean, 90_000), ...faulty.map((f) => runCli(['run', ...labs, '--keep', '--reporter', 'plain', '--reporter', `json=${f.report}`], f.env, 90_000))]);
    assert.equal(cleanRun.code, 0, `fault-free run failed:\n${cleanRun.stdout}\n${cleanRun.stderr}`);
    assert.doesNotMatch(cleanRun.stdout, /^\[run\] .*retr(y|ies)$/m, 'no retries without faults');
    const expected = await snapshotCluster(kubeconfigOf(clean));
    for (const [i, f] of faulty.entries()) {
      const run = runs[i];
      assert.equal(run.code, 0, `run failed under faults (${f.name}):\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /^\d+ passed, 0 failed, 0 skipped$/m);
      const report = JSON.parse(readFileSync(f.report, 'utf8'));
      assert.ok(report.retries > 0, `the report counts no retries (${f.name}): ${report.retries}`);
      assert.match(run.stdout, new RegExp(`^\\[run\\] passed in .*, ${report.retries} retr(y|ies)$`, 'm'));
      const afterRun = await snapshotPaused(f.kc);
      assert.deepEqual(diffSnapshots(owned(expected), owned(afterRun)), [], `istio-lab's objects differ from a fault-free run (${f.name})`);
      assert.deepEqual([...afterRun.keys()].sort(), [...expected.keys()].sort(), `the cluster holds other objects than after a fault-free run (${f.name})`);
    }
    await Promise.all(
      faulty.map(async (f) => {
        const verify = await runCli(['verify', ...labs, '--reporter', 'plain'], f.env, 60_000);
        assert.equal(verify.code, 0, `verify failed under faults (${f.name}):\n${verify.stdout}\n${verify.stderr}`);
        const reset = await runCli(['reset'], f.env, 60_000);
        assert.equal(reset.code, 0, `reset failed under faults (${f.name}):\n${reset.stdout}\n${reset.stderr}`);
        assert.deepEqual(diffSnapshots(f.pristine, await snapshotPaused(f.kc)), [], `reset did not return the sandbox to its starting objects (${f.name})`);
      }),
    );
  });

  it('the sandboxes injected and counted faults, and said so in their logs', async (t) => {
    for (const f of faulty) {
      const faults = (await rawRequest(f.kc, 'GET', '/istio-lab/v1/faults')).json();
      t.diagnostic(`${f.name}: ${faults.total} faults in ${faults.requests} requests ${JSON.stringify(faults.byKind)}`);
      assert.equal(faults.enabled, true);
      assert.ok(faults.total > 0, `no faults injected in ${faults.requests} requests (${f.name})`);
      assert.ok(faults.total < faults.requests * 0.15, `${faults.total} faults in ${faults.requests} requests is far above 5 % (${f.name})`);
      const log = readFileSync(join(f.env.ISTIO_LAB_HOME!, 'sandbox', 'sandbox.log'), 'utf8');
      assert.match(log, /API FAULT INJECTION IS ON \(rate=0\.05,/);
      assert.equal(log.match(/\[faults\] #\d+ /g)?.length, faults.total);
    }
  });
});
