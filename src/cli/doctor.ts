// `istio-lab doctor`: checks that the target cluster can run labs and prints the ingress address.
import { Option, type Command } from 'commander';
import type { DoctorOutcome } from '../doctor/index.js';
import { ExitCode, UserError } from './errors.js';
import { addTargetOptions, connect, type TargetFlags } from './shared.js';
import { redactText } from '../report/redact.js';

/** Exit code per outcome. */
const EXIT_CODES: Record<DoctorOutcome, number> = { ok: ExitCode.ok, failed: ExitCode.checkFailed, unreachable: ExitCode.unreachable };

/** Register the `doctor` command. */
export function registerDoctorCommand(program: Command): void {
  const cmd = program
    .command('doctor')
    .description('Check the target cluster: reachability, Istio and its CRDs, sidecar injection, the ingress address, tools')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'));
  addTargetOptions(cmd)
    .addHelpText(
      'after',
      `
One line per check: ok, warn, fail, or info (informational). The ingress gateway address is resolved
as labs need it (LoadBalancer, else NodePort on a node address, else port-forward to the gateway pod)
and printed as INGRESS_HOST / INGRESS_PORT exports. Credentials are never printed.
Exit code 0 when nothing failed, 1 when a check failed, 3 when the cluster is unreachable.

Examples:
  $ istio-lab doctor                          # the current kubeconfig context
  $ istio-lab doctor --context kind-istio     # another context
  $ istio-lab doctor --sandbox                # the embedded sandbox
  $ eval "$(istio-lab doctor -o json | jq -r '.ingress.exports[]')"   # export INGRESS_HOST etc.`,
    )
    .action(async (opts: TargetFlags & { output: 'text' | 'json' }) => {
      const { runDoctor, reportConnectionFailure, formatDoctorJson, formatDoctorText } = await import('../doctor/index.js');
      const notice = (line: string) => process.stderr.write(`${line}\n`);
      const cluster = await connect(opts, notice).catch((error: unknown) => {
        if (error instanceof UserError && error.exitCode === ExitCode.unreachable) return error;
        throw error;
      });
      const report = cluster instanceof UserError ? await reportConnectionFailure(cluster.message, cluster.fix) : await runDoctor(cluster).finally(() => cluster.close());
      process.stdout.write(redactText(opts.output === 'json' ? formatDoctorJson(report) : formatDoctorText(report)));
      process.exitCode = EXIT_CODES[report.outcome];
    });
}
