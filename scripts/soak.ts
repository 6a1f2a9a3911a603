// Soak: for --minutes, alternate whole lab runs and seeded interrupted runs (SIGINT/SIGTERM) on one
// sandbox started with API fault injection (ISTIO_LAB_SANDBOX_FAULTS=rate=0.05,seed=<seed>), each
// followed by a reset and a comparison with the pre-run snapshot. Prints faults injected, retries
// made, labs passed, objects lost (must be 0) and interrupted runs cleaned (must be all); exits 1
// if any invariant fails.
// Usage: npm run build && npm run soak -- [--minutes 10] [--seed 1] [--labs traffic-shifting,retries] [--rate 0.05]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { createRandom } from '../src/stats/random.js';
import { isolatedEnv, runCli } from '../test/helpers/cli.js';
import { snapshotCluster } from '../test/helpers/snapshot.js';
import { interruptTrial, readFaultCounts, runLabTrial, setFaultsPaused, type SoakContext } from './soak-trials.js';

const usage = 'usage: npm run soak -- [--minutes <n>] [--seed <n>] [--labs <lab,lab,...>] [--rate <0..1>]';

function options(): { minutes: number; seed: number; labs: string[]; rate: number } {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, labs: { type: 'string', default: 'traffic-shifting,fault-injection,retries' }, rate: { type: 'string', default: '0.05' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const minutes = Number(values.minutes);
  const seed = Number(values.seed);
  const rate = Number(values.rate);
  if (!(minutes > 0) || !Number.isInteger(seed) || seed < 0 || !(rate >= 0 && rate <= 1)) {
    console.error(`soak: --minutes must be a positive number, --seed a non-negative integer and --rate from 0 to 1 (got ${values.minutes}, ${values.seed}, ${values.rate}).\n${usage}`);
    process.exit(2);
  }
  return { minutes, seed, rate, labs: values.labs!.split(',').map((l) => l.trim()).filter(Boolean) };
}

async function main(): Promise<number> {
  const opts = options();
  if (!existsSync(join(process.cwd(), 'dist/cli/main.js'))) {
    console.error('soak: the built CLI is missing (dist/cli/main.js); run `npm run build` first.');
    return 2;
  }
  const faults = `rate=${opts.rate},seed=${opts.seed}`;
  const env = isolatedEnv({ ISTIO_LAB_SANDBOX_FAULTS: faults });
  const log = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`sandbox with ISTIO_LAB_SANDBOX_FAULTS=${faults}, labs ${opts.labs.join(', ')}, for ${opts.minutes} min (home ${env.HOME})`);
  const started = await runCli(['sandbox', 'start'], env);
  if (started.code !== 0) {
    console.error(`soak: the sandbox did not start:\n${started.stderr}`);
    return 2;
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'));
  const ctx: SoakContext = { env, kc, pristine: new Map(), runMs: new Map(), log, tally: { labRuns: 0, labsPassed: 0, retries: undefined, objectsLost: 0, interrupted: 0, interruptedCleaned: 0, slowExits: 0, problems: [] } };
  const faultMode = await setFaultsPaused(kc, true);
  ctx.pristine = await snapshotCluster(kc);
  await setFaultsPaused(kc, false);
  if (!faultMode) log('this sandbox has no fault mode (GET /istio-lab/v1/faults is not served, or faults are off): soaking without injected faults');
  const random = createRandom(opts.seed);
  const deadline = Date.now() + opts.minutes * 60_000;
  try {
    for (let i = 0; Date.now() < deadline; i++) {
      const lab = opts.labs[Math.floor(i / 2) % opts.labs.length];
      if (i % 2 === 0) await runLabTrial(ctx, lab); // measures the lab, so the interrupt after it lands within a run
      else await interruptTrial(ctx, lab, random);
    }
  } finally {
    const counts = await readFaultCounts(kc);
    await runCli(['sandbox', 'stop'], env);
    const t = ctx.tally;
    for (const p of t.problems) console.log(`\nPROBLEM: ${p}`);
    console.log('\nsoak summary');
    console.log(`  faults injected:          ${counts ? `${counts.total} of ${counts.requests} API requests (${Object.entries(counts.byKind).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ')})` : 'n/a'}`);
    console.log(`  retries made:             ${t.retries ?? 'n/a'}`);
    console.log(`  labs passed:              ${t.labsPassed} of ${t.labRuns}`);
    console.log(`  objects lost:             ${t.objectsLost}`);
    console.log(`  interrupted runs cleaned: ${t.interruptedCleaned} of ${t.interrupted}${t.slowExits ? ` (${t.slowExits} took 2 s or more to exit)` : ''}`);
  }
  const t = ctx.tally;
  const ok = t.objectsLost === 0 && t.interruptedCleaned === t.interrupted && t.labsPassed === t.labRuns && t.slowExits === 0 && !t.problems.length;
  console.log(ok ? '  all invariants held' : '  INVARIANTS FAILED (see PROBLEM lines above)');
  return ok ? 0 : 1;
}

process.exitCode = await main();
