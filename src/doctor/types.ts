// The doctor's data: one check per line (ok / warn / fail / info) and the report they form.
import type { Cluster } from '../cluster/types.js';
import type { IngressAddress } from './ingress-address.js';

/** How a check came out; `info` never affects the outcome. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

/** The checks doctor runs, in the order they are printed. */
export type CheckId = 'context' | 'cluster' | 'sandbox' | 'istio' | 'crds' | 'injection' | 'ingress' | 'kubectl' | 'istioctl';

/** One line of the doctor's report, with optional detail lines and a fix. */
export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  summary: string;
  details?: string[];
  fix?: string;
}

/** What a check returns: its line, and for the ingress check the address it resolved. */
export interface CheckResult {
  check: DoctorCheck;
  ingress?: IngressAddress;
}

/** What checks may use: the cluster and a PATH lookup (both injectable for tests). */
export interface DoctorContext {
  cluster: Cluster;
  /** Full path of an executable on PATH, or undefined. */
  findExecutable(name: string): Promise<string | undefined>;
}

/** The overall outcome: decides the exit code. */
export type DoctorOutcome = 'ok' | 'failed' | 'unreachable';

/** Everything doctor found. */
export interface DoctorReport {
  /** Context and server (credentials never included); undefined when no cluster could be selected. */
  target?: { context: string; server: string };
  checks: DoctorCheck[];
  /** Where labs should send ingress traffic, when a gateway was found. */
  ingress?: IngressAddress;
  outcome: DoctorOutcome;
}
