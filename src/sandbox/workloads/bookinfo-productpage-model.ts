// istio/examples-bookinfo-productpage-v1 (samples/bookinfo/src/productpage/productpage.py: Flask under
// `gunicorn -b [::]:9080 productpage:app -w 8 --keep-alive 2 -k gevent`), §11.2. /productpage always answers
// 200 and shows the details and reviews it could get; /login keeps `username` in the signed session cookie
// and later calls carry `end-user: <name>`. Logs: gunicorn's startup lines (no access log, as in the image),
// and Flask's error record when a handler raises.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { errorPage, loadSession, pythonJsonDumps, reasonPhrase, redirectBody, requestValue, sessionCookie, type FlaskSession } from './bookinfo-flask.js';
import { BackendJsonError, ProductpageBackends, forwardHeaders } from './bookinfo-productpage-backends.js';
import { renderIndexPage, renderProductPage } from './bookinfo-productpage-template.js';
import { commandLine, gunicornBindPort, readBody } from './http-kit.js';
import { gunicornStartup } from './httpbin-model.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

const HTML = 'text/html; charset=utf-8';
const PRODUCTS = [
  {
    id: 0,
    title: 'The Comedy of Errors',
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];
/** Static files Flask serves from /static; the contents are sandbox stand-ins (nothing checks them). */
const STATIC: Record<string, [string, Buffer]> = {
  '/static/tailwind/tailwind.css': ['text/css; charset=utf-8', Buffer.from('/* istio-lab sandbox stand-in for Bookinfo\'s tailwind.css */\n')],
  '/static/img/izzy.png': ['image/png', Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')],
};

/** One response as Flask/gunicorn builds it. */
interface Reply {
  status: number;
  body: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
}

/** The route a path and method select (Werkzeug's URL map): a handler, 405 with Allow, or 404. */
type Route = { run: () => Promise<Reply> | Reply; methods: string[] };

/** istio/examples-bookinfo-productpage-v1. */
export const productpageModel: WorkloadModel = {
  name: 'bookinfo-productpage',
  create(ctx: ContainerContext): ContainerWorkload {
    const port = gunicornBindPort(commandLine(ctx.container)) ?? 9080;
    const domain = ctx.env.SERVICES_DOMAIN === undefined ? '' : `.${ctx.env.SERVICES_DOMAIN}`;
    const base = (svc: string) => `http://${ctx.env[`${svc.toUpperCase()}_HOSTNAME`] ?? svc}${domain}:${ctx.env[`${svc.toUpperCase()}_SERVICE_PORT`] ?? 9080}`;
    const backends = new ProductpageBackends(ctx, { details: base('details'), reviews: base('reviews'), ratings: base('ratings') });

    const route = (req: IncomingMessage, body: Buffer, session: FlaskSession, touched: { accessed: boolean; modified: boolean }): Route | undefined => {
      const path = (req.url ?? '/').split('?')[0];
      const headers = () => {
        if ('user' in session) touched.accessed = true;
        return forwardHeaders(req.headers, session.user);
      };
      const json = (status: number, data: unknown): Reply => ({ status, body: pythonJsonDumps(data), type: 'application/json' });
      const api = /^\/api\/v1\/products\/([^/]+)(?:\/(reviews|ratings))?$/.exec(path);
      if (path === '/' || path === '/index.html') return { methods: ['GET'], run: () => ({ status: 200, body: renderIndexPage({ serviceTable: serviceTable(base) }) }) };
      if (path === '/health') return { methods: ['GET'], run: () => ({ status: 200, body: 'Product page is healthy' }) };
      if (path === '/login' || path === '/logout') {
        return {
          methods: path === '/login' ? ['POST'] : ['GET'],
          run: () => {
            touched.accessed = true;
            if (path === '/login') {
              session.user = requestValue(req.url ?? '/', req.headers['content-type'], body, 'username') ?? null;
              touched.modified = true;
            } else if ('user' in session) {
              delete session.user;
              touched.modified = true;
            }
            // ⚠ §15.8 (derived from Flask 3.1/Werkzeug 3.1): redirect(request.referrer) with no Referer
            // is redirect(None): a 302 with `Location: None`; the session cookie is set all the same.
            const location = String(req.headers.referer ?? 'None');
            return { status: 302, body: redirectBody(location), headers: { Location: location } };
          },
        };
      }
      if (path === '/productpage') {
        return {
          methods: ['GET'],
          run: async () => {
            const forwarded = headers();
            touched.accessed = true;
            const [detailsStatus, details] = await backends.details('0', forwarded);
            const [reviewsStatus, reviews] = await backends.reviews('0', forwarded);
            return { status: 200, body: renderProductPage({ detailsStatus, reviewsStatus, product: PRODUCTS[0], details, reviews, user: session.user ?? '' }) };
          },
        };
      }
      if (path === '/api/v1/products') return { methods: ['GET'], run: () => json(200, PRODUCTS) };
      if (api) {
        const [, id, what] = api;
        const call = () => (what === 'reviews' ? backends.reviews(id, headers()) : what === 'ratings' ? backends.ratings(id, headers()) : backends.details(id, headers()));
        return { methods: ['GET'], run: async () => json(...(await call())) };
      }
      if (path === '/metrics') return { methods: ['GET'], run: () => ({ status: 200, body: backends.metrics() }) };
      const file = STATIC[path];
      if (file) return { methods: ['GET'], run: () => ({ status: 200, body: file[1], type: file[0] }) };
      return undefined;
    };

    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then(async (body) => {
        const session = loadSession(req.headers.cookie, ctx.clock.now());
        const touched = { accessed: false, modified: false };
        const r = route(req, body, session, touched);
        const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
        const allow = r && [...r.methods, ...(r.methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort().join(', ');
        let reply: Reply;
        if (!r) reply = { status: 404, body: errorPage(404) };
        else if (method === 'OPTIONS') reply = { status: 200, body: '', headers: { Allow: allow! } };
        else if (!r.methods.includes(method)) reply = { status: 405, body: errorPage(405), headers: { Allow: allow! } };
        else {
          try {
            reply = await r.run();
          } catch (err) {
            ctx.log(`ERROR:productpage:Exception on ${req.url?.split('?')[0]} [${req.method}]`);
            ctx.log(err instanceof BackendJsonError ? err.message : String(err));
            reply = { status: 500, body: errorPage(500) };
          }
        }
        if (res.destroyed) return;
        const headers: Record<string, string> = { Server: 'gunicorn', 'Content-Type': reply.type ?? HTML, ...reply.headers };
        if (touched.modified) headers['Set-Cookie'] = sessionCookie(session, ctx.clock.now());
        if (touched.accessed) headers.Vary = 'Cookie';
        const buf = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
        res.writeHead(reply.status, reasonPhrase(reply.status, STATUS_CODES[reply.status]), { ...headers, 'Content-Length': String(buf.length) });
        res.end(buf);
      });
    };

    return {
      start() {
        const lines = gunicornStartup(ctx.clock.now(), `http://[::]:${port}`, '23.0.0');
        // `-w 8`: eight gevent workers boot after the master.
        for (let pid = 9; pid <= 15; pid++) lines.push(lines[3].replace(/\[8\]|pid: 8/g, (m) => m.replace('8', String(pid))));
        for (const line of lines) ctx.log(line);
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};

/** json2html's table of productpage's service tree, as `/` shows it. */
function serviceTable(base: (svc: string) => string): string {
  const cell = (svc: string, children: string) => `<table class="table table-condensed table-bordered table-hover"><tr><th>name</th><td>${base(svc)}</td></tr><tr><th>endpoint</th><td>${svc}</td></tr><tr><th>children</th><td>${children}</td></tr></table>`;
  return cell('details', `${cell('details', '')}${cell('reviews', cell('ratings', ''))}`);
}
