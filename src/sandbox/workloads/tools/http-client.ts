// HTTP from inside a container for curl, wget and fortio: URLs as those tools accept them, one request
// through the pod's network (ctx.network.fetch — never a real socket), its timing, and the wire text of
// a response head.
import { STATUS_CODES } from 'node:http';
import type { MeshResponse, MeshResult } from '../../mesh/types.js';
import { monotonicMs } from './tool-env.js';
import type { ToolContext } from './tool.js';

/** A request as a client tool builds it: header names as typed, in the order they are sent. */
export interface ClientRequest {
  method: string;
  url: URL;
  headers: [string, string][];
  body?: Buffer;
}

/** The outcome of one request and how long it took (ms, monotonic clock). */
export interface ClientExchange {
  result: MeshResult;
  elapsedMs: number;
  /** True when the caller's signal aborted the request (the exec session ended). */
  aborted: boolean;
}

/** `host[:port][/path]` or `scheme://…` → URL (http:// assumed); undefined when it cannot be parsed. */
export function parseClientUrl(raw: string): URL | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(withScheme);
    return url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The port a URL connects to (explicit, else the scheme's default). */
export function urlPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Path and query as sent on the request line (`/` when empty). */
export function requestTarget(url: URL): string {
  return `${url.pathname || '/'}${url.search}`;
}

/** Sends `req` from the tool's pod; a `timeoutMs` budget ends it with a timeout failure even if the network does not. */
export async function sendClientRequest(ctx: ToolContext, req: ClientRequest, opts: { timeoutMs?: number; signal: AbortSignal }): Promise<ClientExchange> {
  const started = monotonicMs();
  const controller = new AbortController();
  const headers: Record<string, string> = {};
  for (const [name, value] of req.headers) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stops = new Promise<{ result: MeshResult; aborted: boolean }>((resolve) => {
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ result: { failure: 'timeout', message: `Operation timed out after ${Math.round(opts.timeoutMs!)} milliseconds` }, aborted: false });
      }, Math.max(0, opts.timeoutMs));
    }
    onAbort = () => {
      controller.abort();
      resolve({ result: { failure: 'reset', message: 'interrupted' }, aborted: true });
    };
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
  });
  const fetched = ctx.network
    .fetch(ctx.pod, req.url.href, { method: req.method, headers, body: req.body, timeoutMs: opts.timeoutMs, signal: controller.signal })
    .then(
      (result) => ({ result, aborted: false }),
      (error: unknown) => ({ result: { failure: 'reset', message: error instanceof Error ? error.message : String(error) } as MeshResult, aborted: false }),
    );
  try {
    const { result, aborted } = await Promise.race([fetched, stops]);
    return { result, aborted, elapsedMs: monotonicMs() - started };
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal.removeEventListener('abort', onAbort);
  }
}

/** The reason phrase a server sends with `code` (`Unknown` for unassigned codes). */
export function reasonPhrase(code: number): string {
  return STATUS_CODES[code] ?? 'Unknown';
}

/** `HTTP/1.1 200 OK` */
export function statusLine(res: MeshResponse): string {
  return `HTTP/1.1 ${res.status} ${reasonPhrase(res.status)}`;
}

/** The response head as it crossed the wire: status line, headers, blank line (CRLF endings). */
export function responseHead(res: MeshResponse): string {
  return [statusLine(res), ...Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
}

/** A response header value by case-insensitive name. */
export function headerValue(res: MeshResponse, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}
