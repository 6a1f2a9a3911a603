// Egress to hosts outside the cluster (§9). The sandbox has no internet access, so a request that
// leaves the cluster reaches one of the emulated public hosts (external-sites.ts, answered in this
// process over in-memory connections) or fails as a name that does not resolve (curl exit 6). The
// first time a pod reaches an emulated host, a Warning event on the pod says that no traffic left the
// machine; a public-looking name that does not resolve gets a Warning event too. Never silent.
import type { EventRecorder } from '../controllers/controller.js';
import type { Clock, Random } from '../runtime/determinism.js';
import { exchange, type Exchange } from '../runtime/direct-exchange.js';
import type { KubeObject } from '../types.js';
import { createEmulatedSites, type EmulatedSite } from './external-sites.js';
import { isIp, splitAuthority } from './routing/hosts.js';
import type { MeshRequest, MeshResult } from './types.js';

/** The address emulated sites see requests come from: the cluster's egress NAT, from TEST-NET-3 (RFC 5737) because it is not real. */
export const egressNatAddress = '203.0.113.10';

/** Reason of the Warning event for a request answered by an emulated host. */
export const emulatedReason = 'EgressEmulated';
/** Reason of the Warning event for a public name the sandbox cannot resolve. */
export const unavailableReason = 'EgressUnavailable';

/** How one request leaves the cluster. */
export interface ExternalRequestOptions {
  /** `https` when the client speaks TLS end to end (the proxies only pass it through). */
  scheme: 'http' | 'https';
  /** The pod the request comes from (for the Warning event). */
  source?: KubeObject;
  signal?: AbortSignal;
}

/** What the emulation needs from the sandbox. */
export interface ExternalHostsDeps {
  clock: Clock;
  /** Randomness for the sites only (a stream of its own, so egress never shifts routing draws). */
  random: Random;
  events: EventRecorder;
}

/** Hosts outside the cluster as the sandbox offers them. */
export class ExternalHosts {
  private readonly sites: Record<string, EmulatedSite>;
  private readonly exchanges = new Set<Exchange>();
  private readonly noticed = new Set<string>();
  private readonly stopped = new AbortController();

  constructor(private readonly deps: ExternalHostsDeps) {
    this.sites = createEmulatedSites({ clock: deps.clock, random: deps.random, stop: this.stopped.signal });
  }

  /** The emulated host names, sorted. */
  get hosts(): string[] {
    return Object.keys(this.sites).sort();
  }

  /** True when public DNS (as the sandbox offers it) resolves `host`: an emulated host. */
  resolves(host: string): boolean {
    return Object.hasOwn(this.sites, host.replace(/\.$/, '').toLowerCase());
  }

  /** Send a request to `authority` (`host[:port]`) outside the cluster. */
  async fetch(authority: string, request: MeshRequest, o: ExternalRequestOptions): Promise<MeshResult> {
    const { host, port } = splitAuthority(authority);
    const name = host.replace(/\.$/, '');
    const wanted = port ?? (o.scheme === 'https' ? 443 : 80);
    const site = Object.hasOwn(this.sites, name) ? this.sites[name] : undefined;
    if (!site) {
      if (isIp(name)) return { failure: 'connect-refused', message: `Failed to connect to ${name} port ${wanted}: the istio-lab sandbox has no network outside this machine` };
      if (o.source) this.noteUnresolvable(o.source, name);
      return { failure: 'dns', message: `Could not resolve host: ${name}` };
    }
    if (wanted !== 80 && wanted !== 443) return { failure: 'connect-refused', message: `Failed to connect to ${name} port ${wanted}: the emulated ${name} listens on ports 80 and 443 only` };
    if (o.source) {
      const message = `${name} was answered by the istio-lab sandbox's emulation of it (${site.about}); no traffic left this machine, because the sandbox has no internet access. Emulated public hosts: ${this.hosts.join(', ')}.`;
      this.warnOnce(o.source, emulatedReason, name, message);
    }
    const headers = { ...request.headers };
    site.frontEnd?.({ headers });
    // Absolute-form target: the site learns the scheme the client used (TLS ends at the site).
    const path = `${o.scheme}://${name}${request.path.startsWith('/') ? request.path : `/${request.path}`}`;
    const running = exchange(site.handler, { ...request, path, headers }, { clientAddress: egressNatAddress, clientPort: 40000 + Math.floor(this.deps.random() * 20000), serverAddress: name, serverPort: wanted }, o.signal);
    this.exchanges.add(running);
    return running.result.finally(() => this.exchanges.delete(running));
  }

  /** Record a Warning event for a public-looking name that does not resolve (once per pod and name). */
  noteUnresolvable(pod: KubeObject, host: string): void {
    if (!looksPublic(host)) return;
    const message = `${host} does not resolve: the istio-lab sandbox has no internet access and emulates only ${this.hosts.join(', ')} (see docs/sandbox.md); requests to any other public host fail as an unknown name (curl exit 6).`;
    this.warnOnce(pod, unavailableReason, host, message);
  }

  /** Stop slow replies and drop open connections (sandbox shutdown). */
  close(): void {
    this.stopped.abort();
    for (const e of this.exchanges) e.abort();
  }

  /** Record a Warning event on `pod`, once per pod, reason and host. */
  warnOnce(pod: KubeObject, reason: string, host: string, message: string): void {
    const key = `${pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`}|${reason}|${host}`;
    if (this.noticed.has(key)) return;
    if (this.noticed.size > 4096) this.noticed.clear();
    this.noticed.add(key);
    this.deps.events.record({ ...pod, apiVersion: pod.apiVersion ?? 'v1', kind: pod.kind ?? 'Pod' }, 'Warning', reason, message);
  }
}

/** A name that only public DNS could answer: dotted, not an IP, not a cluster or local suffix. */
export function looksPublic(host: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  if (!h.includes('.') || isIp(h)) return false;
  return !/\.(local|svc|internal|localdomain|localhost|cluster\.local)$/.test(h) && /\.[a-z]{2,}$/.test(h);
}
