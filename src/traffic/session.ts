// A check's login: the request it sends first, the cookies that response sets (RFC 6265 Set-Cookie:
// Max-Age/Expires deletions, Path, Secure), and the Cookie header the check's requests then carry.
// Domain is not checked: the login and the check go to the same address (the ingress, or one pod's
// call target), as a browser or `curl -c jar -b jar` against one site would.
import type { ObservedResponse, RequestSpec } from './response.js';

/** A login request as a check describes it (the `session` field). */
export interface SessionSpec {
  path: string;
  method: string;
  /** Host header (ingress) or authority (pod); defaults to the check's host. */
  host?: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** One cookie a response set. */
export interface SetCookie {
  name: string;
  value: string;
  /** The Path attribute, or the login path's directory (RFC 6265 §5.1.4 default-path). */
  path: string;
  secure: boolean;
  /** Max-Age ≤ 0 or Expires in the past: the server deletes the cookie. */
  expired: boolean;
}

/** The request a session sends: form fields urlencoded, the check's host unless it names its own. */
export function buildLoginSpec(session: SessionSpec, checkHost: string | undefined): RequestSpec {
  const headers: Record<string, string> = { ...session.headers };
  let body = session.body;
  if (session.form) {
    body = new URLSearchParams(session.form).toString();
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return { method: session.method, path: session.path, host: session.host ?? checkHost, headers, body };
}

/** RFC 6265 §5.1.4 default-path: the request path up to (not including) its last "/", or "/". */
function defaultPath(requestPath: string): string {
  const path = requestPath.split('?')[0];
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/**
 * Parses Set-Cookie values. Repeated headers arrive joined with ", " (as node and curl -i parsing
 * give them); a cookie value has no comma (RFC 6265 cookie-octet), so a comma followed by `name=`
 * starts the next cookie, while the one in `Expires=Thu, 01 Jan …` does not.
 */
export function parseSetCookies(header: string | undefined, requestPath: string, now = Date.now()): SetCookie[] {
  if (!header) return [];
  const cookies: SetCookie[] = [];
  for (const line of header.split(/,\s*(?=[^;,=\s]+=)/)) {
    const [pair, ...attrs] = line.split(';').map((p) => p.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const cookie: SetCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'), path: defaultPath(requestPath), secure: false, expired: false };
    let maxAge: number | undefined;
    for (const attr of attrs) {
      const [key, ...rest] = attr.split('=');
      const value = rest.join('=').trim();
      switch (key.trim().toLowerCase()) {
        case 'path':
          if (value.startsWith('/')) cookie.path = value;
          break;
        case 'secure':
          cookie.secure = true;
          break;
        case 'max-age':
          if (/^-?\d+$/.test(value)) maxAge = Number(value);
          break;
        case 'expires': {
          const at = Date.parse(value);
          if (maxAge === undefined && !Number.isNaN(at) && at <= now) cookie.expired = true;
          break;
        }
      }
    }
    if (maxAge !== undefined) cookie.expired = maxAge <= 0;
    cookies.push(cookie);
  }
  return cookies;
}

/** RFC 6265 §5.1.4 path-match of a request path against a cookie's path. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  const path = requestPath.split('?')[0] || '/';
  if (path === cookiePath) return true;
  return path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/');
}

/** The Cookie header value for a request to `requestPath` over plain http; undefined when none applies. */
export function cookieHeader(cookies: SetCookie[], requestPath: string): string | undefined {
  const sent = cookies.filter((c) => !c.expired && !c.secure && pathMatches(requestPath, c.path));
  return sent.length ? sent.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
}

/** `spec` with the session's cookies added to its Cookie header (after any the check sets itself). */
export function withCookies(spec: RequestSpec, cookies: SetCookie[]): RequestSpec {
  const value = cookieHeader(cookies, spec.path);
  if (!value) return spec;
  const headers = { ...spec.headers };
  const own = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
  if (own) headers[own] = `${headers[own]}; ${value}`;
  else headers.Cookie = value;
  return { ...spec, headers };
}

/** Sends the login with `send` and returns the cookies it set; throws a one-paragraph error when it set none. */
export async function openSession(login: RequestSpec, send: (spec: RequestSpec) => Promise<ObservedResponse>, where: string, now = Date.now()): Promise<SetCookie[]> {
  const r = await send(login);
  const what = `the session's login (${login.method} ${login.host ?? ''}${login.path} from ${where})`;
  const fix = 'the session must be a request that signs in and answers Set-Cookie, e.g. Bookinfo\'s `session: {path: /login, form: {username: jason}}` through a gateway route that includes /login';
  if (r.status === 0) throw new Error(`${what} got no HTTP response (${r.error ?? 'transport error'}); ${fix}.`);
  if (r.status >= 400) throw new Error(`${what} answered ${r.status}${r.body ? ` (${JSON.stringify(r.body.slice(0, 80))})` : ''}, so no one is signed in; check session.path and method: ${fix}.`);
  const cookies = parseSetCookies(r.headers['set-cookie'], login.path, now);
  const live = cookies.filter((c) => !c.expired);
  if (!live.length) throw new Error(`${what} answered ${r.status} but set no cookie${cookies.length ? ` (it only deleted ${cookies.map((c) => c.name).join(', ')})` : ''}; ${fix}.`);
  if (live.every((c) => c.secure)) throw new Error(`${what} set only Secure cookies (${live.map((c) => c.name).join(', ')}), which are not sent over plain http; ${fix}.`);
  return live;
}
