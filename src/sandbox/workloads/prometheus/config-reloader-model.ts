// Model of the config-reloader sidecar next to Prometheus in Istio's addon
// (ghcr.io/prometheus-operator/prometheus-config-reloader; jimmidyson/configmap-reload before): it
// answers its health and metrics endpoints. The reload itself needs no emulation: the Prometheus model
// notices a changed ConfigMap on its own (as the reloader's POST /-/reload would make it do).
import { send } from '../http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from '../model.js';
import { flagValue } from '../mounted-files.js';

/** The config-reloader images. */
export const configReloaderModel: WorkloadModel = {
  name: 'prometheus-config-reloader',
  create(ctx: ContainerContext): ContainerWorkload {
    const listen = Number((flagValue(ctx, 'listen-address') ?? flagValue(ctx, 'web.listen-address') ?? ':8080').split(':').pop());
    return {
      start() {
        ctx.log(`level=info ts=${ctx.clock.now().toISOString()} caller=main.go msg="Starting prometheus-config-reloader" watched_dir=${flagValue(ctx, 'watched-dir') ?? flagValue(ctx, 'volume-dir') ?? ''}`);
      },
      httpHandler(port) {
        if (port !== listen) return undefined;
        return (req, res) => {
          const path = (req.url ?? '/').split('?')[0];
          if (path === '/healthz') send(res, 200, { 'Content-Type': 'text/plain' }, 'OK');
          else if (path === '/metrics') send(res, 200, { 'Content-Type': 'text/plain; version=0.0.4' }, '# TYPE reloader_reloads_total counter\nreloader_reloads_total 0\n');
          else send(res, 404, { 'Content-Type': 'text/plain' }, '404 page not found\n');
        };
      },
    };
  },
};
