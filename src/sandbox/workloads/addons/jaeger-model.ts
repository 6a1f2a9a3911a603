// Model of Jaeger as Istio's samples/addons/jaeger.yaml runs it: jaegertracing/jaeger (v2, config file
// with extensions.jaeger_query.base_path, health on :13133/status) or jaegertracing/all-in-one (v1,
// QUERY_BASE_PATH, health on :14269). The query service on 16686 serves the UI page and
// /api/services, /api/services/<svc>/operations and /api/traces from spans received on the Zipkin
// endpoint :9411/api/v2/spans. The sandbox's proxies send no spans (tracing providers are not
// emulated), so the list holds only services that POSTed spans themselves; a Warning event says so.
import yaml from 'js-yaml';
import { readBody, send } from '../http-kit.js';
import { imageRepository, parseImageRef } from '../image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from '../model.js';
import { flagValue, readMountedFile } from '../mounted-files.js';

/** A Zipkin v2 span, as much as the model keeps. */
interface Span {
  traceId: string;
  id: string;
  name?: string;
  timestamp?: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
}

/** The query base path: v2 config file, else v1 env/flag, else `/`. */
function basePath(ctx: ContainerContext): string {
  const file = flagValue(ctx, 'config');
  const v2 = file ? (yaml.load(readMountedFile(ctx, file) ?? '') as any)?.extensions?.jaeger_query?.base_path : undefined;
  const base = String(v2 ?? ctx.env.QUERY_BASE_PATH ?? flagValue(ctx, 'query.base-path') ?? '/');
  return base.replace(/\/+$/, '');
}

/** jaegertracing/jaeger and jaegertracing/all-in-one. */
export const jaegerModel: WorkloadModel = {
  name: 'jaeger',
  create(ctx: ContainerContext): ContainerWorkload {
    const v1 = imageRepository(ctx.container.image).endsWith('all-in-one');
    const version = parseImageRef(ctx.container.image).tag ?? 'latest';
    const spans: Span[] = [];
    const json = { 'Content-Type': 'application/json' };
    const envelope = (data: unknown[]) => JSON.stringify({ data, total: data.length, limit: 0, offset: 0, errors: null });
    const services = () => [...new Set(spans.map((s) => s.localEndpoint?.serviceName).filter((s): s is string => !!s))].sort();
    return {
      start() {
        ctx.log(`${ctx.clock.now().toISOString()}\tinfo\tStarting Jaeger ${version}${v1 ? ' all-in-one' : ''}`);
        ctx.cluster?.warn('EmulatedTracing', 'istio-lab sandbox: Envoy proxies in the sandbox send no trace spans (meshConfig extensionProviders and Telemetry tracing are not emulated); Jaeger lists only services whose spans were POSTed to its Zipkin endpoint :9411/api/v2/spans');
      },
      httpHandler(port) {
        if (port === 9411) {
          return (req, res) => {
            if ((req.url ?? '').split('?')[0] !== '/api/v2/spans' || req.method !== 'POST') return send(res, 404, json, '{"message":"not found"}');
            void readBody(req).then((body) => {
              try {
                const posted = JSON.parse(body.toString('utf8'));
                if (!Array.isArray(posted)) throw new Error('expected a JSON array of spans');
                spans.push(...posted.filter((s) => s && typeof s === 'object'));
                send(res, 202, {}, '');
              } catch (err) {
                send(res, 400, { 'Content-Type': 'text/plain' }, `Unable to process request body: ${(err as Error).message}\n`);
              }
            });
          };
        }
        if (port === 8888 && !v1) return (_req, res) => send(res, 200, { 'Content-Type': 'text/plain; version=0.0.4' }, `# TYPE jaeger_spans_received_total counter\njaeger_spans_received_total ${spans.length}\n`);
        if (port === (v1 ? 14269 : 13133)) {
          return (_req, res) => send(res, 200, json, JSON.stringify(v1 ? { status: 'Server available', upSince: ctx.clock.now().toISOString() } : { status: 'StatusOK' }));
        }
        if (port !== 16686) return undefined;
        return (req, res) => {
          const base = basePath(ctx);
          const url = new URL(req.url ?? '/', 'http://jaeger');
          const path = url.pathname;
          if (base && path !== base && !path.startsWith(`${base}/`)) return send(res, 404, { 'Content-Type': 'text/plain' }, '404 page not found\n');
          const rel = path.slice(base.length) || '/';
          const operations = /^\/api\/services\/([^/]+)\/operations$/.exec(rel);
          if (rel === '/api/services') return send(res, 200, json, envelope(services()));
          if (operations) {
            const svc = decodeURIComponent(operations[1]);
            return send(res, 200, json, envelope([...new Set(spans.filter((s) => s.localEndpoint?.serviceName === svc).map((s) => s.name ?? ''))]));
          }
          if (rel === '/api/traces') {
            const svc = url.searchParams.get('service');
            const ids = [...new Set(spans.filter((s) => !svc || s.localEndpoint?.serviceName === svc).map((s) => s.traceId))];
            return send(res, 200, json, envelope(ids.map((traceID) => ({ traceID, spans: spans.filter((s) => s.traceId === traceID).map((s) => ({ traceID, spanID: s.id, operationName: s.name ?? '', startTime: s.timestamp ?? 0, duration: s.duration ?? 0 })) }))));
          }
          if (rel.startsWith('/api/')) return send(res, 404, json, JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: `the istio-lab sandbox's Jaeger does not serve ${rel}` }] }));
          send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, `<!DOCTYPE html><html><head><title>Jaeger UI</title><base href="${base}/"></head><body><h1>Jaeger UI</h1><p><em>istio-lab sandbox: the UI is not rendered; services with traces: ${services().join(', ') || 'none'}.</em></p></body></html>`);
        };
      },
    };
  },
};
