// Istio CRDs the labs rely on, with the versions each serves.
import type { CheckResult, DoctorContext } from '../types.js';

/** The CRDs labs need, by name. */
export const REQUIRED_ISTIO_CRDS = [
  'virtualservices.networking.istio.io',
  'destinationrules.networking.istio.io',
  'gateways.networking.istio.io',
  'peerauthentications.security.istio.io',
] as const;

/** Reports which Istio CRDs exist and which versions they serve. */
export async function checkCrds(ctx: DoctorContext): Promise<CheckResult> {
  const found: { name: string; versions: string[] }[] = [];
  const missing: string[] = [];
  for (const name of REQUIRED_ISTIO_CRDS) {
    const crd = await ctx.cluster.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
    if (!crd) missing.push(name);
    else found.push({ name, versions: ((crd.spec?.versions ?? []) as { name: string; served?: boolean }[]).filter((v) => v.served !== false).map((v) => v.name) });
  }
  const details = found.map((c) => `${c.name}: ${c.versions.join(', ') || 'no served version'}`);
  if (missing.length > 0) {
    return {
      check: {
        id: 'crds',
        status: 'fail',
        summary: `missing Istio CRDs: ${missing.join(', ')}`,
        details,
        fix: `install Istio (its CRDs come with \`istioctl install\` or the istio/base Helm chart)${ctx.cluster.target.sandbox ? '' : ', or use --sandbox'}`,
      },
    };
  }
  const vs = found.find((c) => c.name === 'virtualservices.networking.istio.io');
  if (vs && !vs.versions.includes('v1')) {
    return {
      check: { id: 'crds', status: 'warn', summary: 'Istio CRDs present, but networking.istio.io/v1 is not served', details, fix: 'labs written with networking.istio.io/v1 need Istio 1.22 or later; upgrade Istio' },
    };
  }
  return { check: { id: 'crds', status: 'ok', summary: `${found.length} Istio CRDs present`, details } };
}
