// Namespaces labelled for sidecar injection (istio-injection=enabled or istio.io/rev).
import type { CheckResult, DoctorContext } from '../types.js';

/** Reports the namespaces whose pods get a sidecar. */
export async function checkInjection(ctx: DoctorContext): Promise<CheckResult> {
  const { items } = await ctx.cluster.list('v1', 'Namespace');
  const labelled = items.flatMap((ns) => {
    const labels = ns.metadata.labels ?? {};
    if (labels['istio-injection'] === 'enabled') return [`${ns.metadata.name} (istio-injection=enabled)`];
    if (labels['istio.io/rev'] && labels['istio-injection'] !== 'disabled') return [`${ns.metadata.name} (istio.io/rev=${labels['istio.io/rev']})`];
    return [];
  });
  if (labelled.length === 0) {
    return {
      check: {
        id: 'injection',
        status: 'warn',
        summary: 'no namespace is labelled for sidecar injection',
        fix: 'labs that label their own namespace need nothing; otherwise run `kubectl label namespace default istio-injection=enabled`',
      },
    };
  }
  return { check: { id: 'injection', status: 'ok', summary: labelled.join(', ') } };
}
