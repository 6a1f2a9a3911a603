// Runs every doctor check in order against a Cluster (real or fake). Checks that need the API
// are skipped once it is unreachable; a check that throws becomes a failed line, not a crash.
import type { Cluster } from '../cluster/types.js';
import { checkCluster } from './checks/reachability.js';
import { checkContext, checkSandbox, redactServer } from './checks/target.js';
import { checkCrds } from './checks/crds.js';
import { checkIngress } from './checks/ingress.js';
import { checkInjection } from './checks/injection.js';
import { checkIstio } from './checks/istio.js';
import { checkIstioctl, checkKubectl } from './checks/tools.js';
import { findExecutable } from './find-executable.js';
import type { CheckId, CheckResult, DoctorCheck, DoctorContext, DoctorOutcome, DoctorReport } from './types.js';

/** A check and whether it needs a reachable API server. */
interface CheckEntry {
  run(ctx: DoctorContext): Promise<CheckResult>;
  needsApi: boolean;
}

/** Every check, in print order. */
const CHECKS: Record<CheckId, CheckEntry> = {
  context: { run: checkContext, needsApi: false },
  cluster: { run: checkCluster, needsApi: false },
  sandbox: { run: checkSandbox, needsApi: false },
  istio: { run: checkIstio, needsApi: true },
  crds: { run: checkCrds, needsApi: true },
  injection: { run: checkInjection, needsApi: true },
  ingress: { run: checkIngress, needsApi: true },
  kubectl: { run: checkKubectl, needsApi: false },
  istioctl: { run: checkIstioctl, needsApi: false },
};

/** Options for runDoctor. */
export interface DoctorOptions {
  /** PATH lookup (default: the real PATH). */
  findExecutable?: (name: string) => Promise<string | undefined>;
}

/** Decides the outcome: unreachable beats failed beats ok. */
export function decideOutcome(checks: readonly DoctorCheck[]): DoctorOutcome {
  if (checks.some((c) => c.id === 'cluster' && c.status === 'fail')) return 'unreachable';
  return checks.some((c) => c.status === 'fail') ? 'failed' : 'ok';
}

/** Runs one check, turning an exception into a failed line. */
async function runCheck(id: CheckId, entry: CheckEntry, ctx: DoctorContext): Promise<CheckResult> {
  try {
    return await entry.run(ctx);
  } catch (error) {
    const e = error as { status?: number; message?: string };
    const why = e.status === 403 ? `not allowed to read what this check needs (HTTP 403): ${e.message ?? ''}`.trim() : (e.message ?? String(error));
    return { check: { id, status: 'fail', summary: `could not check: ${why}` } };
  }
}

/** Runs the checks against a cluster and collects the report. */
export async function runDoctor(cluster: Cluster, options: DoctorOptions = {}): Promise<DoctorReport> {
  const ctx: DoctorContext = { cluster, findExecutable: options.findExecutable ?? ((name) => findExecutable(name)) };
  const checks: DoctorCheck[] = [];
  let ingress: DoctorReport['ingress'];
  let reachable = true;
  for (const [id, entry] of Object.entries(CHECKS) as [CheckId, CheckEntry][]) {
    if (entry.needsApi && !reachable) continue;
    const result = await runCheck(id, entry, ctx);
    checks.push(result.check);
    if (id === 'cluster' && result.check.status === 'fail') reachable = false;
    if (result.ingress) ingress = result.ingress;
  }
  const target = { context: cluster.target.context, server: redactServer(cluster.target.server) };
  return { target, checks, ...(ingress ? { ingress } : {}), outcome: decideOutcome(checks) };
}

/** A report for when no connection could be made at all (connect() failed before any check). */
export async function reportConnectionFailure(message: string, fix: string | undefined, options: DoctorOptions = {}): Promise<DoctorReport> {
  const ctx = { findExecutable: options.findExecutable ?? ((name: string) => findExecutable(name)) };
  const cluster: DoctorCheck = { id: 'cluster', status: 'fail', summary: message.replace(/\.$/, ''), ...(fix ? { fix: fix.replace(/\.$/, '') } : {}) };
  const tools = [(await checkKubectl(ctx)).check, (await checkIstioctl(ctx)).check];
  return { checks: [cluster, ...tools], outcome: 'unreachable' };
}
