// The default model: a generic HTTP echo server, used for any image the sandbox has no model for.
// It answers every path with what it knows about its pod and the request, and logs one access line
// per request in the combined log format.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

/** Istio's reserved port range: an echo container without declared ports does not answer there. */
const ISTIO_PORTS = { first: 15000, last: 15099 };

/** Echo server on the container's declared TCP ports (any non-Istio port when it declares none). */
export const echoModel: WorkloadModel = {
  name: 'echo',
  create(ctx: ContainerContext): ContainerWorkload {
    const declared = (ctx.container.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
    const handler = createEchoHandler(ctx);
    return {
      start() {
        const where = declared.length ? declared.map((p) => `:${p}`).join(', ') : 'every port';
        ctx.log(`echo server (istio-lab sandbox stand-in for ${ctx.container.image}) listening on ${where}`);
      },
      httpHandler(port) {
        if (declared.length) return declared.includes(port) ? handler : undefined;
        return port >= ISTIO_PORTS.first && port <= ISTIO_PORTS.last ? undefined : handler;
      },
    };
  },
};

/** The echo request handler: JSON {pod, namespace, labels, version, method, path, headers}. */
export function createEchoHandler(ctx: ContainerContext): RequestListener {
  const labels: Record<string, string> = ctx.pod.metadata.labels ?? {};
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.once('end', () => {
      const body = `${JSON.stringify(
        {
          pod: ctx.pod.metadata.name,
          namespace: ctx.pod.metadata.namespace,
          labels,
          version: labels.version ?? null,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        null,
        2,
      )}\n`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      ctx.log(accessLogLine(req, 200, Buffer.byteLength(body), ctx.clock.now()));
    });
  };
}

/** `remote - - [02/Jan/2006:15:04:05 +0000] "GET /path HTTP/1.1" 200 123 "referer" "user-agent"` */
export function accessLogLine(req: IncomingMessage, status: number, bytes: number, time: Date): string {
  const remote = req.socket?.remoteAddress ?? '-';
  const referer = req.headers.referer ?? '-';
  const agent = req.headers['user-agent'] ?? '-';
  return `${remote} - - [${clfTime(time)}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${bytes} "${referer}" "${agent}"`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clfTime(t: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0000`;
}
