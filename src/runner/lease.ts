// One istio-lab at a time per cluster: commands that change a cluster hold a coordination.k8s.io/v1
// Lease `istio-lab` in istio-lab-system (the namespace of the state ConfigMap), as controllers and
// kubectl-style tools do. Acquired with a create (409 = held), taken over from a dead holder with a
// conditional replace (resourceVersion), renewed in the background, deleted on release. The last
// release removes istio-lab-system too when istio-lab created it and nothing else lives there.
import type { Cluster, KubeObject, ObjectRef } from '../cluster/types.js';
import { WaitTimeoutError, waitForObject } from '../waits/watch.js';
import { managedByLabel, managedByValue } from './ownership.js';
import { stateNamespace } from './state.js';
import { ensureLeaseNamespace, isStatus, isTerminating, leaseName, leaseRefused, removeLeaseNamespaceIfUnused } from './lease-namespace.js';
import { LeaseHeldError, deadHolderReason, describeHolder, expiresAt, holderMetadata, holderOf, selfHolder, type LeaseHolder } from './lease-holder.js';

export { LeaseHeldError, type LeaseHolder } from './lease-holder.js';

export { leaseName } from './lease-namespace.js';
/** The Lease's ref. */
export const leaseRef: ObjectRef = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: stateNamespace, name: leaseName };

/** How to acquire. */
export interface LeaseOptions {
  /** The istio-lab command taking it (run, reset), shown to whoever is refused. */
  command: string;
  /** How long to wait for a live holder to release it; 0 refuses at once. */
  waitMs?: number;
  /** spec.leaseDurationSeconds (default 30): renewed every third of it; a silent holder counts as dead after twice it. */
  durationSeconds?: number;
  /** Take the lease even from a live holder (`reset --force-unlock`). */
  force?: boolean;
  /** Stops waiting (Ctrl-C). */
  signal?: AbortSignal;
  /** Called with one-line messages: waiting for a holder, taking over a dead or forced one. */
  notice?: (line: string) => void;
  /** Called once if the lease is lost while held (taken over, or deleted). */
  onLost?: (by: LeaseHolder | undefined) => void;
  /** Clock (ms since epoch). */
  now?: () => number;
}

/** MicroTime as the API server writes it (RFC 3339, six fractional digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A held lease; `release()` it in a finally block. */
export class ClusterLease {
  private timer?: NodeJS.Timeout;
  private released = false;
  /** Set when someone else took the lease while this process held it. */
  lost = false;

  private constructor(
    private readonly cluster: Cluster,
    readonly holder: LeaseHolder,
    private held: KubeObject,
    private readonly opts: LeaseOptions,
  ) {}

