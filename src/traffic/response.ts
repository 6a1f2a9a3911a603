// What a probe sends and what it gets back, whatever the transport (node http, curl, fortio).
import type { TransportError } from './transport.js';

/** The request a check describes: method, path, Host header / authority, headers, body. */
export interface RequestSpec {
  method: string;
  path: string;
  /** Host header (from the ingress) or authority to call (from a pod), e.g. "httpbin:8000". */
  host?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One response as probes see it; `status` 0 means no HTTP response (transport error in `error`). */
export interface ObservedResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Body text, cut to a limit. */
  body: string;
  /** Time to the last byte of the body (or to the error), in ms. */
  latencyMs: number;
  error?: string;
  /** Why there was no HTTP response (set with status 0 when the sender could tell). */
  transport?: TransportError;
}

/** Sends `count` requests (one batch: one exec or `count` HTTP requests) and returns them in order. */
export type SendBatch = (count: number, signal: AbortSignal) => Promise<ObservedResponse[]>;

/** Most body bytes kept per response. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A transport-error response. */
export function errorResponse(error: string, latencyMs = 0, transport?: TransportError): ObservedResponse {
  return { status: 0, headers: {}, body: '', latencyMs, error, ...(transport ? { transport } : {}) };
}

/** Short form of a response for reports: status, a few headers, the start of the body. */
export function sampleResponse(r: ObservedResponse, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['date', 'content-length', 'connection', 'keep-alive'].includes(k)).slice(0, 8));
  const body = r.body.length > 160 ? `${r.body.slice(0, 157)}...` : r.body;
  return { status: r.status, ...extra, latencyMs: Math.round(r.latencyMs), ...(r.error ? { error: r.error } : {}), headers, ...(body ? { body } : {}) };
}
