// `istioctl-install`: installs Istio on a real cluster with `istioctl install` (through src/process,
// no shell). Skips when a compatible Istio is already there (and never touches it), stops with a
// clear message when istioctl is missing or too old, and records the install before running it so
// `reset` can uninstall exactly what istio-lab installed. On the sandbox it does nothing: the lab's
// `only: sandbox` apply installs the sandbox's own Istio objects instead.
import { access, constants } from 'node:fs/promises';
import type { IstioctlInstallAction } from '../lab/index.js';
import type { KubeObject } from '../cluster/types.js';
import type { ObjectChange } from '../runner/events.js';
import type { StepContext } from '../runner/context.js';
import { runProgram, type RunResult } from '../process/index.js';
import { UserError, ExitCode } from '../cli/errors.js';
import { InterruptedError } from '../runner/context.js';
import { fieldManager, markOwned } from '../runner/ownership.js';

const GET_ISTIOCTL = 'download it with `curl -L https://istio.io/downloadIstio | sh -` (https://istio.io/latest/docs/setup/additional-setup/download-istio-release/) and put istio-*/bin on PATH, or pass --istioctl <path>';

/** `1.24.2` → [1, 24, 2]; undefined when `text` holds no version. */
export function parseIstioVersion(text: string): number[] | undefined {
  const m = /(?:^|[^\d.])(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** True when version `a` ≥ `b` (missing patch counts as 0). */
export function versionAtLeast(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** The Istio version an istiod Deployment runs, from its discovery container's image tag. */
export function istiodVersion(deploy: KubeObject): string | undefined {
  const containers: { name?: string; image?: string }[] = deploy.spec?.template?.spec?.containers ?? [];
  const image = (containers.find((c) => c.name === 'discovery') ?? containers[0])?.image ?? '';
  const tag = image.includes('@') ? '' : image.slice(image.lastIndexOf(':') + 1);
  const v = parseIstioVersion(tag);
  return v ? v.join('.') : undefined;
}

/** The arguments of `istioctl install` for this action. */
export function installArgs(action: IstioctlInstallAction, context: string): string[] {
  const sets = Object.entries(action.set ?? {}).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
  return ['install', '--set', `profile=${action.profile}`, ...sets, '--context', context, '-y'];
}

/** Run the action; returns what changed. */
export async function runIstioctlInstall(action: IstioctlInstallAction, ctx: StepContext): Promise<ObjectChange[]> {
  if (ctx.cluster.target.sandbox) return [{ ref: 'istioctl install (real clusters only; the sandbox uses its own install manifests)', result: 'skipped' }];
  const min = parseIstioVersion(action.minVersion)!;
  const istiod = await ctx.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'istio-system', name: 'istiod' });
  if (istiod) {
    const have = istiodVersion(istiod);
    if (have && !versionAtLeast(parseIstioVersion(have)!, min)) {
      throw new UserError(`Istio ${have} is installed on ${ctx.cluster.target.context}, but ${ctx.loaded.displayFile} needs Istio ${action.minVersion} or newer.`, ExitCode.usage, 'upgrade Istio (https://istio.io/latest/docs/setup/upgrade/), or run the labs on another cluster; istio-lab does not change an Istio it did not install.');
    }
    return [{ ref: `istio ${have ?? '(unknown version)'} already installed; left as it is`, result: 'unchanged' }];
  }
  const env = ctx.cluster.target.kubeconfig ? { KUBECONFIG: ctx.cluster.target.kubeconfig } : undefined;
  const locate = await chosenIstioctl(ctx.tools?.istioctl);
  const version = await istioctl(['version', '--remote=false', '--short'], { env, locate, timeoutMs: 30_000, signal: ctx.signal });
  const client = parseIstioVersion(version.stdout);
  if (!client || !versionAtLeast(client, min)) {
    throw new UserError(`istioctl at ${version.path} is version ${client?.join('.') ?? `unknown (${version.stdout.trim().slice(0, 80)})`}; ${ctx.loaded.displayFile} needs ${action.minVersion} or newer.`, ExitCode.usage, `${GET_ISTIOCTL}.`);
  }
  await ctx.state.recordInstall({ lab: ctx.labId, step: ctx.step.name, tool: 'istioctl', version: client.join('.') });
  const changes = await ensureNamespace(ctx);
  const args = installArgs(action, ctx.cluster.target.context);
  ctx.emit({ type: 'notice', message: `running istioctl ${args.join(' ')} (Istio ${client.join('.')}; this usually takes one to three minutes)` });
  const r = await istioctl(args, { env, locate, timeoutMs: 15 * 60_000, signal: ctx.signal });
  if (r.exitCode !== 0) {
    const tail = `${r.stderr}\n${r.stdout}`.trim().split('\n').slice(-6).join('\n');
    throw new UserError(`istioctl install failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}) on ${ctx.cluster.target.context}:\n${tail}`, ExitCode.checkFailed, 'read istioctl\'s message above; `istioctl x precheck` finds most causes. `istio-lab reset` uninstalls what was installed.');
  }
  return [...changes, { ref: `istio ${client.join('.')} (istioctl install, profile ${action.profile})`, result: 'created' }];
}

/** Create istio-system as istio-lab's (so reset removes it after uninstalling) unless it exists. */
async function ensureNamespace(ctx: StepContext): Promise<ObjectChange[]> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: 'istio-system' };
  if (await ctx.cluster.get(ref)) return [];
  await ctx.state.recordObjects([{ ...ref, lab: ctx.labId, step: ctx.step.name }]);
  await ctx.cluster.apply(markOwned({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } }, ctx.labId, ctx.step.name), { fieldManager, force: true });
  return [{ ref: 'namespace/istio-system', result: 'created' }];
}

/** A locator for the `--istioctl` path (checked to be an executable file), or undefined for PATH lookup. */
async function chosenIstioctl(path: string | undefined): Promise<(() => Promise<string>) | undefined> {
  if (!path) return undefined;
  const ok = await access(path, constants.X_OK).then(() => true, () => false);
  if (!ok) throw new UserError(`--istioctl ${path} is not an executable file.`, ExitCode.usage, `point --istioctl at the istioctl binary (istio-<version>/bin/istioctl), or omit it to use the one on PATH; ${GET_ISTIOCTL}.`);
  return async () => path;
}

/** Run istioctl; a missing program or an interrupt becomes a user-facing error. */
export async function istioctl(args: string[], opts: { env?: NodeJS.ProcessEnv; locate?: () => Promise<string>; timeoutMs: number; signal: AbortSignal }): Promise<Extract<RunResult, { missing: false }>> {
  const r = await runProgram('istioctl', args, { env: opts.env, locate: opts.locate, timeoutMs: opts.timeoutMs, signal: opts.signal }).catch((err) => {
    if (opts.signal.aborted) throw new InterruptedError();
    throw err;
  });
  if (opts.signal.aborted) throw new InterruptedError();
  if (r.missing) throw new UserError('istioctl is not installed (not found on PATH), and installing Istio on a real cluster needs it.', ExitCode.usage, `${GET_ISTIOCTL}. If Istio is already installed some other way (Helm, a managed mesh), istio-lab uses it as it is.`);
  return r;
}
