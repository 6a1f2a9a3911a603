// `istio-lab run` and `istio-lab verify`: run labs' solutions and checks, or only the checks.
import type { Command } from 'commander';
import { addLockOption, addReporterOption, addTargetOptions, confirmTarget, connect, interruptSignal, parseTimeoutFlag, withLease, type LockFlags, type TargetFlags } from './shared.js';
import { ExitCode, UserError } from './errors.js';

interface RunFlags extends TargetFlags, LockFlags {
  all?: boolean;
  track?: string;
  step?: string;
  from?: string;
  prove?: boolean;
  dryRun?: boolean;
  timeout?: string;
  yes?: boolean;
  adopt?: boolean;
  keep?: boolean;
  istioctl?: string;
  reporter?: string[];
}

/** Register `run`. */
export function registerRunCommand(program: Command): void {
  const cmd = program
    .command('run')
    .description('Run labs end-to-end: apply each step\'s solution, wait for the cluster to converge, run its checks')
    .argument('[labs...]', 'lab names: "traffic-shifting" (default track core) or "track/lab"')
    .option('--all', 'run every lab (of --track, if given)')
    .option('--track <track>', 'track for unqualified lab names, and the scope of --all')
    .option('--step <step>', 'run only this step of the named lab')
    .option('--from <step>', 'run the named lab from this step to the end')
    .option('--prove', 'also assert that every check fails before its step\'s solution is applied')
    .option('--dry-run', 'print the plan (objects, waits, checks per step) and change nothing')
    .option('--timeout <duration>', 'override every wait\'s timeout and cap every check\'s, e.g. 90s or 5m')
    .option('--keep', 'with several labs, keep each one in place (default: a lab no later lab needs is reset once it passes)')
    .option('--adopt', 'take over objects of the same name that istio-lab did not create')
    .option('--istioctl <path>', 'istioctl binary for installing Istio on a real cluster (default: istioctl on PATH)')
    .option('-y, --yes', 'do not ask before changing a cluster that is not evidently local/disposable');
  addTargetOptions(cmd);
  addLockOption(cmd);
  addReporterOption(cmd);
  cmd.addHelpText('after', `
Prerequisites listed in a lab's \`requires\` run first unless already completed on the cluster.
With several labs (or --all), a lab that no later lab requires is reset as soon as it passes,
so labs do not disturb each other; the last one stays for you to explore (--keep keeps all).
With no kubeconfig (or no current context), the embedded sandbox cluster is used.
One istio-lab at a time changes a cluster (Lease istio-lab in namespace istio-lab-system): while
another run or reset holds it, run is refused with the holder named, or waits up to --wait-lock.

Examples:
  $ istio-lab run traffic-shifting
  $ istio-lab run core/traffic-shifting --step canary --reporter junit=report.xml
  $ istio-lab run --all --track core --prove --reporter plain
  $ istio-lab run ingress-gateway --dry-run`);
  cmd.action((labs: string[], flags: RunFlags) => execute('run', labs, flags));
}

/** Register `verify`. */
export function registerVerifyCommand(program: Command): void {
  const cmd = program
    .command('verify')
    .description('Check labs without changing anything (the steps were done by hand); shows hints on failure')
    .argument('[labs...]', 'labs to verify (default: the labs recorded as applied on the cluster)')
    .option('--track <track>', 'track for unqualified lab names')
    .option('--step <step>', 'check this step instead of the lab\'s end state')
    .option('--timeout <duration>', 'cap how long each check keeps retrying, e.g. 10s');
  addTargetOptions(cmd);
  addReporterOption(cmd);
  cmd.addHelpText('after', `
By default a lab's end state is verified: the checks of its last step (later steps often
replace earlier ones, e.g. 75/25 and then 100% to v3). --step checks one step instead.

Examples:
  $ istio-lab verify traffic-shifting
  $ istio-lab verify traffic-shifting --step canary
  $ istio-lab verify                       # every lab recorded on the cluster`);
  cmd.action((labs: string[], flags: RunFlags) => execute('verify', labs, flags));
}

