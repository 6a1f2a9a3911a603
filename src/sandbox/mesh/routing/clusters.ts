// Route destination → Envoy cluster `outbound|<port>|<subset>|<fqdn>` with its endpoints and policy (§1.8, §5).
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { effectivePolicy, findDestinationRule, findSubset, type TrafficPolicy } from './destination-rules.js';
import { expandHost } from './hosts.js';
import { cached, peekFor, rememberFor, endpointsOf, findService, type Endpoint, type MeshService, type ServicePort } from './registry.js';

/** An outbound cluster as a client proxy has it programmed. */
export interface Cluster {
  name: string;
  hostname: string;
  service: MeshService;
  port: ServicePort;
  subset?: string;
  policy: TrafficPolicy;
  destinationRule?: KubeObject;
  /** Ready endpoints (subset labels applied). */
  endpoints: Endpoint[];
}

/** A cluster, or the name of one that does not exist (→ 503 NC, §1.8). */
export type ClusterLookup = { cluster: Cluster } | { missing: string };

/** The client a cluster is resolved for (DestinationRule lookup is per client namespace, §5). */
export interface ClusterClient {
  namespace: string;
  labels: Record<string, string>;
}

/** Envoy's outbound cluster name. */
export function clusterName(port: number, subset: string | undefined, host: string): string {
  return `outbound|${port}|${subset ?? ''}|${host}`;
}

/**
 * §1.8 `GetDestinationCluster`: the destination's port, else the service's only port, else the listener port;
 * a host outside the registry, a port the service lacks or an undefined subset is a missing cluster.
 */
export function resolveCluster(snap: MeshSnapshot, client: ClusterClient, destination: any, vsNamespace: string, listenerPort: number): ClusterLookup {
  // A route's destination and a pod's labels are the same objects for every request of a snapshot:
  // look them up by identity first, and by their serialised form (built per request) only on a miss.
  const byIdentity = destination && typeof destination === 'object' ? `${objectId(client.labels)}|${client.namespace}|${vsNamespace}|${listenerPort}` : undefined;
  if (byIdentity) {
    const hit = peekFor<ClusterLookup>(snap, destination, byIdentity);
    if (hit) return hit;
  }
  const key = `cluster:${client.namespace}:${JSON.stringify(client.labels)}:${JSON.stringify(destination ?? null)}:${vsNamespace}:${listenerPort}`;
  const lookup = cached(snap, key, () => lookupCluster(snap, client, destination, vsNamespace, listenerPort));
  if (byIdentity) rememberFor(snap, destination, byIdentity, lookup);
  return lookup;
}

const ids = new WeakMap<object, number>();
let nextId = 0;
/** A number naming one object for the life of the object. */
function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++nextId));
  return id;
}

function lookupCluster(snap: MeshSnapshot, client: ClusterClient, destination: any, vsNamespace: string, listenerPort: number): ClusterLookup {
  const host = expandHost(String(destination?.host ?? ''), vsNamespace, snap.domain);
  const subset: string | undefined = destination?.subset || undefined;
  const svc = findService(snap, host);
  let port = listenerPort;
  if (destination?.port?.number) port = Number(destination.port.number);
  else if (svc?.ports.length === 1) port = svc.ports[0].port;
  const name = clusterName(port, subset, host);
  const svcPort = svc?.ports.find((p) => p.port === port);
  if (!svc || !svcPort) return { missing: name };
  const dr = findDestinationRule(snap, svc.hostname, client, svc.namespace);
  const subsetSpec = subset ? findSubset(dr, subset) : undefined;
  if (subset && !subsetSpec) return { missing: name };
  return {
    cluster: {
      name,
      hostname: host,
      service: svc,
      port: svcPort,
      subset,
      policy: effectivePolicy(dr, subsetSpec, port),
      destinationRule: dr,
      endpoints: endpointsOf(snap, svc, svcPort, subsetSpec?.labels ?? {}),
    },
  };
}
