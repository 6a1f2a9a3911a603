// `istio-lab reset`: remove what labs created and restore labels they changed.
import type { Command } from 'commander';
import { addLockOption, addTargetOptions, confirmTarget, connect, interruptSignal, parseTimeoutFlag, withLease, type LockFlags, type TargetFlags } from './shared.js';
import { ExitCode, UserError } from './errors.js';

interface ResetFlags extends TargetFlags, LockFlags {
  yes?: boolean;
  timeout?: string;
  track?: string;
  istioctl?: string;
}

/** Register `reset`. */
export function registerResetCommand(program: Command): void {
  const cmd = program
    .command('reset')
    .description('Remove everything istio-lab created (last first), restore labels it changed; never touches other objects')
    .argument('[labs...]', 'labs to reset (default: every lab recorded on the cluster)')
    .option('--track <track>', 'track for unqualified lab names', 'core')
    .option('--timeout <duration>', 'how long to wait for deletions, e.g. 2m', '2m')
    .option('--istioctl <path>', 'istioctl binary, to uninstall an Istio that a lab installed with it (default: istioctl on PATH)')
    .option('--force-unlock', 'take over the lease of another istio-lab on this cluster even if it still looks alive')
    .option('-y, --yes', 'do not ask before changing a cluster that is not evidently local/disposable');
  addTargetOptions(cmd);
  addLockOption(cmd);
  cmd.addHelpText('after', `
Reset is idempotent: running it twice removes nothing the second time.
Like run, reset holds the cluster's lease (Lease istio-lab in namespace istio-lab-system) and is
refused while another istio-lab holds it, or waits up to --wait-lock. If that istio-lab is gone
(killed, or its machine went away), --force-unlock takes its lease over without waiting for it to
expire; use it only when no other istio-lab is still changing the cluster.

Examples:
  $ istio-lab reset                      # everything istio-lab created on this cluster
  $ istio-lab reset ingress-gateway      # just one lab's objects
  $ istio-lab reset --force-unlock       # after an istio-lab was killed mid-run`);
  cmd.action(async (labs: string[], flags: ResetFlags) => {
    const interrupt = interruptSignal();
    const cluster = await connect(flags, (line) => process.stderr.write(`${line}\n`), interrupt.signal);
    try {
      await confirmTarget(cluster, flags.yes, 'reset labs on');
      const { resetLabs } = await import('../runner/reset.js');
      const ids = labs.map((l) => (l.includes('/') ? l : `${flags.track}/${l}`));
      const timeoutMs = (await parseTimeoutFlag(flags.timeout)) ?? 120_000;
      const notice = (line: string) => process.stderr.write(`istio-lab: ${line}\n`);
      const result = await withLease(cluster, 'reset', flags, interrupt, notice, () => resetLabs(cluster, ids, () => undefined, interrupt.signal, timeoutMs, { istioctl: flags.istioctl })).catch((err) => {
        if (!interrupt.signal.aborted || err instanceof UserError) throw err;
        throw new UserError('reset was interrupted before it finished; the labs stay recorded on the cluster.', ExitCode.interrupted, 'run `istio-lab reset` again: it skips what is already gone and removes the rest.');
      });
      const out = process.stdout;
      if (!result.labs.length) out.write(`Nothing to reset on context "${cluster.target.context}": no labs are recorded there.\n`);
      for (const c of result.removed) out.write(`${c.ref} deleted\n`);
      for (const c of result.restored) out.write(`${c.ref} restored\n`);
      for (const c of result.skipped) out.write(`${c.ref} left alone (not created by istio-lab)\n`);
      if (result.labs.length) out.write(`Reset ${result.labs.join(', ')}: ${plural(result.removed.length, 'object')} deleted, ${plural(result.restored.length, 'label')} restored.\n`);
      process.exitCode = ExitCode.ok;
    } finally {
      cluster.close();
      interrupt.dispose();
    }
  });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
