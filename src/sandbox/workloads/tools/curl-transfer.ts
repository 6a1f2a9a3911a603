// One curl transfer: the request curl builds for a URL (default headers, -H edits, body headers,
// --resolve), sent through the pod's network, following redirects with -L, and the curl error code and
// message a transport failure maps to.
import type { MeshResponse, TransportFailure } from '../../mesh/types.js';
import { isTransportFailure } from '../../mesh/types.js';
import type { CurlOptions } from './curl-options.js';
import { headerValue, parseClientUrl, sendClientRequest, urlPort, type ClientRequest } from './http-client.js';
import { resolvedAddress } from './tool-env.js';
import type { ToolContext } from './tool.js';

/** One request curl sent and what came back (undefined response = transport failure). */
export interface CurlHop {
  request: ClientRequest;
  response?: MeshResponse;
  elapsedMs: number;
  /** The host, address and port the request went to (after --resolve). */
  where: { host: string; ip: string; port: number };
}

/** The result of one URL: every hop, the exit code, and curl's error text when it failed. */
export interface CurlTransfer {
  hops: CurlHop[];
  exit: number;
  error?: string;
  totalMs: number;
  /** The URL the last request went to. */
  url?: URL;
  aborted: boolean;
}

/** What a request starts from: the body and how the command line shaped the headers. */
export interface CurlRequestPlan {
  body?: Buffer;
  contentType?: string;
  accept?: string;
  userAgent: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Runs the transfer for `raw` (a URL as typed). */
export async function runCurlTransfer(ctx: ToolContext, o: CurlOptions, raw: string, plan: CurlRequestPlan, signal: AbortSignal): Promise<CurlTransfer> {
  let url = parseClientUrl(raw);
  if (!url) return { hops: [], exit: 3, error: 'URL rejected: Malformed input to a URL function', totalMs: 0, aborted: false };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { hops: [], exit: 1, error: `Protocol "${url.protocol.slice(0, -1)}" not supported`, totalMs: 0, aborted: false };
  if (o.get && plan.body?.length) {
    url.search = url.search ? `${url.search}&${plan.body.toString('utf8')}` : `?${plan.body.toString('utf8')}`;
    plan = { ...plan, body: undefined };
  }
  let method = o.method ?? (o.head ? 'HEAD' : plan.body ? 'POST' : 'GET');
  let body = plan.body;
  const hops: CurlHop[] = [];
  let total = 0;
  for (;;) {
    const request = buildRequest(o, url, method, body, plan);
    const { connectUrl, where } = connectTarget(ctx, o, url);
    const remaining = o.maxTimeMs === undefined ? undefined : Math.max(0, o.maxTimeMs - total);
    const exchange = await sendClientRequest(ctx, { ...request, url: connectUrl }, { timeoutMs: remaining, signal });
    total += exchange.elapsedMs;
    const hop: CurlHop = { request, elapsedMs: exchange.elapsedMs, where };
    hops.push(hop);
    if (isTransportFailure(exchange.result)) {
      const { code, message } = curlError(exchange.result, where, total, o);
      return { hops, exit: code, error: message, totalMs: total, url, aborted: exchange.aborted };
    }
    hop.response = exchange.result;
    const location = headerValue(exchange.result, 'location');
    if (!o.location || !REDIRECTS.has(exchange.result.status) || !location) break;
    if (hops.length > o.maxRedirs && o.maxRedirs >= 0) return { hops, exit: 47, error: `Maximum (${o.maxRedirs}) redirects followed`, totalMs: total, url, aborted: false };
    const status = exchange.result.status;
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      if (!o.method || status === 303) method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
    }
    url = new URL(location, url);
  }
  const last = hops[hops.length - 1].response!;
  if ((o.fail || o.failWithBody) && last.status >= 400) return { hops, exit: 22, error: `The requested URL returned error: ${last.status}`, totalMs: total, url, aborted: false };
  return { hops, exit: 0, totalMs: total, url, aborted: false };
}

