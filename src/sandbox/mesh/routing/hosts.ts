// Host names as Istio and Envoy treat them (§1.2): short-name expansion, `:port` stripping,
// wildcard matching, and Envoy's virtual-host selection order.

/** Split an authority (`host[:port]`, `[v6]:port`) into a lower-case host and an optional port. */
export function splitAuthority(authority: string): { host: string; port?: number } {
  const a = authority.trim().toLowerCase();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(a);
  if (v6) return { host: v6[1], ...(v6[2] ? { port: Number(v6[2]) } : {}) };
  const m = /^(.*?)(?::(\d+))?$/.exec(a)!;
  return { host: m[1], ...(m[2] ? { port: Number(m[2]) } : {}) };
}

/** §1.2: a short name (no dots, not `*`) means `<name>.<namespace>.svc.<domain>`; other names stay as written. */
export function expandHost(host: string, namespace: string, domain: string): string {
  const h = host.trim().toLowerCase();
  if (h === '*' || h.includes('.') || isIp(h)) return h;
  return `${h}.${namespace}.svc.${domain}`;
}

/** True for an IPv4 or IPv6 literal. */
export function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** Whether `pattern` (exact, `*.suffix`, `prefix*` or `*`) covers `host`, as Envoy matches vhost domains. */
export function domainMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.length > pattern.length - 1 && host.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return host.length > pattern.length - 1 && host.startsWith(pattern.slice(0, -1));
  return pattern === host;
}

/** Whether Istio host `a` (possibly `*.x`) includes host `b` (possibly wildcard too). */
export function hostCovers(a: string, b: string): boolean {
  if (a === '*') return true;
  if (a.startsWith('*.')) return b.endsWith(a.slice(1)) && b !== a.slice(2);
  return a === b;
}

/** §6 intersection of a VirtualService host and a Gateway server host: the narrower one, or undefined. */
export function intersectHosts(vsHost: string, serverHost: string): string | undefined {
  if (hostCovers(serverHost, vsHost)) return vsHost;
  if (hostCovers(vsHost, serverHost)) return serverHost;
  return undefined;
}

/** Rank a matching domain the way Envoy picks a virtual host: exact, longest `*.suffix`, longest `prefix*`, then `*` (§1.2). */
function rankDomain(pattern: string): [number, number] {
  if (pattern === '*') return [0, 0];
  if (pattern.startsWith('*')) return [2, pattern.length];
  if (pattern.endsWith('*')) return [1, pattern.length];
  return [3, pattern.length];
}

/** Pick the entry whose domains best match `host` (Envoy order, §1.2); first one wins ties. */
export function selectVirtualHost<T extends { domains: string[] }>(vhosts: T[], host: string): T | undefined {
  let best: T | undefined;
  let bestRank: [number, number] = [-1, -1];
  for (const vh of vhosts) {
    for (const d of vh.domains) {
      if (!domainMatches(d, host)) continue;
      const r = rankDomain(d);
      if (r[0] > bestRank[0] || (r[0] === bestRank[0] && r[1] > bestRank[1])) {
        best = vh;
        bestRank = r;
      }
    }
  }
  return best;
}