async function execute(mode: 'run' | 'verify', refs: string[], flags: RunFlags): Promise<void> {
  if (flags.step && flags.from) throw new UserError('--step and --from cannot be combined.', ExitCode.usage, 'use --step for one step, or --from to run from a step to the end.');
  const { planLabs } = await import('./labs.js');
  const timeoutMs = await parseTimeoutFlag(flags.timeout);
  if (mode === 'run' && flags.dryRun) {
    const plan = await planLabs(refs, { all: flags.all, track: flags.track, requireSupported: false });
    const { renderPlan } = await import('../runner/plan.js');
    process.stdout.write(`${renderPlan(plan, { mode, step: flags.step, from: flags.from, prove: !!flags.prove }).join('\n')}\n`);
    return;
  }
  const { createReporters, fanOut, closeReporters } = await import('../report/reporter.js');
  let reporters;
  try {
    reporters = createReporters(flags.reporter ?? [], { stdout: process.stdout, env: process.env, cwd: process.cwd() });
  } catch (err) {
    throw new UserError(`${(err as Error).message}.`, ExitCode.usage, 'e.g. --reporter plain --reporter junit=report.xml');
  }
  const emit = fanOut(reporters);
  const notices: string[] = [];
  const interrupt = interruptSignal();
  let cluster;
  try {
    cluster = await connect(flags, (line) => notices.push(line), interrupt.signal);
    let plan;
    if (mode === 'verify' && !refs.length) {
      const { StateStore } = await import('../runner/state.js');
      const recorded = Object.keys((await new StateStore(cluster).load()).labs);
      if (!recorded.length) throw new UserError(`no labs are recorded as applied on context "${cluster.target.context}".`, ExitCode.usage, 'name the labs to verify, e.g. `istio-lab verify ingress-gateway`.');
      plan = await planLabs(recorded, { requireSupported: true });
      plan = plan.filter((p) => p.target);
    } else {
      plan = await planLabs(refs, { all: flags.all, track: flags.track, requireSupported: true });
      if (mode === 'verify') plan = plan.filter((p) => p.target);
    }
    if (mode === 'run') await confirmTarget(cluster, flags.yes, 'apply labs to');
    const connected = cluster;
    const body = async () => {
      const started = Date.now();
      emit({ type: 'run-start', mode, target: { context: connected.target.context, server: connected.target.server, sandbox: connected.target.sandbox }, labs: plan.filter((p) => p.target).map((p) => `${p.loaded.lab.track}/${p.loaded.lab.name}`), dryRun: false });
      for (const n of notices) emit({ type: 'notice', message: n });
      const { runLabs } = await import('../runner/run-labs.js');
      const result = await runLabs(connected, plan, { mode, prove: !!flags.prove, step: flags.step, from: flags.from, adopt: !!flags.adopt, keep: !!flags.keep, tools: { istioctl: flags.istioctl }, timeoutMs, emit, signal: interrupt.signal });
      const requests = (connected as { rest?: { requests: number } }).rest?.requests ?? 0;
      const retries = (connected as { retries?: number }).retries ?? 0;
      emit({ type: 'run-end', status: result.status, durationMs: Date.now() - started, interrupted: result.interrupted, summary: result.summary, requests, retries });
      process.exitCode = result.interrupted ? ExitCode.interrupted : result.status === 'passed' ? ExitCode.ok : ExitCode.checkFailed;
    };
    // run changes the cluster, so it holds the lease; verify only reads, so it never waits for one
    // (a run in progress is mentioned, since its checks may then see a half-applied lab).
    if (mode === 'run') await withLease(cluster, 'run', flags, interrupt, (line) => process.stderr.write(`istio-lab: ${line}\n`), body);
    else {
      const { describeLiveHolder } = await import('../runner/lease.js');
      const holder = await describeLiveHolder(cluster);
      if (holder) notices.push(`another istio-lab is changing this cluster right now (${holder}); checks may see its labs half-applied.`);
      await body();
    }
  } finally {
    await closeReporters(reporters);
    cluster?.close();
    interrupt.dispose(); // last: a signal while reporters flush must not kill the process mid-write
  }
}
