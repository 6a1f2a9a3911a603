// Ctrl-C / SIGTERM / SIGHUP (closed terminal) during `run`, at seeded random points spread over its apply, wait and check
// phases: every time the process exits 130 within 2 s with a partial report and releases its
// lease, a following `reset` returns the sandbox to exactly its pre-run objects, and (every tenth
// trial) a following `run` of the same lab succeeds. One shared sandbox, a three-step test lab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createRandom } from '../../src/stats/random.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { spawnCli } from '../helpers/cli-process.js';
import { diffSnapshots, snapshotCluster } from '../helpers/snapshot.js';

const trials = Number(process.env.ISTIO_LAB_INTERRUPT_TRIALS ?? 50);
const seed = Number(process.env.ISTIO_LAB_INTERRUPT_SEED ?? 8);
const lab = 'interruptible';

/** Where a trial's signal lands: after a line of the plain report, plus a random delay. */
interface Anchor {
  name: string;
  line: RegExp;
  /** Upper bound of the random delay after the line (ms); 'run' = the measured length of a whole run. */
  maxDelayMs: number | 'run';
}

const anchors: Anchor[] = [
  { name: 'anywhere in the run', line: /^\[run\] target /, maxDelayMs: 'run' },
  { name: 'applying several objects', line: /^\[step\] core\/interruptible › objects$/, maxDelayMs: 15 },
  { name: 'waiting for a rollout', line: /^\[apply\] deployment\.apps\/echo /, maxDelayMs: 250 },
  { name: 'checking pods', line: /^\[wait\] rollout deployment\/echo/, maxDelayMs: 8 },
  { name: 'labelling and patching', line: /^\[step\] core\/interruptible › relabel$/, maxDelayMs: 8 },
];

const random = createRandom(seed);
const plans = Array.from({ length: trials }, (_, i) => ({
  signal: (['SIGINT', 'SIGTERM', 'SIGHUP'] as const)[i % 3] as NodeJS.Signals,
  anchor: anchors[Math.floor(random() * anchors.length)],
  fraction: random(),
  rerun: i % 10 === 9,
}));

/** Which phase a signal interrupted, judged by the last report line printed before it. */
function phaseAt(stdout: string): string {
  const last = stdout.trimEnd().split('\n').pop() ?? '';
  if (/^\[step\] passed /.test(last)) return 'between steps';
  if (/^\[step\] /.test(last)) return 'a step\'s first action';
  if (/^\[(apply|label|patch)\]/.test(last)) return 'later actions or waits';
  if (/^\[(wait|check)\]/.test(last)) return 'checks';
  return 'before the first step';
}

describe(`interrupting a run: ${trials} seeded trials (seed ${seed})`, () => {
  const env = isolatedEnv({ ISTIO_LAB_ROOT: join(process.cwd(), 'test/fixtures/e2e-repo') });
  let kc: k8s.KubeConfig;
  let pristine: Map<string, string>;
  let runMs = 0;
  const phases = new Map<string, number>();
  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], env)).code, 0);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
    pristine = await snapshotCluster(kc);
    // Measure one whole run (from its first report line to its exit) to place signals within it.
    const run = spawnCli(['run', lab, '--reporter', 'plain'], env);
    await run.waitForLine(/^\[run\] target /);
    const started = Date.now();
    const end = await run.exited;
    assert.equal(end.code, 0, run.stdout() + run.stderr());
    runMs = end.at - started;
    assert.equal((await runCli(['reset'], env)).code, 0);
    assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), []);
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
  });

  for (const [i, plan] of plans.entries()) {
    it(`trial ${i + 1}: ${plan.signal} while ${plan.anchor.name}${plan.rerun ? ', then a clean run' : ''}`, async () => {
      for (let attempt = 0, fraction = plan.fraction; ; attempt++, fraction /= 2) {
        const run = spawnCli(['run', lab, '--reporter', 'plain'], env);
        await run.waitForLine(/^\[run\] target /);
        // The reset starts now and waits for the run's lease (--wait-lock): it follows the run as
        // soon as the run lets go, and its start-up overlaps the run (the rerun trials reset afresh).
        const reset = plan.rerun ? undefined : spawnCli(['reset', '--wait-lock', '60s'], env);
        await run.waitForLine(plan.anchor.line);
        const max = plan.anchor.maxDelayMs === 'run' ? runMs : plan.anchor.maxDelayMs;
        await new Promise((r) => setTimeout(r, Math.floor(fraction * max)));
        const finishedFirst = /^\[run\] (passed|FAILED)/m.test(run.stdout());
        const sentAt = Date.now();
        const phase = phaseAt(run.stdout());
        if (!finishedFirst) run.child.kill(plan.signal);
        const end = await run.exited;
        const stdout = run.stdout();
        const resetEnd = reset ? await reset.result() : await runCli(['reset'], env);
        const resetOut = resetEnd.stdout + resetEnd.stderr;
        assert.equal(resetEnd.code, 0, `reset failed:\n${resetOut}`);
        if (finishedFirst || (end.code === 0 && attempt < 3)) {
          // The run beat the signal, so this was no interrupt: try again with an earlier signal.
          assert.equal(end.code, 0, stdout + run.stderr());
          assert.ok(attempt < 3, 'the run kept finishing before the signal');
          continue;
        }
        phases.set(phase, (phases.get(phase) ?? 0) + 1);
        assert.equal(end.signal, null, `killed by ${end.signal} instead of exiting:\n${stdout}`);
        assert.equal(end.code, 130, `exit code ${end.code}:\n${stdout}\n${run.stderr()}`);
        assert.ok(end.at - sentAt < 2000, `took ${end.at - sentAt} ms to exit after ${plan.signal}`);
        assert.match(stdout, /^\[run\] INTERRUPTED in /m, stdout);
        assert.match(stdout, /^\d+ passed, \d+ failed, \d+ skipped$/m, 'a partial report with the summary');
        assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), [], `reset after ${plan.signal} did not restore the pre-run snapshot; the run printed:\n${stdout}\nreset printed:\n${resetOut}`);
        break;
      }
      if (!plan.rerun) return;
      const again = spawnCli(['run', lab, '--reporter', 'plain'], env);
      await again.waitForLine(/^\[run\] target /);
      const reset = spawnCli(['reset', '--wait-lock', '60s'], env);
      const rerun = await again.result();
      assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
      assert.match(rerun.stdout, /^3 passed, 0 failed, 0 skipped$/m);
      assert.equal((await reset.result()).code, 0);
      assert.deepEqual(diffSnapshots(pristine, await snapshotCluster(kc)), []);
    });
  }

  it('the signals landed in different phases of the run', (t) => {
    t.diagnostic(`whole run ${runMs} ms; signals landed during ${[...phases].map(([p, n]) => `${p} ×${n}`).join(', ')}`);
    assert.ok(phases.size >= 2, 'every signal landed in the same phase');
  });
});

