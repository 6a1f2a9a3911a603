// httpbin's endpoints as pure functions of a request. Two flavours share them: go-httpbin (mccutchen,
// Istio's sample since 1.24: header values are JSON arrays, JSON errors) and the Python httpbin
// (kennethreitz / kong: header values are strings, keys sorted, HTML errors).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Random } from '../runtime/determinism.js';
import { clientIp, headerValues, uuid4 } from './http-kit.js';

/** One request as the endpoints see it. */
export interface HttpbinCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: Buffer;
  python: boolean;
  random: Random;
  /** Regex groups of the matched route. */
  params: string[];
  /** Aborted when the container stops. */
  stop: AbortSignal;
  /** The name `/hostname` reports. */
  hostname: string;
}

/** What an endpoint answers; `json` is serialised the flavour's way. */
export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  json?: unknown;
}

/** A JSON reply. */
export const json = (value: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({ status, json: value, headers });

/** The flavour's error reply (go: JSON `{status_code, error, detail}`; Python: werkzeug's HTML page). */
export function errorReply(c: HttpbinCall, status: number, detail?: string): Reply {
  const texts: Record<number, [string, string]> = {
    400: ['Bad Request', 'The browser (or proxy) sent a request that this server could not understand.'],
    401: ['Unauthorized', 'The server could not verify that you are authorized to access the URL requested.'],
    404: ['Not Found', 'The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.'],
    405: ['Method Not Allowed', 'The method is not allowed for the requested URL.'],
  };
  const [title, text] = texts[status] ?? ['Error', ''];
  if (c.python) return { status, headers: { 'Content-Type': 'text/html' }, body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n` };
  return json(detail ? { status_code: status, error: title, detail } : { status_code: status, error: title }, status);
}

/** Query arguments: go `{k: [v…]}`, Python `{k: v}` (a list when repeated). */
export function args(c: HttpbinCall): Record<string, string | string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of c.url.searchParams) (out[k] ??= []).push(v);
  return c.python ? Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) : sorted(out);
}

/** Request headers: go `{Name: [v…]}` with Host; Python `{Name: "v"}`. */
export function headers(c: HttpbinCall): Record<string, string | string[]> {
  const values = headerValues(c.req);
  if (values['Transfer-Encoding']) values['Transfer-Encoding'] = [values['Transfer-Encoding'].join(',')];
  return c.python ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.join(',')])) : sorted(values);
}

/** `origin`: go the first X-Forwarded-For entry (else the peer); Python the whole X-Forwarded-For. */
export function origin(c: HttpbinCall): string {
  const xff = c.req.headers['x-forwarded-for'];
  if (c.python && xff) return Array.isArray(xff) ? xff.join(', ') : xff;
  return clientIp(c.req);
}

function sorted<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** /get (and HEAD): go `{args, headers, method, origin, url}`, Python `{args, headers, origin, url}`. */
export function getReply(c: HttpbinCall): Reply {
  const base = { args: args(c), headers: headers(c) };
  return json(c.python ? { ...base, origin: origin(c), url: c.url.href } : { ...base, method: c.req.method, origin: origin(c), url: c.url.href });
}

/** /anything, /post, /put, /patch, /delete and /delay's echo of a request with a body. */
export function bodyReply(c: HttpbinCall, withMethod: boolean, extraHeaders: Record<string, string> = {}): Reply {
  const type = String(c.req.headers['content-type'] ?? '').split(';')[0].trim();
  const text = c.body.toString('utf8');
  let data = text;
  let form: Record<string, string | string[]> = {};
  let parsed: unknown = null;
  if (c.body.length) {
    if (type === 'application/x-www-form-urlencoded') {
      const values: Record<string, string[]> = {};
      for (const [k, v] of new URLSearchParams(text)) (values[k] ??= []).push(v);
      form = c.python ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) : sorted(values);
      if (c.python) data = '';
    } else if (type === 'application/json') {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        if (!c.python) return errorReply(c, 400, `error parsing request body: ${(error as Error).message}`);
      }
    } else if (!['text/plain', 'text/html', 'multipart/form-data'].includes(type) && !c.python) {
      data = `data:${type || 'application/octet-stream'};base64,${c.body.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
    }
  }
  const common = { args: args(c), headers: headers(c) };
  if (c.python) {
    const value: Record<string, unknown> = { ...common, data, files: {}, form, json: parsed, origin: origin(c), url: c.url.href };
    if (withMethod) value.method = c.req.method;
    return json(value, 200, extraHeaders);
  }
  return json({ ...common, method: c.req.method, origin: origin(c), url: c.url.href, data, files: {}, form, json: parsed }, 200, extraHeaders);
}

/** /uuid */
export const uuidReply = (c: HttpbinCall): Reply => json({ uuid: uuid4(c.random) });

/** /response-headers?K=V: each query argument becomes a response header and is echoed as JSON. */
export function responseHeadersReply(c: HttpbinCall): Reply {
  const values: Record<string, string[]> = {};
  for (const [k, v] of c.url.searchParams) (values[k] ??= []).push(v);
  const typeKey = Object.keys(values).find((k) => k.toLowerCase() === 'content-type');
  if (!typeKey) values['Content-Type'] = [c.python ? 'application/json' : 'application/json; charset=utf-8'];
  const out: Record<string, string | string[]> = { ...values };
  const echoed = c.python ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) : sorted(values);
  return { status: 200, headers: out, body: `${JSON.stringify(echoed, null, 2)}\n` };
}

/** /redirect/N, /relative-redirect/N, /absolute-redirect/N: 302 chains ending at /get. */
export function redirectReply(c: HttpbinCall, n: number, absolute: boolean): Reply {
  if (!Number.isInteger(n) || n < 1) return errorReply(c, 400, 'redirect count must be > 0');
  const path = n - 1 < 1 ? '/get' : `/${absolute ? 'absolute' : 'relative'}-redirect/${n - 1}`;
  return { status: 302, headers: { Location: absolute ? `${c.url.protocol}//${c.url.host}${path}` : path } };
}

/** /basic-auth/USER/PASS and /bearer. */
export function authReply(c: HttpbinCall, kind: 'basic' | 'bearer'): Reply {
  const auth = String(c.req.headers.authorization ?? '');
  if (kind === 'bearer') {
    const m = /^Bearer (\S+)$/.exec(auth);
    return m ? json({ authenticated: true, token: m[1] }) : { ...errorReply(c, 401), headers: { ...(errorReply(c, 401).headers ?? {}), 'WWW-Authenticate': 'Bearer' } };
  }
  const given = /^Basic (.+)$/.exec(auth) ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
  const [user] = given.split(':');
  const ok = given === `${c.params[0]}:${c.params[1]}`;
  const body = c.python ? { authenticated: ok, user } : { authenticated: ok, user, authorized: ok };
  return json(body, ok ? 200 : 401, ok ? {} : { 'WWW-Authenticate': 'Basic realm="Fake Realm"' });
}

/** /cookies, /cookies/set?k=v, /cookies/delete?k */
export function cookiesReply(c: HttpbinCall, action?: string): Reply {
  if (action === 'set' || action === 'delete') {
    const cookies = [...c.url.searchParams].map(([k, v]) => (action === 'set' ? `${k}=${v}; HttpOnly; Path=/` : `${k}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/`));
    return { status: 302, headers: { Location: '/cookies', 'Set-Cookie': cookies } };
  }
  const jar: Record<string, string> = {};
  for (const part of String(c.req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return json(c.python ? { cookies: jar } : jar);
}
