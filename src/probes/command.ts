// `command` probe: an allow-listed program (istioctl, kubectl) run through src/process without a
// shell, against the cluster's context; skipped, with the reason, when the program is not installed.
import type { CommandCheck } from '../lab/index.js';
import type { TargetInfo } from '../cluster/types.js';
import { runProgram, type RunOptions, type RunResult } from '../process/index.js';
import type { Probe } from './probe.js';
import { boundTimeout } from './budget.js';

/** What the command probe needs from the outside world. */
export interface CommandDeps {
  run: (program: CommandCheck['program'], args: string[], options: RunOptions) => Promise<RunResult>;
  /** The kubeconfig file(s) for a target (KUBECONFIG value); undefined inherits the environment. */
  kubeconfig: (target: TargetInfo) => string | undefined;
}

const defaults: CommandDeps = { run: runProgram, kubeconfig: (target) => target.kubeconfig };

/** Args with `--context <the cluster's context>` first, unless the lab already chose one. */
export function withContext(args: string[], target: TargetInfo): string[] {
  return args.some((a) => a === '--context' || a.startsWith('--context=') || a === '--kubeconfig' || a.startsWith('--kubeconfig=')) ? args : ['--context', target.context, ...args];
}

/** First line of text, for messages. */
const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

/** Creates the command probe. */
export function createCommandProbe(deps: Partial<CommandDeps> = {}): Probe<CommandCheck> {
  const { run, kubeconfig } = { ...defaults, ...deps };
  return async (check, ctx, budget) => {
    const args = withContext(check.args, ctx.cluster.target);
    const file = kubeconfig(ctx.cluster.target);
    const r = await run(check.program, args, { env: file ? { KUBECONFIG: file } : undefined, signal: ctx.signal, timeoutMs: boundTimeout(budget, 60_000) });
    const line = `${check.program} ${check.args.join(' ')}`;
    if (r.missing) return { ok: false, skipped: `${check.program} is not installed (not on PATH)`, message: `${line}: skipped, ${check.program} is not on PATH` };
    const e = check.expect;
    const problems: string[] = [];
    if (r.timedOut) problems.push('timed out');
    if (r.exitCode !== e.exitCode) problems.push(`exit code ${r.exitCode}, expected ${e.exitCode}${r.stderr ? ` (${firstLine(r.stderr)})` : ''}`);
    for (const t of e.stdoutContains ?? []) if (!r.stdout.includes(t)) problems.push(`stdout does not contain ${JSON.stringify(t)}`);
    for (const t of e.stdoutNotContains ?? []) if (r.stdout.includes(t)) problems.push(`stdout contains ${JSON.stringify(t)}`);
    for (const t of e.stderrContains ?? []) if (!r.stderr.includes(t)) problems.push(`stderr does not contain ${JSON.stringify(t)}`);
    if (!problems.length) return { ok: true, message: `${line}: exit ${r.exitCode}${r.stdout.trim() ? `, ${firstLine(r.stdout)}` : ''}` };
    const tail = [...r.stdout.trim().split('\n').slice(-4), ...r.stderr.trim().split('\n').slice(-2)].filter(Boolean).join('\n');
    return { ok: false, message: `${line}: ${problems.slice(0, 3).join('; ')}`, observed: tail || undefined };
  };
}

/** The command probe with the real process runner. */
export const commandProbe = createCommandProbe();
