// Command-line tools on PATH (informational: labs run without them, except istioctl command checks).
import type { CheckResult, DoctorContext } from '../types.js';

/** Builds the check for one tool. */
function defineToolCheck(id: 'kubectl' | 'istioctl', missingNote: string): (ctx: Pick<DoctorContext, 'findExecutable'>) => Promise<CheckResult> {
  return async (ctx) => {
    const path = await ctx.findExecutable(id);
    return { check: { id, status: 'info', summary: path ?? `not on PATH (${missingNote})` } };
  };
}

/** Reports where kubectl is. */
export const checkKubectl = defineToolCheck('kubectl', 'optional; istio-lab talks to the API directly');

/** Reports where istioctl is. */
export const checkIstioctl = defineToolCheck('istioctl', 'optional; needed only by labs with istioctl command checks');
