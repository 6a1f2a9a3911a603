// Traffic mirroring (§2): `mirror` + `mirrorPercentage` (absent = 100 %, explicit 0 = off) or legacy
// `mirrorPercent`, and `mirrors[]` (1.19+), each drawn independently; fire and forget (never awaited,
// response discarded, stats still counted); `-shadow` host suffix only up to Istio 1.27 (§14).
// Simplification: shadow requests skip the mirror cluster's circuit breakers.
import type { KubeObject } from '../../types.js';
import type { MeshRequest, MeshSnapshot } from '../types.js';
import { resolveCluster, splitAuthority } from '../routing/index.js';
import { isTransportFailure } from '../types.js';
import { drawFraction, fractionPerMillion } from './fault.js';
import type { ProxyState } from './proxy-state.js';
import { clusterStat, countResponseCode } from './stats.js';
import { chooseHost, sendToEndpoint, usableHosts, type UpstreamDeps } from './upstream.js';
import { upstreamTransport } from './upstream-tls.js';

/** §2: mirror targets of a rule with their per-million fractions, `mirror` first. */
export function mirrorPolicies(rule: any): { destination: any; perMillion: number }[] {
  const out: { destination: any; perMillion: number }[] = [];
  if (rule?.mirror) {
    const legacy = rule.mirrorPercent ?? rule.mirror_percent;
    const perMillion = rule.mirrorPercentage ? fractionPerMillion(rule.mirrorPercentage) : legacy !== undefined ? fractionPerMillion(undefined, legacy) : 1_000_000;
    out.push({ destination: rule.mirror, perMillion });
  }
  for (const m of rule?.mirrors ?? []) out.push({ destination: m.destination, perMillion: m.percentage ? fractionPerMillion(m.percentage) : 1_000_000 });
  return out;
}

/** §2/§14: Envoy's shadow host: `-shadow` appended to the host part (≤ 1.27), else unchanged. */
export function shadowAuthority(authority: string, suffix: boolean): string {
  if (!suffix) return authority;
  const { port } = splitAuthority(authority);
  const host = port === undefined ? authority : authority.slice(0, authority.length - String(port).length - 1);
  return `${host}-shadow${port === undefined ? '' : `:${port}`}`;
}

/** Inputs for shadowing one request. */
export interface MirrorInput {
  snap: MeshSnapshot;
  proxy: ProxyState;
  source: KubeObject;
  rule: any;
  vsNamespace: string;
  listenerPort: number;
  request: MeshRequest;
  suffix: boolean;
  atMost: (v: string) => boolean;
}

/** §2: send the shadow copies without waiting for them. */
export function sendMirrors(deps: UpstreamDeps, input: MirrorInput): void {
  const client = { namespace: input.source.metadata.namespace ?? 'default', labels: input.source.metadata.labels ?? {} };
  for (const m of mirrorPolicies(input.rule)) {
    if (!drawFraction(m.perMillion, deps.random)) continue;
    const lookup = resolveCluster(input.snap, client, m.destination, input.vsNamespace, input.listenerPort);
    if ('missing' in lookup) continue;
    const cluster = lookup.cluster;
    const state = input.proxy.cluster(cluster, deps.now(), input.atMost);
    const hosts = usableHosts(cluster, state, deps.now());
    if (!hosts.length) continue;
    const host = chooseHost(deps, { cluster, state }, hosts);
    const transport = upstreamTransport(cluster.policy.tls, host, deps.autoMtls);
    if ('tlsFailure' in transport) continue;
    const req: MeshRequest = { ...input.request, authority: shadowAuthority(input.request.authority, input.suffix), headers: { ...input.request.headers } };
    deps.stats.inc(clusterStat(cluster.name, 'upstream_rq_total'));
    void sendToEndpoint(deps, host, req, transport.mtls, input.source, new AbortController().signal).then((res) => {
      if (!isTransportFailure(res)) countResponseCode(deps.stats, cluster.name, res.status);
    });
  }
}
