// Model of quay.io/kiali/kiali as Istio's samples/addons/kiali.yaml runs it (anonymous auth, web_root
// /kiali, port 20001, metrics on 9090): /kiali/healthz, /kiali/api/status and /kiali/api/namespaces
// (read from the API server as Kiali's service account would), and a plain page for the console.
// The traffic graph, health and Istio config validations are not emulated; a Warning event says so.
import yaml from 'js-yaml';
import { send } from '../http-kit.js';
import { parseImageRef } from '../image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from '../model.js';
import { flagValue, readMountedFile } from '../mounted-files.js';

/** The parts of Kiali's config.yaml the model reads. */
function kialiConfig(ctx: ContainerContext): { webRoot: string; port: number; istioNamespace: string } {
  const file = flagValue(ctx, 'config');
  const cfg = (file ? (yaml.load(readMountedFile(ctx, file) ?? '') as any) : undefined) ?? {};
  return {
    webRoot: String(cfg.server?.web_root ?? '/kiali').replace(/\/+$/, ''),
    port: Number(cfg.server?.port ?? 20001),
    istioNamespace: String(cfg.istio_namespace ?? 'istio-system'),
  };
}

/** quay.io/kiali/kiali. */
export const kialiModel: WorkloadModel = {
  name: 'kiali',
  create(ctx: ContainerContext): ContainerWorkload {
    const version = parseImageRef(ctx.container.image).tag ?? 'latest';
    const json = { 'Content-Type': 'application/json' };
    return {
      start() {
        ctx.log(`${ctx.clock.now().toISOString()} INF Kiali: Version: ${version}`);
        ctx.cluster?.warn('EmulatedKiali', 'istio-lab sandbox: Kiali is modelled by /kiali/healthz, /kiali/api/status and /kiali/api/namespaces; the traffic graph, health and Istio config validations are not emulated');
      },
      httpHandler(port) {
        const cfg = kialiConfig(ctx);
        if (port === 9090) return (_req, res) => send(res, 200, { 'Content-Type': 'text/plain; version=0.0.4' }, `# TYPE kiali_build_info gauge\nkiali_build_info{version="${version}"} 1\n`);
        if (port !== cfg.port) return undefined;
        return (req, res) => {
          const path = new URL(req.url ?? '/', 'http://kiali').pathname;
          const root = cfg.webRoot;
          if (path === '/' && root) return send(res, 302, { Location: `${root}/` });
          if (path === `${root}/healthz`) return send(res, 200, { 'Content-Type': 'text/plain' }, '');
          if (path === `${root}/api/status`) {
            return send(res, 200, json, JSON.stringify({ status: { 'Kiali state': 'running', 'Kiali version': version, 'Kiali commit hash': 'istio-lab-sandbox' }, externalServices: [], warningMessages: ['istio-lab sandbox: Kiali is emulated'] }));
          }
          if (path === `${root}/api/namespaces`) {
            const namespaces = (ctx.cluster?.list('namespaces') ?? []).map((ns) => {
              const labels = ns.metadata.labels ?? {};
              const revision = labels['istio.io/rev'] ?? (labels['istio-injection'] === 'enabled' ? 'default' : '');
              return { name: ns.metadata.name, cluster: 'Kubernetes', isAmbient: labels['istio.io/dataplane-mode'] === 'ambient', isControlPlane: ns.metadata.name === cfg.istioNamespace, labels, annotations: ns.metadata.annotations ?? {}, revision };
            });
            return send(res, 200, json, JSON.stringify(namespaces.sort((a, b) => String(a.name).localeCompare(String(b.name)))));
          }
          if (path.startsWith(`${root}/api/`)) return send(res, 404, json, JSON.stringify({ error: `the istio-lab sandbox's Kiali does not serve ${path}` }));
          if (path === root || path.startsWith(`${root}/`)) return send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, '<!DOCTYPE html><html><head><title>Kiali</title></head><body><h1>Kiali Console</h1><p><em>istio-lab sandbox: the console is not rendered; see /kiali/api/namespaces.</em></p></body></html>');
          send(res, 404, { 'Content-Type': 'text/plain' }, '404 page not found\n');
        };
      },
    };
  },
};
