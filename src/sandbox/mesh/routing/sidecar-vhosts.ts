// Sidecar outbound virtual hosts for one port (§1.2, §1.3, §1.6): one per registry service on that
// port with its alternative domains, carrying the routes of the mesh VirtualService that claims it.
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { expandHost, hostCovers } from './hosts.js';
import { cached, listServices, type MeshService } from './registry.js';
import { boundVirtualServices, buildRoutes, type RouteEntry } from './virtual-services.js';

/** A sidecar virtual host: a service (default route) or a VirtualService host (its routes replace the default, §1.6). */
export interface SidecarVirtualHost {
  name: string;
  domains: string[];
  service?: MeshService;
  vs?: KubeObject;
  routes: RouteEntry[];
}

/** §1.2 `generateVirtualHostDomains`: FQDN, `svc.ns`, `svc.ns.svc`, bare `svc` for same-namespace clients, and the ClusterIP. */
export function serviceDomains(svc: MeshService, clientNamespace: string): string[] {
  if (svc.kind === 'serviceEntry' || !svc.name) return [svc.hostname, ...svc.addresses];
  const alt = [`${svc.name}.${svc.namespace}`, `${svc.name}.${svc.namespace}.svc`];
  if (svc.namespace === clientNamespace) alt.unshift(svc.name);
  return [svc.hostname, ...alt, ...svc.addresses];
}

/** Virtual hosts of the sidecar outbound route config for `port` (cached per snapshot, pod and port). */
export function sidecarVirtualHosts(snap: MeshSnapshot, pod: KubeObject, port: number): SidecarVirtualHost[] {
  const ns = pod.metadata.namespace ?? 'default';
  const key = `sidecar-vh:${ns}/${pod.metadata.name}:${JSON.stringify(pod.metadata.labels ?? {})}:${port}`;
  return cached(snap, key, () => buildSidecarVirtualHosts(snap, pod, port));
}

function buildSidecarVirtualHosts(snap: MeshSnapshot, pod: KubeObject, port: number): SidecarVirtualHost[] {
  const ns = pod.metadata.namespace ?? 'default';
  const ctx = { labels: pod.metadata.labels ?? {}, namespace: ns, gatewayNames: new Set(['mesh']), listenerPort: port };
  const all = listServices(snap);
  const seen = new Set<string>();
  const vhosts: SidecarVirtualHost[] = [];
  for (const svc of all) {
    if (seen.has(svc.hostname) || !svc.ports.some((p) => p.port === port)) continue;
    seen.add(svc.hostname);
    vhosts.push({ name: `${svc.hostname}:${port}`, domains: serviceDomains(svc, ns), service: svc, routes: [] });
  }
  const vses = boundVirtualServices(snap, ctx.gatewayNames, ns);
  const claim = (vh: SidecarVirtualHost, vs: KubeObject) => {
    if (vh.vs) return;
    vh.vs = vs;
    vh.routes = buildRoutes(vs, ctx);
  };
  // §1.5: one VirtualService per host for the mesh; exact hosts claim first, then wildcards, each in creation order (⚠ §15.1).
  for (const exact of [true, false]) {
    for (const vs of vses) {
      for (const raw of vs.spec?.hosts ?? []) {
        const h = expandHost(raw, vs.metadata.namespace ?? 'default', snap.domain);
        if (h === '*' || h.startsWith('*') === exact) continue;
        for (const vh of vhosts) if (vh.service && (vh.service.hostname === h || (!exact && hostCovers(h, vh.service.hostname)))) claim(vh, vs);
        // A VirtualService host that is no registry service still gets its own virtual host.
        if (!all.some((s) => s.hostname === h || hostCovers(h, s.hostname) || hostCovers(s.hostname, h)) && !vhosts.some((v) => v.domains.includes(h))) {
          const vh: SidecarVirtualHost = { name: `${h}:${port}`, domains: [h], routes: [] };
          claim(vh, vs);
          vhosts.push(vh);
        }
      }
    }
  }
  return vhosts;
}
