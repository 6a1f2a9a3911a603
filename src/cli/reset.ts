// `istio-lab reset`: remove what labs created and restore labels they changed.
import type { Command } from 'commander';
import { addTargetOptions, confirmTarget, connect, interruptSignal, parseTimeoutFlag, type TargetFlags } from './shared.js';
import { ExitCode } from './errors.js';

interface ResetFlags extends TargetFlags {
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
    .option('-y, --yes', 'do not ask before changing a cluster that is not evidently local/disposable');
  addTargetOptions(cmd);
  cmd.addHelpText('after', `
Reset is idempotent: running it twice removes nothing the second time.

Examples:
  $ istio-lab reset                      # everything istio-lab created on this cluster
  $ istio-lab reset ingress-gateway      # just one lab's objects`);
  cmd.action(async (labs: string[], flags: ResetFlags) => {
    const interrupt = interruptSignal();
    const cluster = await connect(flags, (line) => process.stderr.write(`${line}\n`));
    try {
      await confirmTarget(cluster, flags.yes, 'reset labs on');
      const { resetLabs } = await import('../runner/reset.js');
      const ids = labs.map((l) => (l.includes('/') ? l : `${flags.track}/${l}`));
      const timeoutMs = (await parseTimeoutFlag(flags.timeout)) ?? 120_000;
      const result = await resetLabs(cluster, ids, () => undefined, interrupt.signal, timeoutMs, { istioctl: flags.istioctl });
      const out = process.stdout;
      if (!result.labs.length) out.write(`Nothing to reset on context "${cluster.target.context}": no labs are recorded there.\n`);
      for (const c of result.removed) out.write(`${c.ref} deleted\n`);
      for (const c of result.restored) out.write(`${c.ref} restored\n`);
      for (const c of result.skipped) out.write(`${c.ref} left alone (not created by istio-lab)\n`);
      if (result.labs.length) out.write(`Reset ${result.labs.join(', ')}: ${plural(result.removed.length, 'object')} deleted, ${plural(result.restored.length, 'label')} restored.\n`);
      process.exitCode = ExitCode.ok;
    } finally {
      interrupt.dispose();
      cluster.close();
    }
  });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
