// Rate limit actions → descriptors, as Envoy's router builds them (route_components.proto RateLimit, §10):
// each `rate_limits` entry of the filter's stage yields one descriptor from its actions in order, or none
// when an action cannot produce its entry (a missing header without skip_if_absent, a header_value_match
// that does not match). Modelled actions: request_headers, generic_key, header_value_match,
// destination_cluster, source_cluster. Others (remote_address, metadata, …) produce no entry, so their
// descriptor is not sent — the sandbox does not model them.
import type { MeshRequest } from '../types.js';
import { field } from './global-rate-limit-config.js';
import type { RateLimitDescriptor } from './ratelimit-api.js';

/** Facts about the request that actions read besides its headers. */
export interface DescriptorFacts {
  /** The route's upstream cluster. */
  destinationCluster: string;
  /** This proxy's service cluster (`<app>.<namespace>`). */
  sourceCluster: string;
}

/** A request header as Envoy sees it (pseudo-headers included). */
function headerOf(req: MeshRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === ':path') return req.path;
  if (n === ':authority' || n === 'host') return req.authority;
  if (n === ':method') return req.method;
  if (n === ':scheme') return req.headers['x-forwarded-proto'] ?? 'http';
  return req.headers[n];
}

/** route.v3.HeaderMatcher against one request. */
function headerMatches(m: any, req: MeshRequest): boolean {
  const value = headerOf(req, String(m?.name ?? ''));
  const sm = field(m, 'string_match');
  const regex = field(field(m, 'safe_regex_match'), 'regex') ?? field(field(sm, 'safe_regex'), 'regex');
  const fold = (s: string) => (sm?.ignore_case || sm?.ignoreCase ? s.toLowerCase() : s);
  let ok: boolean;
  if (field(m, 'present_match') !== undefined) ok = (value !== undefined) === (field(m, 'present_match') === true);
  else if (value === undefined) ok = false;
  else if (regex !== undefined) ok = new RegExp(`^(?:${regex})$`).test(value);
  else {
    const exact = field(m, 'exact_match') ?? sm?.exact;
    const prefix = field(m, 'prefix_match') ?? sm?.prefix;
    const suffix = field(m, 'suffix_match') ?? sm?.suffix;
    const contains = field(m, 'contains_match') ?? sm?.contains;
    const v = fold(value);
    ok = exact !== undefined ? v === fold(exact) : prefix !== undefined ? v.startsWith(fold(prefix)) : suffix !== undefined ? v.endsWith(fold(suffix)) : contains !== undefined ? v.includes(fold(contains)) : true;
  }
  return field(m, 'invert_match') === true ? !ok : ok;
}

/** One action's entry; null = skip the action; undefined = the descriptor cannot be built. */
function entryOf(action: any, req: MeshRequest, facts: DescriptorFacts): { key: string; value: string } | null | undefined {
  const rh = field(action, 'request_headers');
  if (rh) {
    const value = headerOf(req, String(field(rh, 'header_name') ?? ''));
    if (value === undefined) return field(rh, 'skip_if_absent') === true ? null : undefined;
    return { key: String(field(rh, 'descriptor_key') ?? ''), value };
  }
  const gk = field(action, 'generic_key');
  if (gk) return { key: String(field(gk, 'descriptor_key') ?? 'generic_key'), value: String(field(gk, 'descriptor_value') ?? '') };
  const hv = field(action, 'header_value_match');
  if (hv) {
    const matched = (hv.headers ?? []).every((m: any) => headerMatches(m, req));
    if (matched !== (field(hv, 'expect_match') ?? true)) return undefined;
    return { key: String(field(hv, 'descriptor_key') ?? 'header_match'), value: String(field(hv, 'descriptor_value') ?? '') };
  }
  if (field(action, 'destination_cluster')) return { key: 'destination_cluster', value: facts.destinationCluster };
  if (field(action, 'source_cluster')) return { key: 'source_cluster', value: facts.sourceCluster };
  return undefined;
}

/** §10: the descriptors a request produces under `rateLimits` for the filter's `stage`. */
export function buildDescriptors(rateLimits: any[], stage: number, req: MeshRequest, facts: DescriptorFacts): RateLimitDescriptor[] {
  const out: RateLimitDescriptor[] = [];
  for (const rl of rateLimits) {
    if (Number(rl?.stage ?? 0) !== stage) continue;
    const entries: { key: string; value: string }[] = [];
    let complete = true;
    for (const action of rl.actions ?? []) {
      const e = entryOf(action, req, facts);
      if (e === undefined) {
        complete = false;
        break;
      }
      if (e) entries.push(e);
    }
    if (complete && entries.length) out.push({ entries });
  }
  return out;
}
