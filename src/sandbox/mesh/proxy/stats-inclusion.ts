// Which Envoy stats a proxy keeps. Istio trims Envoy's stats to a small default set
// (cluster_manager, listener_manager, server, cluster.xds-grpc, plus wasm/component internals);
// a pod opts in to more with the `proxy.istio.io/config` annotation's proxyStatsMatcher
// (inclusionPrefixes / inclusionSuffixes / inclusionRegexps), or the older
// sidecar.istio.io/statsInclusion{Prefixes,Suffixes,Regexps} annotations. This is why Istio's
// fortio sample (circuit-breaking task) carries a proxyStatsMatcher for cluster.outbound.
// Source: istio.io docs/ops/configuration/telemetry/envoy-stats.
import yaml from 'js-yaml';
import type { KubeObject } from '../../types.js';

const defaultPrefixes = ['cluster_manager', 'listener_manager', 'server', 'cluster.xds-grpc', 'wasm', 'component'];

interface Matcher {
  prefixes: string[];
  suffixes: string[];
  regexps: RegExp[];
}

function readMatcher(pod: KubeObject): Matcher {
  const ann = pod.metadata.annotations ?? {};
  const m: Matcher = { prefixes: [...defaultPrefixes], suffixes: [], regexps: [] };
  try {
    const cfg = yaml.load(ann['proxy.istio.io/config'] ?? '') as any;
    const psm = cfg?.proxyStatsMatcher ?? {};
    m.prefixes.push(...(psm.inclusionPrefixes ?? []));
    m.suffixes.push(...(psm.inclusionSuffixes ?? []));
    for (const r of psm.inclusionRegexps ?? []) m.regexps.push(new RegExp(`^(?:${r})$`));
  } catch {
    // an unparsable annotation is ignored, as the injector would reject it
  }
  const list = (key: string) => (ann[key] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  m.prefixes.push(...list('sidecar.istio.io/statsInclusionPrefixes'));
  m.suffixes.push(...list('sidecar.istio.io/statsInclusionSuffixes'));
  for (const r of list('sidecar.istio.io/statsInclusionRegexps')) m.regexps.push(new RegExp(`^(?:${r})$`));
  return m;
}

/** Keep only the `name: value` lines this pod's proxy would report. */
export function filterStatsForPod(text: string, pod: KubeObject): string {
  const m = readMatcher(pod);
  const keep = (name: string) => m.prefixes.some((p) => name.startsWith(p)) || m.suffixes.some((s) => name.endsWith(s)) || m.regexps.some((r) => r.test(name));
  const kept = text.split('\n').filter((line) => line && keep(line.slice(0, line.indexOf(':') < 0 ? line.length : line.indexOf(':'))));
  return kept.length ? `${kept.join('\n')}${text.endsWith('\n') ? '\n' : ''}` : '';
}
