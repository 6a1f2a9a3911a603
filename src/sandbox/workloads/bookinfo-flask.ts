// What Bookinfo's productpage gets from Flask 3.1 / Werkzeug 3.1 / itsdangerous 2.2 (samples/bookinfo/src/
// productpage, run by gunicorn): the signed session cookie (byte-compatible with the real image, so a cookie
// from either works on both), redirect and error pages, `request.values`, and simplejson's `json.dumps`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

/** productpage.py's `app.secret_key`. */
const SECRET_KEY = Buffer.concat([Buffer.from('_5#y2L"F4Q8z\n', 'latin1'), Buffer.from([0xec]), Buffer.from(']/')]);
/** itsdangerous key derivation "hmac" with Flask's salt "cookie-session" and SHA-1. */
const SIGNING_KEY = createHmac('sha1', SECRET_KEY).update('cookie-session').digest();
/** PERMANENT_SESSION_LIFETIME (31 days): Flask rejects older cookies even for non-permanent sessions. */
const MAX_AGE_S = 31 * 24 * 3600;

/** The session data productpage keeps (`session['user']`). */
export type FlaskSession = Record<string, unknown>;

/** Flask's JSON: compact, sorted keys, non-ASCII escaped (ensure_ascii). */
function flaskJson(value: unknown): string {
  const sorted = value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value;
  return asciiOnly(JSON.stringify(sorted));
}

function asciiOnly(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function signature(value: string): string {
  return createHmac('sha1', SIGNING_KEY).update(value).digest('base64url');
}

/** The `session` cookie value Flask writes for `data` at `now` (URLSafeTimedSerializer.dumps). */
export function signSession(data: FlaskSession, now: Date): string {
  const json = Buffer.from(flaskJson(data));
  const compressed = deflateSync(json);
  const payload = compressed.length < json.length - 1 ? `.${compressed.toString('base64url')}` : json.toString('base64url');
  const seconds = Math.floor(now.getTime() / 1000);
  const ts = Buffer.from(seconds.toString(16).padStart(8, '0'), 'hex');
  const value = `${payload}.${ts.subarray(ts.findIndex((b) => b !== 0)).toString('base64url')}`;
  return `${value}.${signature(value)}`;
}

/** The session in a request's cookies: empty when absent, tampered with, older than 31 days or from the future. */
export function loadSession(cookieHeader: string | undefined, now: Date): FlaskSession {
  const raw = /(?:^|;\s*)session="?([^";]*)"?/.exec(cookieHeader ?? '')?.[1];
  if (!raw) return {};
  const cut = raw.lastIndexOf('.');
  const value = raw.slice(0, cut);
  const given = Buffer.from(raw.slice(cut + 1));
  const expected = Buffer.from(signature(value));
  if (cut < 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) return {};
  const tsCut = value.lastIndexOf('.');
  const age = Math.floor(now.getTime() / 1000) - parseInt(Buffer.from(value.slice(tsCut + 1), 'base64url').toString('hex') || '0', 16);
  if (age > MAX_AGE_S || age < 0) return {};
  try {
    const payload = value.slice(0, tsCut);
    const bytes = payload.startsWith('.') ? inflateSync(Buffer.from(payload.slice(1), 'base64url')) : Buffer.from(payload, 'base64url');
    const data = JSON.parse(bytes.toString('utf8'));
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

/** Set-Cookie for a modified session: the signed value, or a deletion once the session is empty. */
export function sessionCookie(data: FlaskSession, now: Date): string {
  if (!Object.keys(data).length) return 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/';
  return `session=${signSession(data, now)}; HttpOnly; Path=/`;
}

/** `request.values.get(name)`: the query string first, then an urlencoded (or multipart) form body. */
export function requestValue(url: string, contentType: string | undefined, body: Buffer, name: string): string | undefined {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  if (query.has(name)) return query.get(name)!;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(body.toString('latin1')).get(name) ?? undefined;
  if (type.startsWith('multipart/form-data')) {
    const m = new RegExp(`name="${name}"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([^\\r]*)\\r\\n`).exec(body.toString('utf8'));
    return m?.[1];
  }
  return undefined;
}

/** Werkzeug's `redirect()` body (the Location header carries the target verbatim). */
export function redirectBody(location: string): string {
  const html = location.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  return `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${html}">${html}</a>. If not, click the link.\n`;
}

const ERRORS: Record<number, [string, string]> = {
  404: ['Not Found', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.'],
  405: ['Method Not Allowed', 'The method is not allowed for the requested URL.'],
  500: ['Internal Server Error', 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.'],
};

/** Werkzeug's HTML error page for 404, 405 and 500. */
export function errorPage(status: 404 | 405 | 500): string {
  const [title, text] = ERRORS[status];
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
}

/** Werkzeug's upper-case reason phrases (gunicorn sends them as given). */
export function reasonPhrase(status: number, fallback: string | undefined): string {
  return ({ 200: 'OK', 302: 'FOUND', 400: 'BAD REQUEST', 404: 'NOT FOUND', 405: 'METHOD NOT ALLOWED', 500: 'INTERNAL SERVER ERROR', 503: 'SERVICE UNAVAILABLE', 504: 'GATEWAY TIMEOUT' } as Record<number, string>)[status] ?? (fallback ?? '').toUpperCase();
}

/** simplejson's `json.dumps` with default options: `", "` and `": "` separators, insertion order, ASCII only. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${asciiOnly(JSON.stringify(k))}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  if (typeof value === 'number' && !Number.isInteger(value)) return String(value);
  return asciiOnly(JSON.stringify(value));
}
