// weaveworksdemos/front-end (microservices-demo/front-end: server.js, api/catalogue/index.js,
// api/endpoints.js, helpers/index.js), the sock shop's Node.js/Express web tier on PORT (8079).
// Modelled: public/index.html on `/`, and the catalogue API it proxies through the pod's network
// (so its sidecar's routing, faults, retries and circuit breaking apply): `/catalogue*` and `/tags`
// via helpers.simpleHttpRequest, which answers **200 with whatever body catalogue sent, whatever its
// status** (an injected 500 `fault filter abort` §3, Envoy's 503 `no healthy upstream` §1.8/§13,
// catalogue's own error JSON), waits out any delay (the `request` library sets no timeout), and only
// when the call fails below HTTP (no such host, reset) answers 500 JSON {"message", "error"} from
// helpers.errorHandler; `/catalogue/images*` pipes catalogue's status and body. Not modelled: cart,
// orders, login/register/customers, /metrics and the static assets besides index.html — they answer
// Express's 404, and a Warning event says so. Logs: the npm start banner and one morgan "dev" line per
// request that reaches the API routes (index.html is served by express.static before morgan).
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTransportFailure, type TransportFailure } from '../mesh/types.js';
import { commandLine, readBody } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { cannotGetPage, INDEX_HTML, morganDev } from './sockshop-front-end-page.js';

/** The error object a `request` failure carries, as helpers.errorHandler serialises it. */
function nodeError(f: TransportFailure, host: string): { message: string; error: Record<string, unknown> } {
  if (f.failure === 'dns') return { message: `getaddrinfo ENOTFOUND ${host} ${host}:80`, error: { code: 'ENOTFOUND', errno: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: host, host, port: 80 } };
  if (f.failure === 'connect-refused') return { message: `connect ECONNREFUSED ${host}:80`, error: { code: 'ECONNREFUSED', errno: 'ECONNREFUSED', syscall: 'connect', address: host, port: 80 } };
  if (f.failure === 'timeout') return { message: `connect ETIMEDOUT ${host}:80`, error: { code: 'ETIMEDOUT', errno: 'ETIMEDOUT', syscall: 'connect', address: host, port: 80 } };
  return { message: 'socket hang up', error: { code: 'ECONNRESET' } };
}

/** weaveworksdemos/front-end. */
export const frontEndModel: WorkloadModel = {
  name: 'sockshop-front-end',
  create(ctx: ContainerContext): ContainerWorkload {
    const port = Number(ctx.env.PORT || 8079);
    // api/endpoints.js: `--domain=<suffix>` on the command line is appended to every service name.
    const domain = commandLine(ctx.container).find((a) => a.startsWith('--domain='))?.slice('--domain='.length) ?? '';
    const catalogue = `catalogue${domain}`;
    const base = { 'X-Powered-By': 'Express' };

    /** express-session (name md.sid, secret "sooper secret", saveUninitialized): a new signed session id. */
    const sessionCookie = () => {
      const id = Buffer.from(Array.from({ length: 24 }, () => Math.floor(ctx.random() * 256))).toString('base64url');
      const sig = createHmac('sha256', 'sooper secret').update(id).digest('base64').replace(/=+$/, '');
      return `md.sid=${encodeURIComponent(`s:${id}.${sig}`)}; Path=/; HttpOnly`;
    };

    const handler = (req: IncomingMessage, res: ServerResponse) =>
      void readBody(req).then(async () => {
        const started = performance.now();
        const method = req.method ?? 'GET';
        const url = req.url ?? '/';
        const path = url.split('?')[0];
        const end = (status: number, headers: Record<string, string>, body: string | Buffer, chunked = false) => {
          if (res.destroyed || res.writableEnded) return;
          const buf = typeof body === 'string' ? Buffer.from(body) : body;
          res.writeHead(status, { ...base, ...headers, ...(chunked ? {} : { 'Content-Length': String(buf.length) }) });
          res.end(buf);
        };
        // helpers.rewriteSlash: a trailing slash is redirected away (before anything else).
        if (url.endsWith('/') && url.length > 1) return end(301, { Location: url.slice(0, -1), Vary: 'Accept', 'Content-Type': 'text/plain; charset=utf-8' }, `Moved Permanently. Redirecting to ${url.slice(0, -1)}`);
        // express.static("public"): index.html, not logged by morgan (mounted later).
        if ((method === 'GET' || method === 'HEAD') && (path === '/' || path === '/index.html')) {
          return end(200, { 'Accept-Ranges': 'bytes', 'Cache-Control': 'public, max-age=0', 'Content-Type': 'text/html; charset=UTF-8' }, INDEX_HTML);
        }
        const cookie: Record<string, string> = /(?:^|;\s*)md\.sid=/.test(String(req.headers.cookie ?? '')) ? {} : { 'Set-Cookie': sessionCookie() };
        const get = method === 'GET' || method === 'HEAD';
        if (get && (path.startsWith('/catalogue') || path === '/tags')) {
          const target = path === '/tags' ? `http://${catalogue}/tags` : `http://${catalogue}${url}`;
          const r = await ctx.network.fetch(ctx.pod, target, { method: 'GET', headers: {}, signal: ctx.signal });
          if (isTransportFailure(r)) {
            const e = nodeError(r, catalogue);
            end(500, { ...cookie, 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify({ message: e.message, error: e.error }));
          } else if (path.startsWith('/catalogue/images')) {
            // request(url).pipe(res): catalogue's status and headers pass through.
            const { 'content-length': len, 'content-type': type } = r.headers;
            end(r.status, type ? { ...cookie, 'Content-Type': type } : cookie, r.body, len === undefined);
          } else {
            // simpleHttpRequest → respondSuccessBody: writeHeader(200), write(body), end(): no Content-Type, chunked.
            end(200, cookie, r.body, true);
          }
        } else {
          end(404, { ...cookie, 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'text/html; charset=utf-8' }, cannotGetPage(method, path));
        }
        const length = res.getHeader('content-length');
        ctx.log(morganDev(method, url, res.statusCode, performance.now() - started, length === undefined ? undefined : String(length)));
      });

    return {
      start() {
        ctx.cluster?.warn('EmulatedFrontEnd', `istio-lab sandbox: ${ctx.container.image} is modelled for index.html, /catalogue* and /tags (proxied to ${catalogue} through the pod's network); carts, orders, users, /metrics and the other static files are not emulated and answer 404`);
        for (const line of ['', '> microservices-demo-front-end@0.0.1 start /usr/src/app', '> node server.js', '']) ctx.log(line);
        if (ctx.env.SESSION_REDIS) {
          ctx.log('Using the redis based session manager');
          ctx.cluster?.warn('EmulatedSessions', 'istio-lab sandbox: SESSION_REDIS is set, but the front-end model keeps sessions in memory and does not connect to session-db');
        } else ctx.log('Using local session manager');
        ctx.log(`App now running in ${ctx.env.NODE_ENV || 'production'} mode on port ${port}`);
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};
