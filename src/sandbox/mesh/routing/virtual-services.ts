// VirtualService binding and route generation (§1.3, §1.5): which VirtualServices a proxy sees,
// which of their match blocks become Envoy routes, first-match order and catch-all truncation.
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { isCatchAllMatch } from './match.js';
import { cached } from './registry.js';

/** One Envoy route generated from a VirtualService http rule and one of its match blocks. */
export interface RouteEntry {
  vs: KubeObject;
  /** The HTTPRoute rule. */
  rule: any;
  /** The match block this route was generated from (null for a rule without `match`). */
  match: any | null;
  /** Envoy route name: `rule.name[.match.name]`, '' when unnamed (§1.4 `name`). */
  name: string;
  catchAll: boolean;
}

/** The proxy a route table is built for. */
export interface ProxyContext {
  labels: Record<string, string>;
  namespace: string;
  /** `mesh` for sidecars, `<ns>/<name>` of the Gateways for gateway proxies (§1.3). */
  gatewayNames: Set<string>;
  /** The listener port: the service port for sidecars, the Gateway server port for gateways (§1.4 `port`). */
  listenerPort: number;
}

/** §1.3: normalise a gateway reference (`name` → `<vs-ns>/<name>`, `mesh` stays). */
export function normalizeGatewayRef(ref: string, vsNamespace: string): string {
  if (ref === 'mesh') return ref;
  return ref.includes('/') ? ref : `${vsNamespace}/${ref}`;
}

/** §1.3: the VirtualService's gateways, defaulting to `mesh`. */
export function gatewaysOf(vs: KubeObject): string[] {
  const list: string[] = vs.spec?.gateways?.length ? vs.spec.gateways : ['mesh'];
  return list.map((g) => normalizeGatewayRef(g, vs.metadata.namespace ?? 'default'));
}

/** Creation-time order, then namespace/name: the order Istio resolves conflicts in (§1.5 ⚠). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `exportTo` visibility of a config object to a proxy namespace (absent = everywhere). */
export function isVisible(obj: KubeObject, proxyNamespace: string): boolean {
  const exportTo: string[] | undefined = obj.spec?.exportTo;
  if (!exportTo?.length) return true;
  return exportTo.some((e) => e === '*' || e === proxyNamespace || (e === '.' && obj.metadata.namespace === proxyNamespace));
}

/** VirtualServices bound to any of `gatewayNames`, in creation order (§1.3). */
export function boundVirtualServices(snap: MeshSnapshot, gatewayNames: Set<string>, proxyNamespace: string): KubeObject[] {
  const all = cached(snap, 'vs-sorted', () => [...snap.virtualServices].sort(byCreation));
  return all.filter((vs) => gatewaysOf(vs).some((g) => gatewayNames.has(g)) && isVisible(vs, proxyNamespace));
}

/** §1.3 `sourceMatchHTTP`: match.gateways overrides; otherwise sourceLabels ⊆ proxy labels and sourceNamespace. */
function sourceMatches(match: any, vsNamespace: string, ctx: ProxyContext): boolean {
  if (!match) return true;
  if (match.gateways?.length) return match.gateways.some((g: string) => ctx.gatewayNames.has(normalizeGatewayRef(g, vsNamespace)));
  const labels: Record<string, string> = match.sourceLabels ?? {};
  if (!Object.entries(labels).every(([k, v]) => ctx.labels[k] === v)) return false;
  return !match.sourceNamespace || match.sourceNamespace === ctx.namespace;
}

/** §1.5: Envoy routes of one VirtualService for this proxy; generation stops at the first catch-all. */
export function buildRoutes(vs: KubeObject, ctx: ProxyContext): RouteEntry[] {
  const ns = vs.metadata.namespace ?? 'default';
  const out: RouteEntry[] = [];
  for (const rule of vs.spec?.http ?? []) {
    const matches: any[] = rule.match?.length ? rule.match : [null];
    for (const match of matches) {
      if (!sourceMatches(match, ns, ctx)) continue;
      // §1.4 `port`: the route exists only on the listener with that port.
      if (match?.port && Number(match.port) !== ctx.listenerPort) continue;
      const name = [rule.name, match?.name].filter(Boolean).join('.');
      const catchAll = isCatchAllMatch(match);
      out.push({ vs, rule, match, name, catchAll });
      if (catchAll) return out;
    }
  }
  return out;
}

/** §1.5 `SortVHostRoutes` (gateways): catch-all routes move to the end, order otherwise kept. */
export function sortCatchAllLast(routes: RouteEntry[]): RouteEntry[] {
  return [...routes.filter((r) => !r.catchAll), ...routes.filter((r) => r.catchAll)];
}
