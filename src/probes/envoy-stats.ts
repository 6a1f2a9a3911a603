// `envoy-stats` probe: counters from `pilot-agent request GET stats` in the sidecar, summed over the
// workload's pods; a name matches exactly or as the last part of a longer stat
// (upstream_rq_pending_overflow matches cluster.outbound|8000||httpbin….upstream_rq_pending_overflow).
import type { EnvoyStatsCheck } from '../lab/index.js';
import { formatComparison, satisfies } from './compare.js';
import type { Probe } from './probe.js';
import { findWorkloadPods } from './workload.js';
import { boundTimeout } from './budget.js';

/** Parses Envoy's text stats (`name: value` lines); non-numeric lines (histograms) are skipped. */
export function parseEnvoyStats(text: string): Map<string, number> {
  const stats = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\S+): (-?\d+(?:\.\d+)?)\s*$/.exec(line);
    if (m) stats.set(m[1], Number(m[2]));
  }
  return stats;
}

/** A counter's value: the exact stat, else the sum of stats ending in `.name` or `|name`; undefined when none. */
export function readCounter(stats: Map<string, number>, name: string): { value: number; matched: string[] } | undefined {
  if (stats.has(name)) return { value: stats.get(name)!, matched: [name] };
  const matched = [...stats.keys()].filter((k) => k.endsWith(name) && ['.', '|'].includes(k[k.length - name.length - 1]));
  return matched.length ? { value: matched.reduce((a, k) => a + stats.get(k)!, 0), matched } : undefined;
}

/** Reads counters from every pod of the workload and compares the sums. */
export const envoyStatsProbe: Probe<EnvoyStatsCheck> = async (check, ctx, budget) => {
  const { namespace, describe, pods } = await findWorkloadPods(ctx.cluster, check, ctx.loaded.lab.namespace);
  const all = await Promise.all(
    pods.map(async (p) => {
      const r = await ctx.cluster.exec(namespace, p.metadata.name!, check.container, ['pilot-agent', 'request', 'GET', 'stats'], { timeoutMs: boundTimeout(budget, 30_000) });
      if (r.code !== 0) throw new Error(`pilot-agent request GET stats failed in ${namespace}/${p.metadata.name} (${check.container}): ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit code ${r.code}`}`);
      return parseEnvoyStats(r.stdout);
    }),
  );
  const problems: string[] = [];
  const seen: Record<string, number> = {};
  for (const [name, cmp] of Object.entries(check.counters)) {
    const reads = all.map((stats) => readCounter(stats, name)).filter((x) => x !== undefined);
    const value = reads.reduce((a, r) => a + r!.value, 0);
    seen[name] = value;
    if (!satisfies(value, cmp)) problems.push(`${name} is ${value}${reads.length ? '' : ' (no such stat; counted as 0)'}, expected ${formatComparison(cmp)}`);
  }
  const values = Object.entries(seen).map(([k, v]) => `${k}=${v}`).join(', ');
  const scope = `${check.container} of ${describe} (${pods.length} pod${pods.length === 1 ? '' : 's'})`;
  if (!problems.length) return { ok: true, message: `${values} in ${scope}` };
  return { ok: false, message: `${problems.join('; ')} in ${scope}`, observed: seen };
};
