// `resource` and `absent` probes: objects exist (and match a partial object), or do not.
import type { AbsentCheck, ResourceCheck } from '../lab/index.js';
import type { KubeObject } from '../cluster/types.js';
import type { Probe } from './probe.js';
import { findMismatches } from './match.js';

function selector(sel: Record<string, string> | undefined): string | undefined {
  return sel ? Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

/** Objects of a kind (one by name, or by selector) must exist and match `match`; `count` bounds how many match. */
export const resourceProbe: Probe<ResourceCheck> = async (check, ctx) => {
  const t = check.target;
  const info = await ctx.cluster.resource(t.apiVersion, t.kind);
  const namespace = info.namespaced ? t.namespace ?? ctx.loaded.lab.namespace : undefined;
  let candidates: KubeObject[];
  if (t.name) {
    const one = await ctx.cluster.get({ apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace });
    candidates = one ? [one] : [];
    if (!one) return { ok: false, message: `${t.kind}/${t.name} does not exist${namespace ? ` in namespace ${namespace}` : ''}` };
  } else {
    candidates = (await ctx.cluster.list(t.apiVersion, t.kind, { namespace, labelSelector: selector(t.selector) })).items;
  }
  const results = candidates.map((o) => ({ name: o.metadata.name, mismatches: check.match ? findMismatches(o, check.match) : [] }));
  const matching = results.filter((r) => r.mismatches.length === 0);
  const what = t.name ? `${t.kind}/${t.name}` : `${t.kind} objects${t.selector ? ` (${selector(t.selector)})` : ''}`;
  if (check.count !== undefined) {
    const ok = matching.length === check.count;
    return { ok, message: `${matching.length} of ${candidates.length} ${what} match (expected ${check.count})`, observed: ok ? undefined : results.slice(0, 5) };
  }
  if (matching.length > 0) return { ok: true, message: `${what} ${t.name ? 'matches' : `: ${matching.length} match`}` };
  if (!candidates.length) return { ok: false, message: `no ${what} found${namespace ? ` in namespace ${namespace}` : ''}` };
  return { ok: false, message: `${what} does not match: ${results[0].mismatches.slice(0, 3).join('; ')}`, observed: results.slice(0, 5) };
};

/** An object must not exist. */
export const absentProbe: Probe<AbsentCheck> = async (check, ctx) => {
  const info = await ctx.cluster.resource(check.target.apiVersion, check.target.kind);
  const ref = { ...check.target, namespace: info.namespaced ? check.target.namespace ?? ctx.loaded.lab.namespace : undefined };
  const obj = await ctx.cluster.get(ref);
  return obj ? { ok: false, message: `${ref.kind}/${ref.name} still exists` } : { ok: true, message: `${ref.kind}/${ref.name} is absent` };
};
