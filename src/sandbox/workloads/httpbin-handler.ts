// httpbin's router: which path and methods reach which endpoint, /status and /delay (weighted codes,
// a 10 s cap, 499 when the client goes away), serialisation per flavour, and one access record per request.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Random } from '../runtime/determinism.js';
import { goDuration, parseGoDuration } from './tools/fortio-stats.js';
import { readBody, send, waitOrClose, weightedChoice } from './http-kit.js';
import { indexHtml, MOBY_HTML, SAMPLE_JSON, statusSpecialCase } from './httpbin-assets.js';
import { authReply, bodyReply, cookiesReply, errorReply, getReply, headers, json, origin, redirectReply, responseHeadersReply, uuidReply, type HttpbinCall, type Reply } from './httpbin-endpoints.js';

/** How a finished request is reported (for the access log). */
export interface HttpbinAccess {
  req: IncomingMessage;
  status: number;
  size: number;
  durationMs: number;
}

/** Options of one httpbin server. */
export interface HttpbinOptions {
  python: boolean;
  random: Random;
  stop: AbortSignal;
  hostname: string;
  onAccess(access: HttpbinAccess): void;
}

const MAX_DELAY_MS = 10_000;
type Route = [RegExp, string[] | undefined, (c: HttpbinCall) => Reply | Promise<Reply>];
const ANY = undefined;

const ROUTES: Route[] = [
  [/^\/$/, ['GET', 'HEAD'], (c) => ({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: indexHtml(c.python ? 'httpbin' : 'go-httpbin') })],
  [/^\/get$/, ['GET', 'HEAD'], getReply],
  [/^\/headers$/, ANY, (c) => json({ headers: headers(c) })],
  [/^\/ip$/, ANY, (c) => json({ origin: origin(c) })],
  [/^\/user-agent$/, ANY, (c) => json({ 'user-agent': String(c.req.headers['user-agent'] ?? '') })],
  [/^\/uuid$/, ANY, uuidReply],
  [/^\/anything(\/.*)?$/, ANY, (c) => (c.req.method === 'HEAD' ? getReply(c) : bodyReply(c, true))],
  [/^\/(post|put|patch|delete)$/, ANY, (c) => (c.req.method === c.params[0].toUpperCase() ? bodyReply(c, false) : errorReply(c, 405))],
  [/^\/status\/([^/]+)$/, ANY, statusReply],
  [/^\/delay\/([^/]+)$/, ANY, delayReply],
  [/^\/response-headers$/, ['GET', 'POST', 'HEAD'], responseHeadersReply],
  [/^\/html$/, ['GET', 'HEAD'], () => ({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: MOBY_HTML })],
  [/^\/json$/, ['GET', 'HEAD'], (c) => ({ status: 200, headers: { 'Content-Type': c.python ? 'application/json' : 'application/json; charset=utf-8' }, body: SAMPLE_JSON })],
  [/^\/robots\.txt$/, ['GET', 'HEAD'], () => ({ status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'User-agent: *\nDisallow: /deny\n' })],
  [/^\/deny$/, ['GET', 'HEAD'], () => ({ status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: "YOU SHOULDN'T BE HERE" })],
  [/^\/hostname$/, ['GET', 'HEAD'], (c) => (c.python ? errorReply(c, 404) : json({ hostname: c.hostname }))],
  [/^\/redirect\/(\d+)$/, ['GET', 'HEAD'], (c) => redirectReply(c, Number(c.params[0]), c.url.searchParams.get('absolute')?.toLowerCase() === 'true')],
  [/^\/relative-redirect\/(\d+)$/, ['GET', 'HEAD'], (c) => redirectReply(c, Number(c.params[0]), false)],
  [/^\/absolute-redirect\/(\d+)$/, ['GET', 'HEAD'], (c) => redirectReply(c, Number(c.params[0]), true)],
  [/^\/redirect-to$/, ANY, (c) => {
    const target = c.url.searchParams.get('url');
    const code = Number(c.url.searchParams.get('status_code') ?? 302);
    if (!target) return errorReply(c, 400, 'missing required query parameter: url');
    return code >= 300 && code <= 399 ? { status: code, headers: { Location: target } } : errorReply(c, 400, `invalid status code: ${code} not in range [300, 399]`);
  }],
  [/^\/cookies(?:\/(set|delete))?$/, ['GET', 'HEAD'], (c) => cookiesReply(c, c.params[0])],
  [/^\/basic-auth\/([^/]+)\/([^/]+)$/, ['GET', 'HEAD'], (c) => authReply(c, 'basic')],
  [/^\/bearer$/, ['GET', 'HEAD'], (c) => authReply(c, 'bearer')],
  [/^\/base64\/([^/]+)$/, ['GET', 'HEAD'], (c) => ({ status: 200, headers: { 'Content-Type': c.python ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8' }, body: Buffer.from(decodeURIComponent(c.params[0]).replace(/-/g, '+').replace(/_/g, '/'), 'base64') })],
  [/^\/bytes\/(\d+)$/, ['GET', 'HEAD'], (c) => ({ status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from(Array.from({ length: Math.min(Number(c.params[0]), 102400) }, () => Math.floor(c.random() * 256))) })],
  [/^\/stream\/(\d+)$/, ['GET', 'HEAD'], (c) => {
    const line = (id: number) => JSON.stringify(c.python ? { url: c.url.href, args: Object.fromEntries(c.url.searchParams), headers: headers(c), origin: origin(c), id } : { id, args: Object.fromEntries(c.url.searchParams), headers: headers(c), origin: origin(c), url: c.url.href });
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: Array.from({ length: Math.max(1, Math.min(100, Number(c.params[0]))) }, (_, i) => `${line(i)}\n`).join('') };
  }],
];

/** /status/CODE or /status/200:0.9,503:0.1 (a weighted random choice; weight defaults to 1). */
function statusReply(c: HttpbinCall): Reply {
  const raw = c.params[0];
  const choices: { choice: number; weight: number }[] = [];
  for (const item of raw.split(',')) {
    const [code, weight] = item.split(':');
    const n = Number(code);
    const w = weight === undefined ? 1 : Number(weight);
    if (!/^\d+$/.test(code) || Number.isNaN(w)) return errorReply(c, 400, raw.includes(',') ? `invalid choice value: "${code}"` : `invalid status code: "${code}": strconv.Atoi: parsing "${code}": invalid syntax`);
    if (n < 100 || n > 599) return errorReply(c, 400, `invalid status code: ${n} not in range [100, 599]`);
    choices.push({ choice: n, weight: w });
  }
  const status = weightedChoice(choices, c.random);
  const special = statusSpecialCase(status, c.python);
  const type = c.python ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
  return { status, headers: { 'Content-Type': type, ...(special?.headers ?? {}) }, body: special?.body ?? '' };
}

/** /delay/N: waits N seconds (Go durations like 500ms too; at most 10 s), then echoes the request. */
async function delayReply(c: HttpbinCall): Promise<Reply> {
  const raw = c.params[0];
  let ms = /^\d+(\.\d+)?$|^\.\d+$/.test(raw) ? Number(raw) * 1000 : c.python ? undefined : parseGoDuration(raw);
  if (ms === undefined || Number.isNaN(ms)) return errorReply(c, 400, `invalid duration: time: invalid duration "${raw}"`);
  if (ms > MAX_DELAY_MS) {
    if (!c.python) return errorReply(c, 400, `invalid duration: duration ${goDuration(ms)} longer than 10s`);
    ms = MAX_DELAY_MS;
  }
  if (!(await waitOrClose(ms, c.res, c.stop))) return { status: 499 };
  if (c.python) {
    const reply = bodyReply(c, false);
    const value = reply.json as Record<string, unknown>;
    delete value.json;
    return reply;
  }
  return bodyReply(c, true, { 'Server-Timing': `initial_delay;dur=${ms.toFixed(2)};desc="initial delay"` });
}

/** Python's jsonify sorts keys at every level. */
function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]));
  return value;
}

