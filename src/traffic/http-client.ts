// Sends requests from this process with node:http over keep-alive connections (the ingress path).
import { Agent, request } from 'node:http';
import { MAX_BODY_BYTES, errorResponse, type ObservedResponse, type RequestSpec } from './response.js';
import { fromNodeError } from './transport.js';

/** Where requests go: an address and port (the Host header comes from the request). */
export interface HttpTarget {
  host: string;
  port: number;
}

/** Options of an HTTP sender. */
export interface HttpSenderOptions {
  /** Sockets kept open, i.e. the most requests in flight (default 1). */
  concurrency?: number;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
}

/** Sends one request at a time over a shared keep-alive agent. */
export interface HttpSender {
  /** Sends one request; never throws (transport errors become status 0). */
  send(spec: RequestSpec, signal?: AbortSignal): Promise<ObservedResponse>;
  /** Closes idle connections. */
  close(): void;
}

/** Joins repeated header values the way fetch does. */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Creates a sender to `target` with keep-alive connections. */
export function createHttpSender(target: HttpTarget, options: HttpSenderOptions = {}): HttpSender {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 1 });
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const send = (spec: RequestSpec, signal?: AbortSignal) =>
    new Promise<ObservedResponse>((resolve) => {
      const started = now();
      const headers: Record<string, string> = { host: spec.host ?? `${target.host}:${target.port}`, ...spec.headers };
      if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));
      const req = request({ host: target.host, port: target.port, method: spec.method, path: spec.path, headers, agent, signal, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8'), latencyMs: now() - started }));
        res.on('error', (err) => resolve(transportFailure(err, now() - started)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => resolve(transportFailure(err, now() - started)));
      req.end(spec.body);
    });
  return { send, close: () => agent.destroy() };
}

/** A transport error as a short phrase, e.g. "connection refused (ECONNREFUSED)". */
export function describeError(err: Error & { code?: string }): string {
  return fromNodeError(err).message;
}

/** A client error as a status-0 response with its reason. */
function transportFailure(err: Error & { code?: string }, latencyMs: number): ObservedResponse {
  const { transport, message } = fromNodeError(err);
  return errorResponse(message, latencyMs, transport);
}