  /** Acquire the lease, waiting up to `waitMs` for a live holder; throws LeaseHeldError when refused. */
  static async acquire(cluster: Cluster, opts: LeaseOptions): Promise<ClusterLease> {
    const now = opts.now ?? Date.now;
    const signal = opts.signal ?? new AbortController().signal;
    const self = selfHolder(opts.command, opts.durationSeconds ?? 30);
    const started = now();
    const deadline = started + (opts.waitMs ?? 0);
    let announced = false;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 100) throw new Error(`could not create or read Lease ${leaseName} in namespace ${stateNamespace} after ${attempt} attempts`);
      await ensureLeaseNamespace(cluster, signal);
      const at = now();
      const created = await cluster.create(leaseObject(self, at, at, 0)).catch((err) => (isStatus(err, 409, 404) || isTerminating(err) ? undefined : Promise.reject(leaseRefused(err, cluster))));
      if (created) return new ClusterLease(cluster, self, created, opts).startRenewing();
      const live = await cluster.get(leaseRef);
      if (!live) continue; // released (or its namespace went away) in between: try again
      const holder = holderOf(live);
      if (holder?.identity === self.identity) return new ClusterLease(cluster, self, live, opts).startRenewing(); // our create landed; its answer was lost
      const dead = holder ? deadHolderReason(holder, now()) : 'nobody holds it';
      if (!holder || dead || opts.force) {
        if (holder) opts.notice?.(`Taking over the istio-lab lease from ${describeHolder(holder, now())}: ${dead ?? 'forced with --force-unlock'}.`);
        const taken = await takeOver(cluster, live, self, now());
        if (taken) return new ClusterLease(cluster, self, taken, opts).startRenewing();
        continue; // someone else changed it first: look again
      }
      if (now() >= deadline) throw new LeaseHeldError(holder, cluster.target.context, opts.waitMs ?? 0, now());
      if (!announced) opts.notice?.(`Waiting up to ${Math.round((deadline - started) / 1000)}s for another istio-lab to release the lease: ${describeHolder(holder, now())}.`);
      announced = true;
      attempt = 0;
      // Watch the Lease until its holder changes, or until it would expire, or until we stop waiting.
      const until = Math.min(deadline, expiresAt(holder) + 100);
      await waitForObject({ cluster, signal }, leaseRef, (o) => holderOf(o)?.identity !== holder.identity, Math.max(50, until - now()), 'the lease to be released').catch((err) => {
        if (!(err instanceof WaitTimeoutError)) throw err;
      });
    }
  }

  /**
   * Stop renewing and give the lease up (idempotent; never throws): removes istio-lab-system when
   * nothing else uses it. Transient API failures are retried; if it still fails, a notice says so
   * and the lease simply expires (or the next istio-lab on this host sees this process is gone).
   */
  async release(): Promise<boolean> {
    if (this.released) return true;
    this.released = true;
    clearInterval(this.timer);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.giveUp();
        return true;
      } catch (err) {
        if (attempt >= 3) {
          this.opts.notice?.(`could not release the istio-lab lease (${(err as Error).message}); it expires ${2 * this.holder.durationSeconds}s after its last renewal, and sooner for an istio-lab on this host, which sees this process is gone.`);
          return false;
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  private async giveUp(): Promise<void> {
    const live = await this.cluster.get(leaseRef);
    if (!live || holderOf(live)?.identity !== this.holder.identity) return; // not ours any more
    if (!(await removeLeaseNamespaceIfUnused(this.cluster))) await this.cluster.delete(leaseRef);
  }

  private startRenewing(): this {
    this.timer = setInterval(() => void this.renew(), (this.holder.durationSeconds * 1000) / 3);
    this.timer.unref();
    return this;
  }

  /** Push renewTime forward (conditional on the version we hold); a conflict or 404 means someone else has it. */
  private async renew(): Promise<void> {
    if (this.released || this.lost) return;
    const now = (this.opts.now ?? Date.now)();
    try {
      this.held = await this.cluster.replace({ ...this.held, spec: { ...this.held.spec, renewTime: microTime(now) } });
    } catch (err) {
      if (!isStatus(err, 409, 404)) return; // transient: the next renewal tries again, well before expiry
      const live = await this.cluster.get(leaseRef).catch(() => undefined);
      const holder = holderOf(live);
      if (live && holder?.identity === this.holder.identity) this.held = live;
      else this.markLost(holder);
    }
  }

  private markLost(by: LeaseHolder | undefined): void {
    if (this.released || this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    this.opts.onLost?.(by);
  }
}

/** Who holds the lease right now, described for a notice; undefined when nobody live does. */
export async function describeLiveHolder(cluster: Cluster, now = Date.now()): Promise<string | undefined> {
  const holder = holderOf(await cluster.get(leaseRef).catch(() => undefined));
  return holder && !deadHolderReason(holder, now) ? describeHolder(holder, now) : undefined;
}

function leaseObject(holder: LeaseHolder, acquired: number, renewed: number, transitions: number): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: leaseName, namespace: stateNamespace, labels: { [managedByLabel]: managedByValue }, annotations: holderMetadata(holder) },
    spec: { holderIdentity: holder.identity, leaseDurationSeconds: holder.durationSeconds, acquireTime: microTime(acquired), renewTime: microTime(renewed), leaseTransitions: transitions },
  };
}

/** Conditional replace of a dead or forced holder's Lease; undefined when someone else changed it first. */
async function takeOver(cluster: Cluster, live: KubeObject, self: LeaseHolder, now: number): Promise<KubeObject | undefined> {
  const next = leaseObject(self, now, now, Number(live.spec?.leaseTransitions ?? 0) + 1);
  next.metadata.resourceVersion = live.metadata.resourceVersion;
  return cluster.replace(next).catch((err) => (isStatus(err, 409, 404) ? undefined : Promise.reject(err)));
}
