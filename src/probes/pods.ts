// `pods` probe: how many pods are ready and which containers they run (e.g. READY 2/2 with istio-proxy).
import type { PodsCheck } from '../lab/index.js';
import type { Probe } from './probe.js';
import { isPodReady, readyContainers } from '../waits/index.js';

/** Pods selected by labels must be ready in the expected number, with the expected containers. */
export const podsProbe: Probe<PodsCheck> = async (check, ctx) => {
  const sel = Object.entries(check.selector).map(([k, v]) => `${k}=${v}`).join(',');
  const namespace = check.namespace ?? ctx.loaded.lab.namespace;
  const pods = (await ctx.cluster.list('v1', 'Pod', { namespace, labelSelector: sel })).items.filter((p) => !p.metadata.deletionTimestamp);
  const observed = pods.map((p) => {
    const names = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')].map((c: any) => c.name);
    return { pod: p.metadata.name, ready: isPodReady(p), containers: names, readyContainers: readyContainers(p) };
  });
  const problems: string[] = [];
  const ready = observed.filter((o) => o.ready);
  if (!pods.length) problems.push(`no pods match ${sel} in namespace ${namespace}`);
  if (check.ready !== undefined && ready.length !== check.ready) problems.push(`${ready.length} ready pods (expected ${check.ready})`);
  if (check.ready === undefined && ready.length < pods.length) problems.push(`${pods.length - ready.length} of ${pods.length} pods not ready`);
  for (const o of observed) {
    const missing = (check.containers ?? []).filter((c) => !o.containers.includes(c));
    if (missing.length) problems.push(`${o.pod} has no ${missing.join(', ')} container (has ${o.containers.join(', ')})`);
    if (check.readyContainers !== undefined && o.readyContainers !== check.readyContainers) problems.push(`${o.pod} READY ${o.readyContainers}/${o.containers.length} (expected ${check.readyContainers}/${check.readyContainers})`);
  }
  if (problems.length) return { ok: false, message: problems.slice(0, 3).join('; '), observed };
  return { ok: true, message: `${ready.length} pods ready${check.containers ? ` with ${check.containers.join(', ')}` : ''}` };
};
