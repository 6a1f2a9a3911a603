// Target selection, as kubectl does it: --kubeconfig, KUBECONFIG (several files), ~/.kube/config,
// --context, --namespace; --sandbox forces the embedded sandbox, which is also the fallback
// when no kubeconfig or current context exists at all.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UserError, ExitCode } from '../cli/errors.js';

/** How the user asked to pick a cluster. */
export interface TargetOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  sandbox?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Where the kubeconfig comes from, decided before any client library loads. */
export type TargetSource =
  | { kind: 'files'; files: string[]; context?: string; namespace?: string }
  | { kind: 'sandbox'; reason: 'requested' | 'no-kubeconfig'; namespace?: string };

/** Context names that are evidently local or disposable; anything else asks before changing it. */
export function isDisposableContext(context: string): boolean {
  return /^(istio-lab-sandbox|kind-.+|k3d-.+|minikube|docker-desktop|rancher-desktop|orbstack|colima)$/.test(context);
}

/** Decide where the kubeconfig comes from (pure apart from existence checks). */
export function chooseTargetSource(opts: TargetOptions): TargetSource {
  const env = opts.env ?? process.env;
  if (opts.sandbox) {
    if (opts.kubeconfig || opts.context) throw new UserError('--sandbox cannot be combined with --kubeconfig or --context.', ExitCode.usage, 'drop --sandbox to use your kubeconfig, or drop the other flags to use the embedded sandbox.');
    return { kind: 'sandbox', reason: 'requested', namespace: opts.namespace };
  }
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new UserError(`the kubeconfig file ${opts.kubeconfig} (from --kubeconfig) does not exist.`, ExitCode.usage, 'check the path, or omit --kubeconfig to use $KUBECONFIG or ~/.kube/config.');
    return { kind: 'files', files: [opts.kubeconfig], context: opts.context, namespace: opts.namespace };
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const files = fromEnv.length ? fromEnv.filter((f) => existsSync(f)) : [join(env.HOME ?? homedir(), '.kube', 'config')].filter((f) => existsSync(f));
  if (!files.length) {
    if (opts.context) throw new UserError(`--context ${opts.context} was given, but no kubeconfig was found (KUBECONFIG is ${env.KUBECONFIG ? `"${env.KUBECONFIG}"` : 'unset'}, and ~/.kube/config does not exist).`, ExitCode.usage, 'point --kubeconfig or KUBECONFIG at your kubeconfig file, or drop --context to use the embedded sandbox.');
    return { kind: 'sandbox', reason: 'no-kubeconfig', namespace: opts.namespace };
  }
  return { kind: 'files', files, context: opts.context, namespace: opts.namespace };
}
