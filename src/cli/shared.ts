// Options and plumbing shared by the commands that talk to a cluster.
import { Option, type Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Cluster } from '../cluster/types.js';
import { UserError, ExitCode } from './errors.js';

/** Target flags every cluster command accepts. */
export interface TargetFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  sandbox?: boolean;
}

/** Add --kubeconfig, --context, -n/--namespace and --sandbox. */
export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('-n, --namespace <ns>', 'namespace for objects that name none (default: the lab\'s)')
    .option('--sandbox', 'use the embedded sandbox cluster even if a kubeconfig exists');
}

/** Add repeatable --reporter. */
export function addReporterOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--reporter <spec>', 'pretty | plain | json[=file] | junit[=file]; repeat for several (default: pretty on a terminal, plain otherwise)').argParser((v: string, acc: string[] | undefined) => [...(acc ?? []), v]),
  );
}

/** The repo whose labs/ and manifests/ are used: $ISTIO_LAB_ROOT or the installed package. */
export function labRoot(): string {
  const fromEnv = process.env.ISTIO_LAB_ROOT;
  if (fromEnv) {
    if (!existsSync(resolve(fromEnv, 'labs'))) throw new UserError(`ISTIO_LAB_ROOT=${fromEnv} has no labs/ folder.`, ExitCode.usage, 'point ISTIO_LAB_ROOT at a folder holding labs/ and manifests/, or unset it.');
    return resolve(fromEnv);
  }
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** Connect to the chosen cluster, turning connection failures into exit code 3 with a fix; once `signal` aborts (Ctrl-C), failed calls are no longer retried. */
export async function connect(flags: TargetFlags, notice: (line: string) => void, signal?: AbortSignal): Promise<Cluster> {
  const { connectCluster } = await import('../cluster/kube.js');
  const cluster = await connectCluster(flags, notice, { signal });
  try {
    await cluster.version();
  } catch (err) {
    cluster.close();
    throw describeConnectionError(err, cluster.target.context, cluster.target.server);
  }
  return cluster;
}

/** Map API/transport errors on first contact to a one-paragraph UserError (exit 3). */
export function describeConnectionError(err: unknown, context: string, server: string): UserError {
  const e = err as { status?: number; code?: string; message?: string };
  if (e.status === 401 || e.status === 403) {
    return new UserError(`the cluster at ${server} (context "${context}") refused istio-lab's credentials (HTTP ${e.status}).`, ExitCode.unreachable, 'refresh your login (e.g. `gcloud container clusters get-credentials`, `aws eks update-kubeconfig`, `oc login`), or pick another --context.');
  }
  const code = e.code ? ` (${e.code})` : '';
  return new UserError(`cannot reach the cluster at ${server} (context "${context}")${code}: ${e.message ?? String(err)}.`, ExitCode.unreachable, 'check that the cluster is running and reachable (`kubectl cluster-info`), pick another --context, or use --sandbox to run on the embedded sandbox.');
}

/** Ask before changing a cluster that is not evidently local/disposable. */
export async function confirmTarget(cluster: Cluster, yes: boolean | undefined, verb: string): Promise<void> {
  const t = cluster.target;
  if (t.disposable || yes) return;
  const what = `context "${t.context}" (${t.server})`;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError(`refusing to ${verb} ${what} without confirmation: it does not look like a local or disposable cluster (sandbox, kind-*, k3d-*, minikube, docker-desktop, rancher-desktop).`, ExitCode.usage, 'pass --yes if you mean it, or choose a disposable cluster with --context or --sandbox.');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`istio-lab will ${verb} ${what}, which does not look disposable. Continue? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new UserError('cancelled; nothing was changed.', ExitCode.usage);
}

/** Signals that stop a run cleanly: Ctrl-C, kill, and a closed terminal (SIGHUP, e.g. a dropped SSH session). */
const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Abort on the first SIGINT/SIGTERM/SIGHUP (the runner stops after the current action); exit 130 on a second, after at most 1 s of cleanup. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void; onForcedExit(cleanup: () => Promise<unknown>): void } {
  const controller = new AbortController();
  const cleanups: (() => Promise<unknown>)[] = [];
  let exiting = false;
  const onSignal = (name: NodeJS.Signals) => {
    // After a hang-up the terminal is gone: writing the report to it fails (EIO/EPIPE), which must not stop the cleanup.
    if (name === 'SIGHUP') for (const s of [process.stdout, process.stderr]) s.on('error', () => {});
    if (!controller.signal.aborted) return controller.abort();
    if (exiting) process.exit(ExitCode.interrupted);
    exiting = true;
    setTimeout(() => process.exit(ExitCode.interrupted), 1000).unref();
    void Promise.allSettled(cleanups.map((c) => c())).then(() => process.exit(ExitCode.interrupted));
  };
  for (const s of stopSignals) process.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose() {
      for (const s of stopSignals) process.off(s, onSignal);
    },
    onForcedExit: (cleanup) => void cleanups.push(cleanup),
  };
}

/** Lease flags of the commands that change a cluster. */
export interface LockFlags {
  waitLock?: string;
  forceUnlock?: boolean;
}

/** Add --wait-lock. */
export function addLockOption(cmd: Command): Command {
  return cmd.option('--wait-lock <duration>', 'if another istio-lab is changing this cluster, wait up to this long for it, e.g. 2m (default: refuse at once)');
}

/**
 * Hold istio-lab's cluster lease (runner/lease.ts) while `body` runs; released afterwards, on errors
 * and on Ctrl-C. Refuses (exit 2, naming the holder) when another live istio-lab holds it.
 */
export async function withLease<T>(cluster: Cluster, command: string, flags: LockFlags, interrupt: ReturnType<typeof interruptSignal>, notice: (line: string) => void, body: () => Promise<T>): Promise<T> {
  const waitMs = (await parseDurationFlag('--wait-lock', flags.waitLock)) ?? 0;
  const { ClusterLease } = await import('../runner/lease.js');
  const lease = await ClusterLease.acquire(cluster, {
    command,
    waitMs,
    force: flags.forceUnlock,
    signal: interrupt.signal,
    notice,
    onLost: (by) => notice(`warning: istio-lab lost its lease on this cluster${by ? ` to pid ${by.pid ?? '?'} on host ${by.host ?? '?'}` : ''} (taken over with --force-unlock, or it expired); another istio-lab may now be changing it too.`),
  }).catch((err) => {
    if (interrupt.signal.aborted) throw new UserError('interrupted while waiting for the lease; nothing was changed.', ExitCode.interrupted);
    throw err;
  });
  interrupt.onForcedExit(() => lease.release());
  try {
    return await body();
  } finally {
    await lease.release();
  }
}

/** Parse a duration flag like 90s or 2m into ms. */
export async function parseTimeoutFlag(value: string | undefined): Promise<number | undefined> {
  return parseDurationFlag('--timeout', value);
}

/** Parse a duration flag (`name` for the error) like 0s, 90s or 2m into ms. */
export async function parseDurationFlag(name: string, value: string | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  if (value === '0') return 0;
  const { isDuration, parseDuration } = await import('../lab/index.js');
  if (!isDuration(value)) throw new UserError(`${name} must be a duration such as 90s or 2m, got "${value}".`);
  return parseDuration(value);
}
