// The ingress gateway: finds its Service (istioctl and Helm names, then by label) and resolves
// the address labs send traffic to.
import type { KubeObject } from '../../cluster/types.js';
import { resolveIngressAddress } from '../ingress-address.js';
import type { IngressMethod } from '../ingress-address.js';
import type { CheckResult, CheckStatus, DoctorContext } from '../types.js';

/** Where istioctl and Helm installs put the gateway Service. */
const KNOWN_GATEWAYS = [
  { namespace: 'istio-system', name: 'istio-ingressgateway' },
  { namespace: 'istio-ingress', name: 'istio-ingress' },
];

/** Finds the gateway Service: by known names, then by the istio=ingressgateway / istio=ingress labels. */
async function findGatewayService(ctx: DoctorContext): Promise<KubeObject | undefined> {
  for (const { namespace, name } of KNOWN_GATEWAYS) {
    const service = await ctx.cluster.get({ apiVersion: 'v1', kind: 'Service', name, namespace });
    if (service) return service;
  }
  for (const labelSelector of ['istio=ingressgateway', 'istio=ingress']) {
    const { items } = await ctx.cluster.list('v1', 'Service', { labelSelector });
    if (items[0]) return items[0];
  }
  return undefined;
}

/** Lists objects, treating errors (e.g. no RBAC for Nodes) as none. */
async function listOrNone(ctx: DoctorContext, apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string }): Promise<KubeObject[]> {
  return ctx.cluster.list(apiVersion, kind, opts).then((r) => r.items, () => []);
}

const METHOD: Record<IngressMethod, { status: CheckStatus; label: string }> = {
  loadBalancer: { status: 'ok', label: 'LoadBalancer' },
  nodePort: { status: 'ok', label: 'NodePort' },
  portForward: { status: 'warn', label: 'no external address; port-forward' },
};

/** Reports the gateway address as INGRESS_HOST:INGRESS_PORT. */
export async function checkIngress(ctx: DoctorContext): Promise<CheckResult> {
  const service = await findGatewayService(ctx);
  if (!service) {
    return {
      check: {
        id: 'ingress',
        status: 'warn',
        summary: 'no ingress gateway Service (looked for istio-system/istio-ingressgateway, istio-ingress/istio-ingress, label istio=ingressgateway)',
        fix: 'labs that send traffic through the gateway need one: install the demo profile (`istioctl install --set profile=demo -y`) or the istio/gateway Helm chart',
      },
    };
  }
  const selector = Object.entries((service.spec?.selector ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = selector ? await listOrNone(ctx, 'v1', 'Pod', { namespace: service.metadata.namespace, labelSelector: selector }) : [];
  const nodes = await listOrNone(ctx, 'v1', 'Node', {});
  const address = resolveIngressAddress({ service, nodes, pods });
  const { status, label } = METHOD[address.method];
  const summary = `${label} ${address.namespace}/${address.name} → ${address.host}:${address.port}`;
  const fix = address.command ? `run \`${address.command}\` while the labs run` : undefined;
  return { check: { id: 'ingress', status, summary, ...(fix ? { fix } : {}) }, ingress: address };
}
