// Who holds istio-lab's cluster lease: this process's identity, reading a holder back from a Lease
// object, deciding whether it is still alive, and the one-paragraph error naming it.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import type { KubeObject } from '../cluster/types.js';
import { UserError, ExitCode } from '../cli/errors.js';

/** Annotations on the Lease that say who holds it (holderIdentity stays an opaque string). */
export const holderAnnotations = {
  host: 'istio-lab.dev/holder-host',
  pid: 'istio-lab.dev/holder-pid',
  pidNamespace: 'istio-lab.dev/holder-pid-namespace',
  command: 'istio-lab.dev/holder-command',
} as const;

/** A lease holder as recorded on the Lease. */
export interface LeaseHolder {
  /** spec.holderIdentity: `host/pid/random`. */
  identity: string;
  host?: string;
  pid?: number;
  /** Linux pid namespace of the holder (`pid:[4026531836]`), so a pid is only judged on the same one. */
  pidNamespace?: string;
  /** The istio-lab command holding it (run, reset). */
  command?: string;
  /** spec.acquireTime (ms since epoch). */
  since?: number;
  /** spec.renewTime (ms since epoch). */
  renewedAt?: number;
  durationSeconds: number;
}

/** This process as a lease holder. */
export function selfHolder(command: string, durationSeconds: number): LeaseHolder {
  const host = hostname();
  return { identity: `${host}/${process.pid}/${randomBytes(4).toString('hex')}`, host, pid: process.pid, pidNamespace: pidNamespace(), command, durationSeconds };
}

/** The holder recorded on a Lease (undefined when nobody holds it). */
export function holderOf(lease: KubeObject | undefined): LeaseHolder | undefined {
  const identity = lease?.spec?.holderIdentity;
  if (!lease || !identity) return undefined;
  const a = lease.metadata.annotations ?? {};
  const time = (v: unknown) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : undefined);
  const pid = Number(a[holderAnnotations.pid]);
  return {
    identity,
    host: a[holderAnnotations.host],
    pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
    pidNamespace: a[holderAnnotations.pidNamespace],
    command: a[holderAnnotations.command],
    since: time(lease.spec.acquireTime),
    renewedAt: time(lease.spec.renewTime) ?? time(lease.spec.acquireTime),
    durationSeconds: Number(lease.spec.leaseDurationSeconds) > 0 ? Number(lease.spec.leaseDurationSeconds) : 0,
  };
}

/** Annotations recording `holder` on the Lease. */
export function holderMetadata(holder: LeaseHolder): Record<string, string> {
  const out: Record<string, string> = { [holderAnnotations.host]: holder.host ?? '', [holderAnnotations.pid]: String(holder.pid ?? ''), [holderAnnotations.command]: holder.command ?? '' };
  if (holder.pidNamespace) out[holderAnnotations.pidNamespace] = holder.pidNamespace;
  return out;
}

/**
 * When a holder's lease counts as expired: its duration after its last renewal, plus the same again
 * because renewTime was written by the holder's clock, not ours (tolerates clock skew up to that
 * much; a live holder renews every third of its duration).
 */
export function expiresAt(holder: LeaseHolder): number {
  return (holder.renewedAt ?? 0) + 2 * holder.durationSeconds * 1000;
}

/**
 * Why a recorded holder no longer counts: its lease expired (see expiresAt), or it ran on this host
 * in this pid namespace and its process is gone (killed with -9). Undefined = alive.
 */
export function deadHolderReason(holder: LeaseHolder, now: number): string | undefined {
  if (holder.renewedAt === undefined || expiresAt(holder) < now) return 'its lease expired';
  const mine = pidNamespace();
  if (holder.pid && holder.host === hostname() && mine && holder.pidNamespace === mine && !isAlive(holder.pid)) return `process ${holder.pid} on this host is gone`;
  return undefined;
}

/** `pid 4242 on host ws-12 (istio-lab run), holding it since 10:31:05 UTC (12s ago), last renewed 2s ago`. */
export function describeHolder(holder: LeaseHolder, now: number): string {
  const who = `${holder.pid ? `pid ${holder.pid}` : `"${holder.identity}"`}${holder.host ? ` on host ${holder.host}` : ''}${holder.command ? ` (istio-lab ${holder.command})` : ''}`;
  const since = holder.since === undefined ? '' : `, holding it since ${new Date(holder.since).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} (${ago(holder.since, now)})`;
  const renewed = holder.renewedAt === undefined ? '' : `, last renewed ${ago(holder.renewedAt, now)}`;
  return `${who}${since}${renewed}`;
}

/** The refusal when another live istio-lab holds the lease (exit 2, like other conflicts). */
export class LeaseHeldError extends UserError {
  constructor(
    readonly holder: LeaseHolder,
    context: string,
    waitedMs: number,
    now: number,
  ) {
    const waited = waitedMs > 0 ? ` and did not release it within --wait-lock ${Math.round(waitedMs / 1000)}s` : '';
    super(
      `another istio-lab holds the lease on context "${context}" (Lease istio-lab in namespace istio-lab-system): ${describeHolder(holder, now)}${waited}. Two at once would interleave their changes and the record that reset relies on.`,
      ExitCode.usage,
      `wait for it to finish, or pass --wait-lock 2m to wait for it; if that process is gone (killed, or its machine went away), its lease expires ${2 * holder.durationSeconds}s after its last renewal, or \`istio-lab reset --force-unlock\` takes it over now.`,
    );
  }
}

function ago(t: number, now: number): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}
