// The public hosts the sandbox emulates, because Istio's egress tasks call them (§9; istio.io
// egress-control, egress-tls-origination): httpbin.org (the Python httpbin it really runs, behind an
// AWS load balancer), edition.cnn.com and www.google.com (one small page each). The sandbox has no
// internet access; every other public name fails to resolve. docs/sandbox.md lists these hosts.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Clock, Random } from '../runtime/determinism.js';
import { createHttpbinHandler } from '../workloads/httpbin-handler.js';
import { send } from '../workloads/http-kit.js';

/** Headers httpbin.org's load balancer and httpbin itself keep out of `/headers` (httpbin's ENV_HEADERS, lower-case). */
export const httpbinHiddenHeaders = ['x-varnish', 'x-request-start', 'x-heroku-queue-depth', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-protocol', 'x-forwarded-ssl', 'x-heroku-queue-wait-time', 'x-forwarded-for', 'x-heroku-dynos-in-use', 'x-forwarded-port', 'x-request-id', 'via', 'total-route-time', 'connect-time'];

/** One emulated site: what it stands in for, and its server. Requests arrive in absolute form (`https://host/path`), so the scheme is known. */
export interface EmulatedSite {
  /** One line for docs and events. */
  about: string;
  /** The site's request listener. */
  handler: RequestListener;
  /** Extra request headers the site's front end adds (e.g. an AWS trace id). */
  frontEnd?(request: { headers: Record<string, string> }): void;
}

/** What the sites need: clock, seeded randomness and a signal that stops slow replies when the sandbox stops. */
export interface SiteOptions {
  clock: Clock;
  random: Random;
  stop: AbortSignal;
}

/** A small HTML page that says, in a comment, that it was emulated. */
function page(title: string, host: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><!-- ${host} emulated by the istio-lab sandbox: no traffic left this machine --><h1>${title}</h1></body></html>\n`;
}

/** The scheme and path of an absolute-form request target. */
function target(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
}

/** A site that serves one page over https and redirects http to https (as edition.cnn.com does). */
function httpsOnlySite(host: string, title: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = target(req);
    if (url.protocol === 'http:') {
      send(res, 301, { Location: `https://${host}${url.pathname}${url.search}`, 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    const body = page(title, host);
    send(res, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'max-age=60' }, req.method === 'HEAD' ? '' : body);
  };
}

/** A site that serves one page over http and https alike (as www.google.com does). */
function pageSite(host: string, title: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const body = page(title, host);
    send(res, 200, { 'Content-Type': 'text/html; charset=ISO-8859-1', 'Cache-Control': 'private, max-age=0' }, req.method === 'HEAD' ? '' : body);
  };
}

/** `Root=1-<time hex>-<24 hex>`, as an AWS load balancer stamps each request. */
function amznTraceId(clock: Clock, random: Random): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `Root=1-${Math.floor(clock.now().getTime() / 1000).toString(16)}-${hex(24)}`;
}

/** The emulated sites by host name. */
export function createEmulatedSites(o: SiteOptions): Record<string, EmulatedSite> {
  return {
    'httpbin.org': {
      about: 'httpbin (Python httpbin 0.9.2 behind gunicorn, as httpbin.org runs it)',
      handler: createHttpbinHandler({ python: true, random: o.random, stop: o.stop, hostname: 'httpbin.org', onAccess: () => undefined }),
      frontEnd(request) {
        for (const h of httpbinHiddenHeaders) delete request.headers[h];
        request.headers['x-amzn-trace-id'] = amznTraceId(o.clock, o.random);
      },
    },
    'edition.cnn.com': { about: 'one page over https; http redirects (301) to https', handler: httpsOnlySite('edition.cnn.com', 'CNN International - Breaking News, US News, World News and Video') },
    'www.google.com': { about: 'one page over http and https', handler: pageSite('www.google.com', 'Google') },
  };
}
