// The diagnostics bundle attached to a step that failed to converge: last observed status,
// recent events, and for pods that are not ready their container states and recent logs.
import type { KubeObject } from '../cluster/types.js';
import type { StepContext } from './context.js';
import { isPodReady } from '../waits/index.js';

function summarize(o: KubeObject): string {
  const conds = (o.status?.conditions ?? []).map((c: any) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`).join(' ');
  const replicas = o.status?.replicas !== undefined ? ` replicas=${o.status.replicas} ready=${o.status.readyReplicas ?? 0} updated=${o.status.updatedReplicas ?? 0}` : '';
  const phase = o.status?.phase ? ` phase=${o.status.phase}` : '';
  return `${o.kind}/${o.metadata.name}:${phase}${replicas} ${conds}`.trim();
}

/** Collect a short, readable diagnostics text for a failed step (never throws). */
export async function collectDiagnostics(ctx: StepContext, observed: KubeObject[]): Promise<string> {
  const lines: string[] = [];
  for (const o of observed.slice(0, 5)) lines.push(`last observed: ${summarize(o)}`);
  const namespace = observed[0]?.metadata.namespace ?? ctx.loaded.lab.namespace;
  try {
    const events = (await ctx.cluster.list('v1', 'Event', { namespace })).items
      .sort((a, b) => String(a.lastTimestamp ?? a.metadata.creationTimestamp).localeCompare(String(b.lastTimestamp ?? b.metadata.creationTimestamp)))
      .slice(-8);
    for (const e of events) lines.push(`event: ${e.type} ${e.reason} ${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.message}`);
    const pods = (await ctx.cluster.list('v1', 'Pod', { namespace })).items.filter((p) => !isPodReady(p)).slice(0, 3);
    for (const p of pods) {
      const states = (p.status?.containerStatuses ?? []).map((s: any) => `${s.name}=${Object.keys(s.state ?? {})[0] ?? '?'}${s.state?.waiting?.reason ? `(${s.state.waiting.reason})` : ''}`).join(' ');
      lines.push(`pod not ready: ${p.metadata.name} phase=${p.status?.phase ?? 'Pending'} ${states}`);
      const container = p.spec?.containers?.[0]?.name;
      const log = await ctx.cluster.logs(namespace, p.metadata.name!, container, { tailLines: 5 }).catch(() => '');
      for (const l of log.split('\n').filter(Boolean)) lines.push(`  log ${container}: ${l}`);
    }
  } catch (err) {
    lines.push(`(could not collect more diagnostics: ${(err as Error).message})`);
  }
  return lines.join('\n');
}
