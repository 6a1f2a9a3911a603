// Target checks: which context and server doctor talks to (credentials never shown), and whether
// that is the embedded sandbox.
import type { TargetInfo } from '../../cluster/types.js';
import type { CheckResult, DoctorContext } from '../types.js';

/** The server URL without user info, query or fragment (never print credentials). */
export function redactServer(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server.replace(/^([a-z]+:\/\/)?[^/@]*@/i, '$1').replace(/[?#].*$/, '');
  }
}

/** Describes the target in words for the context line. */
function describeTarget(target: TargetInfo): string {
  const notes = [`namespace ${target.namespace}`, ...(target.disposable ? ['local/disposable'] : [])];
  return `"${target.context}" at ${redactServer(target.server)} (${notes.join(', ')})`;
}

/** Reports the kubeconfig context and API server in use. */
export async function checkContext({ cluster }: DoctorContext): Promise<CheckResult> {
  return { check: { id: 'context', status: 'ok', summary: describeTarget(cluster.target) } };
}

/** Reports whether the target is the embedded sandbox. */
export async function checkSandbox({ cluster }: DoctorContext): Promise<CheckResult> {
  const summary = cluster.target.sandbox
    ? 'yes: the embedded sandbox (a local Kubernetes API with an emulated Istio data plane)'
    : 'no: a cluster from your kubeconfig';
  return { check: { id: 'sandbox', status: 'info', summary } };
}
