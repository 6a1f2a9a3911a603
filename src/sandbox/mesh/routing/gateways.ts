// Gateway listeners (§6): which Gateway servers a gateway pod serves, the §6 port translation
// (Service port → targetPort), and the virtual hosts built from bound VirtualServices (§1.3, §1.5).
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { expandHost, intersectHosts } from './hosts.js';
import { cachedFor, resolveTargetPort, servicesSelecting } from './registry.js';
import { boundVirtualServices, buildRoutes, sortCatchAllLast, type ProxyContext, type RouteEntry } from './virtual-services.js';

/** One Gateway server bound on a gateway pod's container port. */
export interface GatewayServer {
  /** `<ns>/<name>` of the Gateway. */
  gatewayName: string;
  gateway: KubeObject;
  server: any;
  /** `server.port.number` as written. */
  number: number;
  /** The container port Envoy listens on after §6 port translation. */
  containerPort: number;
}

/** A gateway virtual host: one intersected host name with the merged routes of its VirtualServices. */
export interface GatewayVirtualHost {
  name: string;
  domains: string[];
  routes: RouteEntry[];
  httpsRedirect: boolean;
}

function selectsPod(gw: KubeObject, pod: KubeObject): boolean {
  const sel: Record<string, string> = gw.spec?.selector ?? {};
  return Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v);
}

/** §6 port translation: a server port equal to a port of a Service selecting the pod means that port's targetPort. */
export function translateGatewayPort(snap: MeshSnapshot, pod: KubeObject, number: number): number {
  for (const svc of servicesSelecting(snap, pod)) {
    const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === number);
    const target = sp && resolveTargetPort(sp, pod);
    if (target !== undefined && target !== null && sp) return target;
  }
  return number;
}

/** Every Gateway server that selects this pod (Gateways from all namespaces, §6; cached per snapshot and pod). */
export function gatewayServers(snap: MeshSnapshot, pod: KubeObject): GatewayServer[] {
  return cachedFor(snap, pod, 'gateway-servers', () => buildGatewayServers(snap, pod));
}

function buildGatewayServers(snap: MeshSnapshot, pod: KubeObject): GatewayServer[] {
  const out: GatewayServer[] = [];
  for (const gw of snap.gateways) {
    if (!selectsPod(gw, pod)) continue;
    for (const server of gw.spec?.servers ?? []) {
      const number = Number(server.port?.number);
      if (!number) continue;
      out.push({ gatewayName: `${gw.metadata.namespace}/${gw.metadata.name}`, gateway: gw, server, number, containerPort: translateGatewayPort(snap, pod, number) });
    }
  }
  return out;
}

/** `[ns/]host` of a server host entry; no namespace means any (`*`), `.` means the Gateway's namespace. */
function parseServerHost(entry: string, gwNamespace: string): { ns: string; host: string } {
  const i = entry.indexOf('/');
  if (i < 0) return { ns: '*', host: entry.toLowerCase() };
  const ns = entry.slice(0, i);
  return { ns: ns === '.' ? gwNamespace : ns, host: entry.slice(i + 1).toLowerCase() };
}

/** §6/§1.3/§1.5: virtual hosts on a gateway pod's container port; catch-alls sorted last per host. */
export function gatewayVirtualHosts(snap: MeshSnapshot, pod: KubeObject, containerPort: number): GatewayVirtualHost[] {
  return cachedFor(snap, pod, `gateway-vh:${containerPort}`, () => buildGatewayVirtualHosts(snap, pod, containerPort));
}

function buildGatewayVirtualHosts(snap: MeshSnapshot, pod: KubeObject, containerPort: number): GatewayVirtualHost[] {
  const servers = gatewayServers(snap, pod).filter((s) => s.containerPort === containerPort);
  const gatewayNames = new Set(gatewayServers(snap, pod).map((s) => s.gatewayName));
  const byDomain = new Map<string, GatewayVirtualHost>();
  for (const s of servers) {
    const ctx: ProxyContext = { labels: pod.metadata.labels ?? {}, namespace: pod.metadata.namespace ?? 'default', gatewayNames, listenerPort: s.number };
    const serverHosts = (s.server.hosts ?? []).map((h: string) => parseServerHost(h, s.gateway.metadata.namespace ?? 'default'));
    for (const vs of boundVirtualServices(snap, new Set([s.gatewayName]), ctx.namespace)) {
      const vsNs = vs.metadata.namespace ?? 'default';
      const domains = new Set<string>();
      for (const raw of vs.spec?.hosts ?? []) {
        const h = expandHost(raw, vsNs, snap.domain);
        for (const sh of serverHosts) {
          if (sh.ns !== '*' && sh.ns !== vsNs) continue;
          const d = intersectHosts(h, sh.host);
          if (d) domains.add(d);
        }
      }
      if (!domains.size) continue;
      const routes = buildRoutes(vs, ctx);
      for (const d of domains) {
        const vh = byDomain.get(d) ?? { name: `${d}:${s.number}`, domains: [d], routes: [], httpsRedirect: false };
        vh.routes.push(...routes);
        vh.httpsRedirect ||= !!s.server.tls?.httpsRedirect;
        byDomain.set(d, vh);
      }
    }
    // A server whose hosts no VirtualService binds still redirects to https when asked to.
    if (s.server.tls?.httpsRedirect) {
      for (const sh of serverHosts) if (!byDomain.has(sh.host)) byDomain.set(sh.host, { name: `${sh.host}:${s.number}`, domains: [sh.host], routes: [], httpsRedirect: true });
    }
  }
  return [...byDomain.values()].map((vh) => ({ ...vh, routes: sortCatchAllLast(vh.routes) }));
}

/** The Gateway server port number (§1.4 `port` on gateways) for a container port, if any server uses it. */
export function serverPortFor(snap: MeshSnapshot, pod: KubeObject, containerPort: number): number | undefined {
  return gatewayServers(snap, pod).find((s) => s.containerPort === containerPort)?.number;
}