/** The request listener of one httpbin server. */
export function createHttpbinHandler(o: HttpbinOptions): RequestListener {
  const common: Record<string, string> = o.python ? { Server: 'gunicorn/19.9.0', 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' } : { 'Access-Control-Allow-Credentials': 'true' };
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', `${String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0]}://${req.headers.host ?? 'localhost'}`);
      const cors: Record<string, string> = o.python ? {} : { 'Access-Control-Allow-Origin': String(req.headers.origin ?? '*') };
      let reply: Reply;
      const route = ROUTES.find(([re]) => re.test(url.pathname));
      const call: HttpbinCall = { req, res, url, body, python: o.python, random: o.random, params: route ? (route[0].exec(url.pathname) ?? []).slice(1) : [], stop: o.stop, hostname: o.hostname };
      if (req.method === 'OPTIONS' && !o.python) reply = { status: 200, headers: { 'Access-Control-Allow-Methods': 'GET, POST, HEAD, PUT, DELETE, PATCH, OPTIONS', 'Access-Control-Max-Age': '3600' } };
      else if (!route) reply = errorReply(call, 404);
      else if (route[1] && !route[1].includes(req.method ?? 'GET')) reply = errorReply(call, 405);
      else reply = await route[2](call);
      let payload = reply.body ?? '';
      const headersOut: Record<string, string | string[]> = { ...common, ...cors };
      if (reply.json !== undefined) {
        payload = `${JSON.stringify(o.python ? sortDeep(reply.json) : reply.json, null, 2)}\n`;
        headersOut['Content-Type'] = o.python ? 'application/json' : 'application/json; charset=utf-8';
      }
      Object.assign(headersOut, reply.headers ?? {});
      const size = reply.status === 499 ? 0 : send(res, reply.status, headersOut, payload);
      o.onAccess({ req, status: reply.status, size, durationMs: performance.now() - started });
    })();
  };
}
