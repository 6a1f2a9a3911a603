// Istio control plane: istiod Deployments in istio-system (revisions included), their version
// from the image tag, and whether they are ready.
import type { KubeObject } from '../../cluster/types.js';
import type { CheckResult, DoctorContext } from '../types.js';

/** The Istio namespace doctor inspects. */
export const ISTIO_NAMESPACE = 'istio-system';

/** Reads the version from an image reference: docker.io/istio/pilot:1.22.3-distroless → 1.22.3. */
export function readImageVersion(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= lastSlash) return undefined;
  return withoutDigest.slice(colon + 1).replace(/-distroless$/, '');
}

/** An istiod Deployment's version, from its discovery container's image or its labels. */
function readIstiodVersion(deployment: KubeObject): string {
  const containers: { name: string; image?: string }[] = deployment.spec?.template?.spec?.containers ?? [];
  const container = containers.find((c) => c.name === 'discovery') ?? containers[0];
  const labels = deployment.metadata.labels ?? {};
  return readImageVersion(container?.image) ?? labels['operator.istio.io/version'] ?? labels['app.kubernetes.io/version'] ?? 'unknown version';
}

/** Lists istiod Deployments: by label app=istiod, else the one named istiod. */
async function findIstiod(ctx: DoctorContext): Promise<KubeObject[]> {
  const { items } = await ctx.cluster.list('apps/v1', 'Deployment', { namespace: ISTIO_NAMESPACE, labelSelector: 'app=istiod' });
  if (items.length > 0) return items;
  const byName = await ctx.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'istiod', namespace: ISTIO_NAMESPACE });
  return byName ? [byName] : [];
}

/** Reports whether Istio is installed and ready, and its version. */
export async function checkIstio(ctx: DoctorContext): Promise<CheckResult> {
  const deployments = await findIstiod(ctx);
  if (deployments.length === 0) {
    return {
      check: {
        id: 'istio',
        status: 'fail',
        summary: `Istio is not installed: no istiod Deployment in ${ISTIO_NAMESPACE}`,
        fix: ctx.cluster.target.sandbox
          ? 'install Istio into the sandbox as into any cluster (e.g. `KUBECONFIG=$(istio-lab sandbox kubeconfig) istioctl install --set profile=demo -y`)'
          : 'install it (e.g. `istioctl install --set profile=demo -y`), or run the labs on the embedded sandbox with --sandbox',
      },
    };
  }
  const states = deployments.map((d) => {
    const desired = d.spec?.replicas ?? 1;
    const ready = d.status?.readyReplicas ?? 0;
    return { name: d.metadata.name ?? 'istiod', version: readIstiodVersion(d), desired, ready };
  });
  const parts = states.map((s) => `${s.name} ${s.version} ${s.ready > 0 ? 'ready' : 'not ready'} (${s.ready}/${s.desired})`);
  const status = states.some((s) => s.ready === 0) ? 'fail' : states.some((s) => s.ready < s.desired) ? 'warn' : 'ok';
  const fix = status === 'ok' ? undefined : `look at the pods and their events: \`kubectl -n ${ISTIO_NAMESPACE} describe pods -l app=istiod\``;
  return { check: { id: 'istio', status, summary: `${parts.join('; ')} in ${ISTIO_NAMESPACE}`, ...(fix ? { fix } : {}) } };
}
