// Reachability: the API server answers /version; otherwise the reason and what to try.
import type { CheckResult, DoctorContext } from '../types.js';
import { redactServer } from './target.js';

/** Describes a failure to reach the API server (HTTP status or transport code). */
export function describeUnreachable(error: unknown, server: string): { summary: string; fix: string } {
  const e = error as { status?: number; code?: string; message?: string };
  if (e.status === 401 || e.status === 403) {
    return {
      summary: `the API server at ${redactServer(server)} refused istio-lab's credentials (HTTP ${e.status})`,
      fix: 'refresh your login (e.g. `gcloud container clusters get-credentials`, `aws eks update-kubeconfig`, `oc login`), or pick another --context',
    };
  }
  const code = e.code ? ` (${e.code})` : '';
  return {
    summary: `cannot reach the API server at ${redactServer(server)}${code}: ${e.message ?? String(error)}`,
    fix: 'check that the cluster is running (`kubectl cluster-info`), pick another --context, or use --sandbox',
  };
}

/** Asks the server for its version. */
export async function checkCluster({ cluster }: DoctorContext): Promise<CheckResult> {
  try {
    const version = await cluster.version();
    return { check: { id: 'cluster', status: 'ok', summary: `reachable, Kubernetes ${version}` } };
  } catch (error) {
    return { check: { id: 'cluster', status: 'fail', ...describeUnreachable(error, cluster.target.server) } };
  }
}