/** The request line and headers curl sends, in curl's order: Host, User-Agent, Accept, -H, body headers. */
function buildRequest(o: CurlOptions, url: URL, method: string, body: Buffer | undefined, plan: CurlRequestPlan): ClientRequest {
  const defaults: [string, string][] = [
    ['Host', url.host],
    ['User-Agent', o.userAgent ?? plan.userAgent],
    ['Accept', plan.accept ?? '*/*'],
  ];
  if (o.referer) defaults.push(['Referer', o.referer]);
  if (o.user) defaults.splice(1, 0, ['Authorization', `Basic ${Buffer.from(o.user.includes(':') ? o.user : `${o.user}:`).toString('base64')}`]);
  if (o.bearer) defaults.splice(1, 0, ['Authorization', `Bearer ${o.bearer}`]);
  if (o.cookie && o.cookie.includes('=')) defaults.push(['Cookie', o.cookie]);
  const headers = [...defaults];
  const bodyHeaders: [string, string][] = body ? [['Content-Length', String(body.length)], ['Content-Type', plan.contentType ?? 'application/x-www-form-urlencoded']] : [];
  for (const line of o.headers) {
    const colon = line.indexOf(':');
    const semi = line.indexOf(';');
    if (colon < 0 && semi < 0) continue;
    const empty = colon < 0 || (semi >= 0 && semi < colon);
    const name = line.slice(0, empty ? semi : colon).trim();
    const value = empty ? '' : line.slice(colon + 1).trim();
    const same = (h: [string, string]) => h[0].toLowerCase() === name.toLowerCase();
    const at = headers.findIndex(same);
    const bodyAt = bodyHeaders.findIndex(same);
    if (bodyAt >= 0) bodyHeaders.splice(bodyAt, 1);
    if (!empty && !value) {
      if (at >= 0 && at < defaults.length) headers.splice(at, 1);
      continue;
    }
    if (at >= 0 && at < defaults.length) headers[at] = [name, value];
    else headers.push([name, value]);
  }
  return { method, url, headers: [...headers, ...bodyHeaders], body };
}

/** Where the request really goes: --resolve HOST:PORT:ADDR sends it to ADDR (the Host header keeps the name). */
function connectTarget(ctx: ToolContext, o: CurlOptions, url: URL): { connectUrl: URL; where: CurlHop['where'] } {
  const port = urlPort(url);
  for (const entry of o.resolve) {
    const m = /^\+?([^:]+|\*):(\d+):\[?([^\]]+?)\]?(?:,.*)?$/.exec(entry);
    if (!m || (m[1] !== '*' && m[1].toLowerCase() !== url.hostname.toLowerCase()) || Number(m[2]) !== port) continue;
    const connectUrl = new URL(url.href);
    connectUrl.hostname = m[3];
    return { connectUrl, where: { host: url.hostname, ip: m[3], port } };
  }
  return { connectUrl: url, where: { host: url.hostname, ip: resolvedAddress(ctx, url.hostname), port } };
}

/** curl's exit code and message for a transport failure. */
function curlError(f: TransportFailure, where: CurlHop['where'], elapsedMs: number, o: CurlOptions): { code: number; message: string } {
  const ms = Math.round(elapsedMs);
  switch (f.failure) {
    case 'dns':
      return { code: 6, message: `Could not resolve host: ${where.host}` };
    case 'connect-refused':
      return { code: 7, message: `Failed to connect to ${where.host} port ${where.port} after ${ms} ms: Couldn't connect to server` };
    case 'timeout':
      if (o.maxTimeMs !== undefined) return { code: 28, message: `Operation timed out after ${ms} milliseconds with 0 bytes received` };
      if (o.connectTimeoutMs !== undefined) return { code: 28, message: `Connection timed out after ${ms} milliseconds` };
      return { code: 28, message: `Failed to connect to ${where.host} port ${where.port} after ${ms} ms: Timeout was reached` };
    case 'tls':
      return { code: 35, message: `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${where.host}:${where.port} ` };
    case 'empty-reply':
      return { code: 52, message: 'Empty reply from server' };
    case 'reset':
      return { code: 56, message: 'Recv failure: Connection reset by peer' };
  }
}
