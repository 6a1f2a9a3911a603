// Model of docker.io/istio/proxyv2 as the sidecar injector uses it: `istio-init` (iptables setup, exits)
// and `istio-proxy` (pilot-agent + Envoy). Traffic itself is handled by src/sandbox/mesh (the pod
// network routes through the proxy engine); this model logs startup lines, answers the agent's
// health/metrics ports and runs `pilot-agent request GET stats` against the engine's counters.
import type { RequestListener } from 'node:http';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { pilotAgentTool } from './tools/pilot-agent.js';
import { appScrapeTarget, PROMETHEUS_ANNOTATIONS_ENV } from '../controllers/prometheus-merge.js';

/** pilot-agent's readiness port (`/healthz/ready`). */
const STATUS_PORT = 15021;
/** Envoy's and the agent's Prometheus ports. */
const METRICS_PORTS = [15020, 15090];

/** istio/proxyv2: an init job for `istio-iptables`/`istio-init`, otherwise a (placeholder) sidecar. */
export const istioProxyModel: WorkloadModel = {
  name: 'istio-proxy',
  create(ctx: ContainerContext): ContainerWorkload {
    const args = [...(ctx.container.command ?? []), ...(ctx.container.args ?? [])];
    if (ctx.init || args.includes('istio-iptables')) return createInitWorkload(ctx);
    return createSidecarWorkload(ctx);
  },
};

/** istio-init: logs what istio-iptables would set up, then exits 0. */
function createInitWorkload(ctx: ContainerContext): ContainerWorkload {
  return {
    async start() {
      const ts = () => istioTime(ctx.clock.now());
      ctx.log(`${ts()}\tinfo\tIstio iptables environment:`);
      ctx.log(`${ts()}\tinfo\tistio-lab sandbox: traffic redirection is modelled by the sandbox, not by iptables`);
      ctx.log(`${ts()}\tinfo\tIstio iptables variables:`);
      ctx.log(`PROXY_PORT=15001\nINBOUND_CAPTURE_PORT=15006\nPROXY_UID=1337\nPROXY_GID=1337\nINBOUND_PORTS_EXCLUDE=15090,15021,15020`);
      return 0;
    },
  };
}

/** istio-proxy: startup lines, the agent's ports and pilot-agent; traffic goes through the mesh engine. */
function createSidecarWorkload(ctx: ContainerContext): ContainerWorkload {
  const ready: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.writeHead(path === '/healthz/ready' ? 200 : 404, { 'Content-Type': 'text/plain' });
    res.end();
  };
  // 15090 is Envoy's /stats/prometheus; 15020 is pilot-agent's merged endpoint: Envoy's metrics plus
  // the app's, scraped from the port and path the injector moved into ISTIO_PROMETHEUS_ANNOTATIONS
  // (controllers/prometheus-merge.ts). The agent's own istio_agent_* metrics are not emulated.
  const app = appScrapeTarget(ctx.env[PROMETHEUS_ANNOTATIONS_ENV]);
  const metrics = (port: number): RequestListener => (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/stats/prometheus') {
      res.writeHead(404, { 'Content-Type': 'text/plain; version=0.0.4' });
      return void res.end();
    }
    const envoy = ctx.network.proxyPrometheus?.(ctx.pod) ?? '';
    const merged = port === 15020 && app ? ctx.network.fetch(ctx.pod, `http://127.0.0.1:${app.port}${app.path}`, { timeoutMs: 5000 }) : undefined;
    void (merged ?? Promise.resolve(undefined)).then((r) => {
      // A failed app scrape leaves Envoy's metrics (the agent logs the error and serves the rest).
      const own = r && !('failure' in r) && r.status === 200 ? r.body.toString('utf8') : '';
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(own ? `${envoy}${envoy && !envoy.endsWith('\n') ? '\n' : ''}${own}` : envoy);
    });
  };
  const handlers = new Map(METRICS_PORTS.map((p) => [p, metrics(p)]));
  return {
    start() {
      const ts = () => istioTime(ctx.clock.now());
      ctx.log(`${ts()}\tinfo\tistio-lab sandbox: Envoy is emulated by the sandbox mesh engine`);
      ctx.log(`${ts()}\tinfo\tPilot SAN: [istiod.istio-system.svc]`);
      ctx.log(`${ts()}\tinfo\tEnvoy proxy is ready`);
    },
    commands: { 'pilot-agent': pilotAgentTool },
    httpHandler(port) {
      if (port === STATUS_PORT) return ready;
      return handlers.get(port);
    },
  };
}

/** Istio's log timestamp: RFC 3339 with microseconds (`2024-05-01T10:00:00.123000Z`). */
function istioTime(t: Date): string {
  return t.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
